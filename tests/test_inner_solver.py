"""The inner-solver entry point ``weighted_enet_working_set``: a weighted
Elastic-Net on a working set, for outer loops (proximal Newton steps of a
GLM) that call it many times with new working responses and weights.

Everything is checked on the kernel's scale,

    P(w) = 1/2 sum_i s_i (z_i - x_i . w)^2 + sum_j f_j (l1 |w_j| + l2/2 w_j^2),

against the optimality conditions computed here in float64, against the full
residual solver on the working set's columns, and through an outer loop
(L1-penalised logistic regression) whose own optimality conditions are
checked at the end.
"""

import numpy as np
import pytest
from l1l2._cd_fast import (
    Workspace,
    enet_coordinate_descent,
    weighted_enet_working_set,
)
from numpy.testing import assert_allclose
from scipy import sparse


def weighted_problem(n_samples=60, n_features=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    X[:, 1] = X[:, 0] + 0.05 * rng.standard_normal(n_samples)  # correlated
    w_true = np.zeros(n_features)
    w_true[:6] = rng.standard_normal(6) * 3
    z = X @ w_true + 0.5 * rng.standard_normal(n_samples)
    s = rng.uniform(0.1, 2.0, n_samples)
    return np.asfortranarray(X), z, s


def kkt_violation(X, z, s, w, l1, l2, factor, lower, upper):
    """Largest violation of the optimality conditions of P, per unit of
    l1 (computed in float64 from a dense copy)."""
    X = X.toarray() if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    r = z - X @ w
    h = X.T @ (s * r) - l2 * factor * w
    threshold = l1 * factor
    violation = np.zeros_like(w)
    inside = (w > lower) & (w < upper) & (w != 0)
    violation[inside] = np.abs(h[inside] - threshold[inside] * np.sign(w[inside]))
    zero = w == 0
    up = np.where(upper[zero] == 0, 0.0, np.maximum(h[zero] - threshold[zero], 0))
    down = np.where(lower[zero] == 0, 0.0, np.maximum(-h[zero] - threshold[zero], 0))
    violation[zero] = np.maximum(up, down)
    at_upper = (w == upper) & (w != 0)
    violation[at_upper] = np.maximum(threshold[at_upper] - h[at_upper], 0)
    at_lower = (w == lower) & (w != 0)
    violation[at_lower] = np.maximum(h[at_lower] + threshold[at_lower], 0)
    return violation.max() / max(l1, 1e-300)


def box(n_features, lower=-np.inf, upper=np.inf):
    return (np.ones(n_features), np.full(n_features, lower),
            np.full(n_features, upper))


def solve(X, z, s, l1, l2, working_set, w=None, dtype=np.float64, **kwargs):
    n_features = X.shape[1]
    factor, lower, upper = kwargs.pop("penalty", box(n_features))
    w = np.zeros(n_features, dtype=dtype) if w is None else w
    X = X.astype(dtype) if sparse.issparse(X) else np.asfortranarray(X, dtype=dtype)
    gap, n_iter = weighted_enet_working_set(
        w, X, z.astype(dtype), s.astype(dtype), l1, l2,
        factor.astype(dtype), lower.astype(dtype), upper.astype(dtype),
        working_set, **kwargs)
    return w, gap, n_iter


@pytest.mark.parametrize("l2", [0.0, 2.0])
def test_all_features_reach_the_weighted_optimum(l2):
    X, z, s = weighted_problem()
    l1 = 0.1 * np.abs(X.T @ (s * z)).max()
    everything = np.arange(X.shape[1])
    w, gap, n_iter = solve(X, z, s, l1, l2, everything, tol=1e-12, max_iter=10000)
    assert n_iter > 0
    assert kkt_violation(X, z, s, w, l1, l2, *box(X.shape[1])) < 1e-5
    # The same problem through the full residual solver, weights given.
    reference = np.zeros(X.shape[1])
    enet_coordinate_descent(reference, l1, l2, X, z, s, np.empty(0),
                            *box(X.shape[1]), 10000, 1e-14, 0, False)
    assert_allclose(w, reference, rtol=0, atol=1e-6 * np.abs(reference).max())
    # The gap is on the scale of sum(s), and certifies the objective; at
    # the optimum it may come out below 0 by rounding, and no further.
    scale = (s @ z**2) / s.sum()
    assert -64 * np.finfo(float).eps * scale <= gap <= 1e-12 * scale


def test_a_working_set_solves_the_problem_on_its_columns():
    X, z, s = weighted_problem(seed=1)
    l1 = 0.05 * np.abs(X.T @ (s * z)).max()
    working_set = np.array([0, 1, 2, 3, 4, 5, 9, 17, 30])
    w, gap, _ = solve(X, z, s, l1, 0.5, working_set, tol=1e-12, max_iter=10000)
    outside = np.setdiff1d(np.arange(X.shape[1]), working_set)
    assert np.all(w[outside] == 0)
    restricted = np.asfortranarray(X[:, working_set])
    assert kkt_violation(restricted, z, s, w[working_set], l1, 0.5,
                         *box(len(working_set))) < 1e-5
    reference = np.zeros(len(working_set))
    enet_coordinate_descent(reference, l1, 0.5, restricted, z, s, np.empty(0),
                            *box(len(working_set)), 10000, 1e-14, 0, False)
    assert_allclose(w[working_set], reference, rtol=0,
                    atol=1e-6 * np.abs(reference).max())


def test_warm_start_at_the_solution_costs_no_epoch():
    X, z, s = weighted_problem(seed=2)
    l1 = 0.1 * np.abs(X.T @ (s * z)).max()
    everything = np.arange(X.shape[1])
    w, _, _ = solve(X, z, s, l1, 0.0, everything, tol=1e-10, max_iter=10000)
    again = w.copy()
    _, gap, n_iter = solve(X, z, s, l1, 0.0, everything, w=again, tol=1e-10)
    assert n_iter == 0
    assert_allclose(again, w, rtol=0, atol=0)
    assert gap <= 1e-10 * (s @ z**2) / s.sum()


def test_new_weights_at_each_call_are_taken_into_account():
    # An outer loop changes s and z at every call; the column norms must
    # follow, or the coordinate updates would use the first call's.
    X, z, s = weighted_problem(seed=3)
    everything = np.arange(X.shape[1])
    workspace = Workspace()
    w = np.zeros(X.shape[1])
    rng = np.random.default_rng(0)
    for _ in range(4):
        s = rng.uniform(0.05, 3.0, X.shape[0])
        z = z + 0.3 * rng.standard_normal(X.shape[0])
        l1 = 0.08 * np.abs(X.T @ (s * z)).max()
        _, _, _ = solve(X, z, s, l1, 0.0, everything, w=w, tol=1e-12,
                        max_iter=10000, workspace=workspace)
        assert kkt_violation(X, z, s, w, l1, 0.0, *box(X.shape[1])) < 1e-5


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_equals_dense(dtype):
    X, z, s = weighted_problem(seed=4)
    X[np.abs(X) < 0.8] = 0.0
    l1 = 0.1 * np.abs(X.T @ (s * z)).max()
    working_set = np.arange(0, X.shape[1], 2)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    w_dense, _, _ = solve(X, z, s, l1, 0.3, working_set, dtype=dtype, tol=tol,
                          max_iter=10000)
    w_sparse, _, _ = solve(sparse.csc_matrix(X), z, s, l1, 0.3, working_set,
                           dtype=dtype, tol=tol, max_iter=10000)
    assert w_sparse.dtype == dtype
    atol = (1e-7 if dtype == np.float64 else 1e-3) * np.abs(w_dense).max()
    assert_allclose(w_sparse, w_dense, rtol=0, atol=atol)


def test_implicit_centring_equals_centred_data():
    X, z, s = weighted_problem(seed=5)
    offset = (s @ X) / s.sum()
    l1 = 0.1 * np.abs(X.T @ (s * z)).max()
    everything = np.arange(X.shape[1])
    w_implicit, _, _ = solve(X, z, s, l1, 0.0, everything, tol=1e-12,
                             max_iter=10000, X_offset=offset)
    w_explicit, _, _ = solve(X - offset, z, s, l1, 0.0, everything, tol=1e-12,
                             max_iter=10000)
    assert_allclose(w_implicit, w_explicit, rtol=0,
                    atol=1e-7 * np.abs(w_explicit).max())


def test_bounds_and_penalty_factors():
    X, z, s = weighted_problem(seed=6)
    n_features = X.shape[1]
    l1 = 0.05 * np.abs(X.T @ (s * z)).max()
    factor, lower, upper = box(n_features, lower=0.0, upper=2.0)
    factor[:2] = 0.0
    everything = np.arange(n_features)
    w, _, _ = solve(X, z, s, l1, 0.0, everything, tol=1e-12, max_iter=10000,
                    penalty=(factor, lower, upper))
    assert np.all((w >= 0) & (w <= 2))
    assert kkt_violation(X, z, s, w, l1, 0.0, factor, lower, upper) < 1e-5


def test_caller_arrays_are_not_modified_and_bad_input_is_refused():
    X, z, s = weighted_problem(seed=7)
    copies = X.copy(), z.copy(), s.copy()
    l1 = 0.1 * np.abs(X.T @ (s * z)).max()
    solve(X, z, s, l1, 0.0, np.arange(10), tol=1e-8)
    for array, copy in zip((X, z, s), copies, strict=True):
        assert np.array_equal(array, copy)
    w = np.zeros(X.shape[1])
    w[20] = 1.0
    with pytest.raises(ValueError, match="0 outside the working set"):
        solve(X, z, s, l1, 0.0, np.arange(10), w=w)
    for working_set, message in (([0, 3, 3], "twice"),
                                 ([0, X.shape[1]], "outside"),
                                 ([-1, 2], "outside"),
                                 ([[0, 1]], "1-D")):
        with pytest.raises(ValueError, match=message):
            solve(X, z, s, l1, 0.0, np.array(working_set))
    with pytest.raises(ValueError, match="z has shape"):
        solve(X, z[:-1], s, l1, 0.0, np.arange(5))


def test_logistic_regression_outer_loop_reaches_its_optimum():
    # An L1-penalised logistic regression (no intercept) by proximal
    # Newton: at each outer step the loss is replaced by its quadratic
    # model (weights p (1 - p), working response), solved on a working set
    # by the entry point, warm-started. The outer loop needs few calls,
    # and the result satisfies the logistic problem's own optimality
    # conditions.
    rng = np.random.default_rng(8)
    n_samples, n_features = 200, 50
    X = np.asfortranarray(rng.standard_normal((n_samples, n_features)))
    w_true = np.zeros(n_features)
    w_true[:5] = [2.0, -1.5, 1.0, 0.8, -2.5]
    y = (rng.uniform(size=n_samples) < 1 / (1 + np.exp(-X @ w_true))).astype(float)
    lam = 0.1 * np.abs(X.T @ (y - 0.5)).max()
    w = np.zeros(n_features)
    workspace = Workspace()
    everything = np.arange(n_features)
    calls = 0
    while calls < 30:
        calls += 1
        p = 1 / (1 + np.exp(-X @ w))
        gradient = X.T @ (p - y)
        # Working set: the support and the features violating optimality.
        violating = np.abs(gradient) > lam * (1 - 1e-9)
        working_set = everything[(w != 0) | violating]
        weights = np.maximum(p * (1 - p), 1e-10)
        working_response = X @ w - (p - y) / weights
        weighted_enet_working_set(
            w, X, working_response, weights, lam, 0.0, *box(n_features),
            working_set, tol=1e-10, max_iter=1000, workspace=workspace)
        p = 1 / (1 + np.exp(-X @ w))
        h = -X.T @ (p - y)
        zero = w == 0
        violation = max(np.abs(h[~zero] - lam * np.sign(w[~zero])).max(initial=0),
                        np.maximum(np.abs(h[zero]) - lam, 0).max(initial=0))
        if violation < 1e-6 * lam:
            break
    assert violation < 1e-6 * lam
    assert calls <= 15
    assert np.count_nonzero(w) >= 3
