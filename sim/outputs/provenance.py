"""What a manifest records of how results were made: the code's revision, the run's date and
the SHA-256 of the result tables (checked by ``sim report --from``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from pathlib import Path

from sim.common.errors import SimInputError

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


def file_sha256(path: Path) -> str | None:
    """SHA-256 of the file at ``path``, or None when there is none."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


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
