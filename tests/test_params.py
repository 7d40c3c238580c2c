"""The law files: every legal value carries its source, and the loader refuses bad files."""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
import pytest

from sim.common.errors import SimInputError
from sim.law.parameters import EVIDENCE, DatedValue, Table, default_law, load_law

GOOD = """\
description: A test concept.
valid_until: 2026-12-31
parameters:
  amount:
    description: An amount.
    unit: SEK/month
    values:
      2024-01-01:
        value: 100
        reference: SFS 2000:1 1 §
        url: https://example.org/a
        evidence: law
      2025-01-01:
        value: 110
        reference: SFS 2000:2 1 §
        url: https://example.org/b
        evidence: law
  scale:
    description: A table.
    unit: SEK/month
    values:
      2024-01-01:
        value:
          age_from: [0, 7, 11]
          amount: [10, 20, 30]
        reference: SFS 2000:1 2 §
        url: https://example.org/a
        evidence: law
"""


def write(tmp_path, text, name="concept.yaml"):
    (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_every_legal_value_has_its_source():
    """Fails if any dated value in sim/params lacks reference, URL or evidence."""
    law = default_law()
    assert len(law.paths()) >= 30
    for parameter in law:
        assert parameter.description, parameter.path
        for entry in parameter.values:
            assert entry.reference.strip(), f"{parameter.path} {entry.start}: no reference"
            assert entry.url.startswith(("https://", "http://")), (
                f"{parameter.path} {entry.start}: no url"
            )
            assert entry.evidence in set(EVIDENCE) - {"assumption"}, (
                f"{parameter.path} {entry.start}"
            )
            if entry.evidence == "derived":
                assert entry.note, f"{parameter.path} {entry.start}: derived without a note"


def test_law_covers_2024_to_2026():
    assert default_law().valid_range() == (dt.date(2024, 1, 1), dt.date(2026, 12, 31))


def test_resolve_picks_the_value_in_force(tmp_path):
    law = load_law(write(tmp_path, GOOD))
    assert law.resolve(dt.date(2024, 12, 31)).concept.amount == 100
    assert law.resolve(dt.date(2025, 1, 1)).concept.amount == 110
    table = law.resolve(dt.date(2025, 6, 1)).concept.scale
    assert isinstance(table, Table)
    assert table.lookup("amount", [0, 6, 7, 10, 11, 99]).tolist() == [10, 10, 20, 20, 30, 30]


def test_resolved_params_are_frozen(tmp_path):
    params = load_law(write(tmp_path, GOOD)).resolve(dt.date(2025, 1, 1))
    with pytest.raises(AttributeError):
        params.concept.amount = 5
    with pytest.raises(ValueError):
        params.concept.scale["amount"][0] = 5


def test_out_of_range_dates_are_refused(tmp_path):
    law = load_law(write(tmp_path, GOOD))
    for when in (dt.date(2023, 12, 31), dt.date(2027, 1, 1)):
        with pytest.raises(SimInputError, match="outside the parameters' range"):
            law.resolve(when)


def test_unknown_path_suggests_the_closest():
    with pytest.raises(SimInputError, match="did you mean 'riksnorm.adult_single'"):
        default_law().parameter("riksnorm.adult_singel")


def test_with_values_adds_a_dated_value(tmp_path):
    law = load_law(write(tmp_path, GOOD))
    entry = DatedValue(dt.date(2026, 1, 1), 120.0, "test", "https://example.org", "derived", "test")
    changed = law.with_values("concept.amount", {entry.start: entry})
    assert changed.resolve(dt.date(2026, 2, 1)).concept.amount == 120
    assert law.resolve(dt.date(2026, 2, 1)).concept.amount == 110
    assert changed.digest() != law.digest()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("value: 100\n", "value: 100\n        value: 101\n", "duplicate key 'value'"),
        (
            "unit: SEK/month\n    values:\n      2024",
            "unit: SEK/moth\n    values:\n      2024",
            "unknown unit",
        ),
        ("      2025-01-01:", "      2023-01-01:", "dates must ascend"),
        ("age_from: [0, 7, 11]", "age_from: [0, 11, 7]", "must ascend strictly"),
        (
            "        url: https://example.org/b\n",
            "        url: example.org/b\n",
            "url must start with",
        ),
        (
            "        evidence: law\n  scale",
            "        evidence: rumour\n  scale",
            "evidence must be one of",
        ),
        ("amount: [10, 20, 30]", "amount: [10, 20]", "equal lengths"),
        ("value: 110", "value: 'a lot'", "must be a number or a table"),
        (
            "    unit: SEK/month\n    values:\n      2024-01-01:\n        value: 100",
            "    unit: SEK/month\n    valuse:\n      2024-01-01:\n        value: 100",
            "unknown key 'valuse'",
        ),
        ("        evidence: law\n  scale", "        evidence: derived\n  scale", "must say how"),
        ("parameters:", "parameters: [", "malformed YAML"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path, old, new, message):
    assert old in GOOD, old
    write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(SimInputError, match=message) as error:
        load_law(tmp_path)
    assert "\n" not in str(error.value)
    assert "concept.yaml" in str(error.value)


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(SimInputError, match="no parameter files"):
        load_law(tmp_path / "nowhere")


def test_tax_uses_the_same_prisbasbelopp_as_everything_else():
    """inkomstskatt.yaml states the prisbasbelopp again for its formulas; they must agree."""
    law = default_law()
    for year in (2024, 2025, 2026):
        params = law.resolve(dt.date(year, 6, 1))
        assert params.inkomstskatt.prisbasbelopp == params.prisbasbelopp.prisbasbelopp, year


@pytest.mark.parametrize(
    "bounds",
    [[0, 7, 11, 16], [1, 2, 3, 4, 5, 6, 7], [1, 2, 5], [0.0, 6.5, 19.0], [-3.0, 0.0, 4.0]],
)
def test_lookup_of_whole_numbers_is_the_bracket_lookup(bounds):
    # Integer arrays take the per-number table (np.take, clip); it must give what the
    # bracket of each value gives, below, inside and above the bounds.
    table = Table(
        "bound", {"bound": bounds, "amount": [10.0 * (i + 1) for i in range(len(bounds))]}
    )
    x = np.random.default_rng(1).integers(-5, 40, 5_000)
    assert np.array_equal(table.lookup("amount", x), table.at("amount", table.bracket(x)))
    assert np.array_equal(table.lookup("amount", x), table.lookup("amount", x.astype(float) + 0.0))


def _folder(tmp_path, name):
    (tmp_path / name).mkdir()
    return tmp_path / name


def test_the_digest_counts_the_swedish_reference_but_not_a_plain_one_twice(tmp_path):
    """A plain reference hashes as before references could be bilingual; a Swedish text
    that differs from the English one is part of the digest."""
    import hashlib
    import json

    plain = load_law(write(_folder(tmp_path, "plain"), GOOD))
    old_style = {
        parameter.path: [
            [
                entry.start.isoformat(),
                entry.value.to_plain() if isinstance(entry.value, Table) else entry.value,
                entry.reference,
                entry.url,
                entry.evidence,
            ]
            for entry in parameter.values
        ]
        for parameter in plain
    }
    assert (
        plain.digest() == hashlib.sha256(json.dumps(old_style, sort_keys=True).encode()).hexdigest()
    )
    same = GOOD.replace(
        "reference: SFS 2000:1 1 §", "reference: {sv: SFS 2000:1 1 §, en: SFS 2000:1 1 §}"
    )
    assert load_law(write(_folder(tmp_path, "same"), same)).digest() == plain.digest()
    swedish = GOOD.replace(
        "reference: SFS 2000:1 1 §", "reference: {sv: SFS 2000:1 1 § (lydelse), en: SFS 2000:1 1 §}"
    )
    other = GOOD.replace(
        "reference: SFS 2000:1 1 §",
        "reference: {sv: SFS 2000:1 1 § (ny lydelse), en: SFS 2000:1 1 §}",
    )
    digests = {
        load_law(write(_folder(tmp_path, n), t)).digest()
        for n, t in [("sv", swedish), ("other", other)]
    }
    assert len(digests) == 2 and plain.digest() not in digests


def test_an_entry_built_in_code_has_its_texts_in_both_languages():
    entry = DatedValue(dt.date(2026, 1, 1), 1.0, "SFS 2000:1", "https://example.org", "law")
    assert entry.references == {"sv": "SFS 2000:1", "en": "SFS 2000:1"}
    assert entry.reference_text("sv") == "SFS 2000:1" and entry.note_text("en") == ""
    with pytest.raises(SimInputError, match="unknown language"):
        entry.reference_text("de")
