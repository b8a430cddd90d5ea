"""Ridge against scikit-learn's Ridge, for every solver.

Objective (scikit-learn's, not divided by n, raw sample weights):
``sum_i s_i (y_i - x_i.w - b)^2 + alpha ||w||^2``.
"""

import warnings

import numpy as np
import pytest
from scipy.optimize import nnls
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Ridge

CLOSED_FORMS = ["auto", "cholesky", "svd"]
SOLVERS = CLOSED_FORMS + ["cd"]
CD_PARAMS = {"tol": 1e-12, "max_iter": 100_000}


def make_ridge(solver, **params):
    if solver == "cd":
        params = {**CD_PARAMS, **params}
    return Ridge(solver=solver, **params)


def reference(X, y, alpha, *, fit_intercept=True, sample_weight=None):
    """scikit-learn's Ridge, solved exactly (Cholesky, or SVD for p > n)."""
    solver = "cholesky" if X.shape[0] >= X.shape[1] else "svd"
    model = sklm.Ridge(alpha=alpha, fit_intercept=fit_intercept, solver=solver)
    return model.fit(X, y, sample_weight=sample_weight)


def cd_distance_bound(X, y, alpha, tol, *, sample_weight=None, fit_intercept=True):
    """Largest ||w - w*||_2 that the 'cd' solver's stopping rule allows.

    The solver stops when its gap, on the Elastic-Net scale (the Ridge
    objective R divided by 2 sum(s)), is below ``tol * y_c^T S y_c / sum(s)``;
    so R is at most ``2 tol y_c^T S y_c`` above its minimum, and R is
    ``2 (lambda_min(X_c^T S X_c) + alpha)``-strongly convex. One value per
    target (columns of y, entries of alpha).
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(y, dtype=np.float64).reshape(X.shape[0], -1)
    s = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight)
    if fit_intercept:
        X = X - s @ X / s.sum()
        Y = Y - s @ Y / s.sum()
    lambda_min = max(np.linalg.eigvalsh(X.T @ (s[:, None] * X))[0], 0.0)
    y_norm2 = np.einsum("ik,ik,i->k", Y, Y, s)
    alphas = np.broadcast_to(alpha, y_norm2.shape)
    return np.sqrt(2.0 * tol * y_norm2 / (lambda_min + alphas))


def assert_same_fit(ours, theirs, solver, X=None, y=None, sample_weight=None):
    """Closed forms agree with scikit-learn to rtol 1e-8; 'cd' to its tol."""
    coef = np.atleast_2d(ours.coef_)
    expected = np.atleast_2d(theirs.coef_)
    scale = np.max(np.abs(expected))
    if solver != "cd":
        np.testing.assert_allclose(coef, expected, rtol=1e-8, atol=1e-10 * scale)
        np.testing.assert_allclose(
            ours.intercept_, theirs.intercept_, rtol=1e-8, atol=1e-10 * scale
        )
        return
    bound = cd_distance_bound(
        X,
        y,
        ours.alpha,
        ours.tol,
        sample_weight=sample_weight,
        fit_intercept=ours.fit_intercept,
    )
    distance = np.linalg.norm(coef - expected, axis=1)
    assert np.all(distance <= bound + 1e-12 * scale)
    # b = mean(y) - mean(X) . w moves with w.
    s = np.ones(X.shape[0]) if sample_weight is None else sample_weight
    x_mean_norm = np.linalg.norm(s @ X / s.sum()) if ours.fit_intercept else 0.0
    assert np.all(
        np.abs(np.atleast_1d(ours.intercept_) - theirs.intercept_)
        <= bound * x_mean_norm + 1e-10 * scale
    )


@pytest.fixture(params=["diabetes", "wide"], ids=["n>p", "p>n"])
def ridge_data(request):
    X, y = request.getfixturevalue(request.param)
    # An alpha in the range where the penalty matters, for either scale.
    alpha = 0.05 * np.linalg.norm(X, ord=2) ** 2
    return X, y, alpha


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(ridge_data, solver, fit_intercept, weighted):
    X, y, alpha = ridge_data
    sample_weight = (
        np.random.default_rng(0).uniform(0.1, 4.0, X.shape[0]) if weighted else None
    )
    ours = make_ridge(solver, alpha=alpha, fit_intercept=fit_intercept)
    ours.fit(X, y, sample_weight=sample_weight)
    theirs = reference(
        X, y, alpha, fit_intercept=fit_intercept, sample_weight=sample_weight
    )
    assert_same_fit(ours, theirs, solver, X, y, sample_weight)
    if not fit_intercept:
        assert ours.intercept_ == 0.0


@pytest.mark.parametrize("solver", SOLVERS)
def test_weights_matter_and_match_repeated_rows(tall, solver):
    # Raw integer weights are repeated rows (Ridge does not rescale them).
    X, y = tall
    counts = np.random.default_rng(1).integers(0, 4, X.shape[0])
    weighted = make_ridge(solver, alpha=3.0).fit(X, y, sample_weight=counts)
    repeated = make_ridge(solver, alpha=3.0).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts)
    )
    unweighted = make_ridge(solver, alpha=3.0).fit(X, y)
    assert_same_fit(
        weighted, reference(X, y, 3.0, sample_weight=counts), solver, X, y, counts
    )
    assert_same_fit(
        repeated, reference(X, y, 3.0, sample_weight=counts), solver, X, y, counts
    )
    scale = np.max(np.abs(repeated.coef_))
    assert np.max(np.abs(unweighted.coef_ - repeated.coef_)) > 1e-3 * scale


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_several_targets_and_alpha_per_target(ridge_data, solver, fit_intercept):
    X, y, alpha = ridge_data
    rng = np.random.default_rng(2)
    Y = np.column_stack([y, y[::-1] * 0.5, rng.standard_normal(X.shape[0]) + 4.0])
    alphas = alpha * np.array([0.1, 1.0, 10.0])

    ours = make_ridge(solver, alpha=alphas, fit_intercept=fit_intercept).fit(X, Y)
    theirs = reference(X, Y, alphas, fit_intercept=fit_intercept)
    assert ours.coef_.shape == (3, X.shape[1])
    assert np.shape(ours.intercept_) == (3,)
    assert_same_fit(ours, theirs, solver, X, Y)
    # Each target is its own problem, with its own alpha: the alphas differ
    # enough for a shared alpha to fail the comparison above.
    shared = make_ridge(solver, alpha=alpha, fit_intercept=fit_intercept).fit(X, Y)
    assert_same_fit(
        shared, reference(X, Y, alpha, fit_intercept=fit_intercept), solver, X, Y
    )
    assert np.max(np.abs(shared.coef_ - ours.coef_)) > 1e-3 * np.abs(ours.coef_).max()


@pytest.mark.parametrize("solver", SOLVERS)
def test_single_column_target_shapes_match_sklearn(diabetes, solver):
    X, y = diabetes
    ours = make_ridge(solver, alpha=1.0).fit(X, y[:, None])
    theirs = sklm.Ridge(alpha=1.0).fit(X, y[:, None])
    assert ours.coef_.shape == theirs.coef_.shape
    assert np.shape(ours.intercept_) == np.shape(theirs.intercept_)
    assert ours.predict(X).shape == theirs.predict(X).shape


@pytest.mark.parametrize("solver", SOLVERS)
def test_float32_stays_float32(ridge_data, solver):
    X, y, alpha = ridge_data
    tol32 = 1e-7  # what float32 'cd' can certify (TOL32 of test_float32.py)
    params = {"tol": tol32} if solver == "cd" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m32 = make_ridge(solver, alpha=alpha, **params).fit(
            X.astype(np.float32), y.astype(np.float32)
        )
    m64 = make_ridge(solver, alpha=alpha).fit(X, y)
    assert m32.coef_.dtype == np.float32
    assert m32.predict(X.astype(np.float32)).dtype == np.float32
    scale = np.max(np.abs(m64.coef_))
    if solver == "cd":
        # float32 'cd' is as accurate as its tol allows: measured 4.4e-4 of
        # scale (p > n), within the bound (5.2e-3), and 9e-8 (n > p).
        bound = cd_distance_bound(X, y, alpha, tol32)[0]
        assert np.linalg.norm(m32.coef_ - m64.coef_) <= bound + 1e-6 * scale
        x_mean_norm = np.linalg.norm(X.mean(axis=0))
        assert abs(m32.intercept_ - m64.intercept_) <= (bound + 1e-6 * scale) * (
            x_mean_norm + 1.0
        )
    else:
        # Measured: coefficients within 9.4e-7 of scale, intercepts within
        # 4.6e-8 of scale + |intercept|.
        np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=0, atol=1e-5 * scale)
        np.testing.assert_allclose(
            m32.intercept_, m64.intercept_, rtol=5e-7, atol=5e-7 * scale
        )


@pytest.mark.parametrize("solver", SOLVERS)
def test_fitted_attributes(diabetes, solver):
    X, y = diabetes
    model = make_ridge(solver, alpha=1.0).fit(X, y)
    assert model.n_features_in_ == X.shape[1]
    assert model.coef_.shape == (X.shape[1],)
    assert np.ndim(model.intercept_) == 0
    if solver == "auto":
        # Dense X: the normal equations, one direct solve.
        assert model.solver_ == "cholesky"
        np.testing.assert_array_equal(model.n_iter_, [1])
    else:
        assert model.solver_ == solver
    if solver == "cd":
        assert np.all(np.asarray(model.n_iter_) >= 1)
    elif solver != "auto":
        # scikit-learn's semantics: no iteration count for direct solves.
        assert model.n_iter_ is None
    np.testing.assert_allclose(
        model.predict(X), X @ model.coef_ + model.intercept_, rtol=1e-12
    )


@pytest.mark.parametrize("solver", ["auto", "cd"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_positive_matches_nnls(tall, solver, fit_intercept):
    # Non-negative Ridge is non-negative least squares on the system
    # [sqrt(S) Xc; sqrt(alpha) I] w = [sqrt(S) yc; 0].
    X, y = tall
    alpha = 5.0
    ours = Ridge(
        alpha=alpha,
        solver=solver,
        positive=True,
        fit_intercept=fit_intercept,
        **CD_PARAMS,
    ).fit(X, y)
    Xc = X - X.mean(axis=0) if fit_intercept else X
    yc = y - y.mean() if fit_intercept else y
    system = np.vstack([Xc, np.sqrt(alpha) * np.eye(X.shape[1])])
    expected, _ = nnls(system, np.concatenate([yc, np.zeros(X.shape[1])]))
    unconstrained = make_ridge(solver, alpha=alpha, fit_intercept=fit_intercept)

    assert np.all(ours.coef_ >= 0.0)
    assert np.any(unconstrained.fit(X, y).coef_ < 0.0)  # the constraint binds
    assert ours.solver_ == "cd"
    # The bound of cd_distance_bound holds under constraints too.
    bound = cd_distance_bound(
        X, y, alpha, CD_PARAMS["tol"], fit_intercept=fit_intercept
    )
    assert np.linalg.norm(ours.coef_ - expected) <= bound[0]
    if fit_intercept:
        intercept = y.mean() - X.mean(axis=0) @ expected
        assert abs(ours.intercept_ - intercept) <= bound[0] * np.linalg.norm(
            X.mean(axis=0)
        ) + 1e-10 * abs(intercept)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_elastic_net_with_l1_ratio_zero_is_ridge(
    tall, fit_intercept, weighted, certified_coef_distance
):
    # ElasticNet(alpha=a, l1_ratio=0) minimises
    #   1/(2 sum s) sum_i s_i r_i^2 + a/2 ||w||^2,
    # which is Ridge(alpha=a * sum(s)) with the raw weights.
    X, y = tall
    sample_weight = (
        np.random.default_rng(3).uniform(0.5, 2.0, X.shape[0]) if weighted else None
    )
    a = 0.3
    total = X.shape[0] if sample_weight is None else sample_weight.sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # l1_ratio=0 may warn
        enet = ElasticNet(
            alpha=a, l1_ratio=0.0, fit_intercept=fit_intercept, tol=1e-12
        ).fit(X, y, sample_weight=sample_weight)
    ridge = Ridge(alpha=a * total, fit_intercept=fit_intercept, solver="cholesky")
    ridge.fit(X, y, sample_weight=sample_weight)
    # The closed form is exact: the distance is what ElasticNet's gap allows.
    distance, bound = certified_coef_distance(
        X, y, enet, ridge, a, 0.0, sample_weight, fit_intercept
    )
    scale = np.max(np.abs(ridge.coef_))
    assert distance <= max(bound, 1e-8 * scale)
    assert bound <= 1e-4 * scale  # ... which is small


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_alpha_zero_svd_is_minimum_norm_least_squares(wide, fit_intercept):
    X, y = wide
    model = Ridge(alpha=0.0, solver="svd", fit_intercept=fit_intercept).fit(X, y)
    Xc = X - X.mean(axis=0) if fit_intercept else X
    yc = y - y.mean() if fit_intercept else y
    expected = np.linalg.pinv(Xc) @ yc
    np.testing.assert_allclose(
        model.coef_, expected, rtol=1e-8, atol=1e-10 * np.abs(expected).max()
    )
    # p > n: the fit interpolates.
    np.testing.assert_allclose(model.predict(X), y, rtol=0, atol=1e-8 * np.abs(y).max())


def test_cd_convergence_warning(diabetes):
    X, y = diabetes
    model = Ridge(alpha=0.01, solver="cd", max_iter=1, tol=1e-14)
    with pytest.warns(ConvergenceWarning, match=r"(?i)duality gap"):
        model.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        Ridge(alpha=0.01, solver="cd", **CD_PARAMS).fit(X, y)
