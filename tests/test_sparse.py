"""Sparse X: the same models as dense X, without densifying or copying it.

Lasso and ElasticNet take CSC X (CSR and COO converted once) and centre it
implicitly when fitting an intercept; Ridge builds its normal equations
without densifying X. Every comparison is with the dense fit of the same
data, which the other test files check against scikit-learn and the
optimality conditions; here the dense fits are also checked against the
exact solution on their own support (``optimality.check_optimal``).
"""

import tracemalloc
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from optimality import (
    Problem,
    allowed_gap,
    alpha_max,
    check_optimal,
    coef_tolerance,
    duplicated_csc,
    gap_slack,
    positive_weights,
    shuffled_csc,
    sparse_problem,
    with_explicit_zeros,
)
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Lasso, Ridge

TOL = 1e-12
MAX_ITER = 100_000
SHAPES = {"wide": (60, 100), "tall": (200, 50)}
MODELS = {"lasso": 1.0, "enet": 0.5}


def make_model(name, alpha, **params):
    params = {"tol": TOL, "max_iter": MAX_ITER, **params}
    if MODELS[name] == 1.0:
        return Lasso(alpha=alpha, **params)
    return ElasticNet(alpha=alpha, l1_ratio=MODELS[name], **params)


def problem(shape, seed=0):
    X, y = sparse_problem(*SHAPES[shape], seed=seed)
    return X, y


def fit(name, X, y, sample_weight=None, divisor=20, alpha=None, **params):
    """Fit at alpha_max / divisor of the (first) target unless alpha is given;
    sparse and dense fits of the same data share alpha."""
    if alpha is None:
        fit_intercept = params.get("fit_intercept", True)
        first = y if np.ndim(y) == 1 else y[:, 0]
        alpha = alpha_max(X, first, MODELS[name], sample_weight, fit_intercept)
        alpha /= divisor
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return make_model(name, alpha, **params).fit(X, y, sample_weight=sample_weight)


def assert_same_model(a, b, problem, atol=None):
    """Coefficients and intercepts equal: to 1e-8 times their size for the
    Lasso, to what the two duality gaps allow (if more) for the Elastic-Net.
    """
    if atol is None:
        atol = coef_tolerance(problem, a) + coef_tolerance(problem, b)
    scale = max(1.0, float(np.max(np.abs(b.coef_))))
    assert atol <= 1e-4 * scale  # tight enough to mean something
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=atol)
    intercept_atol = atol * (np.linalg.norm(problem.x_mean) + 1.0)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=0, atol=intercept_atol)


def nontrivial(coef):
    """A solution with both zero and non-zero coefficients tests something."""
    return np.count_nonzero(coef) >= 3 and np.count_nonzero(coef == 0) >= 3


# --- sparse == dense --------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_equals_dense(shape, name, fit_intercept, weighted):
    X, y = problem(shape)
    sample_weight = positive_weights(X.shape[0]) if weighted else None
    dense_fit = fit(name, X.toarray(), y, sample_weight, fit_intercept=fit_intercept)
    sparse_fit = fit(name, X, y, sample_weight, fit_intercept=fit_intercept)
    assert nontrivial(dense_fit.coef_)
    problem_ = Problem.of(dense_fit, X, y, sample_weight)
    assert_same_model(sparse_fit, dense_fit, problem_)
    assert sparse_fit.coef_.dtype == np.float64
    if not fit_intercept:
        assert sparse_fit.intercept_ == 0.0
    # Both are the optimum, not merely the same point, and their gaps are
    # honest and below the promised tolerance.
    for model in (dense_fit, sparse_fit):
        check_optimal(
            problem_,
            model.coef_,
            model.intercept_,
            coef_tolerance(problem_, model),
            gap=model.dual_gap_,
        )
    promised = allowed_gap(problem_, TOL)
    for model in (dense_fit, sparse_fit):
        assert -gap_slack(problem_) <= model.dual_gap_ <= promised


@pytest.mark.parametrize("name", MODELS)
def test_sparse_multi_target_equals_dense(name):
    X, y = problem("tall")
    Y = np.column_stack([y, -2.0 * y + X[:, 3].toarray().ravel()])
    dense_fit = fit(name, X.toarray(), Y)
    sparse_fit = fit(name, X, Y)
    assert sparse_fit.coef_.shape == (2, X.shape[1])
    for k in range(2):
        problem_ = Problem.of(dense_fit, X, Y[:, k])
        target = [
            SimpleNamespace(
                coef_=model.coef_[k],
                intercept_=model.intercept_[k],
                dual_gap_=model.dual_gap_[k],
                l1_ratio=model.l1_ratio,
            )
            for model in (sparse_fit, dense_fit)
        ]
        assert_same_model(*target, problem_)
        # Each column is its own problem.
        single = fit(name, X, Y[:, k], alpha=sparse_fit.alpha)
        assert_same_model(target[0], single, problem_)


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize(
    "layout", ["csr_matrix", "coo_matrix", "csc_array", "csr_array", "coo_array"]
)
def test_other_sparse_layouts_equal_csc(name, layout):
    X, y = problem("wide")
    sample_weight = positive_weights(X.shape[0], seed=1)
    expected = fit(name, X, y, sample_weight)
    converted = getattr(sparse, layout)(X)
    assert converted.format == layout.split("_")[0]
    result = fit(name, converted, y, sample_weight)
    # The same CSC matrix reaches the kernel: the same arithmetic.
    problem_ = Problem.of(expected, X, y, sample_weight)
    atol = 1e-12 * max(1.0, np.abs(expected.coef_).max())
    assert_same_model(result, expected, problem_, atol=atol)


def noncanonical(kind, X):
    """A CSC matrix equal to X, stored in one of the unusual ways."""
    if kind == "explicit_zeros":
        result = with_explicit_zeros(X, fraction=0.3)
        assert result.nnz > X.nnz + 0.2 * (np.prod(X.shape) - X.nnz)
    elif kind == "unsorted":
        result = shuffled_csc(X)
        assert not result.has_sorted_indices
    elif kind == "duplicates":
        result = duplicated_csc(X)
        assert result.nnz == 2 * X.nnz
        assert not result.has_canonical_format
    elif kind == "int64":
        result = sparse.csc_matrix(X, copy=True)
        result.indices = result.indices.astype(np.int64)
        result.indptr = result.indptr.astype(np.int64)
    else:  # all of them at once
        result = duplicated_csc(shuffled_csc(with_explicit_zeros(X)))
        result.indices = result.indices.astype(np.int64)
        result.indptr = result.indptr.astype(np.int64)
        assert not result.has_sorted_indices
    if kind in ("int64", "everything"):
        assert result.indices.dtype == np.int64 and result.indptr.dtype == np.int64
    assert result.format == "csc"
    np.testing.assert_allclose(result.toarray(), X.toarray(), rtol=1e-15, atol=1e-15)
    return result


KINDS = ["explicit_zeros", "unsorted", "duplicates", "int64", "everything"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("precompute", [False, True])
def test_noncanonical_csc_equals_dense(kind, name, weighted, precompute):
    X, y = problem("wide")
    sample_weight = positive_weights(X.shape[0], seed=2) if weighted else None
    expected = fit(name, X.toarray(), y, sample_weight)
    assert nontrivial(expected.coef_)
    result = fit(name, noncanonical(kind, X), y, sample_weight, precompute=precompute)
    assert_same_model(result, expected, Problem.of(expected, X, y, sample_weight))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "make",
    [
        lambda: Lasso(alpha=0.2, tol=1e-10),
        lambda: ElasticNet(alpha=0.2, tol=1e-10, precompute=True),
        lambda: Ridge(alpha=1.0, solver="auto"),
        lambda: Ridge(alpha=1.0, solver="lsqr", tol=1e-8),
        lambda: Ridge(alpha=1.0, solver="sparse_cg", tol=1e-8),
        lambda: Ridge(alpha=1.0, solver="cd", tol=1e-8),
    ],
    ids=["lasso", "enet-gram", "ridge-auto", "ridge-lsqr", "ridge-sparse_cg",
         "ridge-cd"],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_fit_leaves_the_sparse_matrix_unchanged(kind, make, weighted):
    X, y = problem("wide")
    X = noncanonical(kind, X)
    before = {key: getattr(X, key).copy() for key in ("data", "indices", "indptr")}
    sorted_before = X.has_sorted_indices
    canonical_before = X.has_canonical_format
    sample_weight = positive_weights(X.shape[0], seed=3) if weighted else None
    model = make()
    model.fit(X, y, sample_weight=sample_weight)
    assert np.count_nonzero(model.coef_) > 0
    model.predict(X)
    for key, array in before.items():
        after = getattr(X, key)
        assert after.dtype == array.dtype, key
        assert after.tobytes() == array.tobytes(), key
    assert X.has_sorted_indices == sorted_before
    assert X.has_canonical_format == canonical_before


@pytest.mark.parametrize("layout", ["csr", "coo"])
def test_other_layouts_are_left_unchanged(layout):
    X, y = problem("wide")
    X = X.asformat(layout)
    keys = ("data", "indices", "indptr") if layout == "csr" else ("data", "row", "col")
    before = {key: getattr(X, key).copy() for key in keys}
    fit("lasso", X, y, positive_weights(X.shape[0]))
    for key, array in before.items():
        assert getattr(X, key).tobytes() == array.tobytes(), key


@pytest.mark.parametrize(
    "model",
    [Lasso(tol=1e-6), ElasticNet(l1_ratio=0.5, tol=1e-6), Ridge()],
    ids=["lasso", "enet", "ridge"],
)
def test_large_sparse_input_is_never_densified(model):
    # Dense, this X would take 80 MB; fitting must allocate far less.
    n_samples, n_features = 500, 20_000
    rng = np.random.default_rng(0)
    X = sparse.random(
        n_samples,
        n_features,
        density=0.01,
        format="csc",
        random_state=0,
        data_rvs=lambda k: 1.0 + rng.standard_normal(k),
    )
    y = X[:, :5] @ np.array([5.0, -4.0, 3.0, 6.0, -5.0])
    y += 0.1 * rng.standard_normal(n_samples) + 1.0
    sample_weight = positive_weights(n_samples)
    # alpha_max / 5, computed sparsely: centred y makes X^T S y_c centred too.
    y_c = y - sample_weight @ y / sample_weight.sum()
    s = sample_weight * n_samples / sample_weight.sum()
    l1_ratio = getattr(model, "l1_ratio", 1.0)
    alpha = np.max(np.abs(X.T @ (s * y_c))) / n_samples / l1_ratio / 5
    model.set_params(alpha=alpha if not isinstance(model, Ridge) else 1.0)
    dense_bytes = n_samples * n_features * 8
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y, sample_weight=sample_weight)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < dense_bytes / 10, f"peak {peak} bytes while fitting"
    assert np.count_nonzero(model.coef_[:5]) >= 3


# --- Ridge --------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("solver", ["auto", "cholesky", "lsqr", "sparse_cg", "cd"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_sparse_equals_dense(shape, solver, fit_intercept, weighted):
    if solver == "cholesky" and fit_intercept:
        pytest.skip("scikit-learn's 'cholesky' refuses sparse X with an intercept")
    X, y = problem(shape)
    sample_weight = positive_weights(X.shape[0], seed=4) if weighted else None
    params = {"alpha": 2.0, "solver": solver, "fit_intercept": fit_intercept}
    if solver == "cd":
        params.update(tol=1e-14, max_iter=MAX_ITER)
    elif solver != "cholesky":
        params.update(tol=1e-14)  # 'auto' is conjugate gradients on sparse X
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        dense_fit = Ridge(**params).fit(X.toarray(), y, sample_weight=sample_weight)
        sparse_fit = Ridge(**params).fit(X, y, sample_weight=sample_weight)
    if solver != "auto":
        assert sparse_fit.solver_ == dense_fit.solver_ == solver
    scale = max(1.0, np.abs(dense_fit.coef_).max())
    atol = (1e-6 if solver == "cd" else 1e-8) * scale
    problem_ = Problem(
        X, y, 1.0, sample_weight=sample_weight, fit_intercept=fit_intercept
    )
    assert_same_model(sparse_fit, dense_fit, problem_, atol=atol)
    # And both are the Ridge solution: the normal equations hold.
    s = np.ones(X.shape[0]) if sample_weight is None else sample_weight
    Xd = X.toarray()
    residual = y - Xd @ sparse_fit.coef_ - sparse_fit.intercept_
    # Half the gradient of sum_i s_i r_i^2 + alpha ||w||^2.
    gradient = Xd.T @ (s * residual) - params["alpha"] * sparse_fit.coef_
    atol = 1e-9 if solver != "cd" else 1e-5
    assert np.max(np.abs(gradient)) <= atol * np.max(np.abs(Xd.T @ (s * y)))
    if fit_intercept:
        assert abs(s @ residual) <= 1e-9 * np.abs(s @ y)


def test_ridge_svd_refuses_sparse_input():
    # scikit-learn's errors: about the intercept first, then about sparse X.
    X, y = problem("tall")
    with pytest.raises(ValueError, match="solver='svd' does not support fitting"):
        Ridge(solver="svd").fit(X, y)
    with pytest.raises(TypeError, match="SVD solver does not support sparse"):
        Ridge(solver="svd", fit_intercept=False).fit(X.tocsr(), y)
    # The dense data are fine.
    assert Ridge(solver="svd").fit(X.toarray(), y).solver_ == "svd"


# --- predict ------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        Lasso(alpha=0.02, tol=TOL, max_iter=MAX_ITER),
        ElasticNet(alpha=0.02, l1_ratio=0.5, tol=TOL, max_iter=MAX_ITER),
        Ridge(alpha=1.0),
    ],
    ids=["lasso", "enet", "ridge"],
)
@pytest.mark.parametrize("layout", ["csc", "csr", "coo"])
def test_predict_sparse_equals_dense(model, layout):
    X, y = problem("tall")
    X_new, _ = problem("tall", seed=7)
    model.fit(X, y)
    assert np.count_nonzero(model.coef_) >= 3
    expected = X_new.toarray() @ model.coef_ + model.intercept_
    from_dense = model.predict(X_new.toarray())
    from_sparse = model.predict(X_new.asformat(layout))
    assert isinstance(from_sparse, np.ndarray) and from_sparse.shape == (X.shape[0],)
    np.testing.assert_allclose(from_dense, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(from_sparse, from_dense, rtol=1e-12, atol=1e-12)


# --- degenerate columns -------------------------------------------------------


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("precompute", [False, True])
def test_empty_and_constant_sparse_columns(name, weighted, precompute):
    # An empty column, a column that stores the same value in every row and
    # a column that stores only zeros: centred, all three vanish, so their
    # coefficients are exactly 0, as for the dense X.
    X, y = problem("tall", seed=5)
    X = X.tolil()
    X[:, 10] = 0.0
    X[:, 11] = 2.5
    X = X.tocsc()
    X = sparse.hstack(
        [X, sparse.csc_matrix((np.zeros(X.shape[0]), (np.arange(X.shape[0]),
                                                       np.zeros(X.shape[0], int))),
                              shape=(X.shape[0], 1))],
        format="csc",
    )
    assert X[:, 10].nnz == 0 and X[:, 11].nnz == X.shape[0]
    assert X.getcol(X.shape[1] - 1).nnz == X.shape[0]  # stored zeros
    sample_weight = positive_weights(X.shape[0], seed=5) if weighted else None
    expected = fit(name, X.toarray(), y, sample_weight)
    result = fit(name, X, y, sample_weight, precompute=precompute)
    degenerate = [10, 11, X.shape[1] - 1]
    assert np.all(result.coef_[degenerate] == 0.0)
    assert np.all(expected.coef_[degenerate] == 0.0)
    assert_same_model(result, expected, Problem.of(expected, X, y, sample_weight))


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("precompute", [False, True])
def test_column_living_only_in_zero_weight_rows(name, precompute):
    # Column 12 is non-zero only in rows of weight 0: for the weighted
    # problem it is a zero column, and its coefficient must be exactly 0.
    X, y = problem("tall", seed=6)
    sample_weight = positive_weights(X.shape[0], seed=6)
    dropped = np.arange(0, X.shape[0], 5)
    sample_weight[dropped] = 0.0
    X = X.tolil()
    X[:, 12] = 0.0
    X[dropped, 12] = 7.0
    X = X.tocsc()
    y = y.copy()
    y[dropped] += 50.0  # would pull column 12 in if those rows counted
    result = fit(name, X, y, sample_weight, precompute=precompute)
    assert result.coef_[12] == 0.0
    kept = np.setdiff1d(np.arange(X.shape[0]), dropped)
    subset = fit(name, X[kept], y[kept], sample_weight[kept], alpha=result.alpha,
                 precompute=precompute)
    assert_same_model(result, subset, Problem.of(result, X, y, sample_weight))


@pytest.mark.parametrize("kind", ["canonical", "duplicates"])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_extrapolation_trials_leave_the_path_exact(kind, weighted):
    # On a CSC X that is not centred, an Anderson trial moves only the
    # residual entries on the moved columns' rows and undoes them when P
    # does not fall. Correlated pairs of columns make coordinate descent
    # slow enough to try extrapolations: 54 trials over the four variants,
    # 25 of them rejected (counted once with a counter in the kernel; 1000
    # samples keep the moved entries fewer than the samples). A residual
    # left wrong by an undo fails all four (checked by removing the undo).
    from l1l2 import lasso_path

    rng = np.random.default_rng(0)
    A = sparse.random(1000, 150, density=0.02, format="csc", random_state=1,
                      data_rvs=rng.standard_normal)
    B = A.copy()
    B.data = B.data * (1 + 0.5 * rng.standard_normal(B.nnz))
    X = sparse.hstack([A, B, sparse.random(1000, 200, density=0.02, format="csc",
                                           random_state=2,
                                           data_rvs=rng.standard_normal)]).tocsc()
    coef = np.zeros(X.shape[1])
    coef[:60] = rng.standard_normal(60)
    y = X @ coef + 0.5 * rng.standard_normal(1000)
    sample_weight = positive_weights(1000, seed=3) if weighted else None
    settings = dict(eps=1e-4, tol=1e-12, sample_weight=sample_weight)
    alphas, dense, _ = lasso_path(X.toarray(), y, alphas=30, **settings)
    given = duplicated_csc(X) if kind == "duplicates" else X
    _, coefs, gaps = lasso_path(given, y, alphas=alphas, **settings)
    s = np.ones(1000) if sample_weight is None else sample_weight
    for k, alpha in enumerate(alphas):
        objectives = [
            0.5 * s @ (y - X @ c) ** 2 / s.sum() + alpha * np.abs(c).sum()
            for c in (coefs[:, k], dense[:, k])
        ]
        assert objectives[0] == pytest.approx(objectives[1], rel=1e-12, abs=0)
        assert gaps[k] <= 1e-12 * (s @ y**2) / s.sum() * (1 + 1e-6)
