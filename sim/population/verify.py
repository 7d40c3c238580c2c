"""A population folder checked before a run: its files, its schema, its weights.

``sim population`` writes a ``manifest.json`` with the SHA-256 of every file it wrote.
Before a run reads a folder, :func:`verify_files` recomputes them (a file altered, truncated
or replaced since is refused with one line naming it) and :func:`verify_schema` checks that
each table has the columns the engine reads, with their types (:data:`SCHEMA`, the
generator's own output; a test holds the two equal). :func:`verify_weights` refuses
weights that are NaN, infinite or negative. Each raises :class:`~sim.common.errors.SimInputError`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.common.errors import SimInputError

#: The tables of a population and their columns with their parquet (Arrow) types, as
#: :meth:`sim.population.tables.Population.write` writes them. ``household_months`` is
#: optional (a population without simulated months of FS).
SCHEMA: dict[str, dict[str, str]] = {
    "dwellings": {
        "dwelling_idx": "int64",
        "dwelling_type": "int8",
        "disadvantage": "int8",
        "stratum": "int16",
        "municipality_group": "int8",
        "design_weight": "double",
        "lan": "int8",
        "is_owner": "bool",
        "housing_cost_total": "double",
        "n_persons": "int64",
        "weight": "double",
    },
    "households": {
        "dwelling_idx": "int64",
        "unit_role": "int8",
        "is_cohabiting": "bool",
        "n_children": "int64",
        "n_persons": "int64",
        "housing_cost": "double",
        "hushallsel": "double",
        "hemforsakring": "double",
        "housing_limit_factor": "double",
        "municipality_group": "int8",
        "takeup_propensity": "double",
        "liquid_assets_sek": "double",
        "weight": "double",
    },
    "persons": {
        "household_idx": "int64",
        "dwelling_idx": "int64",
        "age": "int64",
        "birth_month": "int8",
        "is_female": "bool",
        "is_child": "bool",
        "is_born_abroad": "bool",
        "is_in_school": "bool",
        "has_preschool_lunch": "bool",
        "receives_underhallsstod": "bool",
        "is_akassa_member": "bool",
        "commute_sek_month": "double",
        "weight": "double",
    },
    "person_months": {
        "person_idx": "int64",
        "month": "int8",
        "state": "int8",
        "duration": "int16",
        "earnings_gross": "double",
        "benefit": "double",
        "other_tax_free": "double",
    },
    "household_months": {
        "household_idx": "int64",
        "month": "int8",
        "takes_up_fs": "bool",
        "fs_entitlement": "double",
        "forsorjningsstod": "double",
        "months_on_fs": "int16",
        "disposable_income": "double",
    },
}

OPTIONAL_TABLES = ("household_months",)


def verify_files(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Every file the manifest lists exists and has the SHA-256 recorded there, and every
    table of the population is listed."""
    files = manifest.get("files")
    if not isinstance(files, Mapping) or not files:
        raise SimInputError(
            f"{folder / 'manifest.json'}: no file hashes ('files'); write the population "
            "again with `sim population`"
        )
    for table in SCHEMA:
        name = f"{table}.parquet"
        if name not in files and (table not in OPTIONAL_TABLES or (folder / name).exists()):
            raise SimInputError(f"{folder / name}: not listed in the manifest's file hashes")
    for name, digest in sorted(files.items()):
        path = folder / str(name)
        if Path(str(name)).name != str(name):
            raise SimInputError(f"{folder / 'manifest.json'}: file name {name!r} is not a name")
        if not path.is_file():
            raise SimInputError(f"{path}: missing (listed in the manifest)")
        if _sha256(path) != digest:
            raise SimInputError(
                f"{path}: altered since the population was written "
                "(its SHA-256 differs from the manifest's)"
            )


def verify_schema(folder: Path) -> None:
    """Each table has the columns of :data:`SCHEMA` with their types (extra columns pass)."""
    import pyarrow.parquet as pq

    for table, columns in SCHEMA.items():
        path = folder / f"{table}.parquet"
        if table in OPTIONAL_TABLES and not path.exists():
            continue
        try:
            schema = pq.read_schema(path)
        except Exception as error:  # not a parquet file
            raise SimInputError(f"{path}: not a readable parquet file ({error})") from None
        found = {field.name: str(field.type) for field in schema}
        for column, kind in columns.items():
            if column not in found:
                raise SimInputError(f"{path}: column {column!r} is missing")
            if found[column] != kind:
                raise SimInputError(
                    f"{path}: column {column!r} is {found[column]}, expected {kind}"
                )


def verify_weights(folder: Path, weights: Mapping[str, np.ndarray]) -> None:
    """Weights (by table) are finite and not negative."""
    for table, values in weights.items():
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise SimInputError(
                f"{folder / f'{table}.parquet'}: {int(bad.sum())} weights are NaN, infinite "
                f"or negative (row {first}: {values[first]})"
            )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
