"""Fingerprint the model's outputs bit for bit, to show that a refactoring changed no number.

    python tests/golden/fingerprint.py --out before.json        # on the old code
    python tests/golden/fingerprint.py --compare before.json    # on the new code: exit 1 on a difference

What it hashes (SHA-256 of dtype, shape and bytes, so NaN and -0.0 count):

* ``month_results``: every field of every :class:`MonthResult` the engine builds during the
  four main scenarios for 2027 on the committed population (the year loop, with take-up,
  the aktivitetskrav's sanctions and the behaviour), gathered by field over all results
  in the order they are made; the number of results is recorded too;
* ``random_households``: every field of the engine's result for 20 000 random households
  (:func:`random_month`, seed 0) under each main scenario's law of June 2027, so that
  households the calibrated population lacks are covered;
* ``results_table``: the results table of that run (every metric, group and band), as CSV;
* ``examples``: the worked household examples (``sim examples``), as text and as its
  numbers only (the text names the files the law is read from);
* ``population``: each file of the committed population regenerated from its seed
  (``--skip-population`` leaves this out; it takes about a minute).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import importlib
import io
import json
import re
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

SCENARIOS = ("baseline", "bidragstak", "aktivitetskrav", "kombinerad")
COMMITTED = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "population-2024"


def _name(name: str, *modules: str):
    """``name`` from the first of ``modules`` that exists, so that the same script
    fingerprints the code before and after its modules moved (issue 22)."""
    for module in modules:
        try:
            return getattr(importlib.import_module(module), name)
        except ModuleNotFoundError:
            continue
    raise ImportError(f"{name} in none of {modules}")


def _array_digest(values: np.ndarray) -> bytes:
    values = np.ascontiguousarray(values)
    head = f"{values.dtype.str}{values.shape}".encode()
    return hashlib.sha256(head + values.view(np.uint8).tobytes()).digest()


class _FieldHashes:
    """Per field, a running hash over the arrays of every result, in order."""

    def __init__(self) -> None:
        self.hashes: dict[str, hashlib._Hash] = {}
        self.count = 0

    def add(self, result) -> None:
        self.count += 1
        for field in dataclasses.fields(result):
            self.hashes.setdefault(field.name, hashlib.sha256()).update(
                _array_digest(np.asarray(getattr(result, field.name)))
            )

    def digests(self) -> dict[str, str]:
        out = {name: h.hexdigest() for name, h in sorted(self.hashes.items())}
        out["number of results"] = str(self.count)
        return out


def month_results_and_table() -> tuple[dict[str, str], dict[str, str]]:
    MonthResult = _name("MonthResult", "sim.engine.pipeline", "sim.engine.pipeline")
    read_population = _name("read_population", "sim.runs", "sim.run")
    run_scenarios = _name("run_scenarios", "sim.runs", "sim.run")

    seen = _FieldHashes()
    original_init = MonthResult.__init__

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        seen.add(self)

    MonthResult.__init__ = recording_init
    try:
        population, seed = read_population(None)
        result = run_scenarios(SCENARIOS, year=2027, population=population, seed=seed)
    finally:
        MonthResult.__init__ = original_init
    table = result.table()
    csv = table.write_csv(float_precision=None)
    return seen.digests(), {"results table": hashlib.sha256(csv.encode()).hexdigest()}


def random_households() -> dict[str, str]:
    compute = _name("compute", "sim.engine.pipeline", "sim.engine.pipeline")
    random_month = _name("random_month", "sim.engine.random_inputs", "sim.engine.random_inputs")
    load_scenario = _name("load_scenario", "sim.scenarios.scenario", "sim.scenarios.scenario")

    persons, households = random_month(20_000, rng=np.random.default_rng(0))
    out = {}
    for name in SCENARIOS:
        params = load_scenario(name).law(2027).resolve(dt.date(2027, 6, 1))
        fields = _FieldHashes()
        fields.add(compute(persons, households, params))
        out.update({f"{name}.{k}": v for k, v in fields.digests().items()})
    return out


def examples() -> dict[str, str]:
    from sim.cli import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        try:
            main(["examples"])
        except SystemExit as stop:
            if stop.code not in (0, None):
                raise
    text = buffer.getvalue()
    numbers = " ".join(re.findall(r"[-−+]?\d[\d  ,.]*", text))
    return {
        "sim examples": hashlib.sha256(text.encode()).hexdigest(),
        "sim examples, numbers only": hashlib.sha256(numbers.encode()).hexdigest(),
    }


def population() -> dict[str, str]:
    from sim.population.build import build_population

    manifest = json.loads((COMMITTED / "manifest.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        built = build_population(
            year=manifest["year"],
            n_households=manifest["n_households_sampled"],
            seed=manifest["seed"],
            out_dir=Path(tmp) / "population",
        )
        out = {}
        for path in sorted(built.out_dir.iterdir()):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            committed = COMMITTED / path.name
            same = committed.exists() and hashlib.sha256(committed.read_bytes()).hexdigest()
            out[path.name] = digest + (
                "" if same == digest else " (differs from the committed file)"
            )
    return out


def fingerprint(*, with_population: bool) -> dict[str, dict[str, str]]:
    month_results, table = month_results_and_table()
    parts = {
        "month_results": month_results,
        "results_table": table,
        "random_households": random_households(),
        "examples": examples(),
    }
    if with_population:
        parts["population"] = population()
    return parts


def compare(got: dict, want: dict) -> list[str]:
    differences = []
    for part in sorted(set(got) | set(want)):
        a, b = got.get(part), want.get(part)
        if a is None or b is None:
            differences.append(
                f"{part}: only in {'the old' if a is None else 'the new'} fingerprint"
            )
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                differences.append(f"{part}: {key}: {b.get(key)} -> {a.get(key)}")
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the fingerprint here")
    parser.add_argument("--compare", type=Path, help="compare with this earlier fingerprint")
    parser.add_argument("--skip-population", action="store_true")
    args = parser.parse_args(argv)
    got = fingerprint(with_population=not args.skip_population)
    if args.out:
        args.out.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    n = sum(len(v) for v in got.values())
    if args.compare:
        want = json.loads(args.compare.read_text())
        if args.skip_population:
            want.pop("population", None)
        differences = compare(got, want)
        for line in differences:
            print(line)
        if differences:
            print(f"{len(differences)} of {n} fingerprints differ")
            return 1
        print(f"all {n} fingerprints identical to {args.compare}")
    else:
        print(f"{n} fingerprints" + (f" written to {args.out}" if args.out else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
