"""The solve driver and the regularisation path.

:func:`solve_enet` solves one Elastic-Net problem at one alpha for one
target: it turns ``alpha`` and ``l1_ratio`` into the kernel's regularisation
constants, picks the dense, sparse or covariance kernel from the
:class:`~l1l2._base.Design` and keeps the kernel's contract (dtypes,
contiguity) in one place. Estimators call it once per target;
:func:`enet_path` calls it once per alpha, warm-starting each solve from the
previous solution and seeding its working set with the sequential strong
rule.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.utils._param_validation import Hidden, Interval, StrOptions
from sklearn.utils.validation import check_array, check_consistent_length

from ._base import (
    centring_offsets,
    check_dense_target,
    check_finite_result,
    check_magnitude,
    check_penalty_factor,
    check_sample_weight,
    check_sparse_structure,
    coefficient_bounds,
    contiguous,
    kernel_csc,
    plain_float_arrays,
    seed_from,
    unchecked_arrays,
)
from ._cd_fast import enet_coordinate_descent, sparse_enet_coordinate_descent
from ._covariance import checked_design, covariance_path, solve_enet_covariance
from ._multi_task_path import MultiTaskProblem
from ._parameters import check_parameters
from ._threads import fits_single_threaded, single_threaded_blas


def solve_enet(design, target, alpha, l1_ratio, coef, *, max_iter, tol, seed=0,
               random=False, previous_alpha=None):
    """Minimise the Elastic-Net objective for one target, in place.

    Parameters
    ----------
    design : Design
        The prepared data (X, weights, offsets, penalty factors, bounds).
    target : Target
        The centred target (``design.target(y)``).
    alpha, l1_ratio : float
        Regularisation strength and mix, as in :class:`l1l2.ElasticNet`.
    coef : ndarray of shape (n_features,)
        Initial coefficients (a warm start), overwritten with the solution.
    max_iter : int
        Maximum number of coordinate-descent epochs.
    tol : float
        Stop once the duality gap is below ``tol * y^T S y / sum(S)``.
    seed : int, default=0
        Seed of the coordinate sampler when ``random`` is true.
    random : bool, default=False
        Visit the coordinates in random order.
    previous_alpha : float, default=None
        On a path, the alpha whose solution ``coef`` is: the sequential
        strong rule then seeds the working set.

    Returns
    -------
    gap : float
        Duality gap reached, on the scale of the estimator's objective.
    tolerance : float
        The gap the solver had to reach, on the same scale.
    n_iter : int
        Number of epochs run.
    """
    if design.bounded:
        np.clip(coef, design.lower, design.upper, out=coef)
    settings = dict(max_iter=max_iter, tol=tol, seed=seed, random=random,
                    previous_alpha=previous_alpha)
    with single_threaded_blas():
        if design.uses_covariance:
            return solve_enet_covariance(design, target, alpha, l1_ratio, coef,
                                         **settings)
        return _solve_enet_residual(design, target, alpha, l1_ratio, coef,
                                    **settings)


def _solve_enet_residual(design, target, alpha, l1_ratio, coef, *, max_iter, tol,
                         seed, random, previous_alpha):
    """solve_enet with the residual kernel (dense or sparse X)."""
    dtype = design.dtype
    scale = design.weight_sum
    l1_reg = dtype.type(alpha * l1_ratio * scale)
    l2_reg = dtype.type(alpha * (1.0 - l1_ratio) * scale)
    strong_l1 = 0.0
    if previous_alpha is not None and 2 * alpha > previous_alpha:
        strong_l1 = (2 * alpha - previous_alpha) * l1_ratio * scale
    common = (design.penalty_factor, design.lower, design.upper, max_iter,
              dtype.type(tol), seed, random)
    options = dict(projection=design.projection, column_stats=design.column_stats,
                   strong_l1=strong_l1, correlations=target.correlations_at_warm_start,
                   workspace=target.workspace)
    if design.is_sparse:
        X = design.X
        _, gap, n_iter = sparse_enet_coordinate_descent(
            coef, l1_reg, l2_reg, X.data, *design.csc_indices, target.y,
            design.kernel_weights, design.kernel_offset, *common, **options,
        )
    else:
        _, gap, n_iter = enet_coordinate_descent(
            coef, l1_reg, l2_reg, design.kernel_X, target.y,
            design.kernel_weights, design.kernel_offset, *common, **options,
        )
    return gap, tol * target.norm2 / scale, n_iter


def alpha_max(design, target, l1_ratio):
    """The smallest alpha at which every penalised coefficient is 0.

    Unpenalised features (penalty factor 0) are fitted first, so the
    correlations are those of their residual; each feature's threshold is
    divided by its penalty factor, and sign constraints only count the
    direction a coefficient may move in.

    Parameters
    ----------
    design : Design
    target : Target
        The centred target.
    l1_ratio : float
        Must be positive (with no L1 part every alpha keeps all features).

    Returns
    -------
    alpha_max : float
        0 when the data leave every penalised coefficient at 0 whatever
        alpha (constant y, all-zero columns): the constant fallback grid of
        :func:`alpha_grid`, as in scikit-learn.

    Raises
    ------
    ValueError
        When no feature is penalised (every penalty factor is 0 or inf):
        alpha then has no effect on the solution, there is no path to
        build a grid for.
    """
    check_some_feature_penalised(design.penalty_factor)
    correlation = target.correlation.astype(np.float64)
    projection = design.projection
    if projection is not None:
        unpenalised, cross, inner = projection
        beta = np.linalg.lstsq(inner.astype(np.float64), correlation[unpenalised],
                               rcond=None)[0]
        correlation -= cross @ beta
    factors = design.penalty_factor
    penalised = (factors > 0) & np.isfinite(factors)
    up = np.where(design.upper > 0, correlation, 0.0)
    down = np.where(design.lower < 0, -correlation, 0.0)
    reach = np.maximum(up, down)[penalised] / factors[penalised]
    if not np.any(reach > 0):
        return 0.0
    return float(reach.max() / (design.weight_sum * l1_ratio))


def check_some_feature_penalised(penalty_factor):
    """Refuse an automatic alpha grid when no feature is penalised.

    With every penalty factor 0 (unpenalised) or inf (excluded) the
    objective does not depend on alpha: alpha_max is 0 and a grid would be
    ``n_alphas`` copies of one meaningless value. Explicit alphas are still
    accepted (they all give the same fit).

    Parameters
    ----------
    penalty_factor : ndarray of shape (n_features,)
        The validated penalty factors.

    Raises
    ------
    ValueError
        Naming the penalty factors and the way out.
    """
    if np.any((penalty_factor > 0) & np.isfinite(penalty_factor)):
        return
    raise ValueError(
        "Every feature has penalty_factor 0 or inf: alpha has no effect on "
        "the solution, alpha_max is 0 and there is no regularisation path to "
        "build an automatic alpha grid for. Pass alphas explicitly, or give "
        "some features a positive, finite penalty factor."
    )


def alpha_grid(alpha_high, *, eps, n_alphas):
    """scikit-learn's grid: geometric from ``alpha_high`` down to ``eps`` times it.

    Only an ``alpha_high`` of exactly 0 (every coefficient is 0 at any
    alpha: constant y, all-zero columns) gives the constant fallback grid;
    a tiny positive one is a real problem on a small scale (data scaled by
    1e-100), whose grid scales with it.
    """
    if not alpha_high > 0:
        return np.full(n_alphas, np.finfo(float).resolution)
    return np.geomspace(alpha_high, alpha_high * eps, num=n_alphas)


# What the paths' parameters may be: scikit-learn's constraints, so that
# the errors read like scikit-learn's.
PATH_CONSTRAINTS = {
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like", "sparse matrix"],
    "l1_ratio": [Interval(Real, 0, 1, closed="both")],
    "eps": [Interval(Real, 0, None, closed="neither")],
    "n_alphas": [Interval(Integral, 1, None, closed="left"),
                 Hidden(StrOptions({"deprecated"}))],
    "alphas": [Interval(Integral, 1, None, closed="left"), "array-like", None],
    "precompute": [StrOptions({"auto"}), "boolean", "array-like"],
    "Xy": ["array-like", None],
    "copy_X": ["boolean"],
    "coef_init": ["array-like", None],
    "verbose": ["verbose"],
    "return_n_iter": ["boolean"],
    "positive": ["boolean"],
    "check_input": ["boolean"],
    "tol": [Interval(Real, 0, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "selection": [StrOptions({"cyclic", "random"})],
    "random_state": ["random_state"],
    "fit_intercept": ["boolean"],
}

# The keyword parameters a path takes through ``**params``, with defaults.
PATH_PARAMS = {"tol": 1e-4, "max_iter": 1000, "selection": "cyclic",
               "random_state": None, "sample_weight": None,
               "penalty_factor": None, "lower_bounds": None,
               "upper_bounds": None, "fit_intercept": False}

# The number of alphas of the automatic grid when none is asked for.
DEFAULT_N_ALPHAS = 100

# scikit-learn's words for an automatic grid without an L1 penalty.
NO_GRID_WITHOUT_L1 = (
    "Automatic alpha grid generation is not supported for l1_ratio=0. Please "
    "supply a grid by providing your estimator with the appropriate `alphas=` "
    "argument (without an L1 penalty no alpha sets every coefficient to 0)."
)


def requested_alphas(alphas, n_alphas, stacklevel=2):
    """The grid asked for: a number of alphas or the alphas themselves.

    Follows scikit-learn 1.9's deprecations, with its FutureWarnings: a
    given ``n_alphas`` is the number of alphas when ``alphas`` is None or
    left at its default, and ``alphas=None`` means the default grid.
    """
    given_n_alphas = not (isinstance(n_alphas, str) and n_alphas == "deprecated")
    if given_n_alphas:
        warnings.warn(
            "'n_alphas' was deprecated in 1.9 and will be removed in 1.11 "
            "(scikit-learn's versions, which l1l2 follows). 'alphas' now "
            "accepts an integer value which removes the need to pass "
            "'n_alphas': pass the number of alphas as 'alphas' to silence this "
            "warning.",
            FutureWarning,
            stacklevel=stacklevel + 1,
        )
    if alphas is None:
        warnings.warn(
            "'alphas=None' is deprecated and will be removed in 1.11, at which "
            "point the default value will be set to 100. Set 'alphas=100' to "
            "silence this warning.",
            FutureWarning,
            stacklevel=stacklevel + 1,
        )
    at_default = alphas is None or (isinstance(alphas, Integral)
                                    and alphas == DEFAULT_N_ALPHAS)
    if given_n_alphas and at_default:
        return n_alphas
    return DEFAULT_N_ALPHAS if alphas is None else alphas


def checked_path_alphas(alphas):
    """User-given alphas as a non-empty decreasing float64 array."""
    values = np.asarray(alphas, dtype=np.float64)
    if values.ndim > 1 or values.size == 0:
        raise ValueError(
            f"alphas must be a non-empty 1-D array of values, got shape "
            f"{values.shape}."
        )
    if np.any(values < 0) or not np.all(np.isfinite(values)):
        raise ValueError("alphas must be finite and non-negative.")
    return np.sort(values.ravel())[::-1]


def checked_coef_init(coef_init, shape, dtype):
    """Zeros of ``shape`` (``n_features``, or ``(n_targets, n_features)``
    for a 2-D y), or the initial coefficients given, checked."""
    coef = np.zeros(shape, dtype=dtype)
    if coef_init is None:
        return coef
    values = np.asarray(coef_init, dtype=np.float64)
    if coef.ndim == 1:
        values = values.ravel()
    if values.shape != coef.shape:
        expected = (f"one value per feature ({coef.shape[0]})" if coef.ndim == 1
                    else f"shape {coef.shape} (n_targets, n_features)")
        raise ValueError(f"coef_init must have {expected}, got shape {values.shape}.")
    if not np.all(np.isfinite(values)):
        raise ValueError("coef_init contains NaN or infinity.")
    coef[:] = values
    return coef


def enet_path(X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas="deprecated",
              alphas=DEFAULT_N_ALPHAS, precompute="auto", Xy=None, copy_X=True,
              coef_init=None, verbose=False, return_n_iter=False, positive=False,
              check_input=True, **params):
    """Compute the Elastic-Net path with warm-started coordinate descent.

    Same call and return values as :func:`sklearn.linear_model.enet_path`,
    for the objective

        1 / (2 n) * sum_i s_i (y_i - x_i . w)^2
        + alpha * (l1_ratio * sum_j f_j |w_j| + (1 - l1_ratio) / 2 * sum_j f_j w_j^2)

    with no intercept (centre X and y first, or pass ``fit_intercept=True``,
    which centres them implicitly without copying X). Each alpha is solved by
    l1l2's working-set kernel, warm-started from the previous solution.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Training data; sparse X is never densified.
    y : array-like of shape (n_samples,)
        Target.
    l1_ratio : float, default=0.5
        Mix of L1 and L2 penalties, in (0, 1] when the grid is automatic.
    eps : float, default=1e-3
        Length of the automatic grid: ``alpha_min / alpha_max``.
    n_alphas : int, default="deprecated"
        Deprecated as in scikit-learn 1.9 (a FutureWarning): pass the number
        of alphas as ``alphas``. When given, it is the number of alphas of
        the automatic grid if ``alphas`` is None or left at its default.
    alphas : int or array-like, default=100
        An int: that many alphas, geometrically spaced from ``alpha_max``
        (the smallest alpha at which every penalised coefficient is 0) down
        to ``eps * alpha_max``. An array: the alphas, solved from the
        largest to the smallest (required when no feature is penalised,
        every ``penalty_factor`` 0 or inf: alpha then changes nothing and
        the automatic grid is refused with a ValueError). None is
        deprecated (a FutureWarning) and means 100.
    precompute : 'auto', bool or array-like of shape (n_features, n_features)
        Use the Gram matrix (covariance mode). 'auto' uses it when
        ``n_samples > 2 * n_features`` and ``n_features <= 2000``, computing
        only the Gram columns of features that become active. An array is
        the Gram matrix of X as the path uses it (see
        :class:`l1l2.ElasticNet`), checked against X when ``check_input``.
    Xy : array-like of shape (n_features,), default=None
        ``X^T y``, when already computed: used for the automatic grid and in
        covariance mode. With ``fit_intercept=True`` or ``sample_weight`` it
        is not the product the path needs and is recomputed, with a warning.
    copy_X : bool, default=True
        Ignored: X is never modified.
    coef_init : array-like of shape (n_features,), default=None
        Initial coefficients.
    verbose : bool or int, default=False
        Print the progress along the path.
    return_n_iter : bool, default=False
        Also return the number of epochs of each alpha.
    positive : bool, default=False
        Force the coefficients to be non-negative.
    check_input : bool, default=True
        Validate X, y, ``Xy`` and a given Gram matrix. With False the caller
        vouches for them: X must then be a Fortran-ordered float array (or a
        sparse matrix) and its values are not read for the check.
    **params
        ``tol`` (1e-4), ``max_iter`` (1000), ``selection`` ('cyclic'),
        ``random_state``, and l1l2's ``sample_weight``, ``penalty_factor``,
        ``lower_bounds``, ``upper_bounds`` and ``fit_intercept`` (False).
        Any other name raises scikit-learn's ValueError.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        The alphas, in decreasing order.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients along the path.
    dual_gaps : ndarray of shape (n_alphas,)
        Duality gap at the end of each solve.
    n_iters : list of int
        Epochs of each solve; only with ``return_n_iter=True``.

    See Also
    --------
    lasso_path : The same with ``l1_ratio=1``.
    sklearn.linear_model.enet_path : The function this one replaces.

    Examples
    --------
    >>> import numpy as np
    >>> from l1l2 import enet_path
    >>> X = np.array([[1.0, 2.0], [2.0, 3.5], [3.0, 5.5]])
    >>> y = np.array([1.0, 2.0, 3.0])
    >>> alphas, coefs, gaps = enet_path(X, y, l1_ratio=1.0, alphas=3)
    >>> coefs.shape
    (2, 3)
    """
    return _regularisation_path(
        "enet_path", X, y, l1_ratio=l1_ratio, eps=eps, n_alphas=n_alphas,
        alphas=alphas, precompute=precompute, Xy=Xy, copy_X=copy_X,
        coef_init=coef_init, verbose=verbose, return_n_iter=return_n_iter,
        positive=positive, check_input=check_input, params=params)


def lasso_path(X, y, *, eps=1e-3, n_alphas="deprecated", alphas=DEFAULT_N_ALPHAS,
               precompute="auto", Xy=None, copy_X=True, coef_init=None,
               verbose=False, return_n_iter=False, positive=False, **params):
    """Compute the Lasso path; :func:`enet_path` with ``l1_ratio=1``.

    Parameters and return values are those of :func:`enet_path` (and of
    :func:`sklearn.linear_model.lasso_path`); ``check_input`` is one of the
    ``**params``.

    Examples
    --------
    >>> import numpy as np
    >>> from l1l2 import lasso_path
    >>> X = np.array([[1.0, 2.0], [2.0, 3.5], [3.0, 5.5]])
    >>> alphas, coefs, gaps = lasso_path(X, np.array([1.0, 2.0, 3.0]), alphas=3)
    >>> alphas.shape, coefs.shape
    ((3,), (2, 3))
    """
    check_input = params.pop("check_input", True)
    return _regularisation_path(
        "lasso_path", X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas,
        alphas=alphas, precompute=precompute, Xy=Xy, copy_X=copy_X,
        coef_init=coef_init, verbose=verbose, return_n_iter=return_n_iter,
        positive=positive, check_input=check_input, params=params)


@fits_single_threaded
def _regularisation_path(caller, X, y, *, l1_ratio, eps, n_alphas, alphas,
                         precompute, Xy, copy_X, coef_init, verbose,
                         return_n_iter, positive, check_input, params):
    """enet_path and lasso_path, named ``caller`` in the errors."""
    unknown = sorted(set(params) - set(PATH_PARAMS))
    if unknown:
        raise ValueError(
            f"Unexpected parameters in params: {unknown}. {caller} takes "
            f"{', '.join(PATH_PARAMS)} as keyword parameters."
        )
    settings = {**PATH_PARAMS, **params}
    arguments = {"X": X, "y": y, "l1_ratio": l1_ratio, "eps": eps,
                 "n_alphas": n_alphas, "alphas": alphas, "precompute": precompute,
                 "Xy": Xy, "copy_X": copy_X, "coef_init": coef_init,
                 "verbose": verbose, "return_n_iter": return_n_iter,
                 "positive": positive, "check_input": check_input}
    check_parameters(PATH_CONSTRAINTS, {**arguments, **settings},
                     caller_name=caller)
    alphas = requested_alphas(alphas, n_alphas, stacklevel=3)
    X, y = _path_input(X, y, check_input)
    if y.ndim == 2:
        if check_input:
            check_magnitude(X, y)
        result = _multi_task_path(X, y, l1_ratio=l1_ratio, eps=eps, alphas=alphas,
                                  coef_init=coef_init, Xy=Xy, positive=positive,
                                  settings=settings)
        return result if return_n_iter else result[:3]
    if check_input:
        # The values are checked after the design: when it computed X^T X
        # of X as given, the diagonal usually vouches for X without another
        # pass over it (on a tall X, a pass is a sizeable part of a path's
        # time). Values that overflow or are not finite get the check's
        # error, not numpy's warnings from the products.
        with np.errstate(over="ignore", invalid="ignore"):
            design, target = _path_design(X, y, positive, precompute, settings,
                                          Xy=Xy, check_input=True)
        check_magnitude(X, y, raw_gram=design.raw_gram())
    else:
        design, target = _path_design(X, y, positive, precompute, settings,
                                      Xy=Xy, check_input=False)
    if isinstance(alphas, Integral):
        if l1_ratio <= 0:
            raise ValueError(NO_GRID_WITHOUT_L1)
        alphas = alpha_grid(alpha_max(design, target, l1_ratio), eps=eps,
                            n_alphas=alphas)
    else:
        alphas = checked_path_alphas(alphas)
    coef = checked_coef_init(coef_init, X.shape[1], X.dtype)
    coefs, dual_gaps, n_iters = _solve_path(design, target, alphas, l1_ratio,
                                            coef, settings, verbose)
    if return_n_iter:
        return alphas, coefs, dual_gaps, n_iters
    return alphas, coefs, dual_gaps


def _multi_task_path(X, Y, *, l1_ratio, eps, alphas, coef_init, Xy, positive,
                     settings):
    """The paths with a 2-D y: the multi-task problem (``_multi_task_path``).
    Returns ``(alphas, coefs, dual_gaps, n_iters)``, coefs of shape
    (n_targets, n_features, n_alphas)."""
    problem = MultiTaskProblem(X, Y, positive, settings)
    if isinstance(alphas, Integral):
        if l1_ratio <= 0:
            raise ValueError(NO_GRID_WITHOUT_L1)
        alphas = alpha_grid(problem.alpha_max(l1_ratio, Xy), eps=eps,
                            n_alphas=alphas)
    else:
        alphas = checked_path_alphas(alphas)
    coef = checked_coef_init(coef_init, (Y.shape[1], X.shape[1]), X.dtype)
    return (alphas, *problem.solve_path(alphas, l1_ratio, coef))


def _path_input(X, y, check_input):
    """X as a contiguous float array (either order, see ``contiguous``) or
    a kernel-ready CSC matrix, y as a 1-D or 2-D array of X's dtype;
    converted and checked only with ``check_input`` (the values are left to
    check_magnitude)."""
    if check_input and plain_float_arrays(X, y, y_ndims=(1,)):
        # What check_array would return, without its generic machinery
        # (most of a small path's time otherwise).
        X = contiguous(X)
    elif check_input:
        check_sparse_structure(X)
        check_dense_target(y)
        X = check_array(X, accept_sparse="csc", accept_large_sparse=True,
                        dtype=[np.float64, np.float32],
                        ensure_all_finite=False)
        if not sparse.issparse(X):
            X = contiguous(X)
        y = check_array(y, dtype=X.dtype, ensure_2d=False,
                        ensure_all_finite=False)
        check_consistent_length(X, y)
    else:
        X, y = unchecked_arrays(X, y)
    if sparse.issparse(X):
        X = kernel_csc(X)
    return X, np.asarray(y, dtype=X.dtype)


def _solve_path(design, target, alphas, l1_ratio, coef, settings, verbose):
    """Solve every alpha (decreasing), each warm-started from the last.

    Returns
    -------
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    n_iters : list of int
    """
    # Column by column: each solution is written contiguously.
    coefs = np.empty((design.n_features, len(alphas)), dtype=design.dtype,
                     order="F")
    options = dict(max_iter=settings["max_iter"], tol=settings["tol"],
                   seed=seed_from(settings["random_state"], settings["selection"]),
                   random=settings["selection"] == "random")
    if design.uses_covariance and design.gram_columns.complete:
        # The whole path in one kernel call: with a small Gram matrix the
        # per-alpha cost is a few epochs, which Python overhead would swamp.
        if design.bounded:
            np.clip(coef, design.lower, design.upper, out=coef)
        dual_gaps, n_iters = covariance_path(design, target, alphas, l1_ratio,
                                             coef, coefs, **options)
        n_iters = n_iters.tolist()
        check_finite_result(coefs, "coefficients")
        for i in range(len(alphas) if verbose else 0):
            _report(i, alphas, dual_gaps, n_iters)
    else:
        dual_gaps = np.empty(len(alphas))
        n_iters = []
        previous = None
        for i, alpha in enumerate(alphas):
            dual_gaps[i], _, n_iter = solve_enet(
                design, target, alpha, l1_ratio, coef, previous_alpha=previous,
                **options)
            # Checked while in cache: a pass over the whole coefs at the end
            # read 40 MB again on a 50000-feature, 100-alpha path.
            check_finite_result(coef, "coefficients")
            coefs[:, i] = coef
            n_iters.append(n_iter)
            previous = alpha
            if verbose:
                _report(i, alphas, dual_gaps, n_iters)
    check_finite_result(dual_gaps, "duality gaps")
    return coefs, dual_gaps, n_iters


def _report(i, alphas, dual_gaps, n_iters):
    """Print the progress line of the i-th alpha of a path."""
    print(f"Path: {i + 1}/{len(alphas)}, alpha={alphas[i]:.4g}, "
          f"gap={dual_gaps[i]:.3g}, epochs={n_iters[i]}")


def _path_design(X, y, positive, precompute, settings, *, Xy=None,
                 check_input=True):
    """Validate the path's options and prepare its Design and centred y."""
    n_samples, n_features = X.shape
    dtype = X.dtype
    sample_weight = check_sample_weight(settings["sample_weight"], n_samples,
                                        dtype, normalize=True)
    Y = y[:, np.newaxis]
    X_offset, y_offset = centring_offsets(X, Y, sample_weight,
                                          settings["fit_intercept"])
    bounds = coefficient_bounds(
        n_features, dtype, positive=positive,
        lower_bounds=settings["lower_bounds"], upper_bounds=settings["upper_bounds"],
    )
    penalty = check_penalty_factor(settings["penalty_factor"], n_features, dtype)
    design = checked_design(X, sample_weight, X_offset, penalty, bounds, precompute,
                            check_gram=check_input, stacklevel=4)
    plain = not settings["fit_intercept"] and sample_weight is None
    correlation = checked_xy(Xy, n_features, dtype, plain=plain,
                             check=check_input, stacklevel=4)
    return design, design.target(y - y_offset[0], correlation)


def checked_xy(Xy, n_features, dtype, *, plain, check, stacklevel=2):
    """A path's ``Xy`` as the target's correlation, or None to compute it.

    ``Xy`` is ``X^T y`` of X and y as given: the correlation the solver
    needs only when they are neither centred nor weighted (``plain``);
    otherwise it is recomputed, with a warning.
    """
    if Xy is None:
        return None
    if not plain:
        warnings.warn(
            "Xy was provided but X and y are centred to fit the intercept or "
            "weighted: recomputing Xy.",
            UserWarning,
            stacklevel=stacklevel + 1,
        )
        return None
    values = np.asarray(Xy, dtype=dtype)
    if check:
        if values.size != n_features or values.ndim > 2:
            raise ValueError(
                f"Xy must have shape ({n_features},) to match X, got "
                f"{values.shape}."
            )
        if not np.all(np.isfinite(values)):
            raise ValueError("Xy contains NaN or infinity.")
    return np.ascontiguousarray(values.reshape(n_features))
