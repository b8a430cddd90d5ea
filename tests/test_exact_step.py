"""The exact step on the support, where coordinate descent alone is slow.

At small alphas with more active columns than the rank of X (p > n, or
repeated rows), the Lasso's exact step meets a singular Gram matrix. The
solver then moves along a direction that leaves the fit unchanged until a
coefficient leaves the support, and steps that would flip a sign stop where
the first coefficient reaches zero. These tests hold the solver to the
optimum on such problems and to the few epochs that makes possible
(coordinate descent alone needs thousands).
"""

import numpy as np
import pytest
from optimality import Problem, check_optimal
from scipy import sparse
from sklearn.linear_model import Lasso as SklearnLasso

from l1l2 import Lasso, lasso_path


def repeated_rows_problem():
    """scikit-learn's sample-weight equivalence data: 15 distinct rows of 30
    features, repeated three times (rank 15), with integer weights."""
    rng = np.random.RandomState(42)
    X = rng.rand(15, 30)
    y = rng.randint(0, 3, size=15).astype(float)
    weights = rng.randint(0, 5, size=15)
    X = np.vstack([X, X, X])
    y = np.hstack([y, y, y])
    weights = np.hstack([weights, np.ones(15), np.ones(15)])
    return X, y, weights


def wide_problem(n_samples=40, n_features=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    X[:, 1::2] += X[:, ::2]  # correlated pairs
    y = X[:, :6] @ np.array([3.0, -2.0, 1.5, 1.0, -1.0, 0.5])
    return X, y + 0.1 * rng.standard_normal(n_samples)


# Epochs allowed: the solver before these steps took 729 and 1245 epochs on
# the two problems, scikit-learn about 4500 and 4200.
@pytest.mark.parametrize("make, weighted, epochs", [(repeated_rows_problem, True, 300),
                                                    (wide_problem, False, 900)])
def test_small_alpha_on_rank_deficient_data_is_optimal_in_few_epochs(make, weighted,
                                                                     epochs):
    data = make()
    X, y = data[0], data[1]
    weights = data[2] if weighted else None
    problem = Problem(X, y, alpha=1.0, sample_weight=weights)
    alpha = 1e-3 * float(np.max(np.abs(problem.Xc.T @ (problem.s * problem.yc))))
    alpha /= X.shape[0]
    model = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000)
    model.fit(X, y, sample_weight=weights)
    problem = Problem(X, y, alpha=alpha, sample_weight=weights)
    check_optimal(problem, model.coef_, model.intercept_, coef_atol=1e-7,
                  gap=model.dual_gap_)
    # At most as many non-zeros as the rank of the centred data.
    rank = np.linalg.matrix_rank(problem.Xc[problem.s > 0])
    assert np.count_nonzero(model.coef_) <= rank
    reference = SklearnLasso(alpha=alpha, tol=1e-12, max_iter=100_000)
    reference.fit(X, y, sample_weight=weights)
    assert model.n_iter_ < epochs < reference.n_iter_


def test_path_to_small_alphas_on_wide_data_is_optimal():
    X, y = wide_problem(seed=1)
    alphas, coefs, gaps = lasso_path(X, y, eps=1e-4, alphas=30, tol=1e-12)
    for alpha, coef, gap in zip(alphas, coefs.T, gaps, strict=True):
        problem = Problem(X, y, alpha=alpha, fit_intercept=False)
        check_optimal(problem, coef, 0.0, coef_atol=1e-7, gap=gap)


def _random_wide_problem(seed):
    """A p > n problem with correlated columns, in one of four variants:
    plain, positive, sparse, or with penalty factors (two unpenalised)."""
    rng = np.random.default_rng(seed)
    n_samples = int(rng.integers(10, 40))
    n_features = int(rng.integers(n_samples + 5, 3 * n_samples + 20))
    X = rng.standard_normal((n_samples, n_features))
    pairs = X[:, 1::3].shape[1]
    X[:, 1::3] += X[:, ::3][:, :pairs]
    y = X[:, :5] @ rng.standard_normal(5) + 0.1 * rng.standard_normal(n_samples)
    options = {}
    variant = seed % 4
    if variant == 1:
        options["positive"] = True
    elif variant == 2:
        X[np.abs(X) < 0.8] = 0.0
        X = sparse.csc_matrix(X)
    elif variant == 3:
        factors = rng.uniform(0.5, 2.0, n_features)
        factors[:2] = 0.0
        options["penalty_factor"] = factors
    weights = rng.uniform(0.5, 2.0, n_samples) if seed % 3 == 0 else None
    return X, y, weights, options, 10 ** rng.uniform(-4, -1)


@pytest.mark.parametrize("seed", range(60))
def test_small_alphas_with_p_above_n_converge(seed):
    # Before the active-set step, seeds 13, 15, 33 and 39 stopped at
    # max_iter (20000 epochs) without converging and 10 others needed more
    # than 2000; now the slowest takes about 900 (median 45).
    X, y, weights, options, share = _random_wide_problem(seed)
    problem = Problem(X, y, alpha=1.0, sample_weight=weights,
                      penalty_factor=options.get("penalty_factor"),
                      positive=options.get("positive", False))
    alpha_max = float(np.max(np.abs(problem.Xc.T @ (problem.s * problem.yc))))
    alpha = share * alpha_max / X.shape[0]
    model = Lasso(alpha=alpha, tol=1e-12, max_iter=20_000, **options)
    model.fit(X, y, sample_weight=weights)
    assert model.n_iter_ < 2000
    problem = Problem(X, y, alpha=alpha, sample_weight=weights,
                      penalty_factor=options.get("penalty_factor"),
                      positive=options.get("positive", False))
    check_optimal(problem, model.coef_, model.intercept_, coef_atol=1e-6,
                  kkt_rtol=1e-7, gap=model.dual_gap_)
