"""Regularisation paths: ``l1l2.enet_path`` and ``l1l2.lasso_path``.

The references are independent of l1l2: scikit-learn's ``enet_path`` and
``lasso_path`` run at a much tighter tolerance on the same alphas, closed
forms (the first step off ``alpha_max``, Ridge, least squares for
unpenalised features), exact identities (integer weights are repeated rows,
a penalty factor is a column rescaling for the Lasso, an excluded feature is
a dropped column, the intercept is centring), and a duality gap computed
here in numpy.

The path objective, without intercept unless ``fit_intercept=True`` is
passed (scikit-learn's path never fits one):

    P(w) = 1/(2 n) sum_i s_i (y_i - x_i.w)^2
           + alpha * sum_j f_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2)
"""

import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import (
    coef_distance_bound,
    enet_kkt_bound,
    enet_kkt_violation,
    gap_rounding_slack,
)
from optimality import Problem, check_optimal, coef_tolerance, sparse_problem
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import enet_path as sk_enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path
from sklearn.model_selection import KFold
from sklearn.utils._param_validation import InvalidParameterError

from l1l2 import ElasticNet, Lasso, enet_path, lasso_path

OUR_TOL = 1e-10
SK_TOL = 1e-12
MAX_ITER = 200_000
# Lasso coefficients must agree with scikit-learn's to this fraction of the
# largest coefficient at that alpha.
LASSO_COEF_RTOL = 1e-7
# (eps, n_alphas) of the automatic grid used in the comparisons: p > n data
# stops at 1e-2 alpha_max, as glmnet does.
GRIDS = {"wide": (1e-2, 20), "tall": (1e-3, 20), "sparse": (1e-2, 20)}


# --- data and references -----------------------------------------------------


@pytest.fixture(scope="module")
def sparse_data():
    """A genuinely sparse 80 x 150 design (10 % non-zeros, shifted values)."""
    X, y = sparse_problem(80, 150, density=0.1, seed=3)
    return X.tocsc(), y


@pytest.fixture
def dataset(request, wide, tall, sparse_data):
    """(name, X dense float64, y) for the parametrised data set."""
    name = request.param
    if name == "sparse":
        X, y = sparse_data
        return name, X.toarray(), np.asarray(y, dtype=np.float64)
    X, y = {"wide": wide, "tall": tall}[name]
    return name, np.asarray(X), np.asarray(y)


def as_format(X, fmt):
    """X as a dense F-ordered array or as a CSC matrix."""
    if fmt == "csc":
        return sparse.csc_matrix(X)
    return np.asfortranarray(X)


def sk_path(X, y, *, l1_ratio, alphas, eps=1e-3, **kwargs):
    """scikit-learn's path at a tight tolerance (``alphas`` int: its grid)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return sk_enet_path(
            X,
            y,
            l1_ratio=l1_ratio,
            alphas=alphas,
            eps=eps,
            tol=SK_TOL,
            max_iter=MAX_ITER,
            **kwargs,
        )


def sk_grid(X, y, *, l1_ratio, n_alphas, eps, positive=False):
    """scikit-learn's automatic grid alone (one epoch per alpha)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return sk_enet_path(
            X,
            y,
            l1_ratio=l1_ratio,
            alphas=n_alphas,
            eps=eps,
            positive=positive,
            max_iter=1,
        )[0]


def path_objective(X, y, coef, alpha, l1_ratio, factors=None, sample_weight=None):
    """P(w) above, in float64, with X dense and no intercept."""
    X = np.asarray(X, dtype=np.float64)
    coef = np.asarray(coef, dtype=np.float64)
    n_samples = X.shape[0]
    s = np.ones(n_samples)
    if sample_weight is not None:
        s = np.asarray(sample_weight, dtype=np.float64)
        s = s * (n_samples / s.sum())
    f = np.ones(X.shape[1]) if factors is None else np.asarray(factors, np.float64)
    kept = np.isfinite(f)
    residual = np.asarray(y, dtype=np.float64) - X @ coef
    penalty = np.sum(
        f[kept]
        * (l1_ratio * np.abs(coef[kept]) + 0.5 * (1 - l1_ratio) * coef[kept] ** 2)
    )
    return 0.5 * float(s @ residual**2) / n_samples + alpha * penalty


def rounding_slack(y, sample_weight=None):
    """A few hundred ulps of ``y^T S y / n``: the noise floor of a gap (the
    paths here have no intercept)."""
    return gap_rounding_slack(y, sample_weight, fit_intercept=False)


def distance_allowed(X, coefs, excesses, alpha, l1_ratio, sample_weight=None):
    """Largest distance between near-optimal points ``excesses`` above P*
    (conftest's strong-convexity bound, without intercept)."""
    return float(coef_distance_bound(X, coefs, excesses, alpha, l1_ratio,
                                     sample_weight, fit_intercept=False))


def assert_matches_reference(
    X, y, alphas, coefs, gaps, ref_coefs, l1_ratio, sample_weight=None, factors=None
):
    """Our path against a tighter reference path on the same alphas.

    Per alpha: our objective is at most our reported gap above the
    reference's (the reference is never below the optimum); Lasso
    coefficients agree to ``LASSO_COEF_RTOL`` of the largest one; for the
    Elastic-Net, whose iterates stop as soon as the gap allows, the distance
    must be within what the gap certifies.
    """
    X = np.asarray(X, dtype=np.float64)
    slack = rounding_slack(y, sample_weight)
    for i, alpha in enumerate(alphas):
        ours = path_objective(
            X, y, coefs[:, i], alpha, l1_ratio, factors, sample_weight
        )
        theirs = path_objective(
            X, y, ref_coefs[:, i], alpha, l1_ratio, factors, sample_weight
        )
        assert ours - theirs <= gaps[i] + slack, (
            f"alpha #{i}={alpha:.4g}: our objective {ours!r} exceeds the "
            f"reference's {theirs!r} by more than our gap {gaps[i]:.3e}"
        )
        distance = float(np.max(np.abs(coefs[:, i] - ref_coefs[:, i])))
        scale = max(np.max(np.abs(ref_coefs[:, i])), np.max(np.abs(coefs[:, i])))
        if l1_ratio == 1.0:
            allowed = LASSO_COEF_RTOL * scale
        else:
            ours_excess = gaps[i] + slack
            allowed = distance_allowed(
                X,
                [coefs[:, i], ref_coefs[:, i]],
                [ours_excess, theirs - ours + ours_excess],
                alpha,
                l1_ratio,
                sample_weight,
            )
            allowed = max(allowed, LASSO_COEF_RTOL * scale)
        assert distance <= allowed, (
            f"alpha #{i}={alpha:.4g}: coefficients differ by {distance:.3e}, "
            f"more than the {allowed:.3e} allowed"
        )


def assert_path_kkt(X, y, alphas, coefs, gaps, l1_ratio):
    """Every point of a path (no intercept) satisfies the optimality
    conditions to what its reported duality gap allows: conftest's
    per-feature KKT bound at suboptimality ``gap + rounding``."""
    X = np.asarray(X, dtype=np.float64)
    slack = rounding_slack(y)
    for i, alpha in enumerate(alphas):
        violation = enet_kkt_violation(X, y, coefs[:, i], 0.0, alpha, l1_ratio)
        bound = enet_kkt_bound(X, coefs[:, i], alpha, l1_ratio, gaps[i] + slack,
                               fit_intercept=False)
        worst = int(np.argmax(violation - bound))
        assert violation[worst] <= bound[worst], (
            f"alpha #{i}={alpha:.4g}: feature {worst} violates its optimality "
            f"condition by {violation[worst]:.3e} > {bound[worst]:.3e}"
        )


# --- agreement with scikit-learn ---------------------------------------------


@pytest.mark.parametrize("dataset", ["wide", "tall", "sparse"], indirect=True)
@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_enet_path_matches_sklearn(dataset, fmt, l1_ratio):
    name, X, y = dataset
    eps, n_alphas = GRIDS[name]
    X_in = as_format(X, fmt)
    sk_alphas, sk_coefs, _ = sk_path(
        X_in, y, l1_ratio=l1_ratio, alphas=n_alphas, eps=eps
    )
    alphas, coefs, gaps = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=sk_alphas,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
    )

    np.testing.assert_array_equal(alphas, sk_alphas)
    assert coefs.shape == sk_coefs.shape == (X.shape[1], n_alphas)
    assert np.all(gaps <= OUR_TOL * float(y @ y) / y.shape[0])
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, l1_ratio)
    # The path reaches well into the active region (the test means something).
    assert np.count_nonzero(coefs[:, -1]) >= 10


@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_lasso_path_matches_sklearn(diabetes, fmt):
    X, y = diabetes
    X_in = as_format(X, fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk_alphas, sk_coefs, _ = sk_lasso_path(
            X_in, y, alphas=30, tol=SK_TOL, max_iter=MAX_ITER
        )
    alphas, coefs, gaps = lasso_path(
        X_in, y, alphas=sk_alphas, tol=OUR_TOL, max_iter=MAX_ITER
    )
    np.testing.assert_array_equal(alphas, sk_alphas)
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, 1.0)
    # lasso_path is enet_path with l1_ratio=1, call for call.
    same = enet_path(
        X_in, y, l1_ratio=1.0, alphas=sk_alphas, tol=OUR_TOL, max_iter=MAX_ITER
    )
    np.testing.assert_array_equal(coefs, same[1])
    np.testing.assert_array_equal(gaps, same[2])


# --- the automatic grid --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize(
    "eps, n_alphas", [(1e-3, 100), (1e-2, 30), (0.25, 4), (0.1, 1)]
)
def test_grid_equals_sklearn(wide, fmt, l1_ratio, positive, eps, n_alphas):
    X, y = wide
    X_in = as_format(X, fmt)
    sk_alphas = sk_grid(
        X_in, y, l1_ratio=l1_ratio, n_alphas=n_alphas, eps=eps, positive=positive
    )
    alphas, coefs, _ = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        eps=eps,
        alphas=n_alphas,
        positive=positive,
        max_iter=1,
    )
    assert alphas.shape == (n_alphas,)
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12, atol=0)
    expected_max = np.max(X.T @ y if positive else np.abs(X.T @ y)) / (
        X.shape[0] * l1_ratio
    )
    assert alphas[0] == pytest.approx(expected_max, rel=1e-12)
    if n_alphas > 1:
        assert alphas[-1] == pytest.approx(eps * expected_max, rel=1e-12)
        ratios = alphas[1:] / alphas[:-1]
        np.testing.assert_allclose(ratios, eps ** (1 / (n_alphas - 1)), rtol=1e-12)


def test_degenerate_grid_equals_sklearn():
    # positive=True with every correlation negative: alpha_max is 0 and both
    # libraries return a constant grid of float resolution, with zero coefs.
    rng = np.random.default_rng(4)
    X = np.abs(rng.standard_normal((20, 5)))
    y = -X @ np.ones(5)
    sk_alphas = sk_grid(X, y, l1_ratio=1.0, n_alphas=5, eps=1e-3, positive=True)
    alphas, coefs, _ = enet_path(X, y, l1_ratio=1.0, alphas=5, positive=True)
    np.testing.assert_array_equal(alphas, sk_alphas)
    np.testing.assert_array_equal(coefs, 0.0)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_zero_above_alpha_max_and_first_step_below(wide, fmt, l1_ratio):
    X, y = wide
    X_in = as_format(X, fmt)
    n_samples = X.shape[0]
    correlation = X.T @ y
    j = int(np.argmax(np.abs(correlation)))
    alpha_max = abs(correlation[j]) / (n_samples * l1_ratio)
    alpha_below = alpha_max * (1 - 1e-3)
    alphas, coefs, gaps = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=[alpha_max * (1 + 1e-9), alpha_max, alpha_below],
        tol=1e-12,
        max_iter=MAX_ITER,
    )
    np.testing.assert_array_equal(coefs[:, :2], 0.0)
    # Just below alpha_max only the most correlated feature moves, and by a
    # closed form: its 1-D Elastic-Net solution.
    assert np.flatnonzero(coefs[:, 2]).tolist() == [j]
    norm2 = float(X[:, j] @ X[:, j])
    expected = (
        correlation[j] - np.sign(correlation[j]) * n_samples * alpha_below * l1_ratio
    ) / (norm2 + n_samples * alpha_below * (1 - l1_ratio))
    assert coefs[j, 2] == pytest.approx(expected, rel=1e-9)
    assert np.all(gaps <= 1e-12 * float(y @ y) / n_samples)


# --- return values -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("tol", [1e-3, 1e-6])
def test_return_values(wide, fmt, tol):
    X, y = wide
    X_in = as_format(X, fmt)
    result = enet_path(
        X_in, y, l1_ratio=0.7, alphas=15, eps=1e-2, tol=tol, return_n_iter=True
    )
    assert len(result) == 4
    alphas, coefs, dual_gaps, n_iters = result
    assert alphas.shape == (15,)
    assert coefs.shape == (X.shape[1], 15)
    assert coefs.dtype == np.float64
    assert dual_gaps.shape == (15,)
    assert len(n_iters) == 15
    assert all(isinstance(n, int | np.integer) and 0 <= n <= 1000 for n in n_iters)
    assert n_iters[0] == 0  # alpha_max: w = 0 is the solution, no epoch
    assert all(n >= 1 for n in n_iters[1:])
    # Converged at every alpha: the gap is below tol * ||y||^2 / n, and it is
    # not a negative artefact.
    bound = tol * float(y @ y) / X.shape[0]
    assert np.all(dual_gaps <= bound)
    assert np.all(dual_gaps >= -rounding_slack(y))
    without = enet_path(X_in, y, l1_ratio=0.7, alphas=15, eps=1e-2, tol=tol)
    assert len(without) == 3
    np.testing.assert_array_equal(without[1], coefs)


def test_float32_path_stays_float32(wide):
    X, y = wide
    X32 = np.asfortranarray(X, dtype=np.float32)
    tol = 1e-5
    alphas, coefs, gaps = lasso_path(
        X32, y.astype(np.float32), alphas=8, eps=1e-2, tol=tol
    )
    assert coefs.dtype == np.float32
    reference = lasso_path(X, y, alphas=alphas, tol=1e-12)[1]
    # float32 solutions are as good as their tolerance promises, up to the
    # rounding of the data to float32.
    scale = float(y @ y) / y.shape[0]
    for i, alpha in enumerate(alphas):
        ours = path_objective(X, y, coefs[:, i], alpha, 1.0)
        best = path_objective(X, y, reference[:, i], alpha, 1.0)
        assert ours - best <= (tol + 16 * np.finfo(np.float32).eps) * scale


@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_increasing_alphas_are_solved_in_decreasing_order(tall, fmt):
    X, y = tall
    X_in = as_format(X, fmt)
    decreasing = sk_path(X_in, y, l1_ratio=1.0, alphas=12, eps=1e-3)
    increasing = decreasing[0][::-1].copy()
    sk_alphas, sk_coefs, _ = sk_path(X_in, y, l1_ratio=1.0, alphas=increasing)
    np.testing.assert_array_equal(sk_alphas, decreasing[0])

    alphas, coefs, gaps = lasso_path(
        X_in, y, alphas=increasing, tol=OUR_TOL, max_iter=MAX_ITER
    )
    np.testing.assert_array_equal(alphas, decreasing[0])
    # The caller's array is not sorted in place.
    np.testing.assert_array_equal(increasing, decreasing[0][::-1])
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, 1.0)
    # The same solves as the decreasing call, warm starts included.
    same = lasso_path(X_in, y, alphas=decreasing[0], tol=OUR_TOL, max_iter=MAX_ITER)
    np.testing.assert_array_equal(coefs, same[1])
    # A shuffled grid too.
    shuffled = np.random.default_rng(0).permutation(increasing)
    again = lasso_path(X_in, y, alphas=shuffled, tol=OUR_TOL, max_iter=MAX_ITER)
    np.testing.assert_array_equal(again[0], decreasing[0])
    np.testing.assert_array_equal(again[1], coefs)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_coef_init_is_a_warm_start(wide, fmt, l1_ratio):
    X, y = wide
    X_in = as_format(X, fmt)
    full = sk_path(X_in, y, l1_ratio=l1_ratio, alphas=12, eps=1e-2)
    start = full[1][:, 5].copy()
    alphas = full[0][5:]
    sk_coefs = sk_path(
        X_in, y, l1_ratio=l1_ratio, alphas=alphas, coef_init=start.copy()
    )[1]
    coef_init = start.copy()
    _, coefs, gaps, n_iters = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=alphas,
        coef_init=coef_init,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        return_n_iter=True,
    )
    np.testing.assert_array_equal(coef_init, start)  # not modified
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, l1_ratio)
    # Started at the solution of the first alpha: no work there beyond a
    # check of the gap and the steps (no epoch, as in scikit-learn).
    assert n_iters[0] == 0
    cold = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=alphas[:1],
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        return_n_iter=True,
    )
    assert cold[3][0] > 1


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_random_selection_matches_sklearn(wide, fmt, l1_ratio):
    X, y = wide
    X_in = as_format(X, fmt)
    sk_alphas, sk_coefs, _ = sk_path(X_in, y, l1_ratio=l1_ratio, alphas=12, eps=1e-2)
    alphas, coefs, gaps = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=sk_alphas,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        selection="random",
        random_state=0,
    )
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, l1_ratio)
    # The same seed gives the same path.
    again = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=sk_alphas,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        selection="random",
        random_state=0,
    )
    np.testing.assert_array_equal(again[1], coefs)


def test_inputs_are_not_modified(sparse_data):
    X, y = sparse_data
    X_dense = np.asfortranarray(X.toarray())
    weights = np.random.default_rng(1).uniform(0.5, 2.0, X.shape[0])
    factors = np.linspace(0.5, 2.0, X.shape[1])
    lower = np.full(X.shape[1], -1.0)
    coef_init = np.full(X.shape[1], 0.01)
    originals = [a.copy() for a in (X_dense, y, weights, factors, lower, coef_init)]
    X_csc = X.copy()
    for X_in in (X_dense, X_csc):
        enet_path(
            X_in,
            y,
            alphas=5,
            coef_init=coef_init,
            sample_weight=weights,
            penalty_factor=factors,
            lower_bounds=lower,
            fit_intercept=True,
        )
    for after, before in zip(
        (X_dense, y, weights, factors, lower, coef_init), originals, strict=True
    ):
        np.testing.assert_array_equal(after, before)
    np.testing.assert_array_equal(X_csc.toarray(), X.toarray())


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_positive_matches_sklearn(wide, fmt, l1_ratio):
    X, y = wide
    X_in = as_format(X, fmt)
    sk_alphas, sk_coefs, _ = sk_path(
        X_in, y, l1_ratio=l1_ratio, alphas=15, eps=1e-2, positive=True
    )
    alphas, coefs, gaps = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=15,
        eps=1e-2,
        positive=True,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
    )
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12, atol=0)
    assert np.all(coefs >= 0)
    assert np.any(coefs > 0)
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, l1_ratio)
    # Unconstrained, the path has negative coefficients: the constraint binds.
    free = enet_path(X_in, y, l1_ratio=l1_ratio, alphas=alphas, tol=1e-6)[1]
    assert np.any(free < 0)


# --- l1l2's extensions, passed through **params ------------------------------


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_integer_sample_weight_equals_repeated_rows(wide, fmt, l1_ratio, fit_intercept):
    X, y = wide
    rng = np.random.default_rng(7)
    weights = rng.integers(1, 4, X.shape[0])
    weights[::7] = 0  # a zero weight removes the row
    X_rep = np.repeat(X, weights, axis=0)
    y_rep = np.repeat(y, weights)
    common = dict(
        l1_ratio=l1_ratio,
        alphas=12,
        eps=1e-2,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        fit_intercept=fit_intercept,
    )
    alphas, coefs, gaps = enet_path(
        as_format(X, fmt), y, sample_weight=weights.astype(float), **common
    )
    rep_alphas, rep_coefs, _ = enet_path(as_format(X_rep, fmt), y_rep, **common)

    np.testing.assert_allclose(alphas, rep_alphas, rtol=1e-12, atol=0)
    # The repeated-rows problem is the reference (same P, n = sum(weights)).
    if fit_intercept:
        X_rep = X_rep - X_rep.mean(axis=0)
        y_rep = y_rep - y_rep.mean()
    assert_matches_reference(X_rep, y_rep, alphas, coefs, gaps, rep_coefs, l1_ratio)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_penalty_factor_is_a_column_rescaling(wide, fmt):
    # Lasso with factors f == Lasso on X_j / f_j, coefficient divided by f_j.
    X, y = wide
    rng = np.random.default_rng(5)
    factors = np.exp(rng.uniform(np.log(0.3), np.log(3.0), X.shape[1]))
    alphas, coefs, gaps = lasso_path(
        as_format(X, fmt),
        y,
        alphas=15,
        eps=1e-2,
        penalty_factor=factors,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
    )
    expected_max = np.max(np.abs(X.T @ y) / factors) / X.shape[0]
    assert alphas[0] == pytest.approx(expected_max, rel=1e-12)
    sk_alphas, sk_scaled, _ = sk_path(
        as_format(X / factors, fmt), y, l1_ratio=1.0, alphas=15, eps=1e-2
    )
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12, atol=0)
    sk_coefs = sk_scaled / factors[:, None]
    np.testing.assert_array_equal(coefs[:, 0], 0.0)
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, 1.0, factors=factors)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_zero_penalty_factor_is_fitted_first(wide, fmt, l1_ratio):
    X, y = wide
    n_samples, n_features = X.shape
    factors = np.ones(n_features)
    factors[[3, 50]] = 0.0
    factors[7] = 2.5
    alphas, coefs, gaps = enet_path(
        as_format(X, fmt),
        y,
        l1_ratio=l1_ratio,
        alphas=10,
        eps=1e-2,
        penalty_factor=factors,
        tol=1e-12,
        max_iter=MAX_ITER,
    )
    unpenalised = factors == 0
    X_U = X[:, unpenalised]
    beta = np.linalg.lstsq(X_U, y, rcond=None)[0]
    residual = y - X_U @ beta
    penalised = ~unpenalised
    reach = np.abs(X[:, penalised].T @ residual) / factors[penalised]
    expected_max = np.max(reach) / (n_samples * l1_ratio)
    assert alphas[0] == pytest.approx(expected_max, rel=1e-10)
    # Every solution is optimal for the problem with factors; at alpha_max
    # the unpenalised features hold the least-squares fit and the others are
    # 0, to the accuracy the gap certifies.
    for i in (0, 3, 9):
        problem = Problem(
            X, y, alphas[i], l1_ratio, penalty_factor=factors, fit_intercept=False
        )
        model = SimpleNamespace(coef_=coefs[:, i], dual_gap_=gaps[i], l1_ratio=l1_ratio)
        atol = coef_tolerance(problem, model)
        assert atol <= 1e-4 * np.max(np.abs(beta))  # a meaningful tolerance
        if i == 0:
            np.testing.assert_allclose(coefs[penalised, 0], 0.0, rtol=0, atol=atol)
            np.testing.assert_allclose(coefs[unpenalised, 0], beta, rtol=0, atol=atol)
        else:
            check_optimal(problem, coefs[:, i], 0.0, atol, gap=gaps[i])
    assert np.count_nonzero(coefs[penalised, 9]) >= 10


@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_infinite_penalty_factor_drops_the_feature(wide, fmt):
    X, y = wide
    n_features = X.shape[1]
    excluded = int(np.argmax(np.abs(X.T @ y)))  # the most correlated one
    factors = np.ones(n_features)
    factors[excluded] = np.inf
    alphas, coefs, gaps = lasso_path(
        as_format(X, fmt),
        y,
        alphas=10,
        eps=1e-2,
        penalty_factor=factors,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
    )
    kept = np.arange(n_features) != excluded
    reduced = lasso_path(
        as_format(X[:, kept], fmt),
        y,
        alphas=10,
        eps=1e-2,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
    )
    np.testing.assert_allclose(alphas, reduced[0], rtol=1e-12, atol=0)
    np.testing.assert_array_equal(coefs[excluded], 0.0)
    assert_matches_reference(X[:, kept], y, alphas, coefs[kept], gaps, reduced[1], 1.0)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_bounds_along_the_path(wide, fmt, l1_ratio):
    X, y = wide
    n_features = X.shape[1]
    free = enet_path(X, y, l1_ratio=l1_ratio, alphas=8, eps=1e-2, tol=1e-8)
    alphas, free_coefs = free[0], free[1]
    # Bounds that cut the free path on both sides.
    big = np.max(np.abs(free_coefs), axis=1)
    lower = np.full(n_features, -np.inf)
    upper = np.full(n_features, np.inf)
    upper[::3] = 0.4 * big[::3]
    lower[1::3] = -0.4 * big[1::3]
    lower[2::6] = 0.0
    _, coefs, gaps = enet_path(
        as_format(X, fmt),
        y,
        l1_ratio=l1_ratio,
        alphas=alphas,
        lower_bounds=lower,
        upper_bounds=upper,
        tol=1e-12,
        max_iter=MAX_ITER,
    )
    assert np.all(coefs >= lower[:, None]) and np.all(coefs <= upper[:, None])
    assert np.any(coefs == upper[:, None]) or np.any(coefs == lower[:, None])
    for i in range(1, len(alphas)):
        problem = Problem(
            X, y, alphas[i], l1_ratio, lower=lower, upper=upper, fit_intercept=False
        )
        model = SimpleNamespace(coef_=coefs[:, i], dual_gap_=gaps[i], l1_ratio=l1_ratio)
        check_optimal(
            problem, coefs[:, i], 0.0, coef_tolerance(problem, model), gap=gaps[i]
        )


def test_lower_bound_zero_is_positive(tall):
    X, y = tall
    by_bound = lasso_path(X, y, alphas=10, lower_bounds=0.0, tol=1e-8)
    by_flag = lasso_path(X, y, alphas=10, positive=True, tol=1e-8)
    for ours, theirs in zip(by_bound, by_flag, strict=True):
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("weighted", [False, True])
def test_fit_intercept_equals_centring_by_hand(sparse_data, fmt, l1_ratio, weighted):
    X, y = sparse_data
    X = X.toarray()
    weights = None
    if weighted:
        weights = np.random.default_rng(2).uniform(0.2, 3.0, X.shape[0])
    s = np.ones(X.shape[0]) if weights is None else weights
    X_c = X - s @ X / s.sum()
    y_c = y - s @ y / s.sum()
    common = dict(
        l1_ratio=l1_ratio,
        alphas=12,
        eps=1e-2,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        sample_weight=weights,
    )
    alphas, coefs, gaps = enet_path(as_format(X, fmt), y, fit_intercept=True, **common)
    by_hand = enet_path(X_c, y_c, **common)
    np.testing.assert_allclose(alphas, by_hand[0], rtol=1e-12, atol=0)
    assert_matches_reference(
        X_c, y_c, alphas, coefs, gaps, by_hand[1], l1_ratio, sample_weight=weights
    )
    # Without the intercept the path is a different one (the offset matters).
    uncentred = enet_path(as_format(X, fmt), y, **common)
    assert not np.allclose(uncentred[0], alphas)



@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("seed", [0, 4])
def test_warm_starts_with_implicit_centring_stay_exact(fmt, seed):
    # X is centred implicitly (offsets), so every correlation the solver
    # computes reads sum(S r). A warm-started solve refreshes stale
    # correlations before its first gap: a wrong sum(S r) there once made
    # a feature look far inside its constraint, parked it at the next
    # alpha, and returned a point that violates its optimality condition
    # with a reported gap of 0 (seed 4, third fold: LassoCV's folds).
    X, y = sparse_problem(90, 60, density=0.15, seed=seed)
    X = X.toarray()
    common = dict(l1_ratio=1.0, tol=OUR_TOL, max_iter=MAX_ITER)
    alphas = enet_path(X, y, fit_intercept=True, alphas=30, eps=1e-2, **common)[0]
    for rows, _ in KFold(3, shuffle=True, random_state=0).split(X):
        X_fold, y_fold = X[rows], y[rows]
        _, coefs, gaps = enet_path(as_format(X_fold, fmt), y_fold, alphas=alphas,
                                   fit_intercept=True, **common)
        X_c, y_c = X_fold - X_fold.mean(axis=0), y_fold - y_fold.mean()
        _, reference, _ = sk_enet_path(X_c, y_c, l1_ratio=1.0, alphas=alphas,
                                       tol=1e-14, max_iter=10**6)
        assert_matches_reference(X_c, y_c, alphas, coefs, gaps, reference, 1.0)

@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("shape, density", [((120, 300), 0.05), ((300, 400), 0.5)])
def test_irregular_alpha_grids_stay_exact(fmt, fit_intercept, shape, density):
    # With short columns (at most 128 stored values) each solve parks
    # features for the next alpha, which it guesses from the ratio of the
    # last two: on this grid the guess is sometimes below the next alpha
    # (its parked features are taken as they are) and sometimes above it
    # (they are tested again). Long columns (300 rows, or 150 stored
    # values) are parked on stale bounds only and refreshed at the start.
    X, y = sparse_problem(*shape, density=density, seed=3)
    X = X.toarray()
    common = dict(l1_ratio=1.0, tol=OUR_TOL, max_iter=MAX_ITER)
    alpha_max = enet_path(X, y, fit_intercept=fit_intercept, alphas=2,
                          **common)[0][0]
    alphas = alpha_max * np.array(
        [0.9, 0.8, 0.5, 0.48, 0.47, 0.2, 0.19, 0.05, 0.045, 0.04, 0.01, 0.009])
    _, coefs, gaps = enet_path(as_format(X, fmt), y, alphas=alphas,
                               fit_intercept=fit_intercept, **common)
    X_c, y_c = X, y
    if fit_intercept:
        X_c, y_c = X - X.mean(axis=0), y - y.mean()
    _, reference, _ = sk_enet_path(X_c, y_c, l1_ratio=1.0, alphas=alphas,
                                   tol=1e-14, max_iter=10**6)
    assert_matches_reference(X_c, y_c, alphas, coefs, gaps, reference, 1.0)


def test_unknown_params_raise_sklearns_value_error(wide):
    X, y = wide
    with pytest.raises(ValueError, match=r"Unexpected parameters in params: \['alpha"):
        enet_path(X, y, alphas=3, alpha=0.1)
    with pytest.raises(ValueError, match="Unexpected parameters.*do_screening"):
        lasso_path(X, y, alphas=3, do_screening=False)



@pytest.mark.parametrize(
    "name, bad",
    [("tol", -1.0), ("tol", np.nan), ("max_iter", 0), ("max_iter", 2.5),
     ("l1_ratio", 1.5), ("eps", 0.0), ("n_alphas", 0), ("alphas", 0),
     ("alphas", "many"), ("Xy", "Xy"), ("copy_X", "no"), ("selection", "bogus"),
     ("precompute", "never"), ("fit_intercept", "yes"), ("positive", None),
     ("random_state", "seed"), ("verbose", "loud")],
)
def test_invalid_parameters_raise_sklearns_error(diabetes, name, bad):
    # Valid values are remembered to skip their checks on later paths: a
    # bad value must still be refused after good ones were seen.
    X, y = diabetes
    good = {"tol": 1e-4, "max_iter": 1000, "l1_ratio": 1.0, "eps": 1e-3,
            "alphas": 5, "selection": "cyclic", "precompute": "auto",
            "fit_intercept": False, "positive": False, "random_state": None,
            "verbose": False}
    enet_path(X, y, **good)
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of enet_path"):
        enet_path(X, y, **{**good, name: bad})

def test_three_dimensional_y_raises(wide):
    # A 2-D y is the multi-task path (tests/test_multi_task_path.py).
    X, y = wide
    with pytest.raises(ValueError, match="dim 3"):
        enet_path(X, np.stack([y, y], axis=1)[:, :, None], alphas=3)


def test_ridge_needs_alphas(tall):
    X, y = tall
    with pytest.raises(ValueError, match="l1_ratio=0"):
        enet_path(X, y, l1_ratio=0.0)
    # With alphas given, l1_ratio=0 is Ridge: (X^T X + n alpha I) w = X^T y.
    n_samples, n_features = X.shape
    given = [10.0, 1.0, 0.01]
    alphas, coefs, gaps = enet_path(
        X, y, l1_ratio=0.0, alphas=given, tol=1e-14, max_iter=MAX_ITER
    )
    np.testing.assert_array_equal(alphas, given)
    assert np.all(gaps <= 1e-14 * float(y @ y) / n_samples)
    for i, alpha in enumerate(alphas):
        hessian = X.T @ X / n_samples + alpha * np.eye(n_features)
        exact = np.linalg.solve(hessian, X.T @ y / n_samples)
        # Within what the gap certifies: P is mu-strongly convex.
        mu = np.linalg.eigvalsh(hessian)[0]
        allowed = np.sqrt(2 * (max(gaps[i], 0.0) + rounding_slack(y)) / mu)
        assert np.linalg.norm(coefs[:, i] - exact) <= allowed
        assert allowed <= 1e-5 * np.linalg.norm(exact)


# --- single fits are points of the path -------------------------------------


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_single_fit_equals_path_point(wide, fmt, l1_ratio):
    X, y = wide
    X_in = as_format(X, fmt)
    alphas, coefs, gaps = enet_path(
        X_in,
        y,
        l1_ratio=l1_ratio,
        alphas=15,
        eps=1e-2,
        tol=OUR_TOL,
        max_iter=MAX_ITER,
        fit_intercept=True,
    )
    X_c = X - X.mean(axis=0)
    y_c = y - y.mean()
    for i in (2, 8, 14):
        if l1_ratio == 1.0:
            model = Lasso(alpha=alphas[i], tol=OUR_TOL, max_iter=MAX_ITER)
        else:
            model = ElasticNet(
                alpha=alphas[i], l1_ratio=l1_ratio, tol=OUR_TOL, max_iter=MAX_ITER
            )
        model.fit(X_in, y)
        assert model.intercept_ == pytest.approx(
            y.mean() - X.mean(axis=0) @ model.coef_, rel=1e-12, abs=1e-12
        )
        # Each is the reference of the other: both gaps certify.
        single = model.coef_[:, None]
        assert_matches_reference(
            X_c,
            y_c,
            alphas[i : i + 1],
            coefs[:, i : i + 1],
            gaps[i : i + 1],
            single,
            l1_ratio,
        )
        assert_matches_reference(
            X_c,
            y_c,
            alphas[i : i + 1],
            single,
            [model.dual_gap_],
            coefs[:, i : i + 1],
            l1_ratio,
        )


@pytest.mark.parametrize("model_class, l1_ratio", [(Lasso, 1.0), (ElasticNet, 0.5)])
@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_estimator_path_methods_solve_the_path(wide, model_class, l1_ratio, fmt):
    X, y = wide
    # API identity, as in scikit-learn (Lasso.path is lasso_path): it only
    # says which function runs, nothing about its numbers.
    assert model_class.path is (lasso_path if model_class is Lasso else enet_path)
    # The numbers, against independent references: scikit-learn's path at
    # tol=1e-12 on its own grid, and the optimality conditions at each alpha.
    X_in = as_format(X, fmt)
    sk_alphas, sk_coefs, _ = sk_path(X_in, y, l1_ratio=l1_ratio, alphas=6, eps=1e-2)
    extra = {} if model_class is Lasso else {"l1_ratio": l1_ratio}
    alphas, coefs, gaps = model_class().path(
        X_in, y, alphas=6, eps=1e-2, tol=OUR_TOL, max_iter=MAX_ITER, **extra
    )
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12, atol=0)
    assert_matches_reference(X, y, alphas, coefs, gaps, sk_coefs, l1_ratio)
    assert_path_kkt(X, y, alphas, coefs, gaps, l1_ratio)
    assert np.count_nonzero(coefs[:, -1]) >= 5  # the path is not trivial


# --- one sample -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_one_sample_path_without_intercept_matches_sklearn(wide, fmt, l1_ratio):
    # One equation x . w = y: a well-posed path, as in scikit-learn. The
    # Lasso puts it all on the column of largest |x_j| (alone in reaching
    # the threshold), w_j = (x_j y - alpha sign(x_j y)) / x_j^2.
    X, y = wide
    X1, y1 = X[:1], y[:1]
    X_in = as_format(X1, fmt)
    sk_alphas, sk_coefs, _ = sk_path(X_in, y1, l1_ratio=l1_ratio, alphas=8, eps=1e-3)
    alphas, coefs, gaps = enet_path(
        X_in, y1, l1_ratio=l1_ratio, alphas=8, eps=1e-3, tol=OUR_TOL,
        max_iter=MAX_ITER,
    )
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12, atol=0)
    assert_matches_reference(X1, y1, alphas, coefs, gaps, sk_coefs, l1_ratio)
    assert_path_kkt(X1, y1, alphas, coefs, gaps, l1_ratio)
    if l1_ratio == 1.0:
        x, target = X1[0], float(y1[0])
        j = int(np.argmax(np.abs(x)))
        expected = np.zeros((X.shape[1], alphas.size))
        expected[j] = (x[j] * target - alphas * np.sign(x[j] * target)) / x[j] ** 2
        np.testing.assert_allclose(coefs, expected, rtol=0,
                                   atol=LASSO_COEF_RTOL * np.abs(expected).max())
    assert np.count_nonzero(coefs[:, -1]) >= 1


@pytest.mark.parametrize("fmt", ["dense", "csc"])
@pytest.mark.parametrize("path", [lasso_path, enet_path])
def test_one_sample_path_with_intercept_is_scikit_learns_on_centred_data(wide, fmt,
                                                                         path):
    # Centred, one sample is all zeros: alpha_max is 0 and scikit-learn's
    # path of the centred data is its constant fallback grid with zero
    # coefficients. Ours must be the same, with zero gaps (the intercept
    # alone, y itself, fits exactly).
    X, y = wide
    X1, y1 = X[:1], y[:1]
    sk_alphas, sk_coefs, _ = sk_path(
        as_format(X1 - X1, fmt), y1 - y1, l1_ratio=1.0, alphas=5
    )
    alphas, coefs, gaps = path(as_format(X1, fmt), y1, alphas=5,
                               fit_intercept=True)
    np.testing.assert_array_equal(alphas, sk_alphas)
    np.testing.assert_array_equal(coefs, sk_coefs)
    np.testing.assert_array_equal(coefs, 0.0)
    np.testing.assert_array_equal(gaps, 0.0)


# --- real data ------------------------------------------------------------------


def lasso_dual_value(X, y, coef, alpha):
    """A lower bound on min P: the dual value of the rescaled residual.

    For the Lasso ``P(w) = ||y - X w||^2 / (2 n) + alpha ||w||_1``, any theta
    with ``||X^T theta||_inf <= n alpha`` gives ``P* >= (||y||^2 - ||y -
    theta||^2) / (2 n)``.
    """
    n_samples = X.shape[0]
    residual = y - X @ coef
    theta = residual * min(1.0, n_samples * alpha / np.max(np.abs(X.T @ residual)))
    return (y @ y - (y - theta) @ (y - theta)) / (2 * n_samples)


def test_riboflavin_path_reaches_benchmark_accuracy(riboflavin):
    # The accuracy of the path benchmark (benchmarks/bench_path.py):
    # relative suboptimality 1e-6 at every alpha of a 100-alpha path,
    # against scikit-learn's tol=1e-12 path.
    X, y = riboflavin
    X_c = np.asfortranarray(X - X.mean(axis=0))
    y_c = y - y.mean()
    alphas, coefs, gaps = lasso_path(
        X, y, alphas=100, tol=1e-8, fit_intercept=True, max_iter=MAX_ITER
    )
    sk_alphas, sk_coefs, _ = sk_path(X_c, y_c, l1_ratio=1.0, alphas=100)
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-12, atol=0)
    worst = 0.0
    for i, alpha in enumerate(alphas):
        ours = path_objective(X_c, y_c, coefs[:, i], alpha, 1.0)
        reference = path_objective(X_c, y_c, sk_coefs[:, i], alpha, 1.0)
        # Also an independent lower bound on the optimum: our own reported
        # gap plays no part in it.
        lower = max(
            lasso_dual_value(X_c, y_c, coefs[:, i], alpha),
            lasso_dual_value(X_c, y_c, sk_coefs[:, i], alpha),
        )
        assert ours - lower <= gaps[i] + rounding_slack(y_c)
        worst = max(
            worst, (ours - min(reference, ours)) / reference, (ours - lower) / lower
        )
    assert worst <= 1e-6


@pytest.mark.parametrize("selection", ["cyclic", "random"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
def test_covariance_path_in_one_call_equals_alpha_by_alpha_fits(
    tall, selection, l1_ratio
):
    """With a complete Gram matrix the path runs in one kernel call; each of
    its points must be what a warm-started estimator fit gives at that alpha
    (same kernel, same warm start), with weights, factors and bounds on."""
    X, y = tall
    n_samples, n_features = X.shape
    rng = np.random.default_rng(0)
    options = dict(
        sample_weight=rng.uniform(0.5, 2.0, n_samples),
        penalty_factor=np.r_[0.0, rng.uniform(0.5, 2.0, n_features - 1)],
        lower_bounds=np.full(n_features, -2.0),
        upper_bounds=np.full(n_features, 3.0),
    )
    alphas, coefs, gaps, n_iters = enet_path(
        X, y, l1_ratio=l1_ratio, alphas=25, eps=1e-3, precompute=True,
        fit_intercept=True, tol=1e-8, selection=selection, random_state=3,
        return_n_iter=True, **options,
    )
    model = ElasticNet(
        l1_ratio=l1_ratio, precompute=True, warm_start=True, tol=1e-8,
        selection=selection, random_state=3,
        penalty_factor=options["penalty_factor"],
        lower_bounds=options["lower_bounds"], upper_bounds=options["upper_bounds"],
    )
    scale = np.abs(coefs).max()
    slack = gap_rounding_slack(y, options["sample_weight"])
    for i, alpha in enumerate(alphas):
        model.set_params(alpha=alpha).fit(X, y, sample_weight=options["sample_weight"])
        np.testing.assert_allclose(model.coef_, coefs[:, i], rtol=0,
                                   atol=1e-12 * scale)
        assert model.n_iter_ == n_iters[i]
        assert model.dual_gap_ == pytest.approx(gaps[i], abs=slack)
    assert len(n_iters) == len(alphas) and min(n_iters) >= 1
    # The path is not trivial: the bounds bind and most features enter.
    assert np.count_nonzero(coefs[:, -1]) >= n_features // 2


def test_covariance_path_reports_progress(tall, capsys):
    X, y = tall
    enet_path(X, y, alphas=7, precompute=True, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7
    assert lines[0].startswith("Path: 1/7, alpha=") and "epochs=" in lines[-1]


def test_plain_arrays_and_converted_inputs_give_the_same_path(diabetes):
    # Float ndarrays skip check_array (a fast path for small problems); lists
    # and integer-valued inputs go through it: same path either way. Both
    # memory orders are kept as they come, and BLAS sums X^T y and X^T X in
    # another order for each: the same path up to rounding.
    X, y = diabetes
    reference = lasso_path(np.ascontiguousarray(X), y, alphas=10)
    alphas, coefs, gaps = lasso_path(X.tolist(), y.tolist(), alphas=10)
    np.testing.assert_array_equal(alphas, reference[0])
    np.testing.assert_array_equal(coefs, reference[1])
    for X_in, y_in in [(np.asfortranarray(X), y),
                       (np.asfortranarray(X), y.astype(np.float32))]:
        alphas, coefs, gaps = lasso_path(X_in, y_in, alphas=10)
        np.testing.assert_allclose(alphas, reference[0], rtol=1e-14)
        np.testing.assert_allclose(coefs, reference[1], rtol=1e-10,
                                   atol=1e-10 * np.abs(reference[1]).max())
    with pytest.raises(ValueError, match="NaN"):
        lasso_path(np.where(X > 0.1, np.nan, X), y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        lasso_path(X, y[:-1])


# --- scikit-learn 1.9's path API (issue 22) ----------------------------------


@pytest.mark.parametrize("path", [enet_path, lasso_path])
def test_n_alphas_and_alphas_none_are_deprecated_as_in_sklearn(diabetes, path):
    X, y = diabetes
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        by_int = path(X, y, alphas=7)
        default = path(X, y)
    with pytest.warns(FutureWarning, match="'n_alphas' was deprecated in 1.9 and "
                      "will be removed in 1.11"):
        by_n_alphas = path(X, y, n_alphas=7)
    with pytest.warns(FutureWarning, match="'alphas=None' is deprecated and will "
                      "be removed in 1.11"):
        by_none = path(X, y, alphas=None)
    for ours, theirs in ((by_n_alphas, by_int), (by_none, default)):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
    assert default[0].shape == (100,)
    # A given grid wins over n_alphas, as in scikit-learn.
    with pytest.warns(FutureWarning):
        alphas = path(X, y, n_alphas=7, alphas=[1.0, 0.1])[0]
    np.testing.assert_array_equal(alphas, [1.0, 0.1])


def test_int_alphas_is_sklearns_grid_of_that_many(diabetes):
    X, y = diabetes
    alphas = enet_path(X, y, l1_ratio=0.3, alphas=9, eps=1e-2)[0]
    sk_alphas = sk_enet_path(X, y, l1_ratio=0.3, alphas=9, eps=1e-2)[0]
    assert alphas.shape == (9,)
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-13)


def test_errors_name_the_function_called(diabetes):
    X, y = diabetes
    with pytest.raises(InvalidParameterError, match="'alphas' parameter of lasso_path"):
        lasso_path(X, y, alphas=0)
    with pytest.raises(InvalidParameterError, match="'alphas' parameter of enet_path"):
        enet_path(X, y, alphas=-1)
    with pytest.raises(ValueError, match="Unexpected parameters in params.*lasso_path"):
        lasso_path(X, y, normalize=True)


def test_xy_is_used_as_the_correlation(diabetes):
    X, y = diabetes
    X_c, y_c = X - X.mean(axis=0), y - y.mean()
    plain = enet_path(X_c, y_c, alphas=6, precompute=True)
    given = enet_path(X_c, y_c, alphas=6, precompute=True, Xy=X_c.T @ y_c)
    np.testing.assert_allclose(given[0], plain[0], rtol=1e-13)
    np.testing.assert_allclose(given[1], plain[1], rtol=1e-10, atol=1e-10)
    # The gaps agree up to rounding of the objective's scale.
    np.testing.assert_allclose(given[2], plain[2], atol=1e-14 * y_c @ y_c)
    # A wrong Xy is what the path uses, as in scikit-learn: twice X^T y
    # doubles alpha_max.
    doubled = enet_path(X_c, y_c, alphas=6, Xy=2 * X_c.T @ y_c)[0]
    assert doubled[0] == pytest.approx(2 * plain[0][0], rel=1e-12)
    with pytest.raises(ValueError, match=r"Xy must have shape \(10,\)"):
        enet_path(X_c, y_c, alphas=6, Xy=np.ones(3))


def test_xy_of_centred_or_weighted_data_is_recomputed(diabetes):
    X, y = diabetes
    plain = enet_path(X, y, alphas=6, fit_intercept=True)
    with pytest.warns(UserWarning, match="Xy was provided but X and y are centred"):
        given = enet_path(X, y, alphas=6, fit_intercept=True, Xy=X.T @ y)
    for a, b in zip(given, plain, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("precompute", ["auto", True, False])
def test_path_check_input_false_gives_the_checked_path(diabetes, precompute):
    X, y = diabetes
    X = np.asfortranarray(X)
    checked = enet_path(X, y, alphas=5, precompute=precompute, return_n_iter=True)
    unchecked = enet_path(X, y, alphas=5, precompute=precompute,
                          return_n_iter=True, check_input=False)
    for a, b in zip(unchecked, checked, strict=True):
        np.testing.assert_array_equal(a, b)


def test_path_gram_is_checked_only_with_input_check(diabetes):
    X, y = diabetes
    X = np.asfortranarray(X)
    right = X.T @ X
    wrong = right + np.diag(np.diag(right))
    with pytest.raises(ValueError, match=r"not pass validation: its entry \(0, 0\)"):
        enet_path(X, y, alphas=4, precompute=wrong)
    trusted = enet_path(X, y, alphas=[0.1], precompute=wrong, check_input=False)
    honest = enet_path(X, y, alphas=[0.1], precompute=right, check_input=False)
    assert not np.allclose(trusted[1], honest[1])
    np.testing.assert_allclose(honest[1], enet_path(X, y, alphas=[0.1])[1],
                               rtol=1e-6, atol=1e-6)
