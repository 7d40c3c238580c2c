"""What a manifest records of how results were made: the code's revision, the run's date, the
SHA-256 of the assumption files and of the result tables, and the check of those tables that
``sim report --from`` makes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.common.errors import SimInputError
from sim.law.assumptions import assumptions_dir

#: The tables of an output folder whose SHA-256 the manifest records (``results_sha256``).
RESULT_FILES = (
    "results.parquet",
    "results.csv",
    "results.xlsx",
    "results_excel.csv",
    "differences.parquet",
    "differences.csv",
)


def results_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of each result table present in ``folder`` (for the manifest)."""
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in RESULT_FILES
        if (folder / name).is_file()
    }


def check_results_digest(folder: str | Path, manifest: Mapping[str, Any]) -> None:
    """The result tables of ``folder`` are the bytes its manifest recorded (``results_sha256``,
    written by ``sim run`` and ``sim sweep``), or one clear error. A folder written before
    the digests were recorded has none to check against and passes."""
    recorded = manifest.get("results_sha256")
    if recorded is None:
        return
    if not isinstance(recorded, dict):
        raise SimInputError(f"{Path(folder) / 'manifest.json'}: results_sha256 is not a mapping")
    for name, digest in sorted(recorded.items()):
        path = Path(folder) / str(name)
        if not path.is_file():
            raise SimInputError(f"{path}: missing, but listed in the manifest")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise SimInputError(
                f"{path}: altered since the run (its SHA-256 differs from the manifest's)"
            )


def file_sha256(path: Path) -> str | None:
    """SHA-256 of the file at ``path``, or None when there is none."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def assumptions_digest() -> str:
    """SHA-256 over the packaged assumption files (name and bytes), for manifests."""
    digest = hashlib.sha256()
    for path in sorted(assumptions_dir().glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_date() -> dt.date:
    """The date of the run for ``manifest.json`` (the one value that varies between two
    identical runs): today, or the date of ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention) so that a rerun can reproduce even the manifest."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise SimInputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from None
    return dt.date.today()


def git_revision() -> str | None:
    """The checked-out commit of the code, or None outside a git checkout."""
    try:
        run = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    return run.stdout.strip() or None
