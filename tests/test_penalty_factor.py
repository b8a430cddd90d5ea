"""Per-feature penalty factors: the penalty of w_j is multiplied by f_j.

    P(w, b) = 1/(2 n) sum_i s_i r_i^2
              + alpha sum_j f_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2)

f_j = 0 leaves w_j unpenalised; f_j = inf pins it at exactly 0. The
references are independent of the library's handling of factors: the
column-rescaling identity of the Lasso, scikit-learn's Lasso on reduced data
(``optimality.sklearn_reference``), least squares, and fits without the
excluded columns.
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
    gap_slack,
    kkt_tolerance,
    positive_weights,
    sklearn_reference,
    sparse_problem,
)
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Lasso

TOL = 1e-12
MAX_ITER = 100_000
MODELS = {"lasso": 1.0, "enet": 0.5}
# How X reaches the kernel: dense residual, sparse residual, Gram matrix.
BACKENDS = ["dense", "sparse", "gram", "sparse-gram"]


def data(shape, seed=0):
    """'tall' (150 x 40, dense values) or 'wide' (60 x 100, sparse values)."""
    if shape == "tall":
        return dense_problem(150, 40, seed=seed)
    X, y = sparse_problem(60, 100, seed=seed)
    return X.toarray(), y


def as_backend(backend, X):
    """X in the form the backend needs, and the precompute setting."""
    X_in = sparse.csc_matrix(X) if backend.startswith("sparse") else X
    return X_in, backend.endswith("gram")


def mixed_factors(n_features, seed=0):
    """Log-uniform factors in [1/4, 4]."""
    rng = np.random.default_rng(seed)
    return np.exp(rng.uniform(np.log(0.25), np.log(4.0), n_features))


def make_model(name, alpha, **params):
    params = {"tol": TOL, "max_iter": MAX_ITER, **params}
    if MODELS[name] == 1.0:
        return Lasso(alpha=alpha, **params)
    return ElasticNet(alpha=alpha, l1_ratio=MODELS[name], **params)


def fit(name, X, y, alpha, sample_weight=None, **params):
    """Fit, turning a ConvergenceWarning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return make_model(name, alpha, **params).fit(X, y, sample_weight=sample_weight)


def assert_close_to(model, coef, intercept, atol, problem):
    np.testing.assert_allclose(model.coef_, coef, rtol=0, atol=atol)
    intercept_atol = atol * (np.linalg.norm(problem.x_mean) + 1.0)
    assert abs(model.intercept_ - intercept) <= intercept_atol


def assert_converged(model, problem):
    """The reported gap is below the promised tolerance, and not negative."""
    assert -gap_slack(problem) <= model.dual_gap_ <= allowed_gap(problem, TOL)


# --- mixed positive factors ---------------------------------------------------


@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_equals_column_rescaling(shape, layout, fit_intercept, weighted):
    # f_j |w_j| with column x_j is |v_j| with column x_j / f_j, v_j = f_j w_j.
    X, y = data(shape)
    factors = mixed_factors(X.shape[1])
    sample_weight = positive_weights(X.shape[0]) if weighted else None
    alpha = alpha_max(X, y, 1.0, sample_weight, fit_intercept) / 10
    X_scaled = X / factors
    if layout == "sparse":
        X, X_scaled = sparse.csc_matrix(X), sparse.csc_matrix(X_scaled)
    params = {"fit_intercept": fit_intercept}
    ours = fit("lasso", X, y, alpha, sample_weight, penalty_factor=factors, **params)
    plain = fit("lasso", X_scaled, y, alpha, sample_weight, **params)
    theirs = sklm.Lasso(alpha=alpha, tol=1e-14, max_iter=MAX_ITER, **params)
    theirs.fit(X_scaled, y, sample_weight=sample_weight)

    problem = Problem.of(ours, X, y, sample_weight)
    atol = coef_tolerance(problem, ours)
    assert np.count_nonzero(ours.coef_) >= 3
    assert_close_to(ours, plain.coef_ / factors, plain.intercept_, atol, problem)
    scale = np.max(np.abs(ours.coef_))
    assert_close_to(
        ours, theirs.coef_ / factors, theirs.intercept_, 1e-6 * scale, problem
    )
    check_optimal(problem, ours.coef_, ours.intercept_, atol, gap=ours.dual_gap_)
    assert_converged(ours, problem)
    # The factors matter.
    unit = fit("lasso", X, y, alpha, sample_weight, **params)
    assert np.linalg.norm(unit.coef_ - ours.coef_) > 1e-2 * np.linalg.norm(ours.coef_)


@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_elastic_net_matches_reduction_to_lasso(
    shape, backend, fit_intercept, weighted
):
    X, y = data(shape, seed=1)
    factors = mixed_factors(X.shape[1], seed=1)
    sample_weight = positive_weights(X.shape[0], seed=1) if weighted else None
    alpha = alpha_max(X, y, 0.5, sample_weight, fit_intercept) / 10
    X_in, precompute = as_backend(backend, X)
    ours = fit(
        "enet",
        X_in,
        y,
        alpha,
        sample_weight,
        penalty_factor=factors,
        fit_intercept=fit_intercept,
        precompute=precompute,
    )
    problem = Problem.of(ours, X, y, sample_weight)
    coef, intercept = sklearn_reference(problem)
    atol = coef_tolerance(problem, ours)
    # The reference is the optimum to rounding (its exact polish agrees).
    check_optimal(problem, coef, intercept, 1e-10 * max(1.0, np.abs(coef).max()))
    assert np.count_nonzero(coef) >= 3 and np.count_nonzero(coef == 0) >= 3
    assert_close_to(ours, coef, intercept, atol, problem)
    check_optimal(problem, ours.coef_, ours.intercept_, atol, gap=ours.dual_gap_)
    assert_converged(ours, problem)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_uniform_factor_scales_alpha(name, backend):
    X, y = data("tall", seed=2)
    alpha = alpha_max(X, y, MODELS[name]) / 20
    X_in, precompute = as_backend(backend, X)
    scaled = fit(
        name,
        X_in,
        y,
        alpha,
        penalty_factor=np.full(X.shape[1], 3.0),
        precompute=precompute,
    )
    reference = fit(name, X_in, y, 3.0 * alpha, precompute=precompute)
    problem = Problem.of(reference, X, y)
    atol = coef_tolerance(problem, reference) + coef_tolerance(problem, scaled)
    assert_close_to(scaled, reference.coef_, reference.intercept_, atol, problem)
    # penalty_factor=None is all ones, exactly.
    default = fit(name, X_in, y, alpha, precompute=precompute)
    ones = fit(
        name, X_in, y, alpha, penalty_factor=np.ones(X.shape[1]), precompute=precompute
    )
    np.testing.assert_array_equal(ones.coef_, default.coef_)
    assert ones.intercept_ == default.intercept_


# --- unpenalised features (f = 0) ---------------------------------------------


def unpenalised_factors(n_features, informative, seed=0):
    """Mixed factors with zeros on two informative features and on two
    features that are pure noise (so their coefficients become non-zero)."""
    factors = mixed_factors(n_features, seed=seed)
    zeros = [informative[0], informative[1], n_features - 1, n_features - 3]
    factors[zeros] = 0.0
    return factors, np.array(zeros)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_unpenalised_features(name, shape, backend, fit_intercept, weighted):
    X, y = data(shape, seed=3)
    factors, zeros = unpenalised_factors(X.shape[1], informative=[0, 1], seed=3)
    sample_weight = positive_weights(X.shape[0], seed=3) if weighted else None
    alpha = alpha_max(X, y, MODELS[name], sample_weight, fit_intercept) / 5
    X_in, precompute = as_backend(backend, X)
    # No ConvergenceWarning: the solver certifies convergence with
    # unpenalised features.
    ours = fit(
        name,
        X_in,
        y,
        alpha,
        sample_weight,
        penalty_factor=factors,
        fit_intercept=fit_intercept,
        precompute=precompute,
    )
    problem = Problem.of(ours, X, y, sample_weight)
    assert_converged(ours, problem)
    assert np.all(ours.coef_[zeros] != 0)
    # The residual is orthogonal to every unpenalised (centred, weighted) column.
    residual = y - X @ ours.coef_ - ours.intercept_
    correlation = problem.Xc[:, zeros].T @ (problem.s * residual) / X.shape[0]
    assert np.all(np.abs(correlation) <= kkt_tolerance(problem, ours)[zeros])
    # The optimum, computed independently.
    coef, intercept = sklearn_reference(problem)
    atol = coef_tolerance(problem, ours)
    check_optimal(problem, coef, intercept, 1e-10 * max(1.0, np.abs(coef).max()))
    assert_close_to(ours, coef, intercept, atol, problem)
    check_optimal(problem, ours.coef_, ours.intercept_, atol, gap=ours.dual_gap_)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("weighted", [False, True])
def test_unpenalised_only_above_alpha_max(name, backend, weighted):
    # With a huge alpha every penalised coefficient is 0 and the unpenalised
    # ones are the weighted least-squares fit on their columns alone.
    X, y = data("tall", seed=4)
    factors, zeros = unpenalised_factors(X.shape[1], informative=[0, 1], seed=4)
    sample_weight = positive_weights(X.shape[0], seed=4) if weighted else None
    alpha = 100 * alpha_max(X, y, MODELS[name], sample_weight)
    X_in, precompute = as_backend(backend, X)
    ours = fit(
        name,
        X_in,
        y,
        alpha,
        sample_weight,
        penalty_factor=factors,
        precompute=precompute,
    )
    problem = Problem.of(ours, X, y, sample_weight)
    penalised = np.ones(X.shape[1], dtype=bool)
    penalised[zeros] = False
    assert np.all(ours.coef_[penalised] == 0)
    root = np.sqrt(problem.s)
    design = np.column_stack([np.ones(X.shape[0]), X[:, zeros]])
    solution = np.linalg.lstsq(root[:, None] * design, root * y, rcond=None)[0]
    expected = np.zeros(X.shape[1])
    expected[zeros] = solution[1:]
    assert_close_to(ours, expected, solution[0], coef_tolerance(problem, ours), problem)
    assert_converged(ours, problem)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("weighted", [False, True])
def test_all_unpenalised_is_least_squares(name, backend, weighted):
    X, y = data("tall", seed=5)
    sample_weight = positive_weights(X.shape[0], seed=5) if weighted else None
    X_in, precompute = as_backend(backend, X)
    ours = fit(
        name,
        X_in,
        y,
        1.0,
        sample_weight,
        penalty_factor=np.zeros(X.shape[1]),
        precompute=precompute,
    )
    problem = Problem.of(ours, X, y, sample_weight)
    root = np.sqrt(problem.s)
    design = np.column_stack([np.ones(X.shape[0]), X])
    solution = np.linalg.lstsq(root[:, None] * design, root * y, rcond=None)[0]
    assert_close_to(
        ours, solution[1:], solution[0], coef_tolerance(problem, ours), problem
    )
    assert_converged(ours, problem)


# --- excluded features (f = inf) ----------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("weighted", [False, True])
def test_infinite_factor_excludes_the_feature(name, shape, backend, weighted):
    X, y = data(shape, seed=6)
    n_features = X.shape[1]
    factors = mixed_factors(n_features, seed=6)
    factors[5] = 0.0  # one unpenalised feature as well
    excluded = np.array([0, 2, 11, n_features - 2])  # 0 and 2 are informative
    factors[excluded] = np.inf
    kept = np.setdiff1d(np.arange(n_features), excluded)
    sample_weight = positive_weights(X.shape[0], seed=6) if weighted else None
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 10
    X_in, precompute = as_backend(backend, X)
    ours = fit(
        name,
        X_in,
        y,
        alpha,
        sample_weight,
        penalty_factor=factors,
        precompute=precompute,
    )
    assert np.all(ours.coef_[excluded] == 0.0)
    X_kept, _ = as_backend(backend, X[:, kept])
    without = fit(
        name,
        X_kept,
        y,
        alpha,
        sample_weight,
        penalty_factor=factors[kept],
        precompute=precompute,
    )
    problem = Problem.of(ours, X, y, sample_weight)
    problem_without = Problem.of(without, X[:, kept], y, sample_weight)
    atol = coef_tolerance(problem, ours) + coef_tolerance(problem_without, without)
    expected = np.zeros(n_features)
    expected[kept] = without.coef_
    assert np.count_nonzero(expected) >= 3
    assert_close_to(ours, expected, without.intercept_, atol, problem)
    check_optimal(
        problem,
        ours.coef_,
        ours.intercept_,
        coef_tolerance(problem, ours),
        gap=ours.dual_gap_,
    )
    assert_converged(ours, problem)


@pytest.mark.parametrize("name", MODELS)
def test_all_excluded_gives_the_mean(name):
    X, y = data("tall", seed=7)
    sample_weight = positive_weights(X.shape[0], seed=7)
    ours = fit(
        name, X, y, 0.1, sample_weight, penalty_factor=np.full(X.shape[1], np.inf)
    )
    assert np.all(ours.coef_ == 0.0)
    expected = sample_weight @ y / sample_weight.sum()
    assert abs(ours.intercept_ - expected) <= 1e-12 * abs(expected)


# --- the kernels agree --------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
def test_dense_sparse_and_gram_agree(name, shape, weighted):
    X, y = data(shape, seed=8)
    factors = mixed_factors(X.shape[1], seed=8)
    factors[[0, 7]] = 0.0
    factors[[3, 12]] = np.inf
    sample_weight = positive_weights(X.shape[0], seed=8) if weighted else None
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 10
    fits = {}
    for backend in BACKENDS:
        X_in, precompute = as_backend(backend, X)
        fits[backend] = fit(
            name,
            X_in,
            y,
            alpha,
            sample_weight,
            penalty_factor=factors,
            precompute=precompute,
        )
    reference = fits["dense"]
    problem = Problem.of(reference, X, y, sample_weight)
    assert np.count_nonzero(reference.coef_) >= 3
    for model in fits.values():
        atol = coef_tolerance(problem, model) + coef_tolerance(problem, reference)
        assert_close_to(model, reference.coef_, reference.intercept_, atol, problem)
        assert_converged(model, problem)


# --- invalid factors ------------------------------------------------------------


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
@pytest.mark.parametrize(
    "case, message",
    [
        ("too-short", "penalty_factor"),
        ("too-long", "penalty_factor"),
        ("2-d", "penalty_factor"),
        ("negative", "penalty_factor"),
        ("negative-inf", "penalty_factor"),
        ("nan", "penalty_factor"),
    ],
)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_invalid_penalty_factor_raises(model_class, case, message, layout):
    X, y = data("tall", seed=9)
    n_features = X.shape[1]
    factors = np.ones(n_features)
    if case == "too-short":
        factors = factors[:-1]
    elif case == "too-long":
        factors = np.ones(n_features + 1)
    elif case == "2-d":
        factors = factors[np.newaxis, :]
    elif case == "negative":
        factors[4] = -0.5
    elif case == "negative-inf":
        factors[4] = -np.inf
    elif case == "nan":
        factors[4] = np.nan
    if layout == "sparse":
        X = sparse.csc_matrix(X)
    with pytest.raises(ValueError, match=message):
        model_class(alpha=0.1, penalty_factor=factors).fit(X, y)
