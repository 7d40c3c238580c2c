"""Worked household examples: typical households and what current law gives them.

``sim examples`` (and ``make run``) prints a table of these and one full calculation, so a
new user sees the model working before loading a population.
"""

from __future__ import annotations

from sim.calculator.household import HouseholdSpec, calculate

#: (label, month, household) for the examples table.
EXAMPLES: tuple[tuple[str, str, HouseholdSpec], ...] = (
    (
        "Ensamstående utan inkomst",
        "2026-03",
        HouseholdSpec(adults=1, adult_ages=(30,), housing_cost=5000),
    ),
    (
        "Ensamstående, a-kassa 9 000 kr",
        "2026-03",
        HouseholdSpec(
            adults=1, adult_ages=(45,), housing_cost=5500, other_income={"a_kassa": 9000}
        ),
    ),
    (
        "Ensamstående mamma, 2 barn (4, 9)",
        "2026-03",
        HouseholdSpec(
            adults=1, adult_ages=(32,), child_ages=(4, 9), preschool_lunch=True, housing_cost=7000
        ),
    ),
    (
        "Sambor, 3 barn, deltidslön 12 000 kr",
        "2026-03",
        HouseholdSpec(
            adults=2,
            adult_ages=(35, 36),
            child_ages=(1, 6, 14),
            housing_cost=8500,
            earnings=(12000, 0),
        ),
    ),
    (
        "Sambor, 5 barn, utan inkomst",
        "2026-03",
        HouseholdSpec(
            adults=2, adult_ages=(38, 40), child_ages=(2, 5, 8, 11, 15), housing_cost=9000
        ),
    ),
    (
        "Sambor, 5 barn, lön 22 000 kr med jobbstimulans",
        "2026-03",
        HouseholdSpec(
            adults=2,
            adult_ages=(38, 40),
            child_ages=(2, 5, 8, 11, 15),
            housing_cost=9000,
            earnings=(22000, 0),
            months_on_fs=8,
        ),
    ),
    (
        "Pensionär med garantipension 9 000 kr",
        "2026-03",
        HouseholdSpec(
            adults=1, adult_ages=(70,), housing_cost=5500, other_income={"pension": 9000}
        ),
    ),
)


def examples_table() -> str:
    """The examples as a fixed-width table (SEK/month)."""
    header = f"{'Hushåll':<48} {'Riksnorm':>9} {'Kostnader':>9} {'Inkomster':>9} {'FS':>9} {'Disp.ink.':>9}"
    lines = [header, "-" * len(header)]
    for label, month, spec in EXAMPLES:
        calc = calculate(spec, date=month)
        values = [
            calc[k]
            for k in (
                "riksnorm",
                "reasonable_costs",
                "counted_income",
                "forsorjningsstod",
                "disposable_income",
            )
        ]
        cells = " ".join(f"{v:>9,.0f}".replace(",", " ") for v in values)
        lines.append(f"{label:<48} {cells}")
    return "\n".join(lines)


def print_examples() -> None:
    """Print the table and one full step-by-step calculation."""
    print("Försörjningsstöd enligt gällande rätt, kronor per månad, mars 2026")
    print()
    print(examples_table())
    print()
    label, month, spec = EXAMPLES[5]
    print(f"Steg för steg: {label}")
    print(calculate(spec, date=month).to_text())
