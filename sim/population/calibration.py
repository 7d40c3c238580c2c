"""Calibration of survey weights to known totals (bounded raking / logit calibration).

Given base (design) weights :math:`d_i` and margins :math:`x_{ij}` with known totals
:math:`T_j`, find final weights :math:`w_i` close to :math:`d_i` such that

.. math:: \\sum_i w_i x_{ij} = T_j \\quad (j = 1..k), \\qquad L < w_i / d_i < U.

Method (the "logit" distance of Deville & Särndal 1992 and of Deville, Särndal & Sautory
1993, as in the CALMAR macro): the final weights are
:math:`w_i = d_i F(x_i^\\top \\lambda)` with the logit calibration function for bounds
:math:`L < 1 < U`

.. math:: F(u) = L + (U - L)\\,\\sigma(A u + c), \\quad
          A = \\frac{U - L}{(1 - L)(U - 1)}, \\quad c = \\log\\frac{1 - L}{U - 1},

(:math:`\\sigma` the logistic function; :math:`F(0) = 1`, :math:`F'(0) = 1`, and
:math:`L < F < U`). With ``bounds=None`` the calibration function is :math:`F(u) = e^u`,
i.e. classical raking (multiplicative weights, unbounded above; Deville, Särndal & Sautory
1993 "raking ratio"). R's ``survey::calibrate(..., calfun = "logit", bounds = c(L, U))``
and ``sampling::calib(..., method = "logit", bounds = c(L, U))`` use the same calibration
function, and the solution is unique, so they give the same weights.

The k Lagrange multipliers :math:`\\lambda` minimise the convex dual

.. math:: \\Phi(\\lambda) = \\sum_i d_i \\Psi(x_i^\\top \\lambda) - \\lambda^\\top T,
          \\qquad \\Psi(u) = \\int_0^u F(s)\\,ds,

whose gradient is :math:`X^\\top w - T` and whose Hessian is
:math:`X^\\top \\mathrm{diag}(d_i F'(x_i^\\top\\lambda)) X` (k × k). We take Newton steps
on :math:`\\lambda` (columns scaled so every margin's target is of order one), solve the
k × k system after Jacobi scaling by Cholesky with complete pivoting, stopped at the
numerical rank (pivots below 1e-12 dropped, so duplicate or collinear margins are harmless),
and backtrack (Armijo) on
:math:`\\Phi` when a full step does not decrease it enough. Close to the solution, where the
predicted decrease of :math:`\\Phi` is below its rounding error, a full step is taken if it
reduces the largest relative error. Iteration stops when every margin is met to ``tol``,
after ``max_iter`` steps, when no step decreases the objective, or after 10 steps without
a 0.1 % improvement of the largest relative error. No n × n matrix is ever formed.

Margins come in two kinds:

* :class:`Margin`: one column of arbitrary per-record values (an indicator, an amount such
  as försörjningsstöd paid, months of receipt). Stored densely (n × m float64); when the
  columns that are non-zero on at most 25 % of the records (amounts of recipients only)
  are together non-zero on at most 25 % of the records, their Hessian blocks are summed
  over those rows only.
* :class:`CategoricalMargin`: one integer code per record and one target per category
  (household counts by region, by household type, ...). Never expanded to indicator
  columns: the products :math:`X^\\top w` and the Hessian blocks are computed with
  ``np.bincount`` on the codes and on pairs of codes, so 1 000 000 records × 100 cells
  cost a few bincounts per iteration, not an n × 100 matrix.

Infeasibility is reported, never silent: a target outside the range the bounds allow for
its own margin, or categorical margins that each cover every record but whose targets have
different sums, raise :class:`~sim.common.errors.SimInputError` before iterating; a jointly
infeasible set (or one that does not converge in ``max_iter`` Newton steps) raises after
iterating, naming the worst margins and their best achieved relative error — unless
``require_converged=False``, in which case the best iterate is returned with
``converged=False``.

References:
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling.
    *Journal of the American Statistical Association* 87(418), 376-382.

    Deville, J.-C., Särndal, C.-E. & Sautory, O. (1993). Generalized raking procedures in
    survey sampling. *Journal of the American Statistical Association* 88(423), 1013-1020.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
from scipy.linalg import lapack, solve_triangular
from scipy.special import expit

from sim.common.errors import SimInputError

__all__ = [
    "CalibrationResult",
    "CategoricalMargin",
    "Margin",
    "MarginResult",
    "calibrate",
]

#: Pivots of the Jacobi-scaled k × k Hessian (unit diagonal) below this are treated as zero
#: in its pivoted Cholesky factorisation, which makes duplicate and collinear margins harmless.
_PIVOT_TOL = 1e-12
#: Armijo sufficient-decrease constant and the most step halvings tried per iteration.
_ARMIJO_C = 1e-4
_MAX_HALVINGS = 40
#: Relative rounding level of the dual objective: a predicted decrease smaller than this
#: times sum |terms| cannot be seen by the line search.
_PHI_ROUNDING = 1e3 * np.finfo(np.float64).eps
#: Stop early when the largest relative error has not fallen below ``_PROGRESS`` times
#: its best value for ``_PATIENCE`` consecutive Newton iterations (inconsistent targets).
_PROGRESS = 0.999
_PATIENCE = 10
#: A dense column with non-zero values in at most this share of the records is *sparse*;
#: Hessian blocks with sparse columns are summed over the rows where any is non-zero.
_SPARSE_SHARE = 0.25
#: Rows per chunk when forming the dense block of the Hessian (bounds temporary memory).
_CHUNK_ROWS = 1 << 16
#: At most this many margins are named in an error message.
_MAX_NAMED = 5


@dataclasses.dataclass(frozen=True, eq=False)
class Margin:
    """One calibration margin given as a column of per-record values.

    Attributes:
        id: name of the margin, e.g. ``"fs_paid"``.
        values: per-record contribution :math:`x_i` (indicator 0/1 or an amount), shape (n,).
        target: the weighted total :math:`\\sum_i w_i x_i` to reach.
        source: citation of the target, carried into the report.
    """

    id: str
    values: np.ndarray
    target: float
    source: str = ""


@dataclasses.dataclass(frozen=True, eq=False)
class CategoricalMargin:
    """Counts by category: one margin per category, computed with ``np.bincount``.

    Equivalent to one :class:`Margin` per category ``c`` with values ``codes == c`` and
    target ``targets[c]``, but cheaper in memory and time. Margin ids are ``f"{id}:{label}"``.

    Attributes:
        id: name of the categorical variable, e.g. ``"fs_hh_type"``.
        codes: integer category of each record, in ``0 .. len(targets) - 1``; ``-1`` means
            the record is in none of the categories (e.g. non-recipients in a margin of
            recipients by household type).
        targets: target weighted count of each category.
        labels: one label per category (default ``"0"``, ``"1"``, ...).
        source: citation of the targets, carried into the report.
    """

    id: str
    codes: np.ndarray
    targets: np.ndarray | Sequence[float]
    labels: Sequence[str] | None = None
    source: str = ""

    def margin_ids(self) -> list[str]:
        """The ids of the per-category margins, ``f"{id}:{label}"``."""
        n_categories = len(self.targets)
        labels = [str(c) for c in range(n_categories)] if self.labels is None else list(self.labels)
        return [f"{self.id}:{label}" for label in labels]


@dataclasses.dataclass(frozen=True)
class MarginResult:
    """One row of the calibration report.

    ``relative_error`` is ``|achieved - target| / scale`` with ``scale = |target|``, or,
    for a zero target, the base-weighted total of ``|x_i|`` (1 if that is zero too).
    """

    id: str
    target: float
    achieved: float
    relative_error: float
    source: str


@dataclasses.dataclass(frozen=True, eq=False)
class CalibrationResult:
    """Calibrated weights, the report of margins, and weight diagnostics.

    Attributes:
        weights: final weights, shape (n,), float64.
        converged: every margin is met to ``tol`` (relative, see :class:`MarginResult`).
        iterations: Newton iterations taken.
        max_relative_error: the largest relative error over the margins.
        achieved: margin id -> achieved weighted total.
        margins: the report, one :class:`MarginResult` per margin in the order given.
        design_effect: Kish's approximate design effect of the final weights,
            :math:`n \\sum w^2 / (\\sum w)^2` over the n records with positive base weight.
        weight_ratio_min: smallest final/base weight ratio (records with positive base weight).
        weight_ratio_max: largest final/base weight ratio (records with positive base weight).
        top1_share: share of the total final weight held by the ``ceil(n / 100)`` records
            with the largest final weights (records with positive base weight).
        multipliers: the Lagrange multipliers :math:`\\lambda` of the returned weights, one
            per margin in the order of :attr:`margins`; pass them as ``start`` to warm-start
            a calibration of similar margins.
    """

    weights: np.ndarray
    converged: bool
    iterations: int
    max_relative_error: float
    achieved: dict[str, float]
    margins: tuple[MarginResult, ...]
    design_effect: float
    weight_ratio_min: float
    weight_ratio_max: float
    top1_share: float
    multipliers: np.ndarray | None = None


# --------------------------------------------------------------------------------------
# O(n) products. Memory-bound, so BLAS threads gain little; on a busy machine (replications
# in parallel processes) OpenBLAS's thread hand-offs made a dot product of 1e5 numbers take
# 10 ms instead of 0.02 ms. einsum's own single-threaded loops avoid that; BLAS is kept for
# matrix products with many columns, where it wins.
# --------------------------------------------------------------------------------------

#: Up to this many dense columns, matrix-vector products use einsum rather than BLAS.
_EINSUM_MAX_COLUMNS = 16


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.einsum("i,i->", a, b))


def _matvec(matrix: np.ndarray, vec: np.ndarray) -> np.ndarray:
    if matrix.shape[1] <= _EINSUM_MAX_COLUMNS:
        return np.einsum("ij,j->i", matrix, vec)
    return matrix @ vec


def _vecmat(vec: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    if matrix.shape[1] <= _EINSUM_MAX_COLUMNS:
        return np.einsum("i,ij->j", vec, matrix)
    return vec @ matrix


# --------------------------------------------------------------------------------------
# Calibration functions F, F' and Psi = integral of F, for the logit and raking distances
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Distance:
    """The calibration function of one distance; ``lower``/``upper`` are the ratio bounds."""

    lower: float
    upper: float  # math.inf for raking

    @property
    def is_raking(self) -> bool:
        return math.isinf(self.upper)

    def _logit_constants(self) -> tuple[float, float]:
        low, up = self.lower, self.upper
        a = (up - low) / ((1.0 - low) * (up - 1.0))
        c = math.log((1.0 - low) / (up - 1.0))
        return a, c

    def ratio(self, u: np.ndarray) -> np.ndarray:
        """F(u): the final/base weight ratio."""
        if self.is_raking:
            return np.exp(u)
        a, c = self._logit_constants()
        return self.lower + (self.upper - self.lower) * expit(a * u + c)

    def ratio_slope(self, u: np.ndarray, ratio: np.ndarray) -> np.ndarray:
        """F'(u), given ``ratio = F(u)``."""
        if self.is_raking:
            return ratio
        a, _ = self._logit_constants()
        low, up = self.lower, self.upper
        # F = L + (U-L) s  =>  F' = (U-L) a s (1-s) = a (F-L)(U-F) / (U-L)
        return (a / (up - low)) * (ratio - low) * (up - ratio)

    def primitive_sum(self, u: np.ndarray, base_weights: np.ndarray) -> tuple[float, float]:
        """sum_i d_i Psi(u_i) with Psi(u) = int_0^u F(s) ds, and sum_i d_i |Psi(u_i)|.

        The second sum bounds the rounding error of the first. Stable for large ``|u|``.
        """
        if self.is_raking:
            with np.errstate(over="ignore"):
                psi = np.expm1(u)
        else:
            a, c = self._logit_constants()
            low, up = self.lower, self.upper
            softplus = np.logaddexp(0.0, a * u + c) - np.logaddexp(0.0, c)
            psi = low * u + ((up - low) / a) * softplus
        return _dot(base_weights, psi), _dot(base_weights, np.abs(psi))


# --------------------------------------------------------------------------------------
# The design: categorical blocks (bincount) + a dense block; products X'v, X'diag(h)X, X l
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Design:
    """The n × k design matrix, never materialised for the categorical part.

    Internal column order: the categories of each categorical variable in turn, then the
    dense columns. Categorical codes are stored shifted by one (``0`` = in no category), so
    every bincount has ``n_categories + 1`` slots and slot 0 is dropped.
    """

    names: list[str]  # one per categorical variable
    codes: list[np.ndarray]  # intp, shifted by one
    sizes: list[int]  # number of categories (without the "none" slot)
    dense: np.ndarray | None  # (n, m) float64, Fortran order, or None
    n_records: int
    # Sparse dense columns (most values zero, e.g. amounts of recipients only): the rows
    # where any of them is non-zero, and those rows of every dense column (C order), so the
    # Hessian blocks that involve them cost O(rows of the support), not O(n). Set below.
    sparse_columns: np.ndarray = dataclasses.field(init=False)
    full_columns: np.ndarray = dataclasses.field(init=False)
    support: np.ndarray | None = dataclasses.field(init=False)
    support_rows: np.ndarray | None = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        m = 0 if self.dense is None else self.dense.shape[1]
        self.sparse_columns = np.zeros(0, dtype=np.intp)
        self.full_columns = np.arange(m)
        self.support = None
        self.support_rows = None
        if m == 0:
            return
        nonzero = self.dense != 0.0
        sparse = nonzero.sum(axis=0) <= _SPARSE_SHARE * self.n_records
        if not np.any(sparse):
            return
        support = np.flatnonzero(nonzero[:, sparse].any(axis=1))
        if support.size > _SPARSE_SHARE * self.n_records:
            return
        self.sparse_columns = np.flatnonzero(sparse)
        self.full_columns = np.flatnonzero(~sparse)
        self.support = support
        self.support_rows = np.ascontiguousarray(self.dense[support])

    @property
    def n_categorical(self) -> int:
        return sum(self.sizes)

    @property
    def n_columns(self) -> int:
        m = 0 if self.dense is None else self.dense.shape[1]
        return self.n_categorical + m

    def _offsets(self) -> list[int]:
        return [0, *np.cumsum(self.sizes).tolist()]

    def times(self, multipliers: np.ndarray) -> np.ndarray:
        """X @ multipliers, shape (n,)."""
        offsets = self._offsets()
        u = np.zeros(self.n_records)
        for v, code in enumerate(self.codes):
            lam = np.concatenate(([0.0], multipliers[offsets[v] : offsets[v + 1]]))
            u += lam[code]
        if self.dense is not None:
            u += _matvec(self.dense, multipliers[self.n_categorical :])
        return u

    def transpose_times(self, vec: np.ndarray) -> np.ndarray:
        """X.T @ vec, shape (k,)."""
        parts = [
            np.bincount(code, weights=vec, minlength=size + 1)[1:]
            for code, size in zip(self.codes, self.sizes, strict=True)
        ]
        if self.dense is not None:
            parts.append(_vecmat(vec, self.dense))
        return np.concatenate(parts) if parts else np.zeros(0)

    def gram(self, h: np.ndarray) -> np.ndarray:
        """X.T @ diag(h) @ X, shape (k, k), from bincounts on pairs of codes."""
        k = self.n_columns
        offsets = self._offsets()
        out = np.zeros((k, k))
        n_var = len(self.codes)
        for a in range(n_var):
            sa, ca = slice(offsets[a], offsets[a + 1]), self.codes[a]
            diag = np.bincount(ca, weights=h, minlength=self.sizes[a] + 1)[1:]
            out[sa, sa] = np.diag(diag)
            for b in range(a + 1, n_var):
                sb, nb = slice(offsets[b], offsets[b + 1]), self.sizes[b] + 1
                cross = np.bincount(
                    ca * nb + self.codes[b], weights=h, minlength=(self.sizes[a] + 1) * nb
                )
                block = cross.reshape(self.sizes[a] + 1, nb)[1:, 1:]
                out[sa, sb] = block
                out[sb, sa] = block.T
        if self.dense is not None:
            nc = self.n_categorical
            m = self.dense.shape[1]
            sparse, full = self.sparse_columns, self.full_columns
            support, rows = self.support, self.support_rows
            h_support = h[support] if support is not None else None
            for j in range(m):  # categorical x dense: per-category sums of h_i x_ij
                if support is not None and j in sparse:
                    weighted = h_support * rows[:, j]
                    codes = [code[support] for code in self.codes]
                else:
                    weighted = h * self.dense[:, j]
                    codes = self.codes
                for a in range(n_var):
                    out[offsets[a] : offsets[a + 1], nc + j] = np.bincount(
                        codes[a], weights=weighted, minlength=self.sizes[a] + 1
                    )[1:]
            out[nc:, :nc] = out[:nc, nc:].T
            dense_block = np.zeros((m, m))
            if support is not None:
                # Blocks with a sparse column: only the support rows contribute.
                weighted_rows = rows[:, sparse] * h_support[:, None]
                dense_block[np.ix_(sparse, sparse)] = _gram_rows(rows[:, sparse], h_support)
                cross = weighted_rows.T @ rows[:, full]
                dense_block[np.ix_(sparse, full)] = cross
                dense_block[np.ix_(full, sparse)] = cross.T
            if full.size:
                dense_block[np.ix_(full, full)] = _gram_rows(self.dense[:, full], h)
            out[nc:, nc:] = 0.5 * (dense_block + dense_block.T)
        return out


def _gram_rows(matrix: np.ndarray, h: np.ndarray) -> np.ndarray:
    """matrix.T @ diag(h) @ matrix (h >= 0), summed over row chunks of B = diag(sqrt h) X."""
    m = matrix.shape[1]
    root_h = np.sqrt(h)
    block = np.zeros((m, m))
    for start in range(0, matrix.shape[0], _CHUNK_ROWS):
        stop = start + _CHUNK_ROWS
        chunk = np.array(matrix[start:stop], order="C")  # a copy, always
        chunk *= root_h[start:stop, None]
        if m <= _EINSUM_MAX_COLUMNS:
            block += np.einsum("ij,ik->jk", chunk, chunk)
        else:
            block += chunk.T @ chunk
    return block


# --------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------


def _as_base_weights(base_weights: np.ndarray) -> np.ndarray:
    d = np.asarray(base_weights, dtype=np.float64)
    if d.ndim != 1 or d.size == 0:
        raise SimInputError(f"base_weights must be a non-empty 1-D array, got shape {d.shape}")
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise SimInputError("base_weights must be finite and non-negative")
    return d


def _as_distance(bounds: tuple[float, float] | None) -> _Distance:
    if bounds is None:
        return _Distance(0.0, math.inf)
    low, up = (float(b) for b in bounds)
    if not (0.0 <= low < 1.0 < up < math.inf):
        raise SimInputError(
            f"bounds must satisfy 0 <= lower < 1 < upper < inf (or be None for raking), "
            f"got ({low:g}, {up:g})"
        )
    return _Distance(low, up)


def _build(
    margins: Sequence[Margin | CategoricalMargin], n: int
) -> tuple[_Design, np.ndarray, list[str], list[str], np.ndarray]:
    """The design, targets, ids and sources in internal order, and the user-order permutation.

    Returns ``(design, targets, ids, sources, order)`` where ``order[r]`` is the internal
    column of the r-th margin in the order the user gave (categories expanded in place).
    """
    if len(margins) == 0:
        raise SimInputError("calibrate needs at least one margin")
    codes, sizes, cat_targets, cat_ids, cat_sources, cat_user_pos = [], [], [], [], [], []
    names: list[str] = []
    dense_cols, dense_targets, dense_ids, dense_sources, dense_user_pos = [], [], [], [], []
    position = 0
    for margin in margins:
        if isinstance(margin, CategoricalMargin):
            code = np.asarray(margin.codes)
            targets = np.asarray(margin.targets, dtype=np.float64)
            if code.shape != (n,) or not np.issubdtype(code.dtype, np.integer):
                raise SimInputError(
                    f"margin {margin.id!r}: codes must be an integer array of shape ({n},), "
                    f"got {code.dtype} {code.shape}"
                )
            if targets.ndim != 1 or not np.all(np.isfinite(targets)):
                raise SimInputError(f"margin {margin.id!r}: targets must be finite, 1-D")
            if margin.labels is not None and len(margin.labels) != targets.size:
                raise SimInputError(
                    f"margin {margin.id!r}: {len(margin.labels)} labels for {targets.size} targets"
                )
            if code.size and (code.min() < -1 or code.max() >= targets.size):
                raise SimInputError(
                    f"margin {margin.id!r}: codes must lie in -1..{targets.size - 1}, "
                    f"got {code.min()}..{code.max()}"
                )
            names.append(margin.id)
            codes.append(np.add(code, 1, dtype=np.intp))  # shifted: 0 = no category
            sizes.append(targets.size)
            cat_targets.append(targets)
            ids = margin.margin_ids()
            cat_ids.extend(ids)
            cat_sources.extend([margin.source] * len(ids))
            cat_user_pos.extend(range(position, position + len(ids)))
            position += len(ids)
        elif isinstance(margin, Margin):
            values = np.asarray(margin.values, dtype=np.float64)
            if values.shape != (n,) or not np.all(np.isfinite(values)):
                raise SimInputError(
                    f"margin {margin.id!r}: values must be finite with shape ({n},), "
                    f"got shape {values.shape}"
                )
            if not math.isfinite(float(margin.target)):
                raise SimInputError(f"margin {margin.id!r}: target must be finite")
            dense_cols.append(values)
            dense_targets.append(float(margin.target))
            dense_ids.append(margin.id)
            dense_sources.append(margin.source)
            dense_user_pos.append(position)
            position += 1
        else:
            raise SimInputError(
                f"margins must be Margin or CategoricalMargin, got {type(margin).__name__}"
            )
    ids = cat_ids + dense_ids
    duplicates = sorted({i for i in ids if ids.count(i) > 1}) if len(set(ids)) < len(ids) else []
    if duplicates:
        raise SimInputError(f"duplicate margin ids: {', '.join(duplicates[:_MAX_NAMED])}")
    dense = None
    if dense_cols:
        dense = np.empty((n, len(dense_cols)), order="F")  # columns contiguous for bincount
        for j, column in enumerate(dense_cols):
            dense[:, j] = column
    design = _Design(names=names, codes=codes, sizes=sizes, dense=dense, n_records=n)
    targets = np.concatenate([*cat_targets, np.asarray(dense_targets, dtype=np.float64)])
    user_pos = np.asarray(cat_user_pos + dense_user_pos, dtype=np.intp)
    order = np.empty_like(user_pos)
    order[user_pos] = np.arange(user_pos.size)
    return design, targets, ids, cat_sources + dense_sources, order


def _reachable_range(
    design: _Design, d: np.ndarray, distance: _Distance
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per margin: the smallest and largest total the bounds allow, and sum_i d_i |x_i|."""
    cat = [
        np.bincount(code, weights=d, minlength=size + 1)[1:]
        for code, size in zip(design.codes, design.sizes, strict=True)
    ]
    pos_parts, neg_parts = list(cat), [np.zeros_like(c) for c in cat]
    if design.dense is not None:
        pos_parts.append(_vecmat(d, np.maximum(design.dense, 0.0)))
        neg_parts.append(_vecmat(d, np.minimum(design.dense, 0.0)))
    pos, neg = np.concatenate(pos_parts), np.concatenate(neg_parts)
    low, up = distance.lower, distance.upper
    with np.errstate(invalid="ignore"):
        lowest = low * pos + np.where(neg < 0, up * neg, 0.0)
        highest = np.where(pos > 0, up * pos, 0.0) + low * neg
    return lowest, highest, pos - neg


def _check_consistent_populations(
    design: _Design, d: np.ndarray, targets: np.ndarray, tol: float
) -> None:
    """Categorical margins that each cover every record must agree on the grand total."""
    offset, first = 0, None
    for name, code, size in zip(design.names, design.codes, design.sizes, strict=True):
        total = float(targets[offset : offset + size].sum())
        offset += size
        if not np.all(code[d > 0] > 0):
            continue  # some records are in no category: a sub-population
        if first is None:
            first = (name, total)
        elif abs(total - first[1]) > tol * max(abs(first[1]), abs(total)):
            raise SimInputError(
                f"calibration infeasible: categorical margins {first[0]!r} and {name!r} both "
                f"cover every record but their targets sum to {first[1]:.10g} and {total:.10g}"
            )


def _describe(ids: list[str], errors: np.ndarray) -> str:
    worst = np.argsort(-errors, kind="stable")
    worst = worst[errors[worst] > 0][:_MAX_NAMED]
    text = ", ".join(f"{ids[j]!r} off by {errors[j]:.2e}" for j in worst)
    extra = int(np.count_nonzero(errors > 0)) - len(worst)
    return text + (f" and {extra} more" if extra > 0 else "")


def _bounds_text(distance: _Distance) -> str:
    if distance.is_raking:
        return "raking (no upper bound)"
    return f"weight-ratio bounds [{distance.lower:g}, {distance.upper:g}]"


# --------------------------------------------------------------------------------------
# The solver
# --------------------------------------------------------------------------------------


def calibrate(
    base_weights: np.ndarray,
    margins: Sequence[Margin | CategoricalMargin],
    *,
    bounds: tuple[float, float] | None = (0.2, 5.0),
    tol: float = 1e-6,
    max_iter: int = 100,
    require_converged: bool = True,
    start: np.ndarray | None = None,
) -> CalibrationResult:
    """Calibrate ``base_weights`` so that the weighted totals of ``margins`` hit their targets.

    Logit (bounded) calibration of Deville & Särndal (1992) solved by damped Newton on the
    k Lagrange multipliers; see the module docstring for the exact method.

    Args:
        base_weights: design weights :math:`d_i \\ge 0`, shape (n,). Records with zero base
            weight keep zero weight.
        margins: the margins and their targets (:class:`Margin` and/or
            :class:`CategoricalMargin`).
        bounds: ``(L, U)`` with ``0 <= L < 1 < U``: every final weight satisfies
            ``L < w_i / d_i < U`` (strictly). ``None`` means unbounded raking
            (``w_i = d_i exp(x_i' lambda)``).
        tol: convergence criterion: every margin's relative error (see
            :class:`MarginResult`) is at most ``tol``.
        max_iter: most Newton iterations.
        require_converged: if true (the default), raise when the targets are not met;
            if false, return the best iterate with ``converged=False``.
        start: initial multipliers, one per margin in the order of the per-margin report
            (:attr:`CalibrationResult.multipliers` of an earlier, similar calibration);
            default zeros (the design weights). Only the starting point changes, not the
            solution.

    Returns:
        The :class:`CalibrationResult`.

    Raises:
        SimInputError: malformed input; a target outside the range its margin can reach
            within the bounds (before iterating); or, with ``require_converged``, targets
            not met after iterating (jointly infeasible or too few iterations). The message
            names the worst margins and their best achieved relative error.

    Example: four records in a 2 × 2 table, raked to row totals (4, 6) and column totals
    (3, 7); with equal base weights raking gives ``row total × column total / 10``.

    >>> import numpy as np
    >>> rows = CategoricalMargin("row", np.array([0, 0, 1, 1]), [4.0, 6.0])
    >>> cols = CategoricalMargin("col", np.array([0, 1, 0, 1]), [3.0, 7.0])
    >>> result = calibrate(np.ones(4), [rows, cols], bounds=None, tol=1e-12)
    >>> np.round(result.weights, 10).tolist()
    [1.2, 2.8, 1.8, 4.2]
    >>> result.converged, round(result.achieved["col:1"], 9)
    (True, 7.0)
    """
    d = _as_base_weights(base_weights)
    distance = _as_distance(bounds)
    if not (tol > 0 and math.isfinite(tol)):
        raise SimInputError(f"tol must be a positive number, got {tol!r}")
    if max_iter < 0:
        raise SimInputError(f"max_iter must be >= 0, got {max_iter}")
    design, targets, ids, sources, order = _build(margins, d.size)

    lowest, highest, abs_total = _reachable_range(design, d, distance)
    scale = np.where(targets != 0, np.abs(targets), np.where(abs_total > 0, abs_total, 1.0))
    # A target beyond what its own margin can reach within the bounds: infeasible at once.
    out_of_range = np.maximum(lowest - targets, targets - highest) / scale
    out_of_range = np.where(np.isfinite(out_of_range), out_of_range, 0.0)
    if np.any(out_of_range > tol):
        bad = np.flatnonzero(out_of_range > tol)
        named = ", ".join(
            f"{ids[j]!r} target {targets[j]:.6g} outside reachable [{lowest[j]:.6g}, "
            f"{highest[j]:.6g}]"
            for j in bad[:_MAX_NAMED]
        )
        more = f" and {bad.size - _MAX_NAMED} more" if bad.size > _MAX_NAMED else ""
        raise SimInputError(
            f"calibration infeasible within {_bounds_text(distance)}: {named}{more}"
        )

    _check_consistent_populations(design, d, targets, tol)

    k = targets.size
    scaled_targets = targets / scale
    theta = np.zeros(k)  # multipliers of the scaled columns x_j / scale_j
    if start is not None:
        start = np.asarray(start, dtype=np.float64)
        if start.shape != (k,) or not np.all(np.isfinite(start)):
            raise SimInputError(f"start must hold {k} finite multipliers, got shape {start.shape}")
        theta[order] = start * scale[order]

    def evaluate(theta_: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
        """u, ratio F(u), the dual objective Phi and its rounding-error level at theta_."""
        u_ = design.times(theta_ / scale)
        psi_sum, psi_abs_sum = distance.primitive_sum(u_, d)
        linear = theta_ * scaled_targets
        phi_ = psi_sum - float(linear.sum())
        noise_ = _PHI_ROUNDING * (psi_abs_sum + float(np.abs(linear).sum()))
        return u_, distance.ratio(u_), phi_, noise_

    def max_error_at(ratio_: np.ndarray) -> float:
        return float(np.max(np.abs(design.transpose_times(d * ratio_) - targets) / scale))

    u, ratio, phi, noise = evaluate(theta)
    best_weights, best_errors, best_max, best_theta = None, None, math.inf, theta
    best_before, since_progress = math.inf, 0
    iterations = 0
    while True:
        weights = d * ratio
        achieved = design.transpose_times(weights)
        gradient = (achieved - targets) / scale
        errors = np.abs(gradient)
        max_error = float(errors.max())
        if max_error < best_max:
            best_weights, best_errors, best_max, best_theta = weights, errors, max_error, theta
        if max_error <= tol or iterations >= max_iter:
            break
        iterations += 1
        hessian = design.gram(d * distance.ratio_slope(u, ratio)) / np.outer(scale, scale)
        step = _newton_step(hessian, gradient)
        if step is None:
            break  # every weight is pinned at a bound: no direction left
        slope = float(gradient @ step)
        accepted = False
        if -slope <= noise:
            # The predicted decrease of Phi is below its rounding error, so Phi cannot judge
            # the step: we are in Newton's region of fast convergence. Take the full step if
            # it reduces the largest relative error; otherwise we are at the limit.
            with np.errstate(over="ignore", invalid="ignore"):
                trial_theta = theta + step
                trial_u, trial_ratio, trial_phi, trial_noise = evaluate(trial_theta)
                accepted = max_error_at(trial_ratio) < max_error
        else:
            alpha = 1.0
            for _ in range(_MAX_HALVINGS):  # backtracking (Armijo) on Phi
                trial_theta = theta + alpha * step
                with np.errstate(over="ignore", invalid="ignore"):
                    trial_u, trial_ratio, trial_phi, trial_noise = evaluate(trial_theta)
                if math.isfinite(trial_phi) and trial_phi <= phi + _ARMIJO_C * alpha * slope:
                    accepted = True
                    break
                alpha *= 0.5
        if not accepted:
            break  # no decrease along the Newton direction: stalled (infeasible or at limit)
        theta, u, ratio, phi, noise = trial_theta, trial_u, trial_ratio, trial_phi, trial_noise
        if max_error < _PROGRESS * best_before:
            best_before, since_progress = max_error, 0
        else:
            since_progress += 1
            if since_progress >= _PATIENCE:
                # No real progress for a while: the part of the residual that remains lies
                # (numerically) outside what the multipliers can move, i.e. the targets are
                # jointly inconsistent. Stop rather than spin until max_iter.
                break

    converged = best_max <= tol
    if not converged and require_converged:
        raise SimInputError(
            f"calibration did not meet the targets within {_bounds_text(distance)} after "
            f"{iterations} iterations (best relative errors: "
            f"{_describe(ids, best_errors)}); widen the bounds or check the targets"
        )
    result = _result(
        d, best_weights, design, targets, scale, ids, sources, order, converged, iterations
    )
    return dataclasses.replace(result, multipliers=(best_theta / scale)[order])


def _newton_step(hessian: np.ndarray, gradient: np.ndarray) -> np.ndarray | None:
    """A solution of H step = -g on the numerical range of H (None if H is numerically 0).

    H is scaled to unit diagonal (Jacobi), then factored by Cholesky with complete pivoting
    (LAPACK ``dpstrf``), which stops at the numerical rank: multipliers whose pivot falls
    below ``_PIVOT_TOL`` (duplicate or collinear margins) get a zero step. Any solution
    gives the same weights, since H and X have the same null space where weights are > 0.
    (A pivoted Cholesky rather than ``eigh``: LAPACK's threaded eigensolver took 100 ms for
    a 100 × 100 matrix on a busy 2-core machine, this takes 0.1 ms.)
    """
    diagonal = np.diag(hessian)
    jacobi = np.zeros_like(diagonal)
    np.divide(1.0, np.sqrt(diagonal), out=jacobi, where=diagonal > 0)
    scaled = hessian * np.outer(jacobi, jacobi)
    factor, pivots, rank, info = lapack.dpstrf(scaled, lower=0, tol=_PIVOT_TOL)
    if info < 0 or rank == 0:
        return None
    kept = pivots[:rank] - 1  # LAPACK's pivots are 1-based
    upper = np.triu(factor[:rank, :rank])  # P' H P = U' U on the leading rank × rank block
    rhs = (jacobi * gradient)[kept]
    solution = solve_triangular(upper, solve_triangular(upper, rhs, trans="T"))
    step = np.zeros_like(gradient)
    step[kept] = -solution
    return jacobi * step


def _result(
    d: np.ndarray,
    weights: np.ndarray,
    design: _Design,
    targets: np.ndarray,
    scale: np.ndarray,
    ids: list[str],
    sources: list[str],
    order: np.ndarray,
    converged: bool,
    iterations: int,
) -> CalibrationResult:
    achieved = design.transpose_times(weights)
    errors = np.abs(achieved - targets) / scale
    rows = tuple(
        MarginResult(
            id=ids[j],
            target=float(targets[j]),
            achieved=float(achieved[j]),
            relative_error=float(errors[j]),
            source=sources[j],
        )
        for j in order
    )
    positive = d > 0
    w_pos = weights[positive]
    n_pos = w_pos.size
    total = float(w_pos.sum())
    ratios = w_pos / d[positive]
    n_top = max(1, math.ceil(n_pos / 100))
    top = np.partition(w_pos, n_pos - n_top)[n_pos - n_top :] if n_pos else w_pos
    return CalibrationResult(
        weights=weights,
        converged=converged,
        iterations=iterations,
        max_relative_error=float(errors.max()),
        achieved={row.id: row.achieved for row in rows},
        margins=rows,
        design_effect=n_pos * _dot(w_pos, w_pos) / total**2 if total > 0 else math.nan,
        weight_ratio_min=float(ratios.min()) if n_pos else math.nan,
        weight_ratio_max=float(ratios.max()) if n_pos else math.nan,
        top1_share=float(top.sum() / total) if total > 0 else math.nan,
    )
