"""Ridge regression: the estimator, ``ridge_regression`` and the solver rule.

:class:`Ridge` validates its input, resolves the solver name (scikit-learn's
names, with their errors, and l1l2's ``'cd'``) to one of the methods of
:mod:`l1l2._ridge_solvers`, and recovers the intercept from the centred fit.
:func:`ridge_regression` is the function form, fitted through :class:`Ridge`.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import linalg, sparse
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._base import (
    Design,
    LinearPredictorMixin,
    centring_offsets,
    check_finite_result,
    check_sample_weight,
    coefficient_bounds,
    kernel_csc,
    rescaled_weights,
    seed_from,
    squeeze_single_target,
)
from ._ridge_solvers import (
    solve_cd,
    solve_cg,
    solve_cholesky,
    solve_lsqr,
    solve_positive,
    solve_svd,
)

SOLVERS = ("auto", "svd", "cholesky", "lsqr", "sparse_cg", "sag", "saga", "lbfgs", "cd")

# The method that runs each name: l1l2 has no stochastic-gradient or
# quasi-Newton Ridge solver; 'sag' and 'saga' (unique solution, iterations
# reported) run LSQR, 'lbfgs' (scikit-learn's solver for positive=True) runs
# the coordinate descent that honours the bounds.
_METHODS = {"sag": "lsqr", "saga": "lsqr", "lbfgs": "cd"}

# Names whose n_iter_ scikit-learn reports as None (direct solves, and its
# conjugate gradients).
_NO_ITERATIONS = {"svd", "cholesky", "sparse_cg"}

# 'auto' on sparse X runs conjugate gradients, as scikit-learn does, unless
# the direct solve costs less than this many conjugate-gradient flops: its
# min(n, p)^3 / 3 (factorisation) plus nnz^2 / max(n, p) (the sparse product
# X^T X or X X^T) against 4 nnz(X) per iteration and target. The calibration of
# benchmarks/bench_ridge_solvers.py finds conjugate gradients (tol=1e-4) 3 to
# 240 times faster on every single-target problem it tries.
_DIRECT_BUDGET_IN_CG_ITERATIONS = 1.0


def choose_auto(X, positive, n_targets=1):
    """The solver of ``solver='auto'``.

    ``'cd'`` for ``positive=True``; ``'cholesky'`` for dense X; for sparse
    X, ``'cholesky'`` when the direct solve's flops, ``min(n, p)^3 / 3 +
    nnz^2 / max(n, p)``, are at most those of one conjugate-gradient
    iteration per target, ``4 nnz n_targets``, and ``'sparse_cg'``
    otherwise.
    """
    if positive:
        return "cd"
    if not sparse.issparse(X):
        return "cholesky"
    nnz = float(max(X.nnz, 1))
    direct = min(X.shape) ** 3 / 3.0 + nnz**2 / max(X.shape)
    budget = _DIRECT_BUDGET_IN_CG_ITERATIONS * 4.0 * nnz * n_targets
    return "cholesky" if direct <= budget else "sparse_cg"


def check_solver(solver, *, positive, is_sparse, fit_intercept, max_iter, tol):
    """Refuse, with scikit-learn's words, the solver settings it refuses.

    Raises ``ValueError`` for ``'lbfgs'`` without ``positive=True``, for
    ``positive=True`` with a solver other than ``'auto'``, ``'lbfgs'`` or
    ``'cd'``, and for ``'svd'``, ``'cholesky'`` or ``'saga'`` with an
    intercept on sparse X; ``TypeError`` for ``'svd'`` on sparse X. Warns,
    as scikit-learn, when ``'sag'`` fits an intercept on sparse X at a
    loose ``tol``.
    """
    if solver == "lbfgs" and not positive:
        raise ValueError(
            "'lbfgs' solver can be used only when positive=True. "
            "Please use another solver."
        )
    if positive and solver not in ("auto", "lbfgs", "cd"):
        raise ValueError(
            f"solver='{solver}' does not support positive fitting. Please set "
            "the solver to 'auto', 'lbfgs' or 'cd', or set `positive=False`"
        )
    if is_sparse and fit_intercept and solver in ("svd", "cholesky", "saga"):
        raise ValueError(
            f"solver='{solver}' does not support fitting the intercept on "
            "sparse data. Please set the solver to 'auto' or 'lsqr', "
            "'sparse_cg', 'sag', 'lbfgs', 'cd' or set `fit_intercept=False`"
        )
    if is_sparse and solver == "svd":
        raise TypeError("SVD solver does not support sparse inputs currently")
    if (
        is_sparse
        and fit_intercept
        and solver == "sag"
        and max_iter is None
        and (tol > 1e-4)
    ):
        warnings.warn(
            '"sag" solver requires a low "tol" to fit an intercept with '
            "sparse inputs accurately (l1l2 runs it as LSQR, which stops at "
            '"tol"). Set the solver to "auto" or "sparse_cg", or a "tol" of '
            "at most 1e-4.",
            UserWarning,
            stacklevel=3,
        )


def per_target_alphas(alpha, n_targets):
    """Broadcast ``alpha`` to one non-negative float64 value per target."""
    alphas = np.asarray(alpha, dtype=np.float64).ravel()
    if alphas.size == 1:
        alphas = np.repeat(alphas, n_targets)
    if alphas.size != n_targets:
        raise ValueError(
            "Number of targets and number of penalties do not correspond: "
            f"{alphas.size} != {n_targets} (alpha must be a scalar or have one "
            "value per target)."
        )
    if not np.all(np.isfinite(alphas)) or np.any(alphas < 0):
        raise ValueError(f"alpha must be finite and non-negative, got {alpha!r}.")
    return alphas


def weights_of(sample_weight, n_samples, dtype):
    """Ridge's sample weights, checked; a scalar is a weight for every
    sample, which scales the data term (unlike the Elastic-Net's, whose
    weights are normalised)."""
    if isinstance(sample_weight, Real):
        check_sample_weight(sample_weight, n_samples, dtype, normalize=False)
        sample_weight = np.full(n_samples, sample_weight, dtype=np.float64)
    return check_sample_weight(sample_weight, n_samples, dtype, normalize=False)


class RidgeSolve:
    """The fit of every Ridge estimator at a given alpha: the solver rule
    and the solve of the validated, 2-D problem (used by :class:`Ridge` and
    :class:`~l1l2.RidgeClassifier`).

    Reads the estimator's ``alpha``, ``fit_intercept``, ``max_iter``,
    ``tol``, ``solver``, ``positive`` and ``random_state``.
    """

    def _solve(self, X, Y, sample_weight):
        """Coefficients (n_targets, n_features) and the centring offsets;
        sets ``solver_`` and ``n_iter_``. The sample weights are float64
        (rescaled before their cast to X's dtype, see rescaled_weights)."""
        solver = self.solver
        method = (
            choose_auto(X, self.positive, Y.shape[1]) if solver == "auto" else solver
        )
        method = _METHODS.get(method, method)
        if method == "cd" and sparse.issparse(X):
            X = kernel_csc(X.tocsc())
        # Weights s / c with alpha / c pose the same problem (see
        # rescaled_weights): huge weights cannot overflow.
        sample_weight, weight_scale = rescaled_weights(sample_weight)
        if sample_weight is not None:
            sample_weight = sample_weight.astype(X.dtype)
        alphas = per_target_alphas(self.alpha, Y.shape[1])
        alphas = (alphas / weight_scale).astype(X.dtype)
        X_offset, y_offset = centring_offsets(X, Y, sample_weight, self.fit_intercept)
        lower, upper = coefficient_bounds(X.shape[1], X.dtype, positive=self.positive)
        design = Design(
            X, sample_weight, X_offset, np.ones(X.shape[1], X.dtype), lower, upper
        )
        Yc = Y - y_offset
        coef, n_iter, method = self._run(method, design, Yc, alphas)
        coef = np.asarray(coef, dtype=X.dtype)
        check_finite_result(coef, "coefficients")
        self.solver_ = method if solver == "auto" else solver
        if solver == "cholesky" and method == "svd":
            self.solver_ = "svd"
        if solver == "auto" and n_iter is None:
            n_iter = np.ones(Y.shape[1], dtype=np.int32)  # one direct solve
        self.n_iter_ = None if solver in _NO_ITERATIONS else n_iter
        return coef, X_offset, y_offset

    def _run(self, method, design, Yc, alphas):
        """Run one method: ``(coef, n_iter or None, method run)``."""
        name = self.solver if self.solver != "auto" else method
        settings = dict(tol=self.tol, max_iter=self.max_iter, name=name)
        if method == "lsqr":
            return (*solve_lsqr(design, Yc, alphas, **settings), method)
        if method == "sparse_cg":
            return (*solve_cg(design, Yc, alphas, **settings), method)
        if method == "cd":
            solve = solve_positive if self.positive else solve_cd
            coef, n_iter = solve(
                design, Yc, alphas, seed=seed_from(self.random_state), **settings
            )
            return coef, n_iter, method
        if method == "cholesky":
            try:
                return solve_cholesky(design, Yc, alphas), None, method
            except linalg.LinAlgError:
                if design.is_sparse:
                    raise ValueError(
                        "The Ridge system is singular (alpha too small for "
                        "collinear features); increase alpha or use "
                        "solver='lsqr'."
                    ) from None
                warnings.warn(
                    "The Ridge system is singular (alpha too small for "
                    "collinear features); using the SVD solution instead.",
                    linalg.LinAlgWarning,
                    stacklevel=4,
                )
        return solve_svd(design, Yc, alphas), None, "svd"


class Ridge(RidgeSolve, LinearPredictorMixin, RegressorMixin, BaseEstimator):
    r"""Linear least squares with an L2 penalty.

    Minimises, over the coefficients ``w`` and the intercept ``b``,

    .. math::

        \sum_i s_i (y_i - x_i^\top w - b)^2 + \alpha \|w\|_2^2

    the objective of :class:`sklearn.linear_model.Ridge` (note: not divided
    by ``n`` and with raw sample weights, unlike :class:`ElasticNet`). X is
    never copied to fit the intercept or to apply the weights: every solver
    centres and weighs implicitly.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Regularisation strength, non-negative; one value per target allowed.
        ``alpha=0`` with ``solver='svd'`` or ``'lsqr'`` gives the
        minimum-norm least-squares solution.
    fit_intercept : bool, default=True
        Fit an intercept (the data are centred implicitly).
    copy_X : bool, default=True
        Kept for compatibility; X is never modified.
    max_iter : int, default=None
        Maximum iterations of the iterative solvers: LSQR's default
        (``2 n_features``) for ``'lsqr'``, ``'sag'`` and ``'saga'``, scipy's
        (ten times the system's size) for ``'sparse_cg'``, 1000 epochs for
        ``'cd'`` and ``'lbfgs'``.
    tol : float, default=1e-4
        Stopping tolerance of the iterative solvers, as in scikit-learn:
        ``atol = btol = tol`` for LSQR, the relative residual of the normal
        equations for conjugate gradients, the duality gap relative to
        ``y^T S y / sum(s)`` for coordinate descent. The direct solvers
        ignore it.
    solver : {'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', \
            'saga', 'lbfgs', 'cd'}, default='auto'
        - ``'cholesky'``: the normal equations (their dual form when
          ``n_features > n_samples``), built without copying X, falling back
          to ``'svd'`` when the system is singular (dense X).
        - ``'svd'``: the thin SVD of the centred X (dense X only; copies it).
        - ``'lsqr'``: scipy's LSQR, matrix-free on the implicitly centred,
          weighted X; ``n_iter_`` gives its iterations.
        - ``'sparse_cg'``: scipy's conjugate gradients on the primal or
          dual normal equations, matrix-free likewise.
        - ``'sag'``, ``'saga'``: l1l2 has no stochastic-average-gradient
          solver; these run ``'lsqr'`` (the solution is the same, unique
          one, found more precisely at a given ``tol``).
        - ``'lbfgs'``: (``positive=True`` only, as in scikit-learn) runs
          ``'cd'``.
        - ``'cd'``: l1l2's coordinate descent; supports ``positive=True``.
        - ``'auto'``: ``'cd'`` when ``positive=True``; ``'cholesky'`` for
          dense X; for sparse X ``'sparse_cg'`` (as scikit-learn), unless
          the direct solve costs fewer flops than one conjugate-gradient
          iteration per target, ``min(n, p)^3 / 3 + nnz^2 / max(n, p) <=
          4 nnz n_targets``, when it is ``'cholesky'``. At the default
          ``tol`` its answers are as close to the optimum as scikit-learn's
          (benchmarks/bench_ridge_solvers.py).

        scikit-learn's restrictions apply: ``'svd'``, ``'cholesky'`` and
        ``'saga'`` refuse sparse X with ``fit_intercept=True``, and only
        ``'auto'``, ``'lbfgs'`` and ``'cd'`` allow ``positive=True``.
    positive : bool, default=False
        Force the coefficients to be non-negative. The coordinate-descent
        solution is then finished by Newton steps (projected on the primal,
        or semismooth on the dual when ``n_features > n_samples``) to the
        exact optimum, certified by the optimality conditions.
    random_state : int, RandomState instance or None, default=None
        Seed of coordinate descent's random draws; unused otherwise.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept.
    n_iter_ : None or ndarray of shape (n_targets,)
        Iterations (epochs for coordinate descent) run per target. As in
        scikit-learn, None when ``solver`` is ``'svd'``, ``'cholesky'`` or
        ``'sparse_cg'``; with ``solver='auto'`` always an array (1 for a
        direct solve).
    solver_ : str
        The solver used: the name given (``'svd'`` when ``'cholesky'`` fell
        back to it), or the one ``'auto'`` chose.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    RidgeCV : Ridge with alpha chosen by (leave-one-out) cross-validation.
    RidgeClassifier : Ridge on labels mapped to {-1, 1}.
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
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions(set(SOLVERS))],
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the Ridge model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse X stays sparse: CSR and CSC as given
            (other formats are converted to CSR once; coordinate descent
            converts to CSC).
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
        check_solver(
            self.solver,
            positive=self.positive,
            is_sparse=sparse.issparse(X),
            fit_intercept=self.fit_intercept,
            max_iter=self.max_iter,
            tol=self.tol,
        )
        X, Y, y_was_1d, _ = self._validate_fit_data(
            X, y, None, normalize_weights=False, accept_sparse=("csr", "csc")
        )
        sample_weight = weights_of(sample_weight, X.shape[0], np.float64)
        coef, X_offset, y_offset = self._solve(X, Y, sample_weight)
        self.coef_ = squeeze_single_target(coef)
        self._set_intercept(X_offset, y_offset, self.fit_intercept, y_was_1d)
        return self


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "sample_weight": [
            Interval(Real, None, None, closed="neither"),
            "array-like",
            None,
        ],
        "solver": [StrOptions(set(SOLVERS))],
        "max_iter": [Interval(Integral, 0, None, closed="left"), None],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "return_n_iter": ["boolean"],
        "return_intercept": ["boolean"],
        "check_input": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def ridge_regression(
    X,
    y,
    alpha,
    *,
    sample_weight=None,
    solver="auto",
    max_iter=None,
    tol=1e-4,
    verbose=0,
    positive=False,
    random_state=None,
    return_n_iter=False,
    return_intercept=False,
    check_input=True,
):
    """Solve the ridge equation by the method of normal equations.

    The function form of :class:`Ridge`, with scikit-learn's signature:
    minimises ``sum_i s_i (y_i - x_i^T w - b)^2 + alpha ||w||^2`` with
    ``b = 0`` unless ``return_intercept=True``.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target values.
    alpha : float or array-like of shape (n_targets,)
        Regularisation strength, non-negative; one value per target allowed.
    sample_weight : float or array-like of shape (n_samples,), default=None
        Non-negative weight of each sample (not rescaled).
    solver : {'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', \
            'saga', 'lbfgs', 'cd'}, default='auto'
        As in :class:`Ridge`.
    max_iter : int, default=None
        As in :class:`Ridge`.
    tol : float, default=1e-4
        As in :class:`Ridge`.
    verbose : int, default=0
        Unused; kept for compatibility.
    positive : bool, default=False
        Force the coefficients to be non-negative (``solver`` ``'auto'``,
        ``'lbfgs'`` or ``'cd'``).
    random_state : int, RandomState instance or None, default=None
        As in :class:`Ridge`.
    return_n_iter : bool, default=False
        Also return the iterations run (None for the solvers of which
        :class:`Ridge` reports None).
    return_intercept : bool, default=False
        Fit an intercept and return it; as in scikit-learn, only with
        ``solver`` ``'auto'`` or ``'sag'``.
    check_input : bool, default=True
        Kept for compatibility; the input is always checked.

    Returns
    -------
    coef : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients.
    n_iter : None or ndarray of shape (n_targets,)
        Only with ``return_n_iter=True``.
    intercept : float or ndarray of shape (n_targets,)
        Only with ``return_intercept=True``.

    Examples
    --------
    >>> from l1l2 import ridge_regression
    >>> ridge_regression([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [1.0, 2.0, 3.0],
    ...                  alpha=1.0)
    array([1.375, 0.875])
    """
    if positive and solver not in ("auto", "lbfgs", "cd"):
        raise ValueError(
            "When positive=True, only 'lbfgs' solver can be used. "
            f"Please change solver {solver} to 'lbfgs' or set positive=False."
        )
    if return_intercept and solver not in ("auto", "sag"):
        raise ValueError(
            "In Ridge, only 'sag' solver can directly fit the intercept. "
            "Please change solver to 'sag' or set return_intercept=False."
        )
    if solver == "auto" and positive:
        solver = "lbfgs"
    model = Ridge(
        alpha,
        fit_intercept=return_intercept,
        max_iter=max_iter,
        tol=tol,
        solver=solver,
        positive=positive,
        random_state=random_state,
    )
    model.fit(X, y, sample_weight=sample_weight)
    results = (model.coef_,)
    if return_n_iter:
        results += (model.n_iter_,)
    if return_intercept:
        results += (model.intercept_,)
    return results[0] if len(results) == 1 else results
