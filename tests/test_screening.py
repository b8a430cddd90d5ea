"""Screening is safe, and the accelerations change nothing but speed.

The residual kernels (``enet_coordinate_descent`` and
``sparse_enet_coordinate_descent``) take the keyword options
``working_set``, ``screening``, ``anderson`` and ``strong_l1``. With
``working_set=False, screening=False, anderson=0`` they are plain coordinate
descent; every other setting must reach the same optimum, to the accuracy the
duality gaps certify. A feature wrongly screened out would show as a
coefficient that is zero with screening and clearly non-zero without, and as
an objective above the unscreened one by more than the reported gap.

Independent checks, computed here in float64 from dense copies of the data:
the objective (``optimality.Problem``), the strong convexity that turns a gap
into a distance (``optimality.distance_bound``), and a gap-safe sphere test
written from the rule's definition (Fercoq, Gramfort & Salmon 2015; Ndiaye et
al. 2017), which must never certify as zero a feature that is non-zero at the
optimum.
"""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from l1l2._cd_fast import (
    Workspace,
    anderson_trial,
    column_statistics,
    discarded_features,
    drift_bounds,
    enet_coordinate_descent,
    fresh_correlations,
    gap_safe_discards,
    sparse_enet_coordinate_descent,
)
from optimality import (
    Problem,
    dense_problem,
    distance_bound,
    gap_slack,
    positive_weights,
    sparse_problem,
)
from scipy import sparse

from l1l2 import enet_path

TIGHT = 1e-12
MAX_ITER = 100_000
PLAIN = dict(working_set=False, screening=False, anderson=0)
# The alphas of every case, as fractions of max_j |xc_j^T S yc| / (n l1_ratio).
FRACTIONS = (0.5, 0.1, 0.02)


class Case:
    """One Elastic-Net problem, ready for the kernel and for numpy checks.

    ``X`` is kept dense (float64, F-ordered) for the dense kernel and for the
    checks, and as CSC arrays when ``fmt == 'csc'``. The kernel minimises
    ``n`` times the objective of ``optimality.Problem``; it returns the gap
    divided by ``sum(s) = n``, on the scale of ``Problem.objective``.
    """

    def __init__(
        self,
        X,
        y,
        *,
        l1_ratio,
        fmt="dense",
        sample_weight=None,
        fit_intercept=False,
        penalty_factor=None,
        lower=None,
        upper=None,
        label="",
    ):
        self.label = label
        self.fmt = fmt
        self.l1_ratio = l1_ratio
        self.X = np.asfortranarray(X, dtype=np.float64)
        self.y = np.asarray(y, dtype=np.float64)
        self.options = dict(
            sample_weight=sample_weight,
            penalty_factor=penalty_factor,
            lower=lower,
            upper=upper,
            fit_intercept=fit_intercept,
        )
        reference = self.problem(1.0)
        self.s, self.f = reference.s, reference.f
        self.lo, self.hi = reference.lo, reference.hi
        self.Xc, self.yc = reference.Xc, reference.yc
        self.kernel_weights = (
            np.empty(0) if sample_weight is None else np.ascontiguousarray(self.s)
        )
        self.offset = (
            np.ascontiguousarray(reference.x_mean) if fit_intercept else np.empty(0)
        )
        self.y_kernel = np.ascontiguousarray(self.yc)
        csc = sparse.csc_matrix(self.X)
        self.csc = (csc.data, csc.indices.astype(np.intc), csc.indptr.astype(np.intc))
        self._inputs = {}
        # Unpenalised features that are not boxed on both sides: the kernel
        # needs Xt^T S Xt_U to keep its dual point feasible.
        boxed = np.isfinite(self.lo) & np.isfinite(self.hi)
        unpenalised = np.flatnonzero((self.f == 0) & ~boxed)
        self.projection = None
        if unpenalised.size:
            cross = self.Xc.T @ (self.s[:, None] * self.Xc[:, unpenalised])
            self.projection = (
                unpenalised.astype(np.intc),
                np.ascontiguousarray(cross),
                np.ascontiguousarray(cross[unpenalised]),
            )
        self.norm_scale = reference.gradient_scale() / l1_ratio

    def __repr__(self):
        return f"Case({self.label})"

    def problem(self, alpha):
        return Problem(self.X, self.y, alpha, self.l1_ratio, **self.options)

    def alphas(self):
        return [fraction * self.norm_scale for fraction in FRACTIONS]

    def kernel_inputs(self, dtype):
        """The kernel's arrays in ``dtype``: (X, CSC arrays, the tail)."""
        dtype = np.dtype(dtype)
        if dtype not in self._inputs:

            def cast(array):
                return np.asarray(array, dtype=dtype, order="A")

            data, indices, indptr = self.csc
            projection = self.projection
            if projection is not None:
                projection = (projection[0], *map(cast, projection[1:]))
            tail = (
                *map(cast, (self.y_kernel, self.kernel_weights, self.offset)),
                *map(cast, (self.f, self.lo, self.hi)),
            )
            self._inputs[dtype] = (
                np.asfortranarray(self.X, dtype=dtype),
                (cast(data), indices, indptr),
                tail,
                projection,
            )
        return self._inputs[dtype]

    def solve(
        self,
        alpha,
        *,
        w0=None,
        tol=TIGHT,
        max_iter=MAX_ITER,
        seed=0,
        random=False,
        dtype=np.float64,
        **options,
    ):
        """Run the kernel; returns (w, gap, n_iter) with w a fresh array of
        ``dtype``."""
        n_samples, n_features = self.X.shape
        X, csc, tail, projection = self.kernel_inputs(dtype)
        w = np.zeros(n_features, dtype) if w0 is None else np.array(w0, dtype)
        l1_reg = w.dtype.type(n_samples * alpha * self.l1_ratio)
        l2_reg = w.dtype.type(n_samples * alpha * (1.0 - self.l1_ratio))
        tail = (*tail, max_iter, tol, seed, random, projection)
        if self.fmt == "csc":
            out, gap, n_iter = sparse_enet_coordinate_descent(
                w, l1_reg, l2_reg, *csc, *tail, **options
            )
        else:
            out, gap, n_iter = enet_coordinate_descent(
                w, l1_reg, l2_reg, X, *tail, **options
            )
        assert np.shares_memory(out, w)
        return w, gap, n_iter

    def objective(self, problem, w):
        return problem.objective(w, problem.intercept_of(w))

    def tolerance(self, problem, tol):
        """The gap a solve at ``tol`` must reach, on the objective's scale."""
        return tol * float(problem.s @ problem.yc**2) / problem.n_samples


def make_case(shape, fmt, l1_ratio, extra, seed):
    """A seeded problem; ``extra`` picks weights, factors, bounds, intercept."""
    rng = np.random.default_rng(seed)
    n_samples, n_features = (40, 120) if shape == "wide" else (120, 15)
    if fmt == "csc":
        X, y = sparse_problem(n_samples, n_features, density=0.25, seed=seed)
        X = X.toarray()
    else:
        X, y = dense_problem(n_samples, n_features, seed=seed)
    kwargs = {}
    if extra in ("weighted", "bounds", "positive"):
        kwargs["sample_weight"] = positive_weights(n_samples, seed=seed)
    if extra in ("weighted", "factors", "positive"):
        kwargs["fit_intercept"] = True
    if extra in ("factors", "positive"):
        factors = np.exp(rng.uniform(np.log(0.3), np.log(3.0), n_features))
        factors[[0, 5]] = 0.0  # unpenalised, and among the informative ones
        factors[[1, 9]] = np.inf  # excluded
        kwargs["penalty_factor"] = factors
    if extra == "bounds":
        lower = np.full(n_features, -np.inf)
        upper = np.full(n_features, np.inf)
        kind = np.arange(n_features) % 5
        upper[kind == 0] = rng.uniform(0.05, 0.5, np.sum(kind == 0))
        lower[kind == 1] = -rng.uniform(0.05, 0.5, np.sum(kind == 1))
        lower[kind == 2] = 0.0
        upper[kind == 3] = 0.0
        kwargs.update(lower=lower, upper=upper)
    if extra == "positive":
        kwargs["lower"] = 0.0
    label = f"{shape}-{fmt}-l1={l1_ratio}-{extra}-{seed}"
    return Case(X, y, l1_ratio=l1_ratio, fmt=fmt, label=label, **kwargs)


EXTRAS = ["plain", "weighted", "factors", "bounds", "positive"]
CASE_KEYS = [
    (shape, fmt, l1_ratio, extra, 100 + index)
    for index, (shape, fmt, l1_ratio, extra) in enumerate(
        itertools.product(["wide", "tall"], ["dense", "csc"], [1.0, 0.5], EXTRAS)
    )
]
CASE_IDS = ["-".join(map(str, key)) for key in CASE_KEYS]
assert len(CASE_KEYS) == 40

_SOLUTIONS = {}


def reference_solutions(key):
    """The case and, per alpha, its plain (unaccelerated) tight solution.

    Plain coordinate descent without working sets, screening or Anderson at
    tol=1e-12, memoised: several tests compare against it.
    """
    if key not in _SOLUTIONS:
        case = make_case(*key)
        solutions = []
        for alpha in case.alphas():
            w, gap, n_iter = case.solve(alpha, **PLAIN)
            solutions.append((alpha, w, gap, n_iter))
        _SOLUTIONS[key] = (case, solutions)
    return _SOLUTIONS[key]


def clear_threshold(problem, w_a, gap_a, w_b, gap_b):
    """How far apart two solutions with these gaps may be.

    Certified by strong convexity over the union of their supports when it
    holds there; otherwise (a Lasso whose union support has more features
    than samples) a relative 1e-6 of the largest coefficient.
    """
    scale = max(float(np.max(np.abs(w_a))), float(np.max(np.abs(w_b))), 1e-300)
    union = (w_a != 0) | (w_b != 0)
    if not union.any():
        return 0.0, True
    bound = distance_bound(problem, gap_a, gap_b, support=union)
    if np.isfinite(bound):
        return max(bound, 1e-12 * scale), True
    return 1e-6 * scale, False


def assert_same_solution(case, problem, w_a, gap_a, w_b, gap_b, what):
    """Both points solve ``problem``: objectives within the gaps, and the
    same support and signs wherever a coefficient is clearly non-zero."""
    slack = gap_slack(problem)
    p_a = case.objective(problem, w_a)
    p_b = case.objective(problem, w_b)
    assert np.isfinite(p_a) and np.isfinite(p_b), f"{what}: infeasible point"
    assert p_a - p_b <= max(gap_a, 0.0) + slack, (
        f"{case}, {what}: objective {p_a!r} above the other's {p_b!r} by more "
        f"than its gap {gap_a:.3e}"
    )
    assert p_b - p_a <= max(gap_b, 0.0) + slack, (
        f"{case}, {what}: objective {p_b!r} above the other's {p_a!r} by more "
        f"than its gap {gap_b:.3e}"
    )
    threshold, certified = clear_threshold(problem, w_a, gap_a, w_b, gap_b)
    if certified:
        distance = float(np.linalg.norm(w_a - w_b))
        assert distance <= threshold, (
            f"{case}, {what}: solutions {distance:.3e} apart, more than the "
            f"{threshold:.3e} the gaps allow"
        )
    for mine, other, name in ((w_a, w_b, "first"), (w_b, w_a, "second")):
        clear = np.abs(other) > threshold
        missing = np.flatnonzero(clear & (np.sign(mine) != np.sign(other)))
        assert missing.size == 0, (
            f"{case}, {what}: features {missing.tolist()} are clearly non-zero "
            f"in one solution ({other[missing]}) and not in the {name} "
            f"({mine[missing]})"
        )


# --- all accelerations against plain coordinate descent ----------------------


@pytest.mark.parametrize("key", CASE_KEYS, ids=CASE_IDS)
def test_accelerated_equals_plain(key):
    case, solutions = reference_solutions(key)
    n_active = 0
    for alpha, w_plain, gap_plain, n_plain in solutions:
        problem = case.problem(alpha)
        bound = case.tolerance(problem, TIGHT) + gap_slack(problem)
        assert gap_plain <= bound, f"{case}: plain CD did not converge"
        assert n_plain < MAX_ITER
        w, gap, n_iter = case.solve(alpha)  # every acceleration, the defaults
        assert gap <= bound
        assert -gap_slack(problem) <= gap
        assert np.all(w >= case.lo) and np.all(w <= case.hi)
        assert np.all(w[np.isinf(case.f)] == 0)
        assert_same_solution(case, problem, w, gap, w_plain, gap_plain, "defaults")
        # Screening discards only zeros: nothing the unscreened solve holds
        # beyond rounding is zero here.
        threshold, _ = clear_threshold(problem, w, gap, w_plain, gap_plain)
        lost = np.flatnonzero((w == 0) & (np.abs(w_plain) > threshold))
        assert lost.size == 0, f"{case}: features {lost.tolist()} screened out"
        n_active = max(n_active, np.count_nonzero(w_plain))
    assert n_active >= 3  # the path reaches into the active region


# --- one acceleration at a time ------------------------------------------------


VARIANTS = {
    "anderson-only": dict(working_set=False, screening=False, anderson=5),
    "anderson-3": dict(working_set=False, screening=False, anderson=3),
    "working-set-only": dict(working_set=True, screening=False, anderson=0),
    "screening-only": dict(working_set=False, screening=True, anderson=0),
    "no-anderson": dict(working_set=True, screening=True, anderson=0),
    "no-working-set": dict(working_set=False, screening=True, anderson=5),
    "random": dict(random=True, seed=3),
    "random-plain": dict(random=True, seed=11, **PLAIN),
}
# A quarter of the cases, every kind of extra in each shape and format.
VARIANT_KEYS = CASE_KEYS[::3]


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize(
    "key", VARIANT_KEYS, ids=["-".join(map(str, k)) for k in VARIANT_KEYS]
)
def test_each_acceleration_alone_gives_the_same_solution(key, variant):
    case, solutions = reference_solutions(key)
    options = VARIANTS[variant]
    for alpha, w_plain, gap_plain, _ in solutions:
        problem = case.problem(alpha)
        w, gap, n_iter = case.solve(alpha, **options)
        assert n_iter < MAX_ITER
        assert gap <= case.tolerance(problem, TIGHT) + gap_slack(problem)
        assert_same_solution(case, problem, w, gap, w_plain, gap_plain, variant)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_anderson_on_and_off_agree(wide, l1_ratio):
    # The shared wide fixture (50 x 200, intercept): with and without
    # Anderson extrapolation (everything else on) the number of epochs may
    # differ, the solution may not.
    X, y = wide
    case = Case(X, y, l1_ratio=l1_ratio, fit_intercept=True, label="wide-fixture")
    for alpha in case.alphas():
        problem = case.problem(alpha)
        with_anderson = case.solve(alpha, anderson=5)
        without = case.solve(alpha, anderson=0)
        assert_same_solution(
            case,
            problem,
            with_anderson[0],
            with_anderson[1],
            without[0],
            without[1],
            "anderson 5 vs 0",
        )


@pytest.mark.parametrize("centred", [False, True])
@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_anderson_keeps_only_extrapolations_that_lower_the_objective(fmt, centred):
    # The solver's own Anderson step (anderson_trial): from K + 1 iterates
    # converging geometrically, more or less noisily, the extrapolated point
    # is kept only when it lowers the objective, and the residual follows w.
    # CSC X without centring takes the step's sparse path (only the moved
    # columns' rows are summed), with centring the dense one.
    X, y = sparse_problem(80, 30, density=0.3, seed=2)
    X = X.toarray()
    n_samples, n_features = X.shape
    offset = X.mean(axis=0) if centred else np.zeros(n_features)
    Xc = X - offset
    csc = sparse.csc_matrix(X)
    if fmt == "csc":
        design = (np.empty((0, 0), order="F"), csc.data,
                  csc.indices.astype(np.intc), csc.indptr.astype(np.intc), True)
    else:
        design = (np.asfortranarray(X), np.empty(0), np.empty(0, np.intc),
                  np.empty(0, np.intc), False)
    l1_reg, l2_reg = 2.0, 0.5
    factors = np.ones(n_features)
    box = np.full(n_features, -np.inf), np.full(n_features, np.inf)

    def objective(w):
        penalty = l1_reg * np.abs(w).sum() + 0.5 * l2_reg * (w @ w)
        return 0.5 * np.sum((y - Xc @ w) ** 2) + penalty

    rng = np.random.default_rng(3)
    limit = rng.standard_normal(n_features) * (rng.uniform(size=n_features) < 0.5)
    outcomes = []
    for noise in np.geomspace(1e-4, 1.0, 40):
        # Three coordinates move, the others have settled: the sparse path
        # handles moves that touch fewer values than there are samples.
        direction = np.zeros(n_features)
        direction[rng.choice(n_features, 3, replace=False)] = rng.standard_normal(3)
        steps = 0.7 ** np.arange(6)[:, None] * direction
        iterates = limit + steps + noise * rng.standard_normal((6, 1)) * direction
        w = iterates[-1].copy()
        kept, residual = anderson_trial(
            w, iterates, *design, y, offset, l1_reg, l2_reg, factors, *box
        )
        before, after = objective(iterates[-1]), objective(w)
        assert after <= before * (1 + 1e-12), f"noise {noise:g}: P rose"
        assert kept == (after < before)
        np.testing.assert_allclose(residual, y - Xc @ w, rtol=0, atol=1e-10)
        outcomes.append(kept)
    assert any(outcomes) and not all(outcomes)  # both branches taken


# --- strong rules along a path -------------------------------------------------


@pytest.mark.parametrize(
    "key", CASE_KEYS[::4], ids=["-".join(map(str, k)) for k in CASE_KEYS[::4]]
)
def test_strong_rule_seed_changes_nothing(key):
    # strong_l1 only seeds the first working set; any value (none, the
    # sequential rule, everything, nothing) must end at the same optimum.
    case, solutions = reference_solutions(key)
    n_samples = case.X.shape[0]
    for (previous_alpha, w_previous, _, _), (alpha, w_plain, gap_plain, _) in zip(
        solutions[:-1], solutions[1:], strict=True
    ):
        problem = case.problem(alpha)
        sequential = (2 * alpha - previous_alpha) * case.l1_ratio * n_samples
        for strong_l1 in (0.0, max(sequential, 1e-300), 1e-300, 1e300):
            w, gap, _ = case.solve(alpha, w0=w_previous, strong_l1=strong_l1)
            assert gap <= case.tolerance(problem, TIGHT) + gap_slack(problem)
            assert_same_solution(
                case, problem, w, gap, w_plain, gap_plain, f"strong_l1={strong_l1:.3g}"
            )


# --- a warm-started path, as enet_path runs it -----------------------------------


PATH_CASES = {
    "dense-lasso": dict(fmt="dense", l1_ratio=1.0),
    "dense-lasso-weights": dict(fmt="dense", l1_ratio=1.0, weighted=True),
    "csc-lasso-weights-factors": dict(
        fmt="csc", l1_ratio=1.0, weighted=True, factors=True
    ),
    "dense-enet-factors-bounds": dict(
        fmt="dense", l1_ratio=0.5, factors=True, bounds=True
    ),
    "csc-enet-positive": dict(fmt="csc", l1_ratio=0.5, weighted=True, positive=True),
    # Four stored values per column: a correlation moves with the residual
    # far less than ||x_j|| ||dr|| says, so the sup-norm bound keeps most
    # features parked (left stale) from one alpha to the next.
    "csc-very-sparse-lasso-weights": dict(
        fmt="csc", l1_ratio=1.0, weighted=True, shape=(1500, 3000), density=0.003
    ),
    "csc-very-sparse-lasso-uncentred": dict(
        fmt="csc", l1_ratio=1.0, fit_intercept=False, shape=(1500, 3000),
        density=0.003
    ),
    "csc-very-sparse-enet-factors": dict(
        fmt="csc", l1_ratio=0.7, factors=True, shape=(1500, 3000), density=0.003
    ),
}


@pytest.mark.parametrize("name", list(PATH_CASES))
def test_path_with_every_acceleration_matches_plain_solves(name):
    # 100 x 800 unless stated: most features are screened out or parked at
    # most alphas, the strong rule seeds every working set, and each solve
    # is warm-started from the last, with its stale correlations.
    spec = PATH_CASES[name]
    fmt = spec["fmt"]
    n_samples, n_features = spec.get("shape", (100, 800))
    if fmt == "csc":
        X, y = sparse_problem(n_samples, n_features, n_informative=20, seed=5,
                              density=spec.get("density", 0.05))
        X = X.toarray()
    else:
        X, y = dense_problem(n_samples, n_features, n_informative=20, seed=5)
    rng = np.random.default_rng(6)
    n_samples, n_features = X.shape
    fit_intercept = spec.get("fit_intercept", True)
    params = dict(fit_intercept=fit_intercept)
    kwargs = dict(fit_intercept=fit_intercept)
    if spec.get("weighted"):
        params["sample_weight"] = kwargs["sample_weight"] = positive_weights(
            n_samples, seed=6
        )
    if spec.get("factors"):
        factors = np.exp(rng.uniform(np.log(0.3), np.log(3.0), n_features))
        factors[[2, 40]] = 0.0
        factors[[3, 41]] = np.inf
        params["penalty_factor"] = kwargs["penalty_factor"] = factors
    if spec.get("bounds"):
        lower = np.where(np.arange(n_features) % 4 == 0, -0.2, -np.inf)
        upper = np.where(np.arange(n_features) % 4 == 1, 0.2, np.inf)
        params.update(lower_bounds=lower, upper_bounds=upper)
        kwargs.update(lower=lower, upper=upper)
    positive = bool(spec.get("positive"))
    if positive:
        kwargs["lower"] = 0.0
    X_in = sparse.csc_matrix(X) if fmt == "csc" else X
    alphas, coefs, gaps = enet_path(
        X_in,
        y,
        l1_ratio=spec["l1_ratio"],
        alphas=25,
        eps=1e-2,
        tol=TIGHT,
        max_iter=MAX_ITER,
        positive=positive,
        **params,
    )
    case = Case(X, y, l1_ratio=spec["l1_ratio"], fmt=fmt, label=name, **kwargs)
    w_plain = np.zeros(n_features)
    for i, alpha in enumerate(alphas):
        problem = case.problem(alpha)
        w_plain, gap_plain, n_iter = case.solve(alpha, w0=w_plain, **PLAIN)
        assert n_iter < MAX_ITER
        bound = case.tolerance(problem, TIGHT) + gap_slack(problem)
        assert gaps[i] <= bound and gap_plain <= bound
        # A gap below zero (beyond rounding) is a broken certificate: the
        # lazy passes must still account for every non-zero coefficient.
        assert gaps[i] >= -gap_slack(problem), f"alpha #{i}: gap {gaps[i]:.3g}"
        assert_same_solution(
            case, problem, coefs[:, i], gaps[i], w_plain, gap_plain, f"alpha #{i}"
        )
    assert np.count_nonzero(coefs[:, -1]) >= 30


# --- the screening rule itself ------------------------------------------------


def conjugate(v, l1, l2, lo, hi):
    """``sup_{lo <= w <= hi} v w - l1 |w| - l2 w^2 / 2``, elementwise."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ridge = np.clip(np.sign(v) * np.maximum(np.abs(v) - l1, 0.0) / l2, lo, hi)
    lasso = np.where(v > l1, hi, np.where(v < -l1, lo, 0.0))
    w = np.where(l2 > 0, ridge, lasso)
    w = np.where(np.isfinite(w), w, 0.0)
    return v * w - l1 * np.abs(w) - 0.5 * l2 * w**2


class DualPoint:
    """The dual point the kernel builds from ``w``, recomputed in float64.

    Kernel scale (n times the objective): the residual ``theta`` of ``w``,
    S-projected off the free unpenalised columns, then scaled into the dual
    feasible set of the features in ``considered`` (all usable ones by
    default). ``v`` holds ``xc_j^T S theta`` at the scaled point for every
    feature, ``l1`` and ``l2`` each feature's thresholds.
    """

    def __init__(self, case, problem, w, considered=None):
        n_samples = case.X.shape[0]
        s, Xc, yc = case.s, case.Xc, case.yc
        w = np.asarray(w, dtype=np.float64)
        f = case.f
        self.kept = np.isfinite(f)
        f_kept = np.where(self.kept, f, 0.0)
        self.l1 = n_samples * problem.alpha * problem.l1_ratio * f_kept
        self.l2 = n_samples * problem.alpha * (1.0 - problem.l1_ratio) * f_kept
        theta = yc - Xc @ w
        projected = np.zeros(w.shape, dtype=bool)
        if case.projection is not None:
            U = case.projection[0]
            projected[U] = True
            XU = Xc[:, U]
            beta = np.linalg.solve(XU.T @ (s[:, None] * XU), XU.T @ (s * theta))
            theta = theta - XU @ beta
        v = Xc.T @ (s * theta)
        v[projected] = 0.0  # zero up to rounding, after the projection
        considered = self.kept if considered is None else considered & self.kept
        # Largest scale <= 1 that keeps the hard constraints |v_j| <= l1_j of
        # the features without an L2 term, in the directions w_j is
        # unbounded in.
        pushes = (
            considered
            & (self.l2 == 0)
            & (((v > 0) & np.isinf(case.hi)) | ((v < 0) & np.isinf(case.lo)))
        )
        if np.any(pushes & (self.l1 == 0)):
            self.scale = 0.0
        else:
            ratio = float(np.max(np.abs(v[pushes]) / self.l1[pushes], initial=0.0))
            self.scale = 1.0 / ratio if ratio > 1.0 else 1.0
        self.theta = self.scale * theta
        self.v = self.scale * v

    def outside(self, case):
        """Per feature, how far ``v_j`` is outside ``[-l1_j, l1_j]`` in the
        directions its coefficient may move in (0 inside): a feature left out
        of a gap must have 0 here, or the gap misses its conjugate."""
        above = np.where(case.hi != 0, self.v - self.l1, 0.0)
        below = np.where(case.lo != 0, -self.l1 - self.v, 0.0)
        return np.maximum(np.maximum(above, below), 0.0)


def certified_zeros(case, problem, w):
    """Features the gap-safe sphere test proves to be zero at the optimum.

    With the dual point of :class:`DualPoint` and its dual value ``D``, the
    optimal dual point (the optimal residual) lies within ``sqrt(2 (P(w) -
    D))`` of it in the S-norm, so ``|xc_j^T S theta*|`` is within
    ``||xc_j||_S`` times that of ``xc_j^T S theta``. A penalised feature
    whose interval stays strictly inside ``(-l1_j, l1_j)`` (one side lifted
    by a bound at 0) is 0 at the optimum.
    """
    n_samples = case.X.shape[0]
    s, Xc, yc = case.s, case.Xc, case.yc
    f = case.f
    point = DualPoint(case, problem, w)
    kept, l1, l2 = point.kept, point.l1, point.l2
    theta, v = point.theta, point.v
    primal = 0.5 * float(s @ (yc - Xc @ w) ** 2) + float(
        np.sum(l1[kept] * np.abs(w[kept]) + 0.5 * l2[kept] * w[kept] ** 2)
    )
    conj = conjugate(v[kept], l1[kept], l2[kept], case.lo[kept], case.hi[kept])
    dual = float(theta @ (s * yc)) - 0.5 * float(theta @ (s * theta)) - conj.sum()
    gap = max(primal - dual, 0.0)
    # P and D are computed to a few hundred ulps of y^T S y: below that a
    # gap (and the radius it gives) is rounding noise.
    rounding = 256 * np.finfo(np.float64).eps * float(s @ yc**2)
    radius = np.sqrt(2.0 * (gap + rounding))
    radius *= np.sqrt(np.einsum("ij,ij,i->j", Xc, Xc, s))
    below = (case.hi == 0) | (v + radius < l1)
    above = (case.lo == 0) | (v - radius > -l1)
    zero = kept & (f > 0) & below & above
    return zero, gap / n_samples


@pytest.mark.parametrize("key", CASE_KEYS, ids=CASE_IDS)
def test_screening_never_discards_an_optimal_nonzero(key):
    case, solutions = reference_solutions(key)
    n_certified = 0
    for alpha, w_plain, gap_plain, _ in solutions:
        problem = case.problem(alpha)
        w_tight, gap_tight, _ = case.solve(alpha)  # screened, tight
        # A loose screened solve, continued from where it stopped with
        # screening (and every other acceleration) off: the continuation can
        # revive anything the loose solve dropped, so its support must be the
        # screened tight solve's.
        points = []
        for loose_tol in (1e-3, 1e-6):
            w_loose, gap_loose, _ = case.solve(alpha, tol=loose_tol)
            assert gap_loose <= case.tolerance(problem, loose_tol) + gap_slack(problem)
            w_cont, gap_cont, _ = case.solve(alpha, w0=w_loose, **PLAIN)
            assert_same_solution(
                case,
                problem,
                w_cont,
                gap_cont,
                w_tight,
                gap_tight,
                f"continued from tol={loose_tol}",
            )
            points.append(w_loose)
        # The gap-safe rule, recomputed here from loose and early iterates,
        # certifies zeros; the optimum must have them.
        threshold, _ = clear_threshold(problem, w_tight, gap_tight, w_plain, gap_plain)
        points += [case.solve(alpha, max_iter=k, **PLAIN)[0] for k in (1, 3)]
        for w in points:
            zero, _ = certified_zeros(case, problem, w)
            n_certified += int(zero.sum())
            for optimum, name in ((w_plain, "plain"), (w_tight, "screened")):
                wrong = np.flatnonzero(zero & (np.abs(optimum) > threshold))
                assert wrong.size == 0, (
                    f"{case}: the sphere test certifies {wrong.tolist()} zero "
                    f"but the {name} optimum has {optimum[wrong]}"
                )
    if case.X.shape[1] > case.X.shape[0]:
        assert n_certified > 0  # on wide data the rule has work to do


# --- what the kernel itself left out ------------------------------------------


def kernel_path(case, alphas, *, tol, dtype=np.float64):
    """Solve along ``alphas`` as ``enet_path`` does, reading the kernel's
    decisions after each solve.

    Warm starts, one path state and one workspace for every solve, and the
    working set seeded by the sequential strong rule. Yields ``(alpha, w,
    gap, out, parked)`` per alpha, ``out`` and ``parked`` the masks of
    :func:`l1l2._cd_fast.discarded_features` for that solve.
    """
    n_samples, n_features = case.X.shape
    correlations = fresh_correlations(n_features, np.dtype(dtype))
    workspace = Workspace()
    w, previous = None, None
    for alpha in alphas:
        strong_l1 = 0.0
        if previous is not None and 2 * alpha > previous:
            strong_l1 = (2 * alpha - previous) * case.l1_ratio * n_samples
        w, gap, _ = case.solve(
            alpha,
            w0=w,
            tol=tol,
            dtype=dtype,
            strong_l1=strong_l1,
            correlations=correlations,
            workspace=workspace,
        )
        out, parked = discarded_features(correlations)
        yield alpha, w, gap, out, parked
        previous = alpha


@pytest.mark.parametrize("centred", [False, True])
def test_drift_bounds_hold_and_are_tight(centred):
    # What the solver trusts a stale correlation by (drift_bounds: its own
    # _move and _drift_bound on the norms of column_statistics). The bound
    # min(||xt_j||_S ||dr||_S, l1norm_j max|dr_i|) must hold for every
    # column, and is attained by a column along dr (Cauchy-Schwarz) and, for
    # uncentred X, by a column that is 1 at dr's largest entry and 0 elsewhere
    # (Hoelder): any smaller bound would trust a correlation beyond how far
    # it can have moved.
    rng = np.random.default_rng(4)
    n_samples = 50
    s = rng.uniform(0.2, 3.0, n_samples)
    start = rng.standard_normal(n_samples)
    move = rng.standard_normal(n_samples)
    if centred:
        move -= s @ move / s.sum()  # a centred column can only align with that
    peak = int(np.argmax(np.abs(move)))
    one_hot = np.zeros(n_samples)
    one_hot[peak] = 1.0
    X = np.column_stack([move + 3.0, -2.0 * move + 1.0, one_hot,
                         rng.standard_normal((n_samples, 20))])
    tight = [0, 1] if centred else [0, 1, 2]
    if not centred:
        X[:, :2] = np.column_stack([move, -2.0 * move])
    X = np.asfortranarray(X)
    offset = s @ X / s.sum() if centred else np.zeros(X.shape[1])
    _, _, norm, l1norm = column_statistics(
        X, np.empty(0), np.empty(0, np.intc), np.empty(0, np.intc), False, s, offset
    )
    bounds = drift_bounds(norm, l1norm, start + move, start, s)
    moved = np.abs((X - offset).T @ (s * move))
    assert np.all(moved <= bounds * (1 + 1e-12))
    np.testing.assert_allclose(moved[tight], bounds[tight], rtol=1e-12)


# (dtype, tol, how far outside its constraint, relative to its threshold, a
# parked feature may be at the returned point: rounding of the kernel's
# correlations, which float32 sums in double from float32 residuals).
DECISION_RUNS = [(np.float64, TIGHT, 1e-9), (np.float64, 1e-4, 1e-9),
                 (np.float32, 1e-6, 1e-4)]
# The path of the decision tests, as fractions of alpha_max: long enough for
# features to be screened at one alpha and parked at the next.
DECISION_FRACTIONS = np.geomspace(0.9, 0.01, 20)


def plain_path(case, alphas):
    """Plain coordinate descent at tol=1e-12 along ``alphas``, warm-started:
    the reference of every solve."""
    solutions, w = [], None
    for alpha in alphas:
        w, gap, n_iter = case.solve(alpha, w0=w, **PLAIN)
        assert n_iter < MAX_ITER
        solutions.append((alpha, w, gap, n_iter))
    return solutions


def check_decisions(case, solutions, dtype, tol, parked_rtol):
    """Check every solve of a kernel path against the plain references.

    A screened feature must be zero at the optimum (the plain tight solve,
    within what its gap allows); a parked one must satisfy its dual
    constraint at the dual point of the returned solution, or the returned
    gap would miss its conjugate. Returns how many of each were checked.
    """
    norm2 = np.einsum("ij,ij,i->j", case.Xc, case.Xc, case.s)
    usable = np.isfinite(case.f) & (norm2 > 0)
    n_screened = n_parked = 0
    alphas = [alpha for alpha, *_ in solutions]
    path = kernel_path(case, alphas, tol=tol, dtype=dtype)
    for (alpha, w, _, out, parked), (_, w_plain, gap_plain, _) in zip(
        path, solutions, strict=True
    ):
        problem = case.problem(alpha)
        what = f"{case}, {np.dtype(dtype).name}, tol={tol:g}, alpha={alpha:.4g}"
        assert np.all(w[out] == 0) and np.all(w[parked] == 0), what
        screened = out & usable
        threshold, _ = clear_threshold(problem, w_plain, gap_plain, w_plain, gap_plain)
        wrong = np.flatnonzero(screened & (np.abs(w_plain) > threshold))
        assert wrong.size == 0, (
            f"{what}: the kernel screened {wrong.tolist()}, non-zero at the "
            f"optimum ({w_plain[wrong]})"
        )
        point = DualPoint(case, problem, w, considered=~out & ~parked)
        excess = point.outside(case)[parked] / point.l1[parked]
        assert np.all(excess <= parked_rtol), (
            f"{what}: parked features {np.flatnonzero(parked)[excess > parked_rtol]} "
            f"are outside their constraint by {excess.max():.3g} of it"
        )
        n_screened += int(screened.sum())
        n_parked += int(parked.sum())
    return n_screened, n_parked


@pytest.mark.parametrize("key", CASE_KEYS, ids=CASE_IDS)
def test_kernel_screens_and_parks_only_what_it_may(key):
    # Every family of the cases above (dense, CSC, weights, penalty factors,
    # bounds, positive; Lasso and Elastic-Net; float64 and float32), along
    # a warm-started path, at a tight and at a loose tolerance.
    case = make_case(*key)
    solutions = plain_path(case, DECISION_FRACTIONS * case.norm_scale)
    counts = sum(
        np.array(check_decisions(case, solutions, *run)) for run in DECISION_RUNS
    )
    if case.X.shape[1] > case.X.shape[0]:
        assert counts[0] > 0  # screening had work to do
    if case.projection is None and case.fmt == "csc":
        assert counts[1] > 0  # so had parking (short columns)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("seed", range(10))
def test_kernel_decisions_on_cross_validation_folds(seed, fmt):
    # LassoCV's use: each fold solves the grid of all the data, so that the
    # fold's first alphas may already be below its own alpha_max, and its
    # columns (a quarter stored) are short enough to be parked.
    X, y = sparse_problem(90, 60, density=0.15, seed=seed)
    X = X.toarray()
    x_mean = X.mean(axis=0)
    scale = np.max(np.abs((X - x_mean).T @ (y - y.mean()))) / X.shape[0]
    alphas = scale * np.geomspace(1.0, 0.01, 30)
    for fold in np.array_split(np.random.default_rng(seed).permutation(90), 3):
        rows = np.setdiff1d(np.arange(90), fold)
        case = Case(X[rows], y[rows], l1_ratio=1.0, fmt=fmt, fit_intercept=True,
                    label=f"fold-{seed}-{fmt}")
        check_decisions(case, plain_path(case, alphas), np.float64, TIGHT, 1e-9)


def test_gap_safe_rule_discards_exactly_outside_the_sphere():
    # The solver's own rule (its radius and its test, through
    # gap_safe_discards): the optimal dual point is within sqrt(2 gap) of a
    # feasible one in the S-norm (the dual is 1-strongly concave), so
    # x_j^T S theta* is within sqrt(2 gap) ||x_j||_S of x_j^T S theta. A
    # feature is discarded exactly when that interval stays inside its
    # threshold; a hair less reach than this discards features that the
    # sphere does not prove zero.
    rng = np.random.default_rng(0)
    n = 400
    norm = rng.uniform(0.1, 10.0, n)
    l1 = rng.uniform(1.0, 5.0, n)
    gap = 1e-3
    reach = np.sqrt(2.0 * gap) * norm
    sign = rng.choice([-1.0, 1.0], n)
    free = np.full(n, -np.inf), np.full(n, np.inf)
    for margin, discarded in ((1.0 + 1e-6, True), (1.0 - 1e-6, False)):
        v = sign * (l1 - margin * reach)
        assert np.all(gap_safe_discards(v, gap, norm, l1, *free) == discarded)
    # A bound at 0 lifts one side of the interval: only the other counts.
    v = -(l1 - (1.0 - 1e-6) * reach)  # the lower side is within reach
    assert not np.any(gap_safe_discards(v, gap, norm, l1, *free))
    positive = np.zeros(n), np.full(n, np.inf)
    assert np.all(gap_safe_discards(v, gap, norm, l1, *positive))
    negative = np.full(n, -np.inf), np.zeros(n)
    assert not np.any(gap_safe_discards(v, gap, norm, l1, *negative))
    assert np.all(gap_safe_discards(-v, gap, norm, l1, *negative))


# --- the duality gap is honest ------------------------------------------------


HONESTY_RUNS = [
    dict(tol=1e-2),
    dict(tol=1e-4),
    dict(tol=1e-7),
    dict(tol=1e-14, max_iter=1),
    dict(tol=1e-14, max_iter=2),
    dict(tol=1e-14, max_iter=5),
    dict(tol=1e-14, max_iter=20),
]


@pytest.mark.parametrize("key", CASE_KEYS, ids=CASE_IDS)
def test_reported_gap_bounds_true_suboptimality(key):
    case, solutions = reference_solutions(key)
    for alpha, w_plain, _, _ in solutions:
        problem = case.problem(alpha)
        slack = gap_slack(problem)
        w_best, gap_best, _ = case.solve(alpha, tol=1e-14, **PLAIN)
        optimum = min(
            case.objective(problem, w_plain),
            case.objective(problem, w_best),
            case.objective(problem, case.solve(alpha, tol=1e-14)[0]),
        )
        for run in HONESTY_RUNS:
            for options in (
                {},
                PLAIN,
                dict(anderson=0),
                dict(working_set=False),
                dict(screening=False),
            ):
                w, gap, n_iter = case.solve(alpha, **run, **options)
                if "max_iter" in run:
                    assert n_iter <= run["max_iter"]
                excess = case.objective(problem, w) - optimum
                assert excess <= gap + slack, (
                    f"{case}, alpha={alpha:.4g}, {run}, {options}: the gap "
                    f"{gap:.3e} is below the suboptimality {excess:.3e}"
                )
                assert gap >= -slack


# --- random small problems ----------------------------------------------------


@st.composite
def small_problems(draw):
    n_samples = draw(st.integers(3, 25))
    n_features = draw(st.integers(1, 30))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    X += draw(st.floats(0.0, 0.9)) * rng.standard_normal((n_samples, 1))
    if draw(st.booleans()):
        X[rng.uniform(size=X.shape) < 0.6] = 0.0
    y = X @ (rng.standard_normal(n_features) * (rng.uniform(size=n_features) < 0.4))
    y += 0.3 * rng.standard_normal(n_samples) + draw(st.floats(-2.0, 2.0))
    kwargs = dict(
        l1_ratio=draw(st.sampled_from([1.0, 0.5, 0.9])),
        fmt=draw(st.sampled_from(["dense", "csc"])),
        fit_intercept=draw(st.booleans()),
    )
    if draw(st.booleans()):
        kwargs["sample_weight"] = rng.uniform(0.1, 3.0, n_samples)
    if draw(st.booleans()):
        kwargs["penalty_factor"] = rng.choice([0.5, 1.0, 2.0, np.inf], n_features)
    if draw(st.booleans()):
        kwargs["lower"] = 0.0
    fraction = draw(st.floats(0.005, 1.2))
    return Case(X, y, label=f"hypothesis-{seed}", **kwargs), fraction


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(small_problems())
def test_random_small_problems(example):
    case, fraction = example
    if not case.norm_scale > 0:
        # Nothing to fit (y constant after centring, or every feature
        # excluded): at any alpha the solution is 0, certified by a zero gap.
        problem = case.problem(1.0)
        w, gap, _ = case.solve(1.0)
        assert np.all(w == 0)
        assert abs(gap) <= gap_slack(problem)
        return
    alpha = fraction * case.norm_scale
    problem = case.problem(alpha)
    w_plain, gap_plain, _ = case.solve(alpha, tol=1e-13, **PLAIN)
    w, gap, _ = case.solve(alpha, tol=1e-13)
    bound = case.tolerance(problem, 1e-13) + gap_slack(problem)
    assert gap <= bound and gap_plain <= bound
    assert_same_solution(case, problem, w, gap, w_plain, gap_plain, "defaults")
    zero, _ = certified_zeros(case, problem, case.solve(alpha, max_iter=2)[0])
    threshold, _ = clear_threshold(problem, w, gap, w_plain, gap_plain)
    assert not np.any(zero & (np.abs(w_plain) > threshold))
