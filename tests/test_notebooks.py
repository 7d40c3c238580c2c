"""The notebooks in notebooks/ run from top to bottom (as scripts, cell after cell)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.py"))


def test_there_are_five_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.py",
        "02_reform_comparison.py",
        "03_write_your_own_reform.py",
        "04_kommunens_perspektiv.py",
        "05_lonar_det_sig_att_arbeta.py",
    ]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_jupytext_and_imports_only_sim(notebook):
    text = notebook.read_text()
    assert "format_name: percent" in text and "# %%" in text
    imports = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
    third_party = {"sim", "polars", "tempfile", "textwrap", "pathlib"}
    assert {line.split()[1].split(".")[0] for line in imports} <= third_party


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook, tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run(
        [sys.executable, str(notebook)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
        env=env,
    )
    assert run.returncode == 0, run.stderr[-3000:]
