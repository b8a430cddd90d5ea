"""Box constraints on the coefficients: lower_bounds <= w <= upper_bounds.

The bounds must contain 0 (lower <= 0 <= upper); ``positive=True`` is
``lower_bounds=0``. The solution is checked against the optimality
conditions of the box-constrained problem (``optimality.Problem``), against
an independent L-BFGS-B solution, and against scikit-learn's ``positive``.
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
    sparse_problem,
)
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Lasso

TOL = 1e-12
MAX_ITER = 100_000
MODELS = {"lasso": 1.0, "enet": 0.5}
BACKENDS = ["dense", "sparse", "gram"]


def data(shape, seed=0):
    """'tall' (150 x 40) or 'wide' (60 x 100, sparse values), dense arrays.

    The first 8 features are informative, with coefficients of size 1 to 3.
    """
    if shape == "tall":
        return dense_problem(150, 40, seed=seed)
    X, y = sparse_problem(60, 100, seed=seed)
    return X.toarray(), y


def as_backend(backend, X):
    X_in = sparse.csc_matrix(X) if backend == "sparse" else X
    return X_in, backend == "gram"


def box(n_features):
    """Bounds that bind on the informative features in every way:
    +-0.5 on some, one side 0 on others, both 0 on one."""
    lower = np.full(n_features, -np.inf)
    upper = np.full(n_features, np.inf)
    lower[[0, 1, 2]] = -0.5
    upper[[0, 1, 2]] = 0.5
    lower[[3, 4]] = 0.0
    upper[[5, 6]] = 0.0
    lower[7] = upper[7] = 0.0
    lower[10:20] = -0.05
    upper[20:30] = 0.05
    return lower, upper


def make_model(name, alpha, **params):
    params = {"tol": TOL, "max_iter": MAX_ITER, **params}
    if MODELS[name] == 1.0:
        return Lasso(alpha=alpha, **params)
    return ElasticNet(alpha=alpha, l1_ratio=MODELS[name], **params)


def fit(name, X, y, alpha, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return make_model(name, alpha, **params).fit(X, y, sample_weight=sample_weight)


def assert_converged(model, problem):
    assert -gap_slack(problem) <= model.dual_gap_ <= allowed_gap(problem, TOL)


def assert_within(coef, lower, upper):
    """Inside the box exactly, in the fitted dtype."""
    assert np.all(coef >= np.asarray(lower, dtype=coef.dtype))
    assert np.all(coef <= np.asarray(upper, dtype=coef.dtype))


# --- the box-constrained optimum ----------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_bounds_are_respected_and_the_fit_is_optimal(
    name, shape, backend, fit_intercept, weighted
):
    X, y = data(shape)
    lower, upper = box(X.shape[1])
    sample_weight = positive_weights(X.shape[0]) if weighted else None
    alpha = alpha_max(X, y, MODELS[name], sample_weight, fit_intercept) / 20
    X_in, precompute = as_backend(backend, X)
    ours = fit(name, X_in, y, alpha, sample_weight, lower_bounds=lower,
               upper_bounds=upper, fit_intercept=fit_intercept,
               precompute=precompute)
    assert_within(ours.coef_, lower, upper)
    at_bound = (ours.coef_ != 0) & ((ours.coef_ == lower) | (ours.coef_ == upper))
    assert np.count_nonzero(at_bound) >= 3
    assert ours.coef_[7] == 0.0
    problem = Problem.of(ours, X, y, sample_weight)
    assert_converged(ours, problem)
    check_optimal(problem, ours.coef_, ours.intercept_,
                  coef_tolerance(problem, ours), gap=ours.dual_gap_)
    # An independent solver finds no better point.
    coef, intercept = problem.reference()
    assert_within(coef, lower, upper)
    ours_value = problem.objective(ours.coef_, ours.intercept_)
    assert ours_value - problem.objective(coef, intercept) <= (
        max(ours.dual_gap_, 0.0) + gap_slack(problem)
    )
    scale = np.max(np.abs(ours.coef_))
    np.testing.assert_allclose(ours.coef_, coef, rtol=0, atol=1e-5 * scale)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_each_box_optimality_condition(name, backend):
    """The conditions one by one, with h_j = x_j^T S r / n - l2_j w_j:

    interior non-zero: h_j = l1_j sign(w_j); at an upper bound: h_j >= l1_j
    (the gradient points outward); at a lower bound: h_j <= -l1_j; at 0:
    |h_j| <= l1_j, with the side of a bound at 0 open.
    """
    X, y = data("tall", seed=1)
    lower, upper = box(X.shape[1])
    sample_weight = positive_weights(X.shape[0], seed=1)
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 20
    X_in, precompute = as_backend(backend, X)
    ours = fit(name, X_in, y, alpha, sample_weight, lower_bounds=lower,
               upper_bounds=upper, precompute=precompute)
    problem = Problem.of(ours, X, y, sample_weight)
    w = ours.coef_
    h = problem.gradient_terms(w, ours.intercept_)
    l1 = problem.l1
    tolerance = kkt_tolerance(problem, ours)

    interior = (w != 0) & (w > lower) & (w < upper)
    at_upper = (w != 0) & (w == upper)
    at_lower = (w != 0) & (w == lower)
    zero = w == 0
    for subset in (interior, at_upper, at_lower, zero):
        assert subset.any()
    assert np.all(np.abs(h - l1 * np.sign(w))[interior] <= tolerance[interior])
    assert np.all((l1 - h)[at_upper] <= tolerance[at_upper])
    assert np.all((h + l1)[at_lower] <= tolerance[at_lower])
    # At zero: the open side is where a bound sits at 0.
    above = zero & (upper > 0)
    below = zero & (lower < 0)
    assert np.all((h - l1)[above] <= tolerance[above])
    assert np.all((-h - l1)[below] <= tolerance[below])
    # Bounds at 0 do bind: the unconstrained gradient pushes through them.
    pushed = zero & ((lower == 0) & (h < -l1) | (upper == 0) & (h > l1))
    assert pushed.any()
    # The intercept is optimal too.
    assert problem.intercept_violation(w, ours.intercept_) <= 1e-10 * np.abs(y).max()


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_bounds_that_do_not_bind_change_nothing(name, backend):
    X, y = data("tall", seed=2)
    alpha = alpha_max(X, y, MODELS[name]) / 20
    X_in, precompute = as_backend(backend, X)
    free = fit(name, X_in, y, alpha, precompute=precompute)
    margin = np.abs(free.coef_) + 0.1
    boxed = fit(name, X_in, y, alpha, lower_bounds=-margin, upper_bounds=margin,
                precompute=precompute)
    problem = Problem.of(free, X, y)
    atol = coef_tolerance(problem, free) + coef_tolerance(problem, boxed)
    np.testing.assert_allclose(boxed.coef_, free.coef_, rtol=0, atol=atol)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_scalar_and_list_bounds_broadcast(name, backend):
    X, y = data("tall", seed=3)
    n_features = X.shape[1]
    alpha = alpha_max(X, y, MODELS[name]) / 20
    X_in, precompute = as_backend(backend, X)
    scalar = fit(name, X_in, y, alpha, lower_bounds=-0.4, upper_bounds=0.6,
                 precompute=precompute)
    arrays = fit(name, X_in, y, alpha, lower_bounds=[-0.4] * n_features,
                 upper_bounds=np.full(n_features, 0.6), precompute=precompute)
    np.testing.assert_array_equal(scalar.coef_, arrays.coef_)
    assert scalar.intercept_ == arrays.intercept_
    assert_within(scalar.coef_, -0.4, 0.6)
    assert np.any(scalar.coef_ == -0.4) and np.any(scalar.coef_ == 0.6)


# --- positive=True ---------------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_positive_is_lower_bound_zero_and_matches_sklearn(
    name, shape, layout, fit_intercept, weighted
):
    X, y = data(shape, seed=4)
    sample_weight = positive_weights(X.shape[0], seed=4) if weighted else None
    alpha = alpha_max(X, y, MODELS[name], sample_weight, fit_intercept) / 20
    X_in, _ = as_backend(layout, X)
    params = {"fit_intercept": fit_intercept}
    positive = fit(name, X_in, y, alpha, sample_weight, positive=True, **params)
    lower_zero = fit(name, X_in, y, alpha, sample_weight, lower_bounds=0.0, **params)
    # positive=True with a negative lower bound still means >= 0.
    both = fit(name, X_in, y, alpha, sample_weight, positive=True,
               lower_bounds=-1.0, **params)
    np.testing.assert_array_equal(positive.coef_, lower_zero.coef_)
    np.testing.assert_array_equal(positive.coef_, both.coef_)
    assert positive.intercept_ == lower_zero.intercept_
    assert np.all(positive.coef_ >= 0)
    assert np.count_nonzero(positive.coef_) >= 2

    l1_ratio = MODELS[name]
    sk_params = {"alpha": alpha, "positive": True, "tol": 1e-14,
                 "max_iter": MAX_ITER, **params}
    theirs = (
        sklm.Lasso(**sk_params) if l1_ratio == 1.0
        else sklm.ElasticNet(l1_ratio=l1_ratio, **sk_params)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs.fit(X_in, y, sample_weight=sample_weight)
    problem = Problem.of(positive, X, y, sample_weight)
    scale = np.max(np.abs(theirs.coef_))
    atol = max(1e-6 * scale, coef_tolerance(problem, positive))
    np.testing.assert_allclose(positive.coef_, theirs.coef_, rtol=0, atol=atol)
    assert abs(positive.intercept_ - theirs.intercept_) <= atol * (
        1.0 + np.linalg.norm(problem.x_mean)
    )
    check_optimal(problem, positive.coef_, positive.intercept_,
                  coef_tolerance(problem, positive), gap=positive.dual_gap_)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_positive_with_upper_bounds(name, backend):
    X, y = data("tall", seed=5)
    alpha = alpha_max(X, y, MODELS[name]) / 20
    X_in, precompute = as_backend(backend, X)
    ours = fit(name, X_in, y, alpha, positive=True, upper_bounds=0.7,
               precompute=precompute)
    explicit = fit(name, X_in, y, alpha, lower_bounds=0.0, upper_bounds=0.7,
                   precompute=precompute)
    np.testing.assert_array_equal(ours.coef_, explicit.coef_)
    assert_within(ours.coef_, 0.0, 0.7)
    assert np.any(ours.coef_ == 0.7)
    problem = Problem.of(ours, X, y)
    check_optimal(problem, ours.coef_, ours.intercept_,
                  coef_tolerance(problem, ours), gap=ours.dual_gap_)


# --- a bound of 0 on both sides ---------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("weighted", [False, True])
def test_zero_box_pins_the_coefficient(name, backend, weighted):
    X, y = data("tall", seed=6)
    n_features = X.shape[1]
    pinned = np.array([0, 3, 17])  # 0 and 3 are informative
    lower = np.full(n_features, -np.inf)
    upper = np.full(n_features, np.inf)
    lower[pinned] = upper[pinned] = 0.0
    sample_weight = positive_weights(X.shape[0], seed=6) if weighted else None
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 20
    X_in, precompute = as_backend(backend, X)
    ours = fit(name, X_in, y, alpha, sample_weight, lower_bounds=lower,
               upper_bounds=upper, precompute=precompute)
    assert np.all(ours.coef_[pinned] == 0.0)
    kept = np.setdiff1d(np.arange(n_features), pinned)
    X_kept, _ = as_backend(backend, X[:, kept])
    without = fit(name, X_kept, y, alpha, sample_weight, precompute=precompute)
    problem = Problem.of(ours, X, y, sample_weight)
    problem_without = Problem.of(without, X[:, kept], y, sample_weight)
    atol = coef_tolerance(problem, ours) + coef_tolerance(problem_without, without)
    np.testing.assert_allclose(ours.coef_[kept], without.coef_, rtol=0, atol=atol)
    assert abs(ours.intercept_ - without.intercept_) <= atol * (
        1.0 + np.linalg.norm(problem.x_mean)
    )
    assert_converged(ours, problem)


# --- bounds and unpenalised features ---------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "bound", ["upper", "lower", "positive"],
)
def test_bound_on_an_unpenalised_feature(name, backend, bound):
    # Feature 0 (true coefficient about -2 or +2) and feature 1 are
    # unpenalised; a bound holds feature 0 back. The solver must still reach
    # and certify the optimum, without a ConvergenceWarning.
    X, y = data("tall", seed=7)
    n_features = X.shape[1]
    factors = np.ones(n_features)
    factors[[0, 1]] = 0.0
    alpha = alpha_max(X, y, MODELS[name]) / 10
    free = fit(name, X, y, alpha, penalty_factor=factors)
    sign = np.sign(free.coef_[0])
    if bound == "positive":
        params = {"positive": True}
        if sign > 0:  # make the bound bind: flip the feature
            X = X.copy()
            X[:, 0] *= -1
    else:
        limit = 0.5 * abs(free.coef_[0])
        held = (bound == "upper") == (sign > 0)
        if not held:
            X = X.copy()
            X[:, 0] *= -1
        params = {f"{bound}_bounds": np.where(
            np.arange(n_features) == 0, limit if bound == "upper" else -limit,
            np.inf if bound == "upper" else -np.inf)}
    X_in, precompute = as_backend(backend, X)
    # 5000 epochs are plenty here (the same fit without the bound takes <100).
    ours = fit(name, X_in, y, alpha, penalty_factor=factors, precompute=precompute,
               max_iter=5000, **params)
    problem = Problem.of(ours, X, y)
    assert ours.coef_[0] == problem.lo[0] or ours.coef_[0] == problem.hi[0]
    check_optimal(problem, ours.coef_, ours.intercept_,
                  coef_tolerance(problem, ours), gap=ours.dual_gap_)
    assert_converged(ours, problem)


# --- warm start from outside the box --------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_warm_start_from_outside_the_box(name, backend):
    X, y = data("tall", seed=8)
    lower, upper = box(X.shape[1])
    alpha = alpha_max(X, y, MODELS[name]) / 20
    X_in, precompute = as_backend(backend, X)
    model = make_model(name, alpha, warm_start=True, precompute=precompute)
    model.fit(X_in, y)
    assert np.any(model.coef_ > upper) or np.any(model.coef_ < lower)
    model.set_params(lower_bounds=lower, upper_bounds=upper)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(X_in, y)
    assert_within(model.coef_, lower, upper)
    cold = fit(name, X_in, y, alpha, lower_bounds=lower, upper_bounds=upper,
               precompute=precompute)
    problem = Problem.of(cold, X, y)
    atol = coef_tolerance(problem, cold) + coef_tolerance(problem, model)
    np.testing.assert_allclose(model.coef_, cold.coef_, rtol=0, atol=atol)


# --- invalid bounds ----------------------------------------------------------


def _invalid(case, n_features):
    if case == "lower-positive-scalar":
        return {"lower_bounds": 0.1}, "lower_bounds"
    if case == "lower-positive-entry":
        lower = np.full(n_features, -1.0)
        lower[3] = 1e-9
        return {"lower_bounds": lower}, "lower_bounds"
    if case == "upper-negative-scalar":
        return {"upper_bounds": -0.1}, "upper_bounds"
    if case == "upper-negative-entry":
        upper = np.full(n_features, 1.0)
        upper[3] = -1e-9
        return {"upper_bounds": upper}, "upper_bounds"
    if case == "lower-wrong-length":
        return {"lower_bounds": np.zeros(n_features - 1)}, "lower_bounds"
    if case == "upper-wrong-length":
        return {"upper_bounds": np.ones(n_features + 1)}, "upper_bounds"
    if case == "lower-nan":
        lower = np.full(n_features, -1.0)
        lower[2] = np.nan
        return {"lower_bounds": lower}, "lower_bounds"
    if case == "upper-nan":
        return {"upper_bounds": np.nan}, "upper_bounds"
    if case == "lower-2d":
        return {"lower_bounds": np.zeros((1, n_features))}, "lower_bounds"
    raise AssertionError(case)


INVALID = ["lower-positive-scalar", "lower-positive-entry", "upper-negative-scalar",
           "upper-negative-entry", "lower-wrong-length", "upper-wrong-length",
           "lower-nan", "upper-nan", "lower-2d"]


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
@pytest.mark.parametrize("case", INVALID)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_invalid_bounds_raise(model_class, case, layout):
    X, y = data("tall", seed=9)
    params, name = _invalid(case, X.shape[1])
    X_in, _ = as_backend(layout, X)
    with pytest.raises(ValueError, match=name):
        model_class(alpha=0.1, **params).fit(X_in, y)


# --- random problems ----------------------------------------------------------


@st.composite
def bounded_problems(draw):
    n_features = draw(st.integers(2, 12))
    n_samples = draw(st.integers(n_features + 3, 40))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features)) + rng.uniform(-2, 2, n_features)
    coef = rng.standard_normal(n_features) * 2
    y = X @ coef + 0.3 * rng.standard_normal(n_samples)
    kinds = draw(st.lists(st.sampled_from(["free", "box", "pos", "neg", "pin"]),
                          min_size=n_features, max_size=n_features))
    lower = np.full(n_features, -np.inf)
    upper = np.full(n_features, np.inf)
    for j, kind in enumerate(kinds):
        width = rng.uniform(0.05, 1.5)
        if kind == "box":
            lower[j], upper[j] = -width, rng.uniform(0.05, 1.5)
        elif kind == "pos":
            lower[j] = 0.0
            upper[j] = width if rng.uniform() < 0.5 else np.inf
        elif kind == "neg":
            upper[j] = 0.0
            lower[j] = -width if rng.uniform() < 0.5 else -np.inf
        elif kind == "pin":
            lower[j] = upper[j] = 0.0
    weighted = draw(st.booleans())
    sample_weight = rng.uniform(0.1, 3.0, n_samples) if weighted else None
    factors = None
    if draw(st.booleans()):
        factors = rng.uniform(0.3, 3.0, n_features)
    return X, y, lower, upper, sample_weight, factors


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    problem_data=bounded_problems(),
    name=st.sampled_from(list(MODELS)),
    backend=st.sampled_from(BACKENDS),
    divisor=st.sampled_from([2.0, 10.0, 100.0]),
    fit_intercept=st.booleans(),
)
def test_random_bounded_problems_are_solved(
    problem_data, name, backend, divisor, fit_intercept
):
    X, y, lower, upper, sample_weight, factors = problem_data
    alpha = alpha_max(X, y, MODELS[name], sample_weight, fit_intercept) / divisor
    X_in, precompute = as_backend(backend, X)
    ours = fit(name, X_in, y, alpha, sample_weight, lower_bounds=lower,
               upper_bounds=upper, penalty_factor=factors,
               fit_intercept=fit_intercept, precompute=precompute)
    assert_within(ours.coef_, lower, upper)
    problem = Problem.of(ours, X, y, sample_weight)
    assert_converged(ours, problem)
    check_optimal(problem, ours.coef_, ours.intercept_,
                  coef_tolerance(problem, ours), gap=ours.dual_gap_)


# --- a binding bound is met exactly ----------------------------------------------


@pytest.mark.parametrize("seed", [19, 206, 306, 330, 348, 351])
@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_binding_coefficients_sit_exactly_on_their_bound(seed, name, backend):
    # The coordinate update clips to the bound, so a coefficient held by its
    # bound must equal it, not lie an ulp inside (as a user testing
    # ``coef_ == upper_bounds`` would expect).
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, 5))
    y = X @ np.array([3.0, -2.0, 1.0, 0.5, 0.0]) + 0.3 * rng.standard_normal(40)
    upper = np.array([1.2345, np.inf, np.inf, np.inf, np.inf])
    lower = np.array([-np.inf, -0.7654, -np.inf, -np.inf, -np.inf])
    X_in, precompute = as_backend(backend, X)
    ours = fit(name, X_in, y, 0.1, lower_bounds=lower, upper_bounds=upper,
               precompute=precompute)
    problem = Problem.of(ours, X, y)
    # At the optimum both bounds bind (checked on the exact solution) ...
    polished = check_optimal(problem, ours.coef_, ours.intercept_,
                             coef_tolerance(problem, ours))
    assert polished[0] == upper[0] and polished[1] == lower[1]
    # ... and the fit puts the coefficients exactly there.
    assert ours.coef_[0] == upper[0], repr(ours.coef_[0])
    assert ours.coef_[1] == lower[1], repr(ours.coef_[1])
