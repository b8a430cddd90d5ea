"""C-ordered input, numpy's default: the same answers as Fortran order,
and no copy of X where covariance mode reads it only through BLAS."""

import tracemalloc

import numpy as np
import pytest

from l1l2 import ElasticNet, Lasso, LassoCV, enet_path, lasso_path


@pytest.fixture(scope="module")
def tall():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6000, 40))
    coef = np.zeros(40)
    coef[:6] = [3.0, -2.0, 1.5, 1.0, -0.5, 0.25]
    return X, X @ coef + 0.5 * rng.standard_normal(6000)


def peak_bytes(function):
    """Peak of the memory traced while ``function()`` runs."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("path", [lasso_path, enet_path])
def test_a_tall_c_ordered_path_is_fortran_orders_path_without_a_copy(tall, path):
    X, y = tall
    X_c, X_f = np.ascontiguousarray(X), np.asfortranarray(X)
    alphas_c, coefs_c, gaps_c = path(X_c, y, alphas=20)
    alphas_f, coefs_f, gaps_f = path(X_f, y, alphas=20)
    np.testing.assert_allclose(alphas_c, alphas_f, rtol=1e-13)
    np.testing.assert_allclose(coefs_c, coefs_f, rtol=1e-9,
                               atol=1e-9 * np.abs(coefs_f).max())
    # Covariance mode (n > 2 p) reads X through X^T X and X^T y only: the
    # path allocates well under one copy of X (1.9 MB here).
    assert peak_bytes(lambda: path(X_c, y, alphas=20)) < X.nbytes / 4


def test_a_c_ordered_x_is_never_modified(tall):
    X, y = tall
    X_c = np.ascontiguousarray(X)
    before = X_c.copy()
    lasso_path(X_c, y, alphas=5)
    ElasticNet(alpha=0.1, precompute=False).fit(X_c, y)
    LassoCV(cv=3, alphas=5).fit(X_c, y)
    np.testing.assert_array_equal(X_c, before)
    assert X_c.flags.c_contiguous


@pytest.mark.parametrize("precompute", [False, True])
def test_fits_agree_across_orders(tall, precompute):
    X, y = tall
    c_order = Lasso(alpha=0.05, precompute=precompute).fit(np.ascontiguousarray(X), y)
    fortran = Lasso(alpha=0.05, precompute=precompute).fit(np.asfortranarray(X), y)
    np.testing.assert_allclose(c_order.coef_, fortran.coef_, rtol=1e-9, atol=1e-12)
    assert c_order.intercept_ == pytest.approx(fortran.intercept_, rel=1e-9)


def test_cross_validation_agrees_across_orders(tall):
    X, y = tall
    c_order = LassoCV(cv=3, alphas=15).fit(np.ascontiguousarray(X), y)
    fortran = LassoCV(cv=3, alphas=15).fit(np.asfortranarray(X), y)
    assert c_order.alpha_ == fortran.alpha_
    np.testing.assert_allclose(c_order.mse_path_, fortran.mse_path_, rtol=1e-9)
    np.testing.assert_allclose(c_order.coef_, fortran.coef_, rtol=1e-9, atol=1e-12)


def test_a_strided_view_is_copied_once_and_fits_the_same(tall):
    X, y = tall
    wide = np.repeat(X, 2, axis=1)[:, ::2]  # neither C- nor F-contiguous
    assert not (wide.flags.c_contiguous or wide.flags.f_contiguous)
    np.testing.assert_allclose(Lasso(alpha=0.05).fit(wide, y).coef_,
                               Lasso(alpha=0.05).fit(X, y).coef_, rtol=1e-9,
                               atol=1e-12)


@pytest.mark.parametrize("order", ["C", "F"])
def test_fold_threads_reuse_their_own_buffers(tall, order):
    # Each fold thread copies its rows into buffers of its own (FoldRows):
    # parallel and sequential folds see the same rows.
    X, y = tall
    X = np.asarray(X, order=order)
    sequential = LassoCV(cv=4, alphas=10, n_jobs=1).fit(X, y)
    parallel = LassoCV(cv=4, alphas=10, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(parallel.mse_path_, sequential.mse_path_)
