"""The regularisation path of logistic regression, glmnet-style.

One warm-started solve per alpha, from the largest (every penalised
coefficient 0) down, each solve's first working set seeded by the
sequential strong rule: a feature whose zero coefficients pull on the
model by less than ``2 alpha - alpha_previous`` (times its l1 constant) at
the previous solution is expected to stay at 0. The working sets and the
gap check correct what the rule gets wrong.
"""

from types import SimpleNamespace

import numpy as np
from sklearn.utils import check_array, check_consistent_length, column_or_1d
from sklearn.utils.multiclass import check_classification_targets

from ._glm_data import GLMProblemInput
from ._glm_solver import GLMFit, GLMSettings, duality_gap, solve, violation_scores
from ._glm_support_step import support_newton


def logistic_alpha_max(problem, l1_ratio):
    """The smallest alpha at which every penalised coefficient is 0, for
    the checked ``problem`` (a ``GLMProblemInput``); also returns the
    intercept-only fit (its start)."""
    if l1_ratio <= 0:
        raise ValueError(
            "An automatic alpha grid needs an l1 part: l1_ratio=0 has no "
            "alpha at which every coefficient is 0; give alphas.")
    data = problem.data()
    fit = _zero_fit(data, problem.n_features)
    unit = problem.penalty(1.0, l1_ratio)
    support_newton(data, unit, fit, with_support=False)
    _, V = duality_gap(data, unit, fit)
    scores = violation_scores(unit, V)
    finite = scores[np.isfinite(scores)]
    return float(finite.max(initial=0.0)), fit


def logistic_path(X, y, *, l1_ratio=1.0, eps=1e-3, n_alphas=100, alphas=None,
                  fit_intercept=True, sample_weight=None, class_weight=None,
                  penalty_factor=None, lower_bounds=None, upper_bounds=None,
                  tol=1e-4, max_iter=100, return_n_iter=False):
    r"""Compute the logistic-regression path over a grid of alphas.

    At each ``alpha = 1 / (n_samples C)`` the objective of
    :class:`l1l2.LogisticRegression` is minimised, warm-started from the
    previous alpha's solution.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels (two or more classes).
    l1_ratio : float in [0, 1], default=1.0
        The penalty's mix: 1 the Lasso, 0 the ridge (which needs ``alphas``).
    eps : float, default=1e-3
        Length of the automatic grid: ``alpha_min / alpha_max``.
    n_alphas : int, default=100
        Points of the automatic grid.
    alphas : array-like, default=None
        The grid, used in decreasing order.
    fit_intercept : bool, default=True
    sample_weight : array-like of shape (n_samples,), default=None
    class_weight : dict or 'balanced', default=None
    penalty_factor, lower_bounds, upper_bounds : default=None
        As in :class:`l1l2.LogisticRegression`.
    tol : float, default=1e-4
        Each solve stops when its duality gap is at most ``tol`` times the
        loss of the zero model.
    max_iter : int, default=100
        Newton steps per alpha, at most.
    return_n_iter : bool, default=False

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas), or (n_classes,
        n_features, n_alphas) for more than two classes
    intercepts : ndarray of shape (n_alphas,), or (n_classes, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    n_iters : ndarray of shape (n_alphas,)
        Only with ``return_n_iter``.
    """
    options = SimpleNamespace(class_weight=class_weight, penalty_factor=penalty_factor,
                              lower_bounds=lower_bounds, upper_bounds=upper_bounds,
                              fit_intercept=fit_intercept)
    problem = checked_problem(X, y, sample_weight, options)
    settings = GLMSettings(tol=tol, max_iter=max_iter)
    if alphas is None:
        alpha_high, _ = logistic_alpha_max(problem, l1_ratio)
        alphas = alpha_high * np.geomspace(1.0, eps, n_alphas)
    alphas = np.sort(np.asarray(alphas, dtype=np.float64))[::-1]
    coefs, intercepts, gaps, n_iters = solve_path(problem, alphas, l1_ratio, settings)
    if coefs.shape[0] == 1:
        coefs, intercepts = coefs[0], intercepts[0]
    result = alphas, coefs, intercepts, gaps
    return (*result, n_iters) if return_n_iter else result


def checked_problem(X, y, sample_weight, options):
    """A ``GLMProblemInput`` from raw X and y."""
    X = check_array(X, accept_sparse=["csr", "csc"], dtype=[np.float64, np.float32])
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    check_classification_targets(y)
    classes, y_index = np.unique(y, return_inverse=True)
    if classes.size < 2:
        raise ValueError("logistic_path needs samples of at least 2 classes, "
                         f"but y holds only {classes[0]!r}.")
    return GLMProblemInput.build(X, classes, y_index, sample_weight, options)


def solve_path(problem, alphas, l1_ratio, settings, rows=None):
    """Solve at each alpha (decreasing), warm-started, on ``rows`` of the
    problem (all by default). Returns ``(coefs, intercepts, gaps,
    n_iters)`` with coefs of shape (n_columns, n_features, n_alphas)."""
    data = problem.data(rows)
    fit = _zero_fit(data, problem.n_features)
    coefs = np.zeros((data.n_columns, problem.n_features, alphas.size), data.dtype)
    intercepts = np.zeros((data.n_columns, alphas.size))
    gaps, n_iters = np.zeros(alphas.size), np.zeros(alphas.size, dtype=int)
    previous, V = None, None
    for i, alpha in enumerate(alphas):
        penalty = problem.penalty(alpha, l1_ratio)
        candidates = _strong_set(penalty, V, alpha, previous)
        fit.n_iter = 0
        gaps[i] = solve(data, penalty, fit, settings, candidates)
        coefs[:, :, i], intercepts[:, i], n_iters[i] = fit.W, fit.b, fit.n_iter
        V, previous = fit.gradient, alpha
    return coefs, intercepts, gaps, n_iters


def _strong_set(penalty, V, alpha, previous):
    """The sequential strong rule's candidates at ``alpha`` from the
    gradient V at the previous alpha's solution (none at the first)."""
    if V is None:
        return np.empty(0, dtype=np.intp)
    scores = violation_scores(penalty, V)  # pull over l1 at this alpha
    return np.flatnonzero(np.isfinite(scores)
                          & (scores * alpha >= 2 * alpha - previous))


def _zero_fit(data, n_features):
    """Every coefficient and intercept 0."""
    return GLMFit(np.zeros((data.n_columns, n_features), dtype=data.dtype),
                  np.zeros(data.n_columns)).refresh(data)
