"""Lasso and ElasticNet estimators.

The estimators are thin: they validate, prepare a :class:`~l1l2._base.Design`,
call :func:`~l1l2._path.solve_enet` once per target and store the fitted
attributes. They never loop over coordinates.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import (
    LinearPredictorMixin,
    centring_offsets,
    check_finite_result,
    check_penalty_factor,
    coefficient_bounds,
    seed_from,
    squeeze_single_target,
)
from ._covariance import checked_design
from ._path import enet_path, lasso_path, solve_enet
from ._threads import fits_single_threaded


class ElasticNet(LinearPredictorMixin, RegressorMixin, BaseEstimator):
    r"""Linear regression with combined L1 and L2 priors.

    Minimises, over the coefficients ``w`` and the intercept ``b``,

    .. math::

        \frac{1}{2 n} \sum_i s_i (y_i - x_i^\top w - b)^2
        + \alpha \Big( \rho \|w\|_1 + \frac{1 - \rho}{2} \|w\|_2^2 \Big)

    with ``rho = l1_ratio`` and sample weights ``s`` rescaled to sum to
    ``n``: the objective of :class:`sklearn.linear_model.ElasticNet`, solved
    by l1l2's Cython coordinate-descent kernel and certified by the duality
    gap.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularisation strength; a non-negative float.
    l1_ratio : float, default=0.5
        Mix of the penalties, in [0, 1]: 1 is the Lasso, 0 is Ridge.
    fit_intercept : bool, default=True
        Fit an intercept. The data are centred implicitly, inside the
        kernel: X is never copied for it.
    precompute : 'auto', bool or array-like of shape (n_features, n_features), \
            default=False
        Solve with the Gram matrix ``X^T X`` (worth it when
        ``n_samples >> n_features``); True computes it, 'auto' uses it for
        tall problems and computes only the columns of features that become
        active. An array is used as the Gram matrix of X as the fit sees it,
        as in scikit-learn: with sample weights, of X with its rows
        multiplied by the square roots of the weights rescaled to sum to
        ``n_samples``. When fitting an intercept it must come with an X
        already centred (column means close to 0); otherwise it is
        recomputed, with scikit-learn's warning. Its diagonal and first
        superdiagonal are checked against X (a ValueError when they differ,
        unless ``fit(check_input=False)``).
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs.
    copy_X : bool, default=True
        False lets ``fit(..., check_input=False)`` overwrite X, as in
        scikit-learn: a dense X is then centred in place to fit the
        intercept. Otherwise l1l2 never writes to X (it centres implicitly)
        and copies it only when it must be converted (dtype or memory
        order).
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||y - mean(y)||^2 / n``.
    warm_start : bool, default=False
        Start from the previous solution when fit is called again.
    positive : bool, default=False
        Force the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Visit the coordinates in order, or at random (often faster when
        ``tol`` is small).
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (glmnet's ``penalty.factor``,
        without its rescaling): feature j is penalised by
        ``alpha * f_j * (l1_ratio |w_j| + (1 - l1_ratio) / 2 w_j^2)``. 0
        leaves a feature unpenalised, ``np.inf`` excludes it (its coefficient
        is exactly 0). None means all ones. With ``1 / |w_init|`` this is
        the adaptive Lasso.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), \
            default=None
        Box constraints on the coefficients, with ``lower <= 0 <= upper``
        (None: unbounded). The duality gap remains a valid stopping
        certificate under them.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept.
    n_iter_ : int or list of int
        Epochs run by the solver, per target.
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap reached, on the scale of the objective above.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    Lasso : The pure L1 model.
    Ridge : The pure L2 model, solved in closed form.
    sklearn.linear_model.ElasticNet : The model this one replaces.

    Examples
    --------
    >>> from l1l2 import ElasticNet
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_features=4, random_state=0)
    >>> model = ElasticNet(alpha=0.1, l1_ratio=0.5).fit(X, y)
    >>> model.coef_.round(2)
    array([20.24, 33.28, 63.87, 83.55])
    >>> float(round(model.intercept_, 2))
    -0.1
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "precompute": [StrOptions({"auto"}), "boolean", "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "penalty_factor": ["array-like", None],
        "lower_bounds": [Real, "array-like", None],
        "upper_bounds": [Real, "array-like", None],
    }

    path = staticmethod(enet_path)

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        precompute=False,
        max_iter=1000,
        copy_X=True,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
        penalty_factor=None,
        lower_bounds=None,
        upper_bounds=None,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds

    # Added to the error about values too large for the floating type.
    _overflow_consequence = (
        "On such values scikit-learn's coordinate descent stops with "
        "'Coordinate descent iterations resulted in non-finite parameter "
        "values'; l1l2 refuses them before iterating. "
    )

    @_fit_context(prefer_skip_nested_validation=True)
    @fits_single_threaded
    def fit(self, X, y, sample_weight=None, check_input=True):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Converted to a Fortran-ordered float array (or a
            CSC matrix, for sparse input) only if it is not one already;
            never densified. Not modified, except as ``copy_X=False`` with
            ``check_input=False`` allows (see ``copy_X``).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target; with several columns, one independent model per column.
        sample_weight : float or array-like of shape (n_samples,), \
                default=None
            Non-negative weights, rescaled to sum to ``n_samples``. A zero
            weight removes the row.
        check_input : bool, default=True
            Validate and convert X and y. With False the caller vouches for
            them, as in scikit-learn: X must be a float32 or float64 array
            in Fortran order (any order with sample weights, where
            scikit-learn rescales X) or a sparse matrix, y is cast to its
            dtype, and the values are not checked. Don't use it unless you
            know what you do.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        if self.alpha == 0:
            warnings.warn(
                "With alpha=0, this algorithm does not converge well. You are "
                "advised to use the LinearRegression estimator (or l1l2's "
                "Ridge(alpha=0, solver='svd')).",
                UserWarning,
                stacklevel=3,  # the caller of fit, beyond _fit_context's wrapper
            )
        X, Y, y_was_1d, sample_weight = self._validate_fit_data(
            X, y, sample_weight, normalize_weights=True, check_input=check_input
        )
        design, X_offset, y_offset = self._design(X, Y, sample_weight, check_input)
        n_targets = Y.shape[1]
        coef = self._initial_coef(n_targets, X.shape[1], X.dtype)
        gaps = np.empty(n_targets, dtype=X.dtype)
        n_iters = []
        seed = seed_from(self.random_state, self.selection)
        for k in range(n_targets):
            gap, tolerance, n_iter = solve_enet(
                design,
                design.target(Y[:, k] - y_offset[k]),
                self.alpha,
                self.l1_ratio,
                coef[k],
                max_iter=self.max_iter,
                tol=self.tol,
                seed=seed,
                random=self.selection == "random",
            )
            if gap > tolerance:
                warnings.warn(
                    "Objective did not converge. You might want to increase "
                    "the number of iterations, check the scale of the features "
                    "or consider increasing regularisation. Duality gap: "
                    f"{gap:.3e}, tolerance: {tolerance:.3e}, after {n_iter} "
                    "epochs.",
                    ConvergenceWarning,
                    stacklevel=3,
                )
            gaps[k] = gap
            n_iters.append(n_iter)

        check_finite_result(coef, "coefficients")
        check_finite_result(gaps, "duality gaps")
        self.coef_ = squeeze_single_target(coef)
        self.dual_gap_ = squeeze_single_target(gaps)
        self.n_iter_ = squeeze_single_target(n_iters)
        self._set_intercept(X_offset, y_offset, self.fit_intercept, y_was_1d)
        return self

    def _design(self, X, Y, sample_weight, check_input):
        """The Design of this fit, and the column means of X and Y that the
        intercept is recovered from.

        With ``copy_X=False`` and ``check_input=False`` a dense, writeable X
        is centred in place, as scikit-learn does: the caller allowed X to
        be overwritten. Otherwise X is centred implicitly, by the kernels.
        """
        n_features = X.shape[1]
        X_offset, y_offset = centring_offsets(X, Y, sample_weight, self.fit_intercept)
        bounds = coefficient_bounds(
            n_features,
            X.dtype,
            positive=self.positive,
            lower_bounds=self.lower_bounds,
            upper_bounds=self.upper_bounds,
        )
        centred_offset = None
        if (not (self.copy_X or check_input or sparse.issparse(X))
                and X.flags.writeable and np.any(X_offset)):
            X -= X_offset
            centred_offset = np.zeros_like(X_offset)
        design = checked_design(
            X,
            sample_weight,
            X_offset,
            check_penalty_factor(self.penalty_factor, n_features, X.dtype),
            bounds,
            self.precompute,
            check_gram=check_input,
            centred_offset=centred_offset,
            stacklevel=4,
        )
        return design, X_offset, y_offset

    def _initial_coef(self, n_targets, n_features, dtype):
        """Zeros, or the previous solution when warm starting."""
        previous = getattr(self, "coef_", None) if self.warm_start else None
        if previous is not None:
            previous = np.atleast_2d(previous)
            if previous.shape == (n_targets, n_features):
                return np.array(previous, dtype=dtype, order="C")
        return np.zeros((n_targets, n_features), dtype=dtype)

    @property
    def sparse_coef_(self):
        """The fitted ``coef_`` as a scipy sparse CSR matrix."""
        return sparse.csr_matrix(np.atleast_2d(self.coef_))


class Lasso(ElasticNet):
    r"""Linear regression with an L1 prior (the Lasso).

    Minimises, over the coefficients ``w`` and the intercept ``b``,

    .. math::

        \frac{1}{2 n} \sum_i s_i (y_i - x_i^\top w - b)^2 + \alpha \|w\|_1

    with sample weights ``s`` rescaled to sum to ``n``: the objective of
    :class:`sklearn.linear_model.Lasso`, solved by l1l2's coordinate-descent
    kernel. It is :class:`ElasticNet` with ``l1_ratio=1``.

    Parameters
    ----------
    alpha : float, default=1.0
        Regularisation strength; a non-negative float.
    fit_intercept : bool, default=True
        Fit an intercept (X is centred implicitly, never copied).
    precompute : 'auto', bool or array-like of shape (n_features, n_features), \
            default=False
        Solve with the Gram matrix; see :class:`ElasticNet`.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs.
    copy_X : bool, default=True
        False lets ``fit(..., check_input=False)`` centre a dense X in
        place; see :class:`ElasticNet`.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||y - mean(y)||^2 / n``.
    warm_start : bool, default=False
        Start from the previous solution when fit is called again.
    positive : bool, default=False
        Force the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Visit the coordinates in order, or at random.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty (glmnet's ``penalty.factor``,
        without its rescaling): feature j is penalised by
        ``alpha * f_j * |w_j|``. 0
        leaves a feature unpenalised, ``np.inf`` excludes it (its coefficient
        is exactly 0). None means all ones. With ``1 / |w_init|`` this is
        the adaptive Lasso.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), \
            default=None
        Box constraints on the coefficients, with ``lower <= 0 <= upper``
        (None: unbounded). The duality gap remains a valid stopping
        certificate under them.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept.
    n_iter_ : int or list of int
        Epochs run by the solver, per target.
    dual_gap_ : float or ndarray of shape (n_targets,)
        Duality gap reached, on the scale of the objective above.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    ElasticNet : L1 and L2 penalties mixed.
    sklearn.linear_model.Lasso : The model this one replaces.

    Examples
    --------
    >>> from l1l2 import Lasso
    >>> model = Lasso(alpha=0.1).fit([[0, 0], [1, 1], [2, 2]], [0, 1, 2])
    >>> model.coef_
    array([0.85, 0.  ])
    >>> float(round(model.intercept_, 4))
    0.15
    """

    _parameter_constraints: dict = {
        key: value
        for key, value in ElasticNet._parameter_constraints.items()
        if key != "l1_ratio"
    }

    path = staticmethod(lasso_path)

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        precompute=False,
        max_iter=1000,
        copy_X=True,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
        penalty_factor=None,
        lower_bounds=None,
        upper_bounds=None,
    ):
        super().__init__(
            alpha=alpha,
            l1_ratio=1.0,
            fit_intercept=fit_intercept,
            precompute=precompute,
            max_iter=max_iter,
            copy_X=copy_X,
            tol=tol,
            warm_start=warm_start,
            positive=positive,
            random_state=random_state,
            selection=selection,
            penalty_factor=penalty_factor,
            lower_bounds=lower_bounds,
            upper_bounds=upper_bounds,
        )
