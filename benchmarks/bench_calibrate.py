"""Benchmark of :func:`sim.population.calibration.calibrate` on a synthetic household file.

Builds a population of ``n`` households shaped like the one the model calibrates: about 3 %
recipients of försörjningsstöd, oversampled (so recipients carry small base weights),
categorical margins of several variables with many cells (region, household type, age of
head, ...), margins of recipients only (household type, months of receipt; code -1 for
non-recipients) and continuous totals (total paid, months of receipt, disposable income,
persons below a poverty line). Targets are the totals under a known bounded reweighting
(a smooth effect of the variables times noise, ratio within [0.5, 2]), so the problem is
feasible within the default bounds (0.2, 5).

Run one case (prints one JSON line)::

    .venv/bin/python benchmarks/bench_calibrate.py --n 1000000 --margins large
    .venv/bin/python benchmarks/bench_calibrate.py --n 100000 --margins small
    .venv/bin/python benchmarks/bench_calibrate.py --n 100000 --margins small --dense

or every case, each in its own process so that peak RSS is per case::

    .venv/bin/python benchmarks/bench_calibrate.py --all

``--peer ipfn`` / ``--peer samplics`` compares with a peer raking library on a
categorical-only case (4 variables × 8 cells = 32 margins, unbounded raking, since
iterative proportional fitting handles neither bounds nor continuous totals). The peers are
not dependencies of ``sim``: install them in a separate environment to run this, e.g.
``python -m venv /tmp/peer && /tmp/peer/bin/pip install scipy pandas ipfn samplics`` and
``PYTHONPATH=. /tmp/peer/bin/python benchmarks/bench_calibrate.py --peer ipfn``.

``--dense`` passes every category as its own dense :class:`Margin` (the naive design
matrix) instead of a :class:`CategoricalMargin`, to measure what the bincount path saves.
``--bounds none`` uses unbounded raking instead of logit bounds.

Printed: ``seconds`` is the fastest of ``--repeat`` calls of :func:`calibrate` (default 3;
``seconds_all`` lists them), timing the whole call including input checks and copies, not
building the synthetic case; ``peak_rss_mb`` is the process's peak resident memory
(``resource.getrusage``), which includes the synthetic case itself.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from sim.population.calibration import CategoricalMargin, Margin, calibrate

T = TypeVar("T")

#: (name, number of categories) of the categorical variables of all households.
LARGE_VARIABLES = [
    ("region", 21),
    ("municipality_group", 9),
    ("hh_type", 8),
    ("head_age_band", 12),
    ("hh_size", 6),
    ("income_decile", 10),
    ("tenure", 3),
    ("head_birth_region", 4),
    ("head_education", 4),
]
#: Variables defined for recipients only (code -1 otherwise).
LARGE_RECIPIENT_VARIABLES = [("fs_hh_type", 6), ("fs_months", 12)]
SMALL_VARIABLES = [("region", 8), ("hh_type", 8), ("head_age_band", 8)]
SMALL_RECIPIENT_VARIABLES = [("fs_months", 6)]
RECIPIENT_SHARE = 0.03
OVERSAMPLING = 8.0  # recipients are this many times as likely to be sampled


def build_case(
    n: int, size: str, dense: bool, seed: int = 20240101
) -> tuple[np.ndarray, list[Margin | CategoricalMargin]]:
    """Base weights and margins of one synthetic case (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    variables = LARGE_VARIABLES if size == "large" else SMALL_VARIABLES
    recipient_variables = (
        LARGE_RECIPIENT_VARIABLES if size == "large" else SMALL_RECIPIENT_VARIABLES
    )

    sample_share = RECIPIENT_SHARE * OVERSAMPLING
    is_recipient = rng.random(n) < sample_share / (sample_share + 1 - RECIPIENT_SHARE)
    population = 4_800_000  # households
    base = np.where(is_recipient, 1.0 / OVERSAMPLING, 1.0)
    base *= population / base.sum() * (1.0 + 0.3 * rng.standard_normal(n)).clip(0.3, None)

    codes: dict[str, np.ndarray] = {}
    effect = np.zeros(n)  # log of the "true" weight ratio
    for name, n_cat in variables:
        p = rng.dirichlet(np.full(n_cat, 2.0))  # uneven cell sizes
        codes[name] = rng.choice(n_cat, size=n, p=p)
        effect += rng.normal(0.0, 0.15, n_cat)[codes[name]]
    for name, n_cat in recipient_variables:
        p = rng.dirichlet(np.full(n_cat, 2.0))
        codes[name] = np.where(is_recipient, rng.choice(n_cat, size=n, p=p), -1)
        effect += np.where(is_recipient, rng.normal(0.0, 0.15, n_cat)[codes[name]], 0.0)

    months = np.where(is_recipient, rng.integers(1, 13, n), 0).astype(np.float64)
    fs_paid = np.where(is_recipient, rng.gamma(2.0, 4_000.0, n) * months, 0.0)
    income = rng.lognormal(12.5, 0.6, n)
    below_poverty = (income < np.quantile(income, 0.15)).astype(np.float64)
    continuous = {"fs_paid_sek": fs_paid, "fs_months": months}
    if size == "large":
        continuous |= {
            "disposable_income_sek": income,
            "n_below_poverty_line": below_poverty,
            "fs_long_term": (months >= 10).astype(np.float64),
        }
    true_ratio = np.exp(effect - effect.mean() + 0.1 * rng.standard_normal(n)).clip(0.5, 2.0)
    true_weights = base * true_ratio

    margins: list[Margin | CategoricalMargin] = []
    for name, n_cat in variables + recipient_variables:
        code = codes[name]
        inside = code >= 0
        targets = np.bincount(code[inside], weights=true_weights[inside], minlength=n_cat)
        if dense:
            margins.extend(
                Margin(f"{name}:{c}", (code == c).astype(np.float64), float(targets[c]))
                for c in range(n_cat)
            )
        else:
            margins.append(CategoricalMargin(name, code, targets, source="synthetic"))
    for name, values in continuous.items():
        margins.append(Margin(name, values, float(true_weights @ values), source="synthetic"))
    return base, margins


def timed(function: Callable[[], T], repeat: int) -> tuple[T, list[float]]:
    """Call ``function()`` ``repeat`` times; its (deterministic) result and every duration."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        seconds.append(round(time.perf_counter() - start, 4))
    return result, seconds


def run_case(n: int, size: str, dense: bool, bounds: str, repeat: int) -> dict[str, object]:
    """Build one case, time :func:`calibrate` on it, and return the measurements."""
    base, margins = build_case(n, size, dense)
    k = sum(len(m.targets) if isinstance(m, CategoricalMargin) else 1 for m in margins)
    bounds_arg = None if bounds == "none" else (0.2, 5.0)
    result, seconds = timed(lambda: calibrate(base, margins, bounds=bounds_arg, tol=1e-6), repeat)
    return {
        "n": n,
        "k": k,
        "margins": size,
        "storage": "dense" if dense else "categorical",
        "bounds": bounds,
        "seconds": min(seconds),
        "seconds_all": seconds,
        "iterations": result.iterations,
        "converged": result.converged,
        "max_relative_error": result.max_relative_error,
        "design_effect": round(result.design_effect, 4),
        "weight_ratio_min": round(result.weight_ratio_min, 4),
        "weight_ratio_max": round(result.weight_ratio_max, 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def build_peer_case(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Base weights, codes (n × 4, 8 cells each) and targets of the peer comparison."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.5, 2.0, n)
    codes = np.column_stack([rng.choice(8, n, p=rng.dirichlet(np.full(8, 2.0))) for _ in range(4)])
    effect = sum(rng.normal(0.0, 0.15, 8)[codes[:, v]] for v in range(4))
    true_weights = base * np.exp(effect + 0.1 * rng.standard_normal(n)).clip(0.5, 2.0)
    targets = [np.bincount(codes[:, v], weights=true_weights, minlength=8) for v in range(4)]
    return base, codes, targets


def max_relative_error(weights: np.ndarray, codes: np.ndarray, targets: list[np.ndarray]) -> float:
    """Largest |achieved - target| / target over the 32 cells."""
    return max(
        float(np.max(np.abs(np.bincount(codes[:, v], weights=weights, minlength=8) / t - 1)))
        for v, t in enumerate(targets)
    )


def run_peer(n: int, peer: str, repeat: int) -> list[dict[str, object]]:
    """Time sim's raking and one peer library on the same categorical-only case."""
    base, codes, targets = build_peer_case(n)
    rows = []
    margins = [CategoricalMargin(f"v{v}", codes[:, v], targets[v]) for v in range(4)]
    result, seconds = timed(lambda: calibrate(base, margins, bounds=None, tol=1e-6), repeat)
    rows.append(("sim.calibrate (raking, Newton)", seconds, result.weights, result.iterations))
    if peer == "ipfn":
        import pandas as pd
        from ipfn import ipfn

        frame = pd.DataFrame({f"v{v}": codes[:, v] for v in range(4)} | {"total": base})
        aggregates = [
            pd.Series(t, index=pd.Index(range(8), name=f"v{v}")) for v, t in enumerate(targets)
        ]
        fitted, seconds = timed(
            lambda: ipfn.ipfn(
                frame.copy(),
                aggregates,
                [[f"v{v}"] for v in range(4)],
                weight_col="total",
                convergence_rate=1e-7,
                max_iteration=1000,
            ).iteration(),
            repeat,
        )
        weights = (
            fitted.sort_index()["total"].to_numpy() if isinstance(fitted, pd.DataFrame) else None
        )
        rows.append(("ipfn (IPF, pandas)", seconds, weights, None))
    elif peer == "samplics":
        from samplics.weighting import SampleWeight

        weights, seconds = timed(
            lambda: SampleWeight().rake(
                samp_weight=base,
                margins={f"v{v}": codes[:, v] for v in range(4)},
                control={f"v{v}": dict(enumerate(t)) for v, t in enumerate(targets)},
                tol=1e-6,
                max_iter=1000,
            ),
            repeat,
        )
        rows.append(("samplics SampleWeight.rake (IPF)", seconds, np.asarray(weights), None))
    return [
        {
            "n": n,
            "k": 32,
            "method": name,
            "seconds": min(seconds),
            "seconds_all": seconds,
            "iterations": iterations,
            "max_relative_error": max_relative_error(weights, codes, targets),
        }
        for name, seconds, weights, iterations in rows
    ]


ALL_CASES = [
    ["--n", "100000", "--margins", "small"],
    ["--n", "100000", "--margins", "small", "--bounds", "none"],
    ["--n", "100000", "--margins", "small", "--dense"],
    ["--n", "100000", "--margins", "large"],
    ["--n", "1000000", "--margins", "large"],
    ["--n", "1000000", "--margins", "large", "--bounds", "none"],
    ["--n", "1000000", "--margins", "large", "--dense"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--margins", choices=["small", "large"], default="large")
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("--bounds", choices=["logit", "none"], default="logit")
    parser.add_argument("--all", action="store_true", help="run every case, one process each")
    parser.add_argument("--peer", choices=["ipfn", "samplics"], help="compare with a peer")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; min is reported")
    args = parser.parse_args()
    if args.peer:
        for row in run_peer(args.n if args.n != 1_000_000 else 100_000, args.peer, args.repeat):
            print(json.dumps(row), flush=True)
        return
    if args.all:
        for case in ALL_CASES:
            subprocess.run([sys.executable, __file__, *case], check=True)
        return
    print(
        json.dumps(run_case(args.n, args.margins, args.dense, args.bounds, args.repeat)), flush=True
    )


if __name__ == "__main__":
    main()
