"""Tests of sim.population.calibration: exact small cases, infeasibility, properties."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.common.errors import SimInputError
from sim.population.calibration import (
    CalibrationResult,
    CategoricalMargin,
    Margin,
    calibrate,
)


def weighted_totals(weights: np.ndarray, margins: list) -> dict[str, float]:
    """Σ w_i x_i per margin id, computed independently of the module under test."""
    out = {}
    for margin in margins:
        if isinstance(margin, CategoricalMargin):
            for c, margin_id in enumerate(margin.margin_ids()):
                out[margin_id] = float(weights[np.asarray(margin.codes) == c].sum())
        else:
            out[margin.id] = float(weights @ np.asarray(margin.values, dtype=float))
    return out


def targets_of(margins: list) -> dict[str, float]:
    out = {}
    for margin in margins:
        if isinstance(margin, CategoricalMargin):
            out.update(zip(margin.margin_ids(), map(float, margin.targets), strict=True))
        else:
            out[margin.id] = float(margin.target)
    return out


def abs_base_totals(base: np.ndarray, margins: list) -> dict[str, float]:
    """Σ d_i |x_i| per margin: the scale of the relative error of a zero target."""
    return weighted_totals(base, [_abs(m) for m in margins])


def _abs(margin):
    if isinstance(margin, CategoricalMargin):
        return margin
    return Margin(margin.id, np.abs(margin.values), margin.target)


def assert_targets_met(result: CalibrationResult, base, margins, tol: float) -> None:
    achieved = weighted_totals(result.weights, margins)
    scales = abs_base_totals(base, margins)
    for margin_id, target in targets_of(margins).items():
        scale = abs(target) if target != 0 else (scales[margin_id] or 1.0)
        assert abs(achieved[margin_id] - target) <= tol * scale, margin_id


# ---------------------------------------------------------------------------------------
# Hand-checkable cases
# ---------------------------------------------------------------------------------------


def test_raking_2x2_equal_base_weights_gives_the_independence_table():
    # Raking with equal base weights: w_rc = row_r * col_c / N (N = 10).
    rows = CategoricalMargin("row", np.array([0, 0, 1, 1]), [4.0, 6.0])
    cols = CategoricalMargin("col", np.array([0, 1, 0, 1]), [3.0, 7.0])
    result = calibrate(np.ones(4), [rows, cols], bounds=None, tol=1e-12)
    np.testing.assert_allclose(result.weights, [1.2, 2.8, 1.8, 4.2], rtol=1e-11)
    assert result.converged


def test_raking_2x2_keeps_the_cross_product_ratio_of_the_base_weights():
    # Raking multiplies weights by a row factor times a column factor, so the odds ratio
    # w11 w22 / (w12 w21) equals that of the base weights: here 1*4/(2*3) = 2/3.
    base = np.array([1.0, 2.0, 3.0, 4.0])
    rows = CategoricalMargin("row", np.array([0, 0, 1, 1]), [5.0, 5.0])
    cols = CategoricalMargin("col", np.array([0, 1, 0, 1]), [4.0, 6.0])
    w = calibrate(base, [rows, cols], bounds=None, tol=1e-12).weights
    assert w[0] * w[3] / (w[1] * w[2]) == pytest.approx(2.0 / 3.0, rel=1e-10)
    np.testing.assert_allclose([w[0] + w[1], w[2] + w[3]], [5.0, 5.0], rtol=1e-12)
    np.testing.assert_allclose([w[0] + w[2], w[1] + w[3]], [4.0, 6.0], rtol=1e-12)


@pytest.mark.parametrize("bounds", [None, (0.2, 5.0), (0.5, 1.5)])
def test_post_stratification_scales_each_cell_whatever_the_distance(bounds):
    # One categorical margin: every record of a cell gets the same ratio T_c / N_c.
    base = np.array([1.0, 3.0, 2.0, 2.0, 4.0])
    cell = CategoricalMargin("cell", np.array([0, 0, 1, 1, 1]), [5.0, 9.6])
    result = calibrate(base, [cell], bounds=bounds, tol=1e-12)
    np.testing.assert_allclose(result.weights, base * [1.25, 1.25, 1.2, 1.2, 1.2], rtol=1e-11)
    assert result.weight_ratio_min == pytest.approx(1.2)
    assert result.weight_ratio_max == pytest.approx(1.25)


def test_logit_weights_have_the_deville_sarndal_form():
    # w_i = d_i F(x_i' lambda) with F(u) = L + (U-L) expit(A u + c): the transformed ratio
    # (logit((r - L) / (U - L)) - c) / A must be exactly linear in x_i (no intercept).
    low, up = 0.4, 2.5
    base = np.array([1.0, 2.0, 1.5, 0.5, 3.0, 1.0])
    x1 = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    x2 = np.array([2.0, 5.0, 1.0, 4.0, 0.0, 3.0])
    margins = [Margin("a", x1, 7.0), Margin("b", x2, 35.0)]
    result = calibrate(base, margins, bounds=(low, up), tol=1e-12)
    ratio = result.weights / base
    a = (up - low) / ((1 - low) * (up - 1))
    c = math.log((1 - low) / (up - 1))
    u = (np.log((ratio - low) / (up - ratio)) - c) / a
    design = np.column_stack([x1, x2])
    lam, *_ = np.linalg.lstsq(design, u, rcond=None)
    np.testing.assert_allclose(design @ lam, u, atol=1e-9)
    assert_targets_met(result, base, margins, 1e-12)
    assert np.all((ratio > low) & (ratio < up))


def test_targets_equal_to_base_totals_leave_the_weights_unchanged():
    base = np.array([2.0, 1.0, 4.0, 3.0])
    margins = [
        CategoricalMargin("g", np.array([0, 1, 1, 0]), [5.0, 5.0]),
        Margin("amount", np.array([1.0, 2.0, 0.5, 0.0]), 6.0),
    ]
    result = calibrate(base, margins)
    assert result.iterations == 0
    np.testing.assert_array_equal(result.weights, base)
    assert result.design_effect == pytest.approx(4 * 30.0 / 100.0)


def test_report_follows_the_order_given_with_categories_expanded_in_place():
    base = np.ones(4)
    margins = [
        Margin("total", np.ones(4), 8.0, source="SCB"),
        CategoricalMargin("sex", np.array([0, 1, 0, 1]), [4.0, 4.0], labels=["k", "m"]),
        Margin("income", np.array([1.0, 2.0, 3.0, 4.0]), 20.0),
    ]
    result = calibrate(base, margins)
    assert [row.id for row in result.margins] == ["total", "sex:k", "sex:m", "income"]
    assert list(result.achieved) == ["total", "sex:k", "sex:m", "income"]
    assert result.margins[0].source == "SCB"
    assert result.margins[0].target == 8.0
    assert result.achieved["income"] == pytest.approx(20.0, rel=1e-6)
    assert result.max_relative_error == max(row.relative_error for row in result.margins)


def test_top1_share_and_design_effect_on_a_known_case():
    base = np.concatenate([np.full(99, 1.0), [10.0]])
    result = calibrate(base, [Margin("n", np.ones(100), 109.0)])
    # ceil(100 / 100) = 1 record: the one with weight 10 of a total of 109.
    assert result.top1_share == pytest.approx(10.0 / 109.0)
    assert result.design_effect == pytest.approx(100 * (99 + 100) / 109.0**2)


# ---------------------------------------------------------------------------------------
# Subpopulations, zero weights, collinearity, storage paths
# ---------------------------------------------------------------------------------------


def test_code_minus_one_is_outside_every_category():
    base = np.ones(6)
    recipients_by_type = CategoricalMargin("fs_type", np.array([0, 1, -1, -1, 0, -1]), [3.0, 2.0])
    everyone = Margin("households", np.ones(6), 8.0)
    margins = [recipients_by_type, everyone]
    result = calibrate(base, margins, tol=1e-10)
    assert_targets_met(result, base, margins, 1e-10)
    # The three non-recipients share the remaining 3 equally.
    np.testing.assert_allclose(result.weights[[2, 3, 5]], [1.0, 1.0, 1.0], rtol=1e-9)


def test_zero_base_weights_stay_zero():
    base = np.array([0.0, 1.0, 2.0, 0.0, 1.0, 3.0])
    margins = [
        CategoricalMargin("g", np.array([0, 0, 1, 1, 0, 1]), [2.5, 6.0]),
        Margin("x", np.array([5.0, 1.0, 2.0, 7.0, 3.0, 1.0]), 10.0),
    ]
    result = calibrate(base, margins, tol=1e-10)
    assert result.weights[0] == 0.0
    assert result.weights[3] == 0.0
    assert_targets_met(result, base, margins, 1e-10)


def test_duplicate_and_collinear_margins_do_not_crash():
    rng = np.random.default_rng(7)
    n = 300
    base = rng.uniform(0.5, 2.0, n)
    region = rng.integers(0, 4, n)
    kind = rng.integers(0, 3, n)
    true_w = base * rng.uniform(0.7, 1.4, n)
    region_t = np.bincount(region, weights=true_w, minlength=4)
    kind_t = np.bincount(kind, weights=true_w, minlength=3)
    margins = [
        # Both cover everyone: their indicator columns each sum to 1 (classic collinearity).
        CategoricalMargin("region", region, region_t),
        CategoricalMargin("kind", kind, kind_t),
        # The same counts again as a dense column, and a plain duplicate.
        Margin("region0_dense", (region == 0).astype(float), region_t[0]),
        Margin("total", np.ones(n), true_w.sum()),
        Margin("total_again", np.ones(n), true_w.sum()),
        # All zero with zero target: harmless.
        Margin("nobody", np.zeros(n), 0.0),
    ]
    result = calibrate(base, margins, tol=1e-9)
    assert result.converged
    assert_targets_met(result, base, margins, 1e-9)


def test_categorical_and_dense_storage_give_the_same_weights():
    rng = np.random.default_rng(3)
    n = 500
    base = rng.uniform(0.5, 3.0, n)
    codes = rng.integers(-1, 5, n)
    amount = rng.gamma(2.0, 1.0, n)
    true_w = base * rng.uniform(0.6, 1.7, n)
    inside = codes >= 0
    cell_t = np.bincount(codes[inside], weights=true_w[inside], minlength=5)
    as_categorical = [
        CategoricalMargin("cell", codes, cell_t),
        Margin("amount", amount, float(true_w @ amount)),
    ]
    as_dense = [
        *(Margin(f"cell:{c}", (codes == c).astype(float), cell_t[c]) for c in range(5)),
        Margin("amount", amount, float(true_w @ amount)),
    ]
    w_cat = calibrate(base, as_categorical, tol=1e-12).weights
    w_dense = calibrate(base, as_dense, tol=1e-12).weights
    np.testing.assert_allclose(w_cat, w_dense, rtol=1e-9)


def test_deterministic_bytes():
    rng = np.random.default_rng(11)
    n = 2000
    base = rng.uniform(0.5, 2.0, n)
    codes = rng.integers(0, 7, n)
    x = rng.normal(size=n)
    true_w = base * rng.uniform(0.5, 2.0, n)
    margins = [
        CategoricalMargin("c", codes, np.bincount(codes, weights=true_w)),
        Margin("x", x, float(true_w @ x)),
    ]
    first = calibrate(base, margins).weights
    second = calibrate(base.copy(), list(margins)).weights
    assert first.tobytes() == second.tobytes()


@pytest.mark.parametrize("n_dense", [1, 3])
def test_inputs_are_not_modified(n_dense):
    # One dense column is the case where a row chunk of the design is a view, not a copy.
    rng = np.random.default_rng(2)
    n = 100
    base = rng.uniform(0.5, 2.0, n)
    codes = rng.integers(0, 3, n)
    columns = [rng.uniform(0.0, 1.0, n) for _ in range(n_dense)]
    margins = [
        CategoricalMargin("c", codes, np.bincount(codes, minlength=3) * 1.2),
        *(Margin(f"x{j}", x, 1.1 * float(base @ x)) for j, x in enumerate(columns)),
    ]
    saved = [base.copy(), codes.copy(), *(x.copy() for x in columns)]
    calibrate(base, margins, bounds=(0.1, 10.0))
    for before, after in zip(saved, [base, codes, *columns], strict=True):
        np.testing.assert_array_equal(before, after)


# ---------------------------------------------------------------------------------------
# Infeasible targets are reported, never silent
# ---------------------------------------------------------------------------------------


def test_target_beyond_the_upper_bound_raises_naming_the_margin():
    base = np.ones(4)
    margins = [
        CategoricalMargin("g", np.array([0, 0, 1, 1]), [2.0, 10.5], labels=["a", "b"]),
    ]
    # Cell b has base total 2; with U = 5 it can reach at most 10.
    with pytest.raises(SimInputError, match=r"'g:b' target 10\.5 outside reachable \[0\.4, 10\]"):
        calibrate(base, margins, bounds=(0.2, 5.0))
    # Wider bounds make it feasible.
    assert calibrate(base, margins, bounds=(0.2, 6.0)).converged


def test_all_zero_values_with_nonzero_target_raise_at_once():
    with pytest.raises(SimInputError, match="'empty'"):
        calibrate(np.ones(3), [Margin("empty", np.zeros(3), 1.0)])


def test_empty_cell_with_positive_target_raises():
    margin = CategoricalMargin("g", np.array([0, 0, 0]), [3.0, 1.0])
    with pytest.raises(SimInputError, match="'g:1'"):
        calibrate(np.ones(3), [margin], bounds=None)


def test_categorical_margins_covering_everyone_must_agree_on_the_total():
    margins = [
        CategoricalMargin("region", np.array([0, 1, 0, 1]), [2.0, 2.0]),
        CategoricalMargin("kind", np.array([0, 0, 1, 1]), [2.0, 2.5]),
    ]
    with pytest.raises(SimInputError, match="'region' and 'kind'.*4 and 4.5"):
        calibrate(np.ones(4), margins)


def _jointly_infeasible() -> tuple[np.ndarray, list[Margin]]:
    # Record 1 is in both margins: margin a wants records 0,1 near the upper bound, margin b
    # wants records 1,2 near the lower bound. Each alone is feasible, together they are not.
    base = np.ones(3)
    margins = [
        Margin("a", np.array([1.0, 1.0, 0.0]), 2 * 5.0 * 0.95),
        Margin("b", np.array([0.0, 1.0, 1.0]), 2 * 0.2 * 1.05),
    ]
    return base, margins


def test_jointly_infeasible_targets_raise_with_the_best_errors():
    base, margins = _jointly_infeasible()
    with pytest.raises(SimInputError, match=r"did not meet the targets.*'[ab]' off by"):
        calibrate(base, margins)


def test_inconsistent_duplicate_margins_raise():
    base = np.ones(5)
    margins = [Margin("x", np.ones(5), 6.0), Margin("x_again", np.ones(5), 6.5)]
    with pytest.raises(SimInputError, match="did not meet the targets"):
        calibrate(base, margins)


def test_require_converged_false_returns_the_best_iterate():
    base, margins = _jointly_infeasible()
    result = calibrate(base, margins, require_converged=False)
    assert not result.converged
    assert result.max_relative_error > 1e-6
    ratio = result.weights / base
    assert np.all((ratio >= 0.2) & (ratio <= 5.0))


def test_too_few_iterations_is_reported_as_not_converged():
    rng = np.random.default_rng(5)
    base = np.ones(50)
    codes = rng.integers(0, 3, 50)
    margin = Margin("x", rng.uniform(0, 1, 50), 0.0)
    margin = Margin("x", margin.values, float(1.6 * margin.values.sum()))
    cats = CategoricalMargin("c", codes, np.bincount(codes, minlength=3) * 1.5)
    result = calibrate(base, [cats, margin], max_iter=1, require_converged=False)
    assert not result.converged
    assert result.iterations == 1
    assert calibrate(base, [cats, margin]).converged


# ---------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "margins", "kwargs", "message"),
    [
        (np.array([1.0, -1.0]), [Margin("x", np.ones(2), 1.0)], {}, "non-negative"),
        (np.array([1.0, np.nan]), [Margin("x", np.ones(2), 1.0)], {}, "finite"),
        (np.ones(2), [], {}, "at least one margin"),
        (np.ones(2), [Margin("x", np.ones(3), 1.0)], {}, "shape"),
        (np.ones(2), [Margin("x", np.ones(2), 2.0)], {"bounds": (1.0, 2.0)}, "bounds"),
        (np.ones(2), [Margin("x", np.ones(2), 2.0)], {"bounds": (0.5, math.inf)}, "bounds"),
        (np.ones(2), [Margin("x", np.ones(2), 2.0)], {"tol": 0.0}, "tol"),
        (np.ones(2), [CategoricalMargin("c", np.array([0, 2]), [1.0, 1.0])], {}, "-1..1"),
        (np.ones(2), [CategoricalMargin("c", np.array([0.0, 1.0]), [1.0, 1.0])], {}, "integer"),
        (
            np.ones(2),
            [Margin("x", np.ones(2), 2.0), Margin("x", np.ones(2), 2.0)],
            {},
            "duplicate margin ids: x",
        ),
    ],
)
def test_bad_input_raises_sim_input_error(base, margins, kwargs, message):
    with pytest.raises(SimInputError, match=message):
        calibrate(base, margins, **kwargs)


# ---------------------------------------------------------------------------------------
# Property: feasible problems converge and meet their targets within the bounds
# ---------------------------------------------------------------------------------------


@st.composite
def feasible_problems(draw):
    """Targets are the totals under a random reweighting with ratio in [0.3, 3]."""
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(3, 200))
    n_categorical = draw(st.integers(0, 3))
    n_continuous = draw(st.integers(0 if n_categorical else 1, 3))
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.1, 10.0, n) * (rng.random(n) > 0.1)  # about 10 % zero weights
    base[0] = 1.0  # at least one positive weight
    true_weights = base * rng.uniform(0.3, 3.0, n)
    margins = []
    for v in range(n_categorical):
        n_cat = int(rng.integers(1, 8))
        codes = rng.integers(-1 if rng.random() < 0.5 else 0, n_cat, n)
        inside = codes >= 0
        targets = np.bincount(codes[inside], weights=true_weights[inside], minlength=n_cat)
        margins.append(CategoricalMargin(f"cat{v}", codes, targets))
    for j in range(n_continuous):
        values = rng.normal(rng.normal(0, 3), rng.uniform(0.1, 5.0), n)
        if rng.random() < 0.3:
            values = np.round(values)  # ties and exact zeros
        margins.append(Margin(f"x{j}", values, float(true_weights @ values)))
    return base, margins


@settings(max_examples=150, deadline=None)
@given(feasible_problems(), st.sampled_from([(0.2, 5.0), (0.1, 10.0), None]))
def test_feasible_problems_converge_within_bounds(problem, bounds):
    base, margins = problem
    result = calibrate(base, margins, bounds=bounds, tol=1e-8, max_iter=200)
    assert result.converged
    assert result.max_relative_error <= 1e-8
    assert_targets_met(result, base, margins, 1e-8)
    assert np.all(result.weights[base == 0] == 0)
    ratio = result.weights[base > 0] / base[base > 0]
    low, up = bounds if bounds is not None else (0.0, math.inf)
    assert np.all((ratio > low) & (ratio < up))


# ---------------------------------------------------------------------------------------
# Sparse dense columns and warm starts
# ---------------------------------------------------------------------------------------


def test_hessian_with_sparse_columns_equals_the_explicit_product():
    from sim.population.calibration import _build

    rng = np.random.default_rng(11)
    n = 4_000
    recipient = rng.random(n) < 0.05
    margins = [
        CategoricalMargin("region", rng.integers(0, 4, n), np.ones(4)),
        CategoricalMargin("fs_type", np.where(recipient, rng.integers(0, 3, n), -1), np.ones(3)),
        Margin("persons", rng.integers(1, 5, n).astype(float), 1.0),
        Margin("paid", np.where(recipient, rng.gamma(2.0, 5_000.0, n), 0.0), 1.0),
        Margin("months", np.where(recipient, rng.integers(1, 13, n), 0).astype(float), 1.0),
        Margin("income", rng.lognormal(10.0, 1.0, n), 1.0),
    ]
    design, *_ = _build(margins, n)
    assert design.sparse_columns.tolist() == [1, 2]  # paid, months
    explicit = np.column_stack(
        [margins[0].codes == c for c in range(4)]
        + [margins[1].codes == c for c in range(3)]
        + [m.values for m in margins[2:]]
    ).astype(float)
    h = rng.random(n)
    np.testing.assert_allclose(design.gram(h), explicit.T @ (h[:, None] * explicit), rtol=1e-12)


def test_warm_start_reaches_the_same_weights_in_fewer_iterations():
    rng = np.random.default_rng(5)
    n = 5_000
    base = rng.uniform(0.5, 2.0, n)
    codes = rng.integers(0, 5, n)
    amount = rng.gamma(2.0, 1.0, n)
    margins = [
        CategoricalMargin("c", codes, np.bincount(codes, weights=base * 1.1, minlength=5)),
        Margin("amount", amount, float(base @ amount) * 1.2),
    ]
    cold = calibrate(base, margins, tol=1e-10)
    nudged = [margins[0], Margin("amount", amount, float(base @ amount) * 1.21)]
    from_zero = calibrate(base, nudged, tol=1e-10)
    warm = calibrate(base, nudged, tol=1e-10, start=cold.multipliers)
    np.testing.assert_allclose(warm.weights, from_zero.weights, rtol=1e-8)
    assert warm.iterations < from_zero.iterations
    with pytest.raises(SimInputError, match="start"):
        calibrate(base, margins, start=np.zeros(2))


# ---------------------------------------------------------------------------------------
# Sparse dense columns and warm starts
# ---------------------------------------------------------------------------------------


def _sparse_problem() -> tuple[np.ndarray, list]:
    rng = np.random.default_rng(13)
    n = 4000
    base = rng.uniform(0.5, 2.0, n)
    is_recipient = rng.random(n) < 0.08
    months = np.where(is_recipient, rng.integers(1, 13, n), 0).astype(float)
    paid = months * rng.gamma(2.0, 4000.0, n)
    region = rng.integers(0, 5, n)
    income = rng.lognormal(10.0, 0.5, n)
    true_w = base * rng.uniform(0.6, 1.6, n)
    margins = [
        CategoricalMargin("region", region, np.bincount(region, weights=true_w, minlength=5)),
        Margin("recipients", is_recipient * 1.0, float(true_w @ is_recipient)),
        Margin("paid", paid, float(true_w @ paid)),
        Margin("months", months, float(true_w @ months)),
        Margin("income", income, float(true_w @ income)),
    ]
    return base, margins


def test_sparse_columns_give_the_same_weights_as_the_full_path(monkeypatch):
    module = importlib.import_module("sim.population.calibration")
    base, margins = _sparse_problem()
    sparse_path = calibrate(base, margins, tol=1e-12)
    monkeypatch.setattr(module, "_SPARSE_SHARE", -1.0)  # no column counts as sparse
    full_path = calibrate(base, margins, tol=1e-12)
    np.testing.assert_allclose(sparse_path.weights, full_path.weights, rtol=1e-9)
    assert_targets_met(sparse_path, base, margins, 1e-12)


def test_sparse_indicator_margin_equals_a_categorical_subpopulation():
    base, margins = _sparse_problem()
    indicator = margins[1]
    as_category = CategoricalMargin(
        "recipients", np.where(indicator.values > 0, 0, -1), [indicator.target]
    )
    w_margin = calibrate(base, margins, tol=1e-12).weights
    w_category = calibrate(base, [margins[0], as_category, *margins[2:]], tol=1e-12).weights
    np.testing.assert_allclose(w_margin, w_category, rtol=1e-9)


def test_multipliers_are_in_report_order_and_give_the_weights():
    # Raking: w_i = d_i exp(x_i' lambda), lambda listed in the order of result.margins.
    base = np.array([1.0, 2.0, 3.0, 4.0])
    amount = np.array([0.5, 1.0, 0.0, 2.0])
    margins = [
        Margin("amount", amount, 9.0),
        CategoricalMargin("row", np.array([0, 0, 1, 1]), [4.0, 7.0]),
    ]
    result = calibrate(base, margins, bounds=None, tol=1e-12)
    lam = dict(zip([row.id for row in result.margins], result.multipliers, strict=True))
    u = lam["amount"] * amount + np.array([lam["row:0"]] * 2 + [lam["row:1"]] * 2)
    np.testing.assert_allclose(result.weights, base * np.exp(u), rtol=1e-10)


def test_warm_start_from_the_solution_needs_no_iteration():
    base, margins = _sparse_problem()
    first = calibrate(base, margins, tol=1e-10)
    again = calibrate(base, margins, tol=1e-10, start=first.multipliers)
    assert first.iterations > 0
    assert again.iterations == 0
    np.testing.assert_allclose(again.weights, first.weights, rtol=1e-12)
    with pytest.raises(SimInputError, match="start must hold"):
        calibrate(base, margins, start=np.zeros(3))
