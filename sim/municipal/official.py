"""A kommun's profile from official data: any of the 290 kommuner by name or code.

:func:`official_profile` builds a :class:`~sim.municipal.profile.KommunProfile` from what is
published for every kommun (``sim/population/data/``, provenance in its README):

* inhabitants 31 December 2024 (SCB folkmängd, BE0101 / Kolada N01951);
* the mean monthly caseload of 2024: households with ekonomiskt bistånd in a month,
  averaged over the months Socialstyrelsen publishes for the kommun (månadsstatistik);
* SKR's kommungrupp 2023 (A1-C9) and the län (the first two digits of the code).

The population is then re-weighted (:func:`sim.municipal.profile.reweight_to_profile`) within
the dwellings of the kommun's SKR group: the kommun is represented by the households of
all kommuner of its group, re-weighted to its inhabitants and mean monthly caseload. What
only the kommun knows (FS paid, the annual number of households, its housing limit,
activity places and their cost, caseworkers) comes from a profile YAML, whose figures
override the official ones they repeat (:func:`with_yaml`).

What the model cannot say for a kommun (printed in the report, :func:`precision_note`):
anything that distinguishes it from the other kommuner of its group beyond its
inhabitants and caseload (its own mix of households, rents, labour market); and results
behind fewer than :data:`MIN_SAMPLED_RECIPIENTS` sampled recipient households.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from sim.municipal.profile import KommunProfile
from sim.population.kommuner import KOMMUNGRUPP_NAMES, Kommun, find_kommun, kommun_table
from sim.population.monthly import MIN_RECIPIENT_RECORDS
from sim.population.monthly import SOURCE as MONTHLY_SOURCE

#: Below this many sampled recipient households behind a result, the result is flagged as
#: imprecise (a relative sampling error of roughly 1/sqrt(n): about 18 % at 30, 10 % at
#: 100). The same threshold as a calibration margin needs, and the one the results'
#: ``low_precision`` rows use (sim.metrics.results).
MIN_SAMPLED_RECIPIENTS = MIN_RECIPIENT_RECORDS

SOURCES = (
    "SCB folkmängd 31 dec 2024 (BE0101, Kolada N01951)",
    f"Socialstyrelsen, ekonomiskt bistånd månadsstatistik 2024 ({MONTHLY_SOURCE})",
    "SKR kommungruppsindelning 2023",
)


def official_profile(query: str) -> KommunProfile:
    """The profile of the kommun named or numbered ``query`` from official data.

    >>> p = official_profile("Malmö")
    >>> p.kommunkod, p.lan, p.kommungrupp_skr, p.invanare
    ('1280', '12', 'A1', 365644.0)
    """
    kommun = find_kommun(query)
    return from_kommun(kommun)


def from_kommun(kommun: Kommun) -> KommunProfile:
    """:func:`official_profile` of one row of :func:`~sim.population.kommuner.kommun_table`."""
    caseload = kommun.mean_monthly_caseload
    return KommunProfile(
        namn=kommun.name,
        invanare=float(kommun.inhabitants),
        kommunkod=kommun.code,
        lan=kommun.lan_code,
        kommungrupp_skr=kommun.group,
        manadshushall=None if math.isnan(caseload) else caseload,
        beskrivning=(
            f"Officiella uppgifter: kommungrupp {kommun.group} "
            f"({KOMMUNGRUPP_NAMES[kommun.group]}), län {kommun.lan_code}; "
            f"hushåll med ekonomiskt bistånd per månad 2024: medel av "
            f"{kommun.caseload_months} publicerade månader"
        ),
        kallor=SOURCES,
    )


def with_yaml(official: KommunProfile, own: KommunProfile) -> KommunProfile:
    """The official profile with the kommun's own profile (YAML) on top: every figure the
    YAML gives overrides the official one; the kommun's code, län, SKR group and monthly
    caseload stay the official ones."""
    values = {
        field.name: getattr(own, field.name)
        for field in dataclasses.fields(KommunProfile)
        if getattr(own, field.name) not in (None, "", ())
    }
    for name in ("kommunkod", "lan", "kommungrupp_skr", "manadshushall", "kallor"):
        values.pop(name, None)
    values.pop("kommungrupp", None)  # the SKR group of the code is finer than the YAML's
    return dataclasses.replace(official, **values)


def sampled_recipients(population, profile: KommunProfile) -> tuple[int, int]:
    """Sampled recipient households (FS in some month of the data year) in the dwellings
    a kommun's run re-weights (its SKR group) and in the kommun itself."""
    from sim.population.geography import group_of_dwellings
    from sim.population.kommuner import KOMMUNGRUPPER

    paid = population.household_months_array("forsorjningsstod") > 0
    dwelling = population.households["dwelling_idx"].to_numpy()
    recipient = paid.any(axis=1)
    group = group_of_dwellings(population)[dwelling]
    in_group = int((recipient & (group == KOMMUNGRUPPER.index(profile.kommungrupp_skr))).sum())
    codes = [k.code for k in kommun_table()]
    kommun = population.dwellings["kommun"].to_numpy()[dwelling]
    in_kommun = int((recipient & (kommun == codes.index(profile.kommunkod))).sum())
    return in_group, in_kommun


def precision_note(in_group: int, in_kommun: int, profile: KommunProfile, lang: str) -> str:
    """What the model can and cannot say for the kommun (the report's paragraph)."""
    group = profile.kommungrupp_skr
    flag = in_group < MIN_SAMPLED_RECIPIENTS
    sv = (
        f"Bakom resultaten står {in_group} utvalda hushåll med ekonomiskt bistånd i "
        f"kommungrupp {group} ({in_kommun} av dem i {profile.namn} själv), omviktade till "
        f"kommunens invånare och genomsnittliga antal hushåll med bistånd per månad. "
        "Modellen kan säga vad reformerna betyder för en kommun av gruppens slag med "
        "kommunens storlek och biståndsnivå; den kan inte säga något om det som skiljer "
        "kommunen från gruppens andra kommuner (hushållens sammansättning, hyror, "
        "arbetsmarknad), och inte om utbetalt bistånd, boendekostnadsgräns, "
        "aktivitetsplatser eller handläggare utan kommunens egen profil."
    )
    en = (
        f"Behind the results are {in_group} sampled households with ekonomiskt bistånd in "
        f"kommungrupp {group} ({in_kommun} of them in {profile.namn} itself), re-weighted to "
        "the municipality's inhabitants and mean monthly caseload. The model can say what "
        "the reforms mean for a municipality of its group with its size and caseload; it "
        "cannot say anything about what distinguishes it from the other municipalities of "
        "its group (household mix, rents, labour market), nor about FS paid, the housing "
        "limit, activity places or caseworkers without the municipality's own profile."
    )
    if in_kommun == 0:
        sv += (
            f" Inget av dem bor i {profile.namn}: resultaten beskriver gruppens hushåll i "
            "kommunens storlek, inte kommunens egna."
        )
        en += (
            f" None of them lives in {profile.namn}: the results describe the group's "
            "households at the municipality's size, not its own."
        )
    if flag:
        sv += f" Färre än {MIN_SAMPLED_RECIPIENTS} hushåll: resultaten är mycket osäkra."
        en += f" Fewer than {MIN_SAMPLED_RECIPIENTS} households: the results are very uncertain."
    return sv if lang == "sv" else en


def kommuner_table() -> list[dict[str, object]]:
    """The 290 kommuner for ``sim kommuner``: code, name, län, group, inhabitants, mean
    monthly caseload 2024 (None where Socialstyrelsen publishes no month)."""
    return [
        {
            "kod": k.code,
            "namn": k.name,
            "lan": k.lan_code,
            "kommungrupp": k.group,
            "invanare": k.inhabitants,
            "hushall_per_manad_2024": None
            if np.isnan(k.mean_monthly_caseload)
            else round(k.mean_monthly_caseload, 1),
        }
        for k in kommun_table()
    ]
