"""float32 in, float32 out: the problem is solved in single precision.

A float32 fit must return float32 attributes and predictions, and land
within a few 1e-6 (relative, in norm) of the float64 fit of the same data,
for dense and sparse X, with sample weights, penalty factors and bounds; so
must the kernels called directly. The tolerances are about 10 times the
measured differences, so that a kernel that loses float32 digits (say, sums
in single precision) fails here.
"""

import warnings

import numpy as np
import pytest
from optimality import (
    Problem,
    alpha_max,
    check_optimal,
    dense_problem,
    distance_bound,
    positive_weights,
    relative_distance,
    sparse_problem,
)
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Lasso, Ridge, _cd_fast

MODELS = {"lasso": 1.0, "enet": 0.5}
TOL32 = 1e-7
TOL64 = 1e-12
MAX_ITER = 100_000
CONFIGS = ["plain", "weights", "factors", "bounds", "all"]
# float32 against float64, relative in norm: measured at most 8.2e-7
# (coefficients), 3.3e-7 (intercepts) and 5.3e-7 (predictions).
RTOL32 = 5e-6


def data(shape, seed=0):
    """'tall' (150 x 40, dense) or 'wide' (60 x 100, sparse values), float64."""
    if shape == "tall":
        X, y = dense_problem(150, 40, seed=seed)
        return sparse.csc_matrix(X), y
    return sparse_problem(60, 100, seed=seed)


def extras(config, n_samples, n_features, seed=0):
    """Sample weights and estimator parameters for a configuration.

    Unpenalised features are kept apart from bounded ones (bounds on
    unpenalised features are tested in test_bounds.py).
    """
    rng = np.random.default_rng(seed)
    sample_weight = None
    params = {}
    if config in ("weights", "all"):
        sample_weight = positive_weights(n_samples, seed=seed)
    if config in ("factors", "all"):
        factors = np.exp(rng.uniform(np.log(0.25), np.log(4.0), n_features))
        factors[[1, 9]] = 0.0
        factors[[2, 12]] = np.inf
        params["penalty_factor"] = factors
    if config in ("bounds", "all"):
        lower = np.full(n_features, -np.inf)
        upper = np.full(n_features, np.inf)
        lower[[0, 3]] = -0.5
        upper[[0, 3, 4]] = 0.5
        lower[5] = 0.0
        upper[6] = 0.0
        params["lower_bounds"] = lower
        params["upper_bounds"] = upper
    return sample_weight, params


def make_model(name, alpha, **params):
    if MODELS[name] == 1.0:
        return Lasso(alpha=alpha, **params)
    return ElasticNet(alpha=alpha, l1_ratio=MODELS[name], **params)


def fit(name, X, y, alpha, sample_weight, tol, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        params = {"max_iter": MAX_ITER, **params}
        model = make_model(name, alpha, tol=tol, **params)
        return model.fit(X, y, sample_weight=sample_weight)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("shape", ["tall", "wide"])
@pytest.mark.parametrize("layout", ["dense", "sparse", "sparse-int64"])
@pytest.mark.parametrize("config", CONFIGS)
def test_float32_fit_is_float32_and_close_to_float64(name, shape, layout, config):
    X, y = data(shape)
    if layout == "dense":
        X = X.toarray()
    n_samples, n_features = X.shape
    sample_weight, params = extras(config, n_samples, n_features)
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 10
    fit64 = fit(name, X, y, alpha, sample_weight, TOL64, **params)
    X32 = X.astype(np.float32)
    if layout == "sparse-int64":
        X32.indices = X32.indices.astype(np.int64)
        X32.indptr = X32.indptr.astype(np.int64)
    assert X32.dtype == np.float32
    fit32 = fit(name, X32, y.astype(np.float32), alpha,
                None if sample_weight is None else sample_weight.astype(np.float32),
                TOL32, **params)

    assert fit32.coef_.dtype == np.float32
    assert isinstance(fit32.intercept_, np.float32)
    assert np.asarray(fit32.dual_gap_).dtype == np.float32
    prediction = fit32.predict(X32)
    assert prediction.dtype == np.float32
    assert fit64.coef_.dtype == np.float64

    assert np.count_nonzero(fit64.coef_) >= 3
    rtol = RTOL32
    if (name, shape, config) == ("enet", "wide", "bounds"):
        # Stopped by tol, not rounding: float64 at tol=1e-7 is as far (1.4e-4).
        rtol = 1e-3
    assert relative_distance(fit32.coef_, fit64.coef_) <= rtol
    intercept_scale = max(abs(fit64.intercept_), np.linalg.norm(fit64.coef_))
    assert abs(fit32.intercept_ - fit64.intercept_) <= rtol * intercept_scale
    prediction64 = fit64.predict(X)
    assert relative_distance(prediction, prediction64) <= rtol

    # The exact parts of the model stay exact in float32.
    coef = fit32.coef_
    if "lower_bounds" in params:
        lower = params["lower_bounds"].astype(np.float32)
        upper = params["upper_bounds"].astype(np.float32)
        assert np.all(coef >= lower) and np.all(coef <= upper)
        # The bounds bind in float32 as in float64.
        binding = (fit64.coef_ != 0) & (
            (fit64.coef_ == params["lower_bounds"])
            | (fit64.coef_ == params["upper_bounds"])
        )
        assert binding.any()
        np.testing.assert_array_equal(coef[binding], fit64.coef_[binding])
    if "penalty_factor" in params:
        assert np.all(coef[np.isinf(params["penalty_factor"])] == 0)
        assert np.all(coef[params["penalty_factor"] == 0] != 0)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_float32_gram_fit(name, layout):
    X, y = data("tall", seed=1)
    if layout == "dense":
        X = X.toarray()
    sample_weight, params = extras("all", *X.shape, seed=1)
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 10
    fit64 = fit(name, X, y, alpha, sample_weight, TOL64, precompute=True, **params)
    fit32 = fit(name, X.astype(np.float32), y.astype(np.float32), alpha,
                sample_weight.astype(np.float32), TOL32, precompute=True, **params)
    assert fit32.coef_.dtype == np.float32
    assert isinstance(fit32.intercept_, np.float32)
    # Measured at most 8.9e-7 (coefficients) and 3.6e-7 (intercepts).
    assert relative_distance(fit32.coef_, fit64.coef_) <= 1e-5
    intercept_scale = max(abs(fit64.intercept_), np.linalg.norm(fit64.coef_))
    assert abs(fit32.intercept_ - fit64.intercept_) <= 5e-6 * intercept_scale


@pytest.mark.parametrize("alpha_ratio", [1e-2, 1e-3])
def test_float32_gram_gap_reaches_a_tight_tol(diabetes, alpha_ratio):
    # In covariance mode ``q - Q w`` is small next to q at small alphas: in
    # float32 a drifting Q w left the gap stuck above tol=1e-6 (1000 epochs
    # and a ConvergenceWarning) where the residual kernel converges.
    X, y = diabetes
    alpha = alpha_max(X, y, 1.0) * alpha_ratio
    fit64 = Lasso(alpha=alpha, precompute=True, tol=TOL64).fit(X, y)
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        fit32 = Lasso(alpha=alpha, precompute=True, tol=1e-6).fit(X32, y32)
    assert fit32.dual_gap_ <= 1e-6 * np.var(y32)
    assert fit32.n_iter_ < 1000
    # tol=1e-6 bounds the accuracy: measured 2.2e-6 (1e-2) and 1.4e-5 (1e-3).
    assert relative_distance(fit32.coef_, fit64.coef_) <= 1e-4


@pytest.mark.parametrize("name", MODELS)
def test_float32_multi_target(name):
    X, y = data("tall", seed=2)
    X = X.toarray()
    Y = np.column_stack([y, 0.5 * y + X[:, 5]])
    alpha = alpha_max(X, y, MODELS[name]) / 10
    fit64 = fit(name, X, Y, alpha, None, TOL64)
    fit32 = fit(name, X.astype(np.float32), Y.astype(np.float32), alpha, None, TOL32)
    assert fit32.coef_.dtype == np.float32 and fit32.coef_.shape == (2, X.shape[1])
    assert fit32.intercept_.dtype == np.float32
    for k in range(2):
        # Measured at most 8.3e-8.
        assert relative_distance(fit32.coef_[k], fit64.coef_[k]) <= 1e-6


@pytest.mark.parametrize(
    "solver, layout",
    [("auto", "dense"), ("cholesky", "dense"), ("svd", "dense"), ("cd", "dense"),
     ("lsqr", "dense"), ("sparse_cg", "dense"), ("auto", "sparse"),
     ("lsqr", "sparse"), ("sparse_cg", "sparse"), ("cd", "sparse")],
)
def test_ridge_float32(solver, layout):
    X, y = data("tall", seed=3)
    if layout == "dense":
        X = X.toarray()
    sample_weight = positive_weights(X.shape[0], seed=3)
    params = {"alpha": 3.0, "solver": solver}
    if solver == "cd":
        params.update(max_iter=MAX_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        fit64 = Ridge(tol=TOL64, **params).fit(X, y, sample_weight=sample_weight)
        fit32 = Ridge(tol=TOL32, **params).fit(
            X.astype(np.float32), y.astype(np.float32),
            sample_weight=sample_weight.astype(np.float32),
        )
    assert fit32.coef_.dtype == np.float32
    assert isinstance(fit32.intercept_, np.float32)
    # Measured at most 2.8e-6 / 1.4e-6 (coefficients / intercepts) for the
    # float32 normal equations, 2.3e-7 / 1.5e-8 for 'cd'.
    rtol, intercept_rtol = (2e-6, 2e-7) if solver == "cd" else (2e-5, 1e-5)
    assert relative_distance(fit32.coef_, fit64.coef_) <= rtol
    assert abs(fit32.intercept_ - fit64.intercept_) <= intercept_rtol * max(
        abs(fit64.intercept_), np.linalg.norm(fit64.coef_)
    )


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
@pytest.mark.parametrize("weighted", [False, True])
def test_float32_tall_problem_sums_in_double(name, layout, weighted):
    # Column dot products over 200000 rows: summed in double, as the kernels
    # do, the coefficients are within 4.5e-8 of float64; summed in float32,
    # 4.6e-7 to 3e-6 (or no convergence in 1000 epochs).
    rng = np.random.default_rng(5)
    n_samples, n_features = 200_000, 5
    X = rng.standard_normal((n_samples, n_features)) + rng.uniform(-1, 1, n_features)
    y = X @ rng.uniform(1, 3, n_features) + rng.standard_normal(n_samples) + 2.0
    sample_weight = positive_weights(n_samples, seed=5) if weighted else None
    if layout == "sparse":
        X = sparse.csc_matrix(X)
    alpha = alpha_max(X, y, MODELS[name], sample_weight) / 10
    fit64 = fit(name, X, y, alpha, sample_weight, TOL64)
    # A few epochs suffice; a kernel that cannot certify its gap stops here.
    fit32 = fit(name, X.astype(np.float32), y.astype(np.float32), alpha,
                None if sample_weight is None else sample_weight.astype(np.float32),
                TOL32, max_iter=1000)
    assert fit32.n_iter_ < 100
    assert np.count_nonzero(fit64.coef_) == n_features
    assert relative_distance(fit32.coef_, fit64.coef_) <= 2.5e-7
    # These carry the float32 rounding of the column means (up to 5.7e-7).
    intercept_scale = max(abs(fit64.intercept_), np.linalg.norm(fit64.coef_))
    assert abs(fit32.intercept_ - fit64.intercept_) <= RTOL32 * intercept_scale
    prediction = fit32.predict(X.astype(np.float32))
    assert relative_distance(prediction, fit64.predict(X)) <= RTOL32


# --- the kernels, called directly ---------------------------------------------


def kernel_inputs(X, y, sample_weight, factors, lower, upper, dtype):
    """The centred, weighted problem in the kernels' terms, in ``dtype``."""
    n_samples = X.shape[0]
    s = sample_weight * (n_samples / sample_weight.sum())
    X_dense = X.toarray() if sparse.issparse(X) else X
    X_offset = s @ X_dense / n_samples
    y_c = y - s @ y / n_samples
    Xc = X_dense - X_offset
    as_dtype = {
        "X_dense": np.asfortranarray(X_dense, dtype=dtype),
        "X_sparse": sparse.csc_matrix(X, dtype=dtype),
        "y": np.ascontiguousarray(y_c, dtype=dtype),
        "s": np.ascontiguousarray(s, dtype=dtype),
        "offset": np.ascontiguousarray(X_offset, dtype=dtype),
        "factors": np.ascontiguousarray(factors, dtype=dtype),
        "lower": np.ascontiguousarray(lower, dtype=dtype),
        "upper": np.ascontiguousarray(upper, dtype=dtype),
        "Q": np.ascontiguousarray(Xc.T @ (s[:, None] * Xc), dtype=dtype),
        "q": np.ascontiguousarray(Xc.T @ (s * y_c), dtype=dtype),
        "y_norm2": dtype(y_c @ (s * y_c)),
        "sum_s": dtype(s.sum()),
    }
    return as_dtype


def run_kernel(kernel, inputs, l1_reg, l2_reg, dtype, tol):
    n_features = inputs["factors"].shape[0]
    w = np.zeros(n_features, dtype=dtype)
    common = (inputs["factors"], inputs["lower"], inputs["upper"], MAX_ITER,
              dtype(tol), 0, False)
    if kernel == "dense":
        result = _cd_fast.enet_coordinate_descent(
            w, dtype(l1_reg), dtype(l2_reg), inputs["X_dense"], inputs["y"],
            inputs["s"], inputs["offset"], *common)
    elif kernel == "sparse":
        X = inputs["X_sparse"]
        result = _cd_fast.sparse_enet_coordinate_descent(
            w, dtype(l1_reg), dtype(l2_reg), X.data, X.indices, X.indptr,
            inputs["y"], inputs["s"], inputs["offset"], *common)
    else:
        result = _cd_fast.enet_coordinate_descent_gram(
            w, dtype(l1_reg), dtype(l2_reg), inputs["Q"], inputs["q"],
            inputs["y_norm2"], inputs["sum_s"], *common)
    returned, gap, n_iter = result
    assert returned is w or np.shares_memory(returned, w)
    return returned, gap, n_iter


@pytest.mark.parametrize("kernel", ["dense", "sparse", "gram"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_float32_kernel_agrees_with_float64(kernel, l1_ratio):
    X, y = data("wide", seed=4)
    n_samples, n_features = X.shape
    sample_weight = positive_weights(n_samples, seed=4)
    factors = np.exp(np.random.default_rng(4).uniform(-1.0, 1.0, n_features))
    factors[[3, 30]] = np.inf
    lower = np.full(n_features, -np.inf)
    upper = np.full(n_features, np.inf)
    lower[[0, 1]] = -0.5
    upper[[0, 2]] = 0.5
    alpha = alpha_max(X, y, l1_ratio, sample_weight) / 10
    l1_reg = n_samples * alpha * l1_ratio
    l2_reg = n_samples * alpha * (1.0 - l1_ratio)
    results, gaps = {}, {}
    for dtype, tol in [(np.float64, TOL64), (np.float32, TOL32)]:
        inputs = kernel_inputs(X, y, sample_weight, factors, lower, upper, dtype)
        w, gap, n_iter = run_kernel(kernel, inputs, l1_reg, l2_reg, dtype, tol)
        assert w.dtype == dtype
        assert isinstance(gap, float) and isinstance(n_iter, int)
        assert n_iter < MAX_ITER
        assert gap <= tol * float(inputs["y_norm2"]) / float(inputs["sum_s"]) * 1.0001
        assert np.all(w >= inputs["lower"]) and np.all(w <= inputs["upper"])
        assert np.all(w[[3, 30]] == 0)
        results[dtype] = w
        gaps[dtype] = gap
    w64 = results[np.float64]
    assert np.count_nonzero(w64) >= 3
    # Measured at most 2.9e-7.
    assert relative_distance(results[np.float32], w64) <= 3e-6
    # The float64 kernel result is the optimum of the problem, to its gap.
    problem = Problem(X, y, alpha, l1_ratio=l1_ratio, sample_weight=sample_weight,
                      penalty_factor=factors, lower=lower, upper=upper)
    scale = max(1.0, np.abs(w64).max())
    bound = distance_bound(problem, gaps[np.float64])
    if not np.isfinite(bound):  # a wide Lasso: strongly convex on its support
        bound = distance_bound(problem, gaps[np.float64], support=w64 != 0)
    atol = max(1e-8 * scale, bound)
    check_optimal(problem, w64, problem.intercept_of(w64), atol,
                  gap=gaps[np.float64])
