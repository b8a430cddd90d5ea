"""Ridge regression, solved in closed form.

The estimator resolves a solver name and dispatches to small module-level
solve functions, each of which takes the centred, weighted data and returns
the coefficients of every target at once:

- ``cholesky``: the normal equations ``(X^T X + alpha I) w = X^T y`` when
  ``n_samples >= n_features``, their dual (kernel) form
  ``w = X^T (X X^T + alpha I)^{-1} y`` otherwise;
- ``svd``: the thin SVD of X, also the fallback for singular systems;
- ``cd``: l1l2's coordinate-descent kernel with no L1 part (needed for
  ``positive=True``).
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import linalg, sparse
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import (
    Design,
    LinearPredictorMixin,
    centring_offsets,
    coefficient_bounds,
    seed_from,
    squeeze_single_target,
)
from ._path import solve_enet


def _per_target_alphas(alpha, n_targets, dtype):
    """Broadcast ``alpha`` to one non-negative value per target."""
    alphas = np.asarray(alpha, dtype=dtype).ravel()
    if alphas.size == 1:
        alphas = np.repeat(alphas, n_targets)
    if alphas.size != n_targets:
        raise ValueError(
            f"alpha must be a scalar or have one value per target "
            f"({n_targets}), got {alphas.size} values."
        )
    if not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError(f"alpha must be finite and non-negative, got {alpha!r}.")
    return alphas


def _solve_svd(Xc, Yc, alphas):
    """Coefficients from the thin SVD of the centred, weighted X.

    Singular values below rounding level are dropped, so ``alpha=0`` gives
    the minimum-norm least-squares solution.
    """
    U, singular, Vt = linalg.svd(Xc, full_matrices=False, lapack_driver="gesdd")
    cutoff = singular.max(initial=0.0) * max(Xc.shape) * np.finfo(Xc.dtype).eps
    kept = singular > cutoff
    UtY = U[:, kept].T @ Yc
    s = singular[kept][:, np.newaxis]
    shrink = s / (s**2 + alphas[np.newaxis, :])
    return (Vt[kept].T @ (shrink * UtY)).T


def _solve_cholesky(design, Yc, alphas):
    """Coefficients from the primal or dual normal equations.

    The primal system ``Xt^T S Xt`` (n_samples >= n_features) or the dual
    ``S^1/2 Xt Xt^T S^1/2`` is built by the Design without copying X.
    Targets sharing an alpha share one factorisation. Raises
    ``LinAlgError`` when a system is not positive definite.
    """
    primal = design.n_samples >= design.n_features
    root = np.sqrt(design.weights)[:, np.newaxis]
    if primal:
        system, rhs = design.gram_matrix(), design.transpose_dot(Yc)
    else:
        system, rhs = design.kernel_matrix(), root * Yc
    solution = np.empty_like(rhs)
    for alpha in np.unique(alphas):
        targets = alphas == alpha
        regularised = system.copy()
        regularised.flat[:: system.shape[0] + 1] += alpha
        factor = linalg.cho_factor(regularised, overwrite_a=True)
        solution[:, targets] = linalg.cho_solve(factor, rhs[:, targets])
    coef = solution if primal else design.transpose_dot(solution, root[:, 0])
    return coef.T


# Above this many rows and columns, 'auto' avoids the dense normal equations
# (their matrix has min(n_samples, n_features)^2 entries).
_CLOSED_FORM_MAX_SIZE = 5000


class Ridge(LinearPredictorMixin, RegressorMixin, BaseEstimator):
    r"""Linear least squares with an L2 penalty, solved in closed form.

    Minimises, over the coefficients ``w`` and the intercept ``b``,

    .. math::

        \sum_i s_i (y_i - x_i^\top w - b)^2 + \alpha \|w\|_2^2

    the objective of :class:`sklearn.linear_model.Ridge` (note: not divided
    by ``n`` and with raw sample weights, unlike :class:`ElasticNet`).

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Regularisation strength, non-negative; one value per target allowed.
        ``alpha=0`` with ``solver='svd'`` gives the minimum-norm least-squares
        solution.
    fit_intercept : bool, default=True
        Fit an intercept (the data are centred first).
    copy_X : bool, default=True
        Kept for compatibility; X is never modified.
    max_iter : int, default=None
        Maximum epochs of the ``'cd'`` solver (1000 when None).
    tol : float, default=1e-4
        Duality-gap tolerance of the ``'cd'`` solver; unused by the closed
        forms.
    solver : {'auto', 'cholesky', 'svd', 'cd'}, default='auto'
        ``'cholesky'`` solves the normal equations (their dual form when
        ``n_features > n_samples``), built without copying X, falling back
        to ``'svd'`` when the system is singular; ``'svd'`` uses the thin SVD
        of the centred X (dense X only; it copies X); ``'cd'`` uses
        coordinate descent. ``'auto'`` is ``'cd'`` with ``positive=True`` or
        when both dimensions exceed 5000, and ``'cholesky'`` otherwise.
    positive : bool, default=False
        Force the coefficients to be non-negative (``'cd'`` only).
    random_state : int, RandomState instance or None, default=None
        Unused by the closed forms; kept for compatibility.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept.
    n_iter_ : ndarray of shape (n_targets,)
        Epochs run by the ``'cd'`` solver; 1 (one direct solve) for the
        closed forms.
    solver_ : str
        The solver used.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    ElasticNet : L1 and L2 penalties mixed, solved by coordinate descent.
    sklearn.linear_model.Ridge : The model this one replaces.

    Examples
    --------
    >>> from l1l2 import Ridge
    >>> model = Ridge(alpha=1.0).fit([[0, 0], [1, 1], [2, 2]], [0, 1, 2])
    >>> model.coef_.round(4)
    array([0.4, 0.4])
    >>> float(round(model.intercept_, 4))
    0.2
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left"), np.ndarray],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions({"auto", "cholesky", "svd", "cd"})],
        "positive": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        copy_X=True,
        max_iter=None,
        tol=1e-4,
        solver="auto",
        positive=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    def _resolve_solver(self, X):
        if self.positive:
            if self.solver not in ("auto", "cd"):
                raise ValueError(
                    f"positive=True is only supported by solver='cd' (or "
                    f"'auto'), got solver={self.solver!r}."
                )
            return "cd"
        if self.solver == "svd" and sparse.issparse(X):
            raise TypeError(
                "solver='svd' needs a dense X; use solver='cholesky' or 'cd' "
                "for sparse input."
            )
        if self.solver == "auto":
            return "cholesky" if min(X.shape) <= _CLOSED_FORM_MAX_SIZE else "cd"
        return self.solver

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the Ridge model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse X stays sparse (CSR and COO are converted
            to CSC once).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), \
                default=None
            Non-negative weight of each sample (not rescaled).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        X, Y, y_was_1d, sample_weight = self._validate_fit_data(
            X, y, sample_weight, normalize_weights=False
        )
        solver = self._resolve_solver(X)
        n_features = X.shape[1]
        alphas = _per_target_alphas(self.alpha, Y.shape[1], X.dtype)
        X_offset, y_offset = centring_offsets(X, Y, sample_weight, self.fit_intercept)
        lower, upper = coefficient_bounds(n_features, X.dtype, positive=self.positive)
        design = Design(
            X, sample_weight, X_offset, np.ones(n_features, X.dtype), lower, upper
        )
        Yc = Y - y_offset

        # A closed form is one direct solve per target.
        self.n_iter_ = np.ones(Y.shape[1], dtype=np.int32)
        if solver == "cd":
            coef = self._fit_cd(design, Yc, alphas)
        elif solver == "cholesky":
            try:
                coef = _solve_cholesky(design, Yc, alphas)
            except linalg.LinAlgError:
                if design.is_sparse:
                    raise ValueError(
                        "The Ridge system is singular (alpha too small for "
                        "collinear features); increase alpha or use solver='cd'."
                    ) from None
                warnings.warn(
                    "The Ridge system is singular (alpha too small for "
                    "collinear features); using the SVD solution instead.",
                    linalg.LinAlgWarning,
                    stacklevel=2,
                )
                solver = "svd"
        if solver == "svd":
            root = np.sqrt(design.weights)[:, np.newaxis]
            coef = _solve_svd(design.centred_block(), Yc * root, alphas)
        coef = np.asarray(coef, dtype=X.dtype)
        self.solver_ = solver
        self.coef_ = squeeze_single_target(coef)
        self._set_intercept(X_offset, y_offset, self.fit_intercept, y_was_1d)
        return self

    def _fit_cd(self, design, Yc, alphas):
        """Coordinate descent per target; alpha maps to the kernel's scale."""
        max_iter = 1000 if self.max_iter is None else self.max_iter
        seed = seed_from(self.random_state)
        coef = np.zeros((Yc.shape[1], design.n_features), dtype=design.dtype)
        for k in range(Yc.shape[1]):
            # ElasticNet's objective with l1_ratio=0 is this one divided by
            # 2 * sum(s), so alpha is divided by sum(s).
            gap, tolerance, self.n_iter_[k] = solve_enet(
                design,
                design.target(Yc[:, k]),
                alphas[k] / design.weight_sum,
                0.0,
                coef[k],
                max_iter=max_iter,
                tol=self.tol,
                seed=seed,
            )
            if gap > tolerance:
                warnings.warn(
                    f"Ridge coordinate descent did not converge in "
                    f"{self.n_iter_[k]} epochs: the duality gap is {gap:.3e}, "
                    f"above the tolerance {tolerance:.3e}. Increase max_iter or "
                    "tol, or use a closed-form solver.",
                    ConvergenceWarning,
                    stacklevel=3,
                )
        return coef
