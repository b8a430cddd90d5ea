"""Sample weights: rescaled to sum to n for Lasso and ElasticNet (so only
their ratios matter), raw for Ridge (scikit-learn's Ridge semantics).

The invariances tested here hold exactly in exact arithmetic: integer
weights are repeated rows, zero weights are dropped rows, a common factor
changes nothing. scikit-learn's weighted fits are the external reference.
"""

import warnings

import numpy as np
import pytest
from optimality import (
    Problem,
    allowed_gap,
    alpha_max,
    check_optimal,
    coef_tolerance,
    dense_problem,
    distance_bound,
    gap_slack,
    positive_weights,
    sparse_problem,
)
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Lasso, Ridge

TOL = 1e-12
MAX_ITER = 100_000
MODELS = {"lasso": 1.0, "enet": 0.5}


def data(layout, seed=0):
    """A wide sparse or a tall dense problem (each with an intercept)."""
    if layout == "sparse":
        return sparse_problem(60, 100, seed=seed)
    return dense_problem(150, 40, seed=seed)


def rows(X, index):
    """Rows of X (dense or sparse) in the given order, repeats allowed."""
    if sparse.issparse(X):
        return sparse.csc_matrix(X.tocsr()[index])
    return X[index]


def fit(name, X, y, sample_weight=None, alpha=None, **params):
    if alpha is None:
        alpha = alpha_max(X, y, MODELS[name], sample_weight) / 20
    params = {"tol": TOL, "max_iter": MAX_ITER, **params}
    if MODELS[name] == 1.0:
        model = Lasso(alpha=alpha, **params)
    else:
        model = ElasticNet(alpha=alpha, l1_ratio=MODELS[name], **params)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return model.fit(X, y, sample_weight=sample_weight)


def assert_same_model(name, a, b, problem):
    """Equal to 1e-8 (Lasso) or to what the two duality gaps allow (EN)."""
    atol = coef_tolerance(problem, a) + coef_tolerance(problem, b)
    scale = max(1.0, float(np.max(np.abs(b.coef_))))
    assert atol <= 1e-4 * scale  # the gaps are small enough to mean something
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=atol)
    intercept_atol = atol * (np.linalg.norm(problem.x_mean) + 1.0)
    assert abs(a.intercept_ - b.intercept_) <= intercept_atol


def integer_weights(n_samples, seed=0):
    """Weights in {0, 1, 2, 3}, each value present."""
    weights = np.random.default_rng(seed).integers(0, 4, n_samples)
    weights[:4] = [0, 1, 2, 3]
    return weights


# --- invariances --------------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_integer_weights_equal_repeated_rows(name, layout, fit_intercept):
    X, y = data(layout)
    weights = integer_weights(X.shape[0])
    repeated = np.repeat(np.arange(X.shape[0]), weights)
    alpha = alpha_max(X, y, MODELS[name], weights, fit_intercept) / 20
    weighted = fit(name, X, y, weights, alpha, fit_intercept=fit_intercept)
    expanded = fit(
        name, rows(X, repeated), y[repeated], None, alpha, fit_intercept=fit_intercept
    )
    assert np.count_nonzero(weighted.coef_) >= 3
    problem = Problem.of(weighted, X, y, weights)
    assert_same_model(name, weighted, expanded, problem)
    # The weighted fit is the optimum of the weighted problem, its gap honest
    # and within the promised tolerance.
    assert -gap_slack(problem) <= weighted.dual_gap_ <= allowed_gap(problem, TOL)
    check_optimal(problem, weighted.coef_, weighted.intercept_,
                  coef_tolerance(problem, weighted), gap=weighted.dual_gap_)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_zero_weights_equal_dropping_rows(name, layout, fit_intercept):
    X, y = data(layout, seed=1)
    weights = positive_weights(X.shape[0], seed=1)
    dropped = np.random.default_rng(1).uniform(size=X.shape[0]) < 0.25
    weights[dropped] = 0.0
    kept = np.flatnonzero(~dropped)
    alpha = alpha_max(X, y, MODELS[name], weights, fit_intercept) / 20
    weighted = fit(name, X, y, weights, alpha, fit_intercept=fit_intercept)
    subset = fit(
        name, rows(X, kept), y[kept], weights[kept], alpha, fit_intercept=fit_intercept
    )
    problem = Problem.of(weighted, X, y, weights)
    assert_same_model(name, weighted, subset, problem)
    # Whatever the dropped rows hold is irrelevant.
    y_garbage = y.copy()
    y_garbage[dropped] = -1e3
    if sparse.issparse(X):
        X_garbage = X.tolil()
        X_garbage[np.flatnonzero(dropped), :5] = 1e3
        X_garbage = X_garbage.tocsc()
    else:
        X_garbage = X.copy()
        X_garbage[dropped] = 1e3
    garbage = fit(
        name, X_garbage, y_garbage, weights, alpha, fit_intercept=fit_intercept
    )
    assert_same_model(name, garbage, subset, problem)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("factor", [1e-3, 7.0, 1e5])
def test_scaled_weights_give_the_same_model(name, layout, factor):
    X, y = data(layout, seed=2)
    weights = positive_weights(X.shape[0], seed=2)
    alpha = alpha_max(X, y, MODELS[name], weights) / 20
    reference = fit(name, X, y, weights, alpha)
    scaled = fit(name, X, y, factor * weights, alpha)
    assert_same_model(name, scaled, reference, Problem.of(reference, X, y, weights))
    # Not the unweighted model: the weights matter.
    unweighted = fit(name, X, y, None, alpha)
    assert np.linalg.norm(unweighted.coef_ - reference.coef_) > 1e-3 * np.linalg.norm(
        reference.coef_
    )


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_equal_weights_are_no_weights(name, layout):
    X, y = data(layout, seed=3)
    alpha = alpha_max(X, y, MODELS[name]) / 20
    reference = fit(name, X, y, None, alpha)
    problem = Problem.of(reference, X, y)
    for weights in (np.full(X.shape[0], 2.5), 4.0):
        assert_same_model(name, fit(name, X, y, weights, alpha), reference, problem)


# --- against scikit-learn ----------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("divisor", [5, 50])
def test_matches_sklearn(name, layout, fit_intercept, divisor):
    X, y = data(layout, seed=4)
    weights = positive_weights(X.shape[0], seed=4)
    weights[::9] = 0.0
    l1_ratio = MODELS[name]
    alpha = alpha_max(X, y, l1_ratio, weights, fit_intercept) / divisor
    ours = fit(name, X, y, weights, alpha, fit_intercept=fit_intercept)
    params = {
        "alpha": alpha,
        "fit_intercept": fit_intercept,
        "tol": 1e-13,
        "max_iter": MAX_ITER,
    }
    theirs = (
        sklm.Lasso(**params)
        if l1_ratio == 1.0
        else sklm.ElasticNet(l1_ratio=l1_ratio, **params)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X, y, sample_weight=weights)
    problem = Problem.of(ours, X, y, weights)
    scale = float(np.max(np.abs(theirs.coef_)))
    assert np.count_nonzero(theirs.coef_) >= 2
    # 1e-6 relative; for the Elastic-Net, at least what the two reported
    # gaps allow (at tol=1e-12 its iterates may still be ~1e-6 away).
    atol = 1e-6 * scale
    if l1_ratio < 1.0:
        atol = max(atol, distance_bound(problem, ours.dual_gap_, theirs.dual_gap_))
    assert atol <= 1e-4 * scale
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=atol)
    intercept_scale = max(abs(theirs.intercept_), scale)
    intercept_atol = max(
        1e-6 * intercept_scale, atol * (np.linalg.norm(problem.x_mean) + 1.0)
    )
    assert abs(ours.intercept_ - theirs.intercept_) <= intercept_atol
    # Ours is the optimum of the weighted problem, to its reported gap.
    ours_value = problem.objective(ours.coef_, ours.intercept_)
    their_value = problem.objective(theirs.coef_, theirs.intercept_)
    assert ours_value - their_value <= max(ours.dual_gap_, 0) + gap_slack(problem)
    own_atol = 1e-8 * scale
    if l1_ratio < 1.0:
        own_atol = max(own_atol, distance_bound(problem, ours.dual_gap_))
    check_optimal(problem, ours.coef_, ours.intercept_, own_atol, gap=ours.dual_gap_)


# --- invalid weights ------------------------------------------------------------


ESTIMATORS = {
    "lasso": lambda: Lasso(alpha=0.1),
    "enet": lambda: ElasticNet(alpha=0.1, l1_ratio=0.5),
    "ridge": lambda: Ridge(alpha=1.0),
}


def _bad_weights(case, n_samples):
    weights = np.ones(n_samples)
    if case == "negative":
        weights[3] = -0.1
    elif case == "nan":
        weights[3] = np.nan
    elif case == "inf":
        weights[3] = np.inf
    elif case == "-inf":
        weights[3] = -np.inf
    elif case == "all-zero":
        weights[:] = 0.0
    elif case == "too-short":
        weights = weights[:-1]
    elif case == "too-long":
        weights = np.ones(n_samples + 1)
    elif case == "2-d":
        weights = weights[:, np.newaxis]
    elif case == "scalar-zero":
        weights = 0.0
    elif case == "scalar-negative":
        weights = -2.0
    return weights


BAD_CASES = [
    "negative",
    "nan",
    "inf",
    "-inf",
    "all-zero",
    "too-short",
    "too-long",
    "2-d",
    "scalar-zero",
    "scalar-negative",
]


@pytest.mark.parametrize("estimator", ESTIMATORS)
@pytest.mark.parametrize("case", BAD_CASES)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_invalid_weights_raise(estimator, case, layout):
    X, y = data(layout, seed=5)
    X_before = X.copy()
    with pytest.raises(ValueError, match="sample_weight"):
        ESTIMATORS[estimator]().fit(X, y, sample_weight=_bad_weights(case, len(y)))
    if sparse.issparse(X):
        assert (X != X_before).nnz == 0
    else:
        np.testing.assert_array_equal(X, X_before)


# --- Ridge: raw weights -------------------------------------------------------


# (solver, layout) pairs: 'svd' refuses sparse X (tested in test_sparse.py).
# scikit-learn's 'svd' refuses sparse X, its 'cholesky' sparse X with an
# intercept (these tests fit one).
RIDGE_CASES = [
    (solver, layout)
    for solver in ["auto", "cholesky", "svd", "lsqr", "sparse_cg", "cd"]
    for layout in ["dense", "sparse"]
    if not (solver in ("svd", "cholesky") and layout == "sparse")
]
ITERATIVE_PARAMS = {"cd": {"tol": 1e-14, "max_iter": MAX_ITER},
                    "lsqr": {"tol": 1e-14}, "sparse_cg": {"tol": 1e-14},
                    "auto": {"tol": 1e-14}}


def fit_ridge(solver, X, y, sample_weight, alpha=2.0, **params):
    params = {**ITERATIVE_PARAMS.get(solver, {}), **params}
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return Ridge(alpha=alpha, solver=solver, **params).fit(
            X, y, sample_weight=sample_weight
        )


def ridge_atol(solver, coef):
    scale = max(1.0, float(np.max(np.abs(coef))))
    return (1e-6 if solver == "cd" else 1e-9) * scale


@pytest.mark.parametrize("solver, layout", RIDGE_CASES)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_weights_match_sklearn(solver, layout, fit_intercept):
    X, y = data(layout, seed=6)
    weights = positive_weights(X.shape[0], seed=6)
    weights[::7] = 0.0
    ours = fit_ridge(solver, X, y, weights, fit_intercept=fit_intercept)
    X_dense = X.toarray() if sparse.issparse(X) else X
    exact = "cholesky" if X.shape[0] >= X.shape[1] else "svd"
    theirs = sklm.Ridge(alpha=2.0, fit_intercept=fit_intercept, solver=exact).fit(
        X_dense, y, sample_weight=weights
    )
    atol = ridge_atol(solver, theirs.coef_)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=atol)
    assert abs(ours.intercept_ - theirs.intercept_) <= atol * (
        1.0 + np.abs(X_dense).max() * X.shape[1]
    )


@pytest.mark.parametrize("solver, layout", RIDGE_CASES)
def test_ridge_integer_weights_equal_repeated_rows(solver, layout):
    X, y = data(layout, seed=7)
    weights = integer_weights(X.shape[0], seed=7)
    repeated = np.repeat(np.arange(X.shape[0]), weights)
    weighted = fit_ridge(solver, X, y, weights)
    expanded = fit_ridge(solver, rows(X, repeated), y[repeated], None)
    atol = ridge_atol(solver, expanded.coef_)
    np.testing.assert_allclose(weighted.coef_, expanded.coef_, rtol=0, atol=atol)
    assert abs(weighted.intercept_ - expanded.intercept_) <= 100 * atol


@pytest.mark.parametrize("solver, layout", RIDGE_CASES)
def test_ridge_weights_are_not_rescaled(solver, layout):
    # sum_i c s_i r_i^2 + alpha ||w||^2 = c (sum_i s_i r_i^2 + alpha / c ||w||^2)
    X, y = data(layout, seed=8)
    weights = positive_weights(X.shape[0], seed=8)
    factor = 10.0
    scaled = fit_ridge(solver, X, y, factor * weights, alpha=5.0)
    rescaled_alpha = fit_ridge(solver, X, y, weights, alpha=5.0 / factor)
    original = fit_ridge(solver, X, y, weights, alpha=5.0)
    atol = ridge_atol(solver, rescaled_alpha.coef_)
    np.testing.assert_allclose(scaled.coef_, rescaled_alpha.coef_, rtol=0, atol=atol)
    assert np.max(np.abs(scaled.coef_ - original.coef_)) > 1e3 * atol
