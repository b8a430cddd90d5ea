"""Ridge's solvers by name, its 'auto' rule, the matrix-free operator and
``ridge_regression``, against scikit-learn and exact solutions.

Objective (scikit-learn's): ``sum_i s_i (y_i - x_i.w - b)^2 + alpha ||w||^2``.
"""

import warnings

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import nnls
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import Ridge, ridge_regression
from l1l2._base import Design
from l1l2._ridge_solvers import centred_operator

# Every name scikit-learn accepts without positive=True, and l1l2's 'cd'.
UNCONSTRAINED = ["auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "cd"]
TIGHT = {"tol": 1e-14, "max_iter": 100_000}


def exact_ridge(X, y, alpha, sample_weight=None, fit_intercept=True):
    """The Ridge solution from the weighted, centred normal equations."""
    X = X.toarray() if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
    s = np.ones(X.shape[0]) if sample_weight is None else sample_weight
    X_mean = s @ X / s.sum() if fit_intercept else np.zeros(X.shape[1])
    y_mean = s @ y / s.sum() if fit_intercept else 0.0
    Xc, yc = X - X_mean, y - y_mean
    coef = np.linalg.solve(
        Xc.T @ (s[:, None] * Xc) + alpha * np.eye(X.shape[1]), Xc.T @ (s * yc)
    )
    return coef, y_mean - X_mean @ coef


def sparse_problem(n, p, seed, density=0.2):
    rng = np.random.default_rng(seed)
    X = sparse.random(n, p, density=density, format="csr", random_state=seed)
    X.data = rng.uniform(0.5, 2.0, X.nnz)
    y = X @ rng.standard_normal(p) + 3.0 + 0.1 * rng.standard_normal(n)
    return X, y


def fit_quietly(model, X, y, **fit_params):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return model.fit(X, y, **fit_params)


@pytest.mark.parametrize("solver", UNCONSTRAINED)
@pytest.mark.parametrize("shape", [(80, 12), (15, 40)], ids=["tall", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_every_solver_name_gives_the_exact_solution(
    solver, shape, weighted, fit_intercept
):
    rng = np.random.default_rng(1)
    X = rng.standard_normal(shape) + 2.0
    y = X @ rng.standard_normal(shape[1]) + 4.0 + rng.standard_normal(shape[0])
    sample_weight = rng.uniform(0.2, 3.0, shape[0]) if weighted else None
    ours = fit_quietly(
        Ridge(alpha=0.7, solver=solver, fit_intercept=fit_intercept, **TIGHT),
        X,
        y,
        sample_weight=sample_weight,
    )
    coef, intercept = exact_ridge(X, y, 0.7, sample_weight, fit_intercept)
    scale = np.abs(coef).max()
    np.testing.assert_allclose(ours.coef_, coef, rtol=0, atol=1e-8 * scale)
    assert ours.intercept_ == pytest.approx(intercept, rel=1e-8, abs=1e-8 * scale)
    # And scikit-learn's answer under the same name is the same one.
    if solver not in ("cd", "sag", "saga"):  # theirs are stochastic at any tol
        theirs = sklm.Ridge(
            alpha=0.7,
            solver=solver,
            fit_intercept=fit_intercept,
            tol=1e-14,
            max_iter=100_000,
        )
        theirs.fit(X, y, sample_weight=sample_weight)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=1e-7 * scale)


@pytest.mark.parametrize("solver", ["auto", "lsqr", "sparse_cg", "sag", "cd"])
@pytest.mark.parametrize("shape", [(120, 30), (30, 90)], ids=["tall", "wide"])
@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_with_intercept_is_dense(solver, shape, weighted):
    X, y = sparse_problem(*shape, seed=2)
    rng = np.random.default_rng(2)
    sample_weight = rng.uniform(0.2, 3.0, shape[0]) if weighted else None
    params = dict(alpha=0.5, solver=solver, **TIGHT)
    on_sparse = fit_quietly(Ridge(**params), X, y, sample_weight=sample_weight)
    on_dense = fit_quietly(Ridge(**params), X.toarray(), y, sample_weight=sample_weight)
    coef, intercept = exact_ridge(X, y, 0.5, sample_weight)
    scale = np.abs(coef).max()
    for model in (on_sparse, on_dense):
        np.testing.assert_allclose(model.coef_, coef, rtol=0, atol=1e-8 * scale)
        assert model.intercept_ == pytest.approx(intercept, abs=1e-8 * scale)


def test_centred_operator_is_the_centred_weighted_matrix():
    X, _ = sparse_problem(30, 9, seed=3)
    rng = np.random.default_rng(3)
    weights = rng.uniform(0.1, 2.0, 30)
    offset = rng.standard_normal(9)
    p = 9
    design = Design(
        X, weights, offset, np.ones(p), np.full(p, -np.inf), np.full(p, np.inf)
    )
    operator = centred_operator(design)
    explicit = np.sqrt(weights)[:, None] * (X.toarray() - offset)
    v, u = rng.standard_normal(9), rng.standard_normal(30)
    np.testing.assert_allclose(operator.matvec(v), explicit @ v, rtol=1e-13)
    np.testing.assert_allclose(operator.rmatvec(u), explicit.T @ u, rtol=1e-13)


@pytest.mark.parametrize("solver", ["auto", "lsqr", "sparse_cg"])
@pytest.mark.parametrize("weighted", [False, True])
def test_iterative_solvers_never_densify_or_copy_sparse_x(
    solver, weighted, monkeypatch
):
    X, y = sparse_problem(2000, 3000, seed=4, density=0.002)
    sample_weight = np.linspace(0.5, 2.0, 2000) if weighted else None

    def refuse(*args, **kwargs):
        raise AssertionError("X was densified or copied")

    for cls in (sparse.csr_matrix, sparse.csc_matrix):
        for name in ("toarray", "todense", "copy", "multiply", "tocsc", "tocsr"):
            monkeypatch.setattr(cls, name, refuse)
    model = Ridge(alpha=1.0, solver=solver, tol=1e-8).fit(
        X, y, sample_weight=sample_weight
    )
    assert model.solver_ == ("sparse_cg" if solver == "auto" else solver)
    monkeypatch.undo()
    coef, intercept = exact_ridge(X, y, 1.0, sample_weight)
    np.testing.assert_allclose(
        model.coef_, coef, rtol=0, atol=1e-5 * np.abs(coef).max()
    )


def test_auto_rule():
    rng = np.random.default_rng(5)
    dense = rng.standard_normal((50, 8))
    y = rng.standard_normal(50)
    assert Ridge().fit(dense, y).solver_ == "cholesky"
    assert Ridge(positive=True).fit(dense, y).solver_ == "cd"
    big, y_big = sparse_problem(3000, 3000, seed=5, density=0.001)
    assert Ridge().fit(big, y_big).solver_ == "sparse_cg"
    # Tiny and many targets: the one factorisation is cheaper.
    tiny, _ = sparse_problem(40, 5, seed=5, density=0.5)
    Y = rng.standard_normal((40, 30))
    assert Ridge().fit(tiny, Y).solver_ == "cholesky"


def test_auto_is_as_accurate_as_sklearn_at_default_tol():
    # The objective of each answer above the exact minimum.
    X, y = sparse_problem(1500, 2500, seed=6, density=0.003)
    coef, intercept = exact_ridge(X, y, 1.0)

    def excess(model):
        def f(w, b):
            return np.sum((y - X @ w - b) ** 2) + w @ w

        return f(model.coef_, model.intercept_) - f(coef, intercept)

    ours, theirs = Ridge().fit(X, y), sklm.Ridge().fit(X, y)
    assert ours.solver_ == theirs.solver_ == "sparse_cg"
    assert excess(ours) <= excess(theirs) * (1 + 1e-6) + 1e-9


@pytest.mark.parametrize("solver", ["lsqr", "sag", "saga"])
def test_lsqr_reports_its_iterations_and_honours_max_iter(diabetes, solver):
    X, y = diabetes
    Y = np.column_stack([y, -y])
    for max_iter in (1, 2, 3):
        with pytest.warns(ConvergenceWarning, match=f"{solver} did not converge"):
            model = Ridge(solver=solver, max_iter=max_iter, tol=1e-12).fit(X, Y)
        np.testing.assert_array_equal(model.n_iter_, [max_iter, max_iter])
    converged = Ridge(solver=solver, tol=1e-10).fit(X, y)
    assert 1 <= converged.n_iter_[0] <= 2 * X.shape[1]


def test_sparse_cg_honours_max_iter_and_reports_none(diabetes):
    X, y = diabetes
    with pytest.warns(ConvergenceWarning, match="sparse_cg did not converge after 1"):
        short = Ridge(solver="sparse_cg", max_iter=1, tol=1e-12).fit(X, y)
    full = Ridge(solver="sparse_cg", tol=1e-12).fit(X, y)
    assert short.n_iter_ is None and full.n_iter_ is None
    assert np.abs(short.coef_ - full.coef_).max() > 1.0
    # 'auto' counts the iterations of the solver it chose.
    sparse_auto = Ridge().fit(sparse.csr_matrix(X), y)
    if sparse_auto.solver_ == "sparse_cg":
        assert sparse_auto.n_iter_[0] >= 1


@pytest.mark.parametrize("solver", ["lsqr", "svd"])
def test_alpha_zero_gives_the_minimum_norm_solution(wide, solver):
    X, y = wide
    model = Ridge(alpha=0.0, solver=solver, fit_intercept=False, tol=1e-14).fit(X, y)
    expected = np.linalg.pinv(X) @ y
    np.testing.assert_allclose(
        model.coef_, expected, rtol=0, atol=1e-7 * np.abs(expected).max()
    )


@pytest.mark.parametrize("solver", ["auto", "lbfgs", "cd"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(120, 40), (40, 300)], ids=["tall", "wide"])
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_positive_is_exact_at_default_tol(solver, weighted, shape, layout):
    # Non-negative Ridge is NNLS on [sqrt(S) Xc; sqrt(alpha) I]. On the wide
    # problem coordinate descent alone stops (at tol=1e-4) at twice the
    # optimal objective; the Newton finish reaches the optimum.
    n, p = shape
    rng = np.random.default_rng(7)
    X = rng.standard_normal((n, p))
    X[rng.random((n, p)) < 0.3] = 0.0
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    s = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    alpha = 0.3 if n > p else 0.05
    model = Ridge(alpha=alpha, positive=True, solver=solver).fit(
        sparse.csr_matrix(X) if layout == "sparse" else X,
        y,
        sample_weight=s if weighted else None,
    )
    X_mean, y_mean = s @ X / s.sum(), s @ y / s.sum()
    root = np.sqrt(s)[:, None]
    system = np.vstack([root * (X - X_mean), np.sqrt(alpha) * np.eye(p)])
    expected, _ = nnls(
        system,
        np.concatenate([root[:, 0] * (y - y_mean), np.zeros(p)]),
        maxiter=10_000,
    )
    assert 0 < np.count_nonzero(expected) < p  # the bounds bind
    scale = np.abs(expected).max()
    np.testing.assert_allclose(model.coef_, expected, rtol=0, atol=1e-8 * scale)
    assert model.intercept_ == pytest.approx(
        y_mean - X_mean @ expected, abs=1e-8 * scale
    )


@pytest.mark.parametrize(
    "params, sparse_x, error, match",
    [
        ({"solver": "lbfgs"}, False, ValueError, "only when positive=True"),
        (
            {"solver": "lsqr", "positive": True},
            False,
            ValueError,
            "does not support positive",
        ),
        (
            {"solver": "sparse_cg", "positive": True},
            False,
            ValueError,
            "does not support positive",
        ),
        (
            {"solver": "cholesky"},
            True,
            ValueError,
            "does not support fitting the intercept on sparse data",
        ),
        (
            {"solver": "saga"},
            True,
            ValueError,
            "does not support fitting the intercept on sparse data",
        ),
        (
            {"solver": "svd", "fit_intercept": False},
            True,
            TypeError,
            "SVD solver does not support sparse",
        ),
        (
            {"alpha": np.array([1.0, 2.0, 3.0])},
            False,
            ValueError,
            "Number of targets and number of penalties do not correspond: 3 != 1",
        ),
        ({"alpha": -1.0}, False, ValueError, "'alpha' parameter"),
        ({"solver": "newton"}, False, ValueError, "'solver' parameter"),
    ],
)
def test_bad_settings_are_refused_as_sklearn_refuses_them(
    diabetes, params, sparse_x, error, match
):
    X, y = diabetes
    X = sparse.csr_matrix(X) if sparse_x else X
    with pytest.raises(error, match=match):
        Ridge(**params).fit(X, y)
    # scikit-learn refuses them too (but l1l2's extra 'cd' mention).
    with pytest.raises(error):
        sklm.Ridge(**params).fit(X, y)


def test_sag_warns_like_sklearn_on_sparse_intercept_at_loose_tol(diabetes):
    X, y = diabetes
    with pytest.warns(UserWarning, match='"sag" solver requires'):
        Ridge(solver="sag", tol=1e-3).fit(sparse.csr_matrix(X), y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        Ridge(solver="sag", tol=1e-4).fit(sparse.csr_matrix(X), y)


@pytest.mark.parametrize("solver", UNCONSTRAINED)
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_the_callers_arrays_are_never_modified(solver, layout):
    if layout == "sparse" and solver in ("svd", "cholesky", "saga"):
        return  # refused with an intercept (tested above)
    X, y = sparse_problem(60, 20, seed=8)
    X = X if layout == "sparse" else X.toarray()
    Y = np.column_stack([y, 2 * y])
    alpha = np.array([0.5, 2.0])
    weights = np.linspace(0.5, 2.0, 60)
    before = [a.copy() for a in (Y, alpha, weights)]
    X_before = X.copy()
    for array in (Y, alpha, weights):
        array.flags.writeable = False
    if layout == "dense":
        X.flags.writeable = False
    Ridge(alpha=alpha, solver=solver).fit(X, Y, sample_weight=weights)
    for after, expected in zip((Y, alpha, weights), before, strict=True):
        np.testing.assert_array_equal(after, expected)
    if layout == "sparse":
        for name in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(X, name), getattr(X_before, name))
    else:
        np.testing.assert_array_equal(X, X_before)


def test_ridge_regression_matches_ridge_and_sklearn(diabetes):
    X, y = diabetes
    weights = np.linspace(0.5, 2.0, len(y))
    for solver in ("auto", "cholesky", "lsqr", "sparse_cg", "svd"):
        coef = ridge_regression(
            X, y, 2.0, sample_weight=weights, solver=solver, tol=1e-14
        )
        expected, _ = exact_ridge(X, y, 2.0, weights, fit_intercept=False)
        np.testing.assert_allclose(coef, expected, rtol=1e-7)
        theirs = sklm.ridge_regression(
            X, y, 2.0, sample_weight=weights, solver=solver, tol=1e-14
        )
        np.testing.assert_allclose(coef, theirs, rtol=1e-6)
    coef, n_iter, intercept = ridge_regression(
        X, y, 2.0, solver="sag", tol=1e-14, return_n_iter=True, return_intercept=True
    )
    expected, expected_intercept = exact_ridge(X, y, 2.0)
    np.testing.assert_allclose(coef, expected, rtol=1e-7)
    assert intercept == pytest.approx(expected_intercept, rel=1e-9)
    assert n_iter.shape == (1,) and n_iter[0] >= 1
    assert ridge_regression(X, y, 2.0, solver="cholesky", return_n_iter=True)[1] is None
    with pytest.raises(ValueError, match="only 'sag' solver can directly fit"):
        ridge_regression(X, y, 2.0, solver="lsqr", return_intercept=True)
    with pytest.raises(ValueError, match="only 'lbfgs' solver can be used"):
        ridge_regression(X, y, 2.0, solver="svd", positive=True)


def test_sparse_cg_at_tol_zero_returns_its_exact_solution():
    # With tol=0, CG runs on past the exact solution of a 5 x 5 dual
    # system, where 0 / 0 can make its iterate NaN (scikit-learn returns
    # it); the last finite iterate is that solution.
    rng = np.random.RandomState(0)
    y, X = rng.randn(5), rng.randn(5, 10)
    for X_in in (X, np.asfortranarray(X)):
        with pytest.warns(ConvergenceWarning, match="sparse_cg did not converge"):
            coef = ridge_regression(X_in, y, alpha=1.0, solver="sparse_cg",
                                    tol=0.0, max_iter=None)
        np.testing.assert_allclose(
            coef, ridge_regression(X, y, alpha=1.0, solver="cholesky"),
            rtol=1e-10, atol=1e-12)
