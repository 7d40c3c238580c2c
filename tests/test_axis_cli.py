"""``sim household --axis ...`` and ``--ptr-at ...``: tables, files, charts, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import polars as pl
import pytest

from sim.cli import main

HOUSEHOLD = ["household", "--date", "2026-03", "--housing-cost", "5000"]


def run_main(args, capsys):
    try:
        main(args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_axis_prints_a_csv_table(capsys):
    code, out, err = run_main([*HOUSEHOLD, "--axis", "earnings=0:10000:5000"], capsys)
    assert code == 0, err
    frame = pl.read_csv(io.StringIO(out))
    assert frame["value"].to_list() == [0.0, 5000.0, 10000.0]
    # The same numbers as the doctest of sim.calculator.axes.household_axis.
    assert frame["forsorjningsstod"].round(2).to_list() == [10720.0, 6070.0, 1786.47]


def test_axis_writes_csv_json_and_chart(tmp_path, capsys):
    csv, chart = tmp_path / "axis.csv", tmp_path / "axis.png"
    args = [*HOUSEHOLD, "--scenario", "kombinerad", "--child-ages", "4,8"]
    code, out, err = run_main(
        [
            *args,
            "--axis",
            "earnings=0:20000:10000",
            "--axis-out",
            str(csv),
            "--axis-chart",
            str(chart),
        ],
        capsys,
    )
    assert code == 0, err
    assert f"wrote {csv} (6 rows)" in out and chart.stat().st_size > 10_000
    assert pl.read_csv(csv)["scenario"].unique(maintain_order=True).to_list() == [
        "baseline",
        "kombinerad",
    ]
    target = tmp_path / "axis.json"
    code, out, err = run_main(
        [*args, "--axis", "earnings=0:20000:10000", "--axis-out", str(target)], capsys
    )
    records = json.loads(target.read_text())
    assert len(records) == 6 and records[0]["ptr"] is None  # undefined at zero earnings
    # Not overwritten without --force; with it, it is.
    code, out, err = run_main(
        [*args, "--axis", "earnings=0:1:1", "--axis-out", str(target)], capsys
    )
    assert code == 2 and "use --force" in err and len(json.loads(target.read_text())) == 6
    code, out, err = run_main(
        [*args, "--axis", "earnings=0:1:1", "--axis-out", str(target), "--force"], capsys
    )
    assert code == 0 and len(json.loads(target.read_text())) == 4  # 2 points, 2 laws
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_ptr_at_prints_both_scenarios(capsys):
    code, out, err = run_main(
        [*HOUSEHOLD, "--date", "2027-09", "--scenario", "kombinerad", "--ptr-at", "25000"], capsys
    )
    assert code == 0, err
    assert "PTR" in out and "baseline" in out and "kombinerad" in out
    code, out, err = run_main([*HOUSEHOLD, "--ptr-at", "25000", "--json"], capsys)
    (row,) = json.loads(out)
    assert row["worker_gross_earnings"] == 25000.0
    assert (
        row["ptr"] == 1 - (row["disposable_income"] - row["disposable_income_out_of_work"]) / 25000
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--axis", "earnings=0:100"], "NAME=START:STOP:STEP"),
        (["--axis", "salary=0:100:10"], "unknown axis 'salary'"),
        (["--axis", "earnings=0:100:10", "--ptr-at", "100"], "not both"),
        (["--wage", "150"], "need --axis"),
        (["--axis", "hours=0:40:10"], "hourly wage"),
        (["--axis", "earnings=0:100:10", "--axis-out", "x.txt"], "must end in .csv or .json"),
        (["--axis", "earnings=0:100:10", "--axis-out", "/no/such/dir/x.csv"], "does not exist"),
        (["--axis", "earnings2=0:100:10"], "needs two adults"),
        (["--ptr-at", "100", "--emtr-step", "0"], "EMTR step"),
    ],
)
def test_bad_axis_input_is_one_line_and_exit_2(extra, message, capsys):
    code, out, err = run_main([*HOUSEHOLD, *extra], capsys)
    assert code == 2
    assert message in err and err.count("\n") == 1 and err.startswith("sim: error:")


def test_bad_axis_in_a_real_process_has_no_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "sim", *HOUSEHOLD, "--axis", "earnings=0:-5:1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("sim: error:") and "Traceback" not in run.stderr


def test_written_files_have_the_users_permissions(tmp_path, capsys):
    import os

    target = tmp_path / "axis.csv"
    code, _, err = run_main(
        [*HOUSEHOLD, "--axis", "earnings=0:1:1", "--axis-out", str(target)], capsys
    )
    assert code == 0, err
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
