"""Property-based tests: random small problems, every fit optimal.

hypothesis draws the shape of a problem and its options (dense or sparse,
float32 or float64, sample weights, penalty factors, bounds, intercept,
l1_ratio, alpha as a fraction of alpha_max); the data come from a seeded
numpy generator. Each fit must satisfy the optimality conditions of its
problem within what its reported duality gap allows, that gap within what
``tol`` promises (``optimality.assert_optimal_on``), and where scikit-learn
solves the same problem (no factors, no bounds) its objective must be no
worse than scikit-learn's, up to that gap.

The examples are derandomised and bounded, without a database, so that a
CI run is reproducible and the module takes well under a minute.
"""

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from optimality import Problem, assert_optimal_on, gap_slack
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, lasso_path

PROFILE = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow])
TOL = {np.float64: 1e-8, np.float32: 1e-5}


@st.composite
def problems(draw, options=True):
    """A random small Elastic-Net problem and the estimator for it."""
    n_samples = draw(st.integers(2, 25))
    n_features = draw(st.integers(1, 12))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.standard_normal((n_samples, n_features)) * rng.uniform(0.1, 10, n_features)
    if draw(st.booleans()):  # sparse, with shifted stored values
        X[rng.uniform(size=X.shape) < 0.6] = 0.0
        X[X != 0] += 1.0
    coef = rng.standard_normal(n_features) * (rng.uniform(size=n_features) < 0.5)
    y = X @ coef + 0.3 * rng.standard_normal(n_samples) + rng.uniform(-3, 3)
    weights = rng.uniform(0.1, 3.0, n_samples) if draw(st.booleans()) else None
    params = {
        "l1_ratio": draw(st.sampled_from([1.0, 0.7, 0.2])),
        "fit_intercept": draw(st.booleans()),
        "tol": TOL[dtype],
        "max_iter": 100_000,
    }
    if options and draw(st.booleans()):
        factors = rng.choice([0.0, 0.5, 1.0, 2.0, np.inf], n_features)
        params["penalty_factor"] = factors
    if options and draw(st.booleans()):
        # Bounds representable in the data's dtype: the fit is clipped to
        # them as the kernel stores them.
        lower = np.where(rng.uniform(size=n_features) < 0.3,
                         -rng.uniform(0, 1, n_features), -np.inf)
        upper = np.where(rng.uniform(size=n_features) < 0.3,
                         rng.uniform(0, 1, n_features), np.inf)
        params["lower_bounds"] = lower.astype(dtype).astype(np.float64)
        params["upper_bounds"] = upper.astype(dtype).astype(np.float64)
    problem = Problem(X, y, 1.0, l1_ratio=params["l1_ratio"], sample_weight=weights,
                      fit_intercept=params["fit_intercept"])
    alpha_max = max(problem.gradient_scale() / params["l1_ratio"], 1e-12)
    params["alpha"] = alpha_max * draw(st.sampled_from([1e-3, 0.01, 0.1, 0.5, 1.2]))
    as_sparse = draw(st.booleans())
    X_in = sparse.csc_matrix(X.astype(dtype)) if as_sparse else X.astype(dtype)
    return X_in, y.astype(dtype), weights, params, dtype


def fit(X, y, weights, params):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        return ElasticNet(**params).fit(X, y, sample_weight=weights)


def problem_of(model, X, y, weights):
    """The problem in float64, with the data as the model saw them."""
    dense = X.toarray() if sparse.issparse(X) else X
    return Problem.of(model, dense.astype(np.float64), y.astype(np.float64), weights)


@PROFILE
@given(problems())
def test_every_fit_satisfies_its_optimality_conditions(case):
    X, y, weights, params, dtype = case
    model = fit(X, y, weights, params)
    assert model.coef_.dtype == dtype
    problem = problem_of(model, X, y, weights)
    assert_optimal_on(problem, model.coef_, model.intercept_, model.dual_gap_,
                      model.tol, dtype)


@PROFILE
@given(problems(options=False))
def test_no_worse_than_scikit_learn(case):
    X, y, weights, params, dtype = case
    model = fit(X, y, weights, params)
    reference = sklm.ElasticNet(
        alpha=params["alpha"], l1_ratio=params["l1_ratio"],
        fit_intercept=params["fit_intercept"], tol=1e-10, max_iter=100_000,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference.fit(X.astype(np.float64), y.astype(np.float64), sample_weight=weights)
    problem = problem_of(model, X, y, weights)
    ours = problem.objective(model.coef_, model.intercept_)
    theirs = problem.objective(reference.coef_, reference.intercept_)
    assert ours <= theirs + max(float(model.dual_gap_), 0.0) + gap_slack(problem, dtype)


@PROFILE
@given(problems(options=False))
def test_every_alpha_of_a_path_is_optimal(case):
    X, y, weights, params, dtype = case
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        alphas, coefs, gaps = lasso_path(
            X, y, alphas=5, eps=1e-2, tol=params["tol"], max_iter=100_000,
            sample_weight=weights, fit_intercept=params["fit_intercept"])
    dense = X.toarray() if sparse.issparse(X) else X
    for alpha, coef, gap in zip(alphas, coefs.T, gaps, strict=True):
        problem = Problem(dense.astype(np.float64), y.astype(np.float64), alpha,
                          sample_weight=weights, fit_intercept=params["fit_intercept"])
        assert_optimal_on(problem, coef, problem.intercept_of(coef), gap,
                          params["tol"], dtype)
