"""Cross-validated Lasso and Elastic-Net: LassoCV and ElasticNetCV.

One alpha grid per ``l1_ratio`` is computed on all the data; each fold then
solves a warm-started path on its training rows with :func:`enet_path` and
scores every alpha on its test rows. Folds run in threads (the kernel
releases the GIL). The model is refitted on all the data at the alpha chosen
by the smallest cross-validated error or by the one-standard-error rule.
"""

import sys
import time
import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import check_cv
from sklearn.utils import check_scalar
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import column_or_1d

from ._base import (
    LinearPredictorMixin,
    centring_offsets,
    check_finite_result,
    rescaled_weights,
    seed_from,
)
from ._estimators import ElasticNet
from ._fold_rows import FoldRows
from ._path import (
    NO_GRID_WITHOUT_L1,
    _path_design,
    alpha_grid,
    alpha_max,
    enet_path,
    lasso_path,
)
from ._threads import fits_single_threaded


def cv_alpha_grids(X, y, sample_weight, l1_ratios, *, alphas, eps, positive,
                   settings):
    """The alpha grid of every ``l1_ratio``, decreasing, one row each.

    An integer ``alphas`` asks for that many alphas from ``alpha_max`` (on
    all the data, respecting weights, penalty factors and bounds) down to
    ``eps * alpha_max``; an array is used as is for every ``l1_ratio``.
    """
    if not isinstance(alphas, Integral):
        grid = checked_cv_alphas(alphas)
        return np.tile(np.sort(grid)[::-1], (len(l1_ratios), 1))
    if np.any(l1_ratios == 0):
        raise ValueError(NO_GRID_WITHOUT_L1)
    design, target = _path_design(X, y, positive, False,
                                  {**settings, "sample_weight": sample_weight})
    return np.array([
        alpha_grid(alpha_max(design, target, l1_ratio), eps=eps, n_alphas=alphas)
        for l1_ratio in l1_ratios
    ])


def checked_cv_alphas(alphas):
    """The alphas given to a CV estimator, as a 1-D float64 array.

    Each is checked by scikit-learn's ``check_scalar``, so that a negative
    or non-numeric entry gets scikit-learn's error naming it
    (``alphas[1] == -1, must be >= 0.0.``).
    """
    if np.ndim(alphas) != 1 or len(alphas) == 0:
        raise ValueError(
            f"alphas must be an int or a non-empty 1-D array of values, got "
            f"shape {np.shape(alphas)}."
        )
    for index, alpha in enumerate(alphas):
        check_scalar(alpha, f"alphas[{index}]", target_type=Real, min_val=0.0,
                     include_boundaries="left")
    grid = np.asarray(alphas, dtype=np.float64)
    if not np.all(np.isfinite(grid)):
        raise ValueError("alphas must be finite.")
    return grid


def fold_errors(X, y, sample_weight, train, test, l1_ratio, alphas, *,
                positive, precompute, settings, label=None, fold_rows=None):
    """Test-set mean squared error of a path fitted on the training rows
    (copied through ``fold_rows``, a :class:`FoldRows`, when given).

    Returns
    -------
    mse : ndarray of shape (n_alphas,)
        The (sample-weighted) mean squared error on the test rows at each
        alpha of ``alphas`` (decreasing).
    n_unconverged : int
        Number of alphas whose solve stopped above its tolerance.
    """
    start = time.perf_counter()
    fold_rows = FoldRows() if fold_rows is None else fold_rows
    X_train = fold_rows.training(X, train)
    y_train, y_test = y[train], y[test]
    weights_train = None if sample_weight is None else sample_weight[train]
    # check_input=False takes Fortran order only, as scikit-learn's: the
    # C-ordered rows of a tall X go through the check, which the Gram
    # matrix of covariance mode makes nearly free (``_regularisation_path``).
    _, coefs, gaps, n_iters = enet_path(
        X_train, y_train, l1_ratio=l1_ratio, alphas=alphas, precompute=precompute,
        positive=positive, return_n_iter=True,
        check_input=not (sparse.issparse(X_train) or X_train.flags.f_contiguous),
        sample_weight=weights_train, **settings,
    )
    X_offset, y_offset = centring_offsets(X_train, y_train[:, np.newaxis],
                                          weights_train, settings["fit_intercept"])
    # The path is fitted on implicitly centred data: its intercept at each
    # alpha is mean(y) - mean(X) . w, with the training means.
    intercepts = y_offset[0] - X_offset @ coefs
    squared = fold_rows.predictions(fold_rows.test(X, test), coefs)
    squared += intercepts - y_test[:, np.newaxis]
    with np.errstate(over="ignore"):
        np.square(squared, out=squared)
    check_finite_result(squared, "test-set errors")
    if sample_weight is None:
        mse = squared.mean(axis=0)
    else:
        weights_test = np.asarray(sample_weight[test], dtype=np.float64)
        if not weights_test.sum() > 0:
            raise ValueError(
                "A test fold has zero total sample weight, so its error is "
                "undefined; use folds whose test rows carry weight."
            )
        mse = weights_test @ squared / weights_test.sum()
    n_unconverged = int(np.sum(gaps > _gap_tolerance(y_train, weights_train,
                                                     settings)))
    if label is not None:
        print(f"{label}: {len(alphas)} alphas, {sum(n_iters)} epochs, "
              f"{time.perf_counter() - start:.2f} s", file=sys.stderr, flush=True)
    return mse, n_unconverged


def _gap_tolerance(y, sample_weight, settings):
    """The duality gap a solve on ``y`` must reach (``tol`` times the
    weighted variance of y, or its mean square without intercept)."""
    y = np.asarray(y, dtype=np.float64)
    weights = np.ones_like(y) if sample_weight is None else sample_weight
    if settings["fit_intercept"]:
        y = y - weights @ y / weights.sum()
    return settings["tol"] * float(weights @ y**2) / weights.sum()


def one_standard_error_index(alphas, mean, standard_error):
    """Index of the largest alpha whose mean error is within one standard
    error of the smallest mean error (glmnet's ``lambda.1se``).

    The standard error is the one at the minimum; ties in the minimum go to
    the largest alpha.
    """
    best = int(np.argmin(mean))
    threshold = mean[best] + standard_error[best]
    within = np.flatnonzero(mean <= threshold)
    return int(within[np.argmax(alphas[within])])


class ElasticNetCV(LinearPredictorMixin, RegressorMixin, BaseEstimator):
    r"""Elastic-Net with alpha (and l1_ratio) chosen by cross-validation.

    For every ``l1_ratio`` a grid of alphas is computed once on all the
    data; each fold fits a warm-started regularisation path to its training
    rows and measures the mean squared error on its test rows at every
    alpha. The alpha (and ``l1_ratio``) with the smallest error averaged over
    the folds is kept, or, with ``selection_rule='1se'``, the largest alpha
    whose error is within one standard error of that minimum. The model is
    then refitted on all the data at that alpha. Each fit minimises

    .. math::

        \frac{1}{2 n} \sum_i s_i (y_i - x_i^\top w - b)^2
        + \alpha \sum_j f_j \Big( \rho |w_j| + \frac{1 - \rho}{2} w_j^2 \Big)

    with ``rho = l1_ratio``, sample weights ``s`` rescaled to sum to ``n``
    and penalty factors ``f``: the objective of :class:`ElasticNet`.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
        Mix of the penalties, in [0, 1] (1 is the Lasso). A list is searched
        by cross-validation, best placed from Ridge-like to Lasso-like, e.g.
        ``[.1, .5, .7, .9, .95, .99, 1]``.
    eps : float, default=1e-3
        Length of the automatic grid: ``alpha_min / alpha_max``.
    alphas : int or array-like, default=100
        An int: that many alphas, geometrically spaced from ``alpha_max``
        (the smallest alpha at which every penalised coefficient is 0,
        computed on all the data for each ``l1_ratio``) down to
        ``eps * alpha_max``. An array: the alphas to try, for every
        ``l1_ratio``. As in scikit-learn 1.9, which removed ``n_alphas``.
    fit_intercept : bool, default=True
        Fit an intercept (X is centred implicitly, never copied for it).
    precompute : 'auto', bool or array-like of shape (n_features, n_features), \
            default='auto'
        Covariance mode (see :class:`ElasticNet`). 'auto' decides per fold
        from its shape. A Gram matrix is used by the final refit only: the
        folds compute their own.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha.
    tol : float, default=1e-4
        Stop each solve when its duality gap is below
        ``tol * ||y - mean(y)||^2 / n`` (on the rows it is fitted to).
    cv : int, cross-validation generator or iterable, default=None
        The folds: None for 5-fold :class:`~sklearn.model_selection.KFold`,
        an int for that many KFold folds, a splitter, or an iterable of
        ``(train, test)`` index arrays. Every training set needs two
        distinct samples of positive weight (one with
        ``fit_intercept=False``): fewer raise a ValueError.
    copy_X : bool, default=True
        Kept for compatibility; l1l2 never writes to X.
    verbose : bool or int, default=0
        Print the progress to stderr: one line per fold (and l1_ratio)
        finished, with its number of alphas, epochs and elapsed time, and a
        summary of the selection.
    n_jobs : int, default=None
        Number of folds solved in parallel (threads, as the kernel releases
        the GIL). None means 1 unless in a :func:`joblib.parallel_backend`
        context, -1 means all processors.
    positive : bool, default=False
        Force the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``; one seed
        is drawn per fit and shared by every fold and the refit.
    selection : {'cyclic', 'random'}, default='cyclic'
        Visit the coordinates in order, or at random.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty, as in :class:`ElasticNet`
        (0 leaves a feature unpenalised, ``np.inf`` excludes it). They
        also enter ``alpha_max``; when every factor is 0 or inf alpha
        changes nothing, and an integer ``alphas`` (the automatic grid)
        raises a ValueError: pass an array.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), \
            default=None
        Box constraints on the coefficients, as in :class:`ElasticNet`.
    selection_rule : {'min', '1se'}, default='min'
        'min' keeps the alpha with the smallest mean CV error; '1se' the
        largest alpha whose mean error is at most the smallest one plus its
        standard error (glmnet's ``lambda.1se``): a sparser model that
        predicts as well within the noise of the estimate. With several
        ``l1_ratio`` the best ``l1_ratio`` is chosen by the smallest mean
        error first, and the rule is applied along its path.

    Attributes
    ----------
    alpha_ : float
        The alpha chosen by ``selection_rule``; the refitted model's.
    l1_ratio_ : float
        The chosen ``l1_ratio``.
    alpha_min_ : float
        The alpha with the smallest mean CV error (for ``l1_ratio_``).
    alpha_1se_ : float
        The largest alpha whose mean CV error is within one standard error
        of the smallest (for ``l1_ratio_``); ``>= alpha_min_``.
    coef_ : ndarray of shape (n_features,)
        Coefficients of the refitted model.
    intercept_ : float
        Intercept of the refitted model.
    mse_path_ : ndarray of shape (n_alphas, n_folds) or \
            (n_l1_ratio, n_alphas, n_folds)
        Test-set mean squared error of every fold at every alpha (weighted
        by the sample weights of the test rows, when given); the first axis
        only when ``l1_ratio`` is a list of several values.
    mse_std_path_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        Standard error of the mean CV error at every alpha:
        ``std(mse_path_, ddof=1) / sqrt(n_folds)`` across the folds, as
        glmnet's ``cvsd``. NaN with a single fold.
    alphas_ : ndarray of shape (n_alphas,) or (n_l1_ratio, n_alphas)
        The grid of alphas, decreasing (one row per ``l1_ratio`` when the
        grid is automatic and ``l1_ratio`` is a list of several values).
    dual_gap_ : float
        Duality gap of the refitted model.
    n_iter_ : int
        Epochs of the refit.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    LassoCV : The same with ``l1_ratio=1``.
    ElasticNet : The model refitted at the chosen alpha.
    enet_path : The path each fold solves.
    sklearn.linear_model.ElasticNetCV : The model this one replaces.

    Notes
    -----
    The cross-validated error of an alpha is the plain mean of the folds'
    errors, as in scikit-learn: each fold's error is weighted within the
    fold by the sample weights, the folds count equally.

    Examples
    --------
    >>> from l1l2 import ElasticNetCV
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_features=10, n_informative=3, noise=5,
    ...                        random_state=0)
    >>> model = ElasticNetCV(l1_ratio=[0.5, 0.9, 1.0], cv=5).fit(X, y)
    >>> model.l1_ratio_, model.mse_path_.shape
    (1.0, (3, 100, 5))
    >>> sparser = ElasticNetCV(l1_ratio=[0.5, 0.9, 1.0], cv=5,
    ...                        selection_rule="1se").fit(X, y)
    >>> int((model.coef_ != 0).sum()), int((sparser.coef_ != 0).sum())
    (6, 3)
    """

    _parameter_constraints: dict = {
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "eps": [Interval(Real, 0, None, closed="neither")],
        "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "precompute": [StrOptions({"auto"}), "boolean", "array-like"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "cv": ["cv_object"],
        "copy_X": ["boolean"],
        "verbose": ["verbose"],
        "n_jobs": [Integral, None],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [StrOptions({"cyclic", "random"})],
        "penalty_factor": ["array-like", None],
        "lower_bounds": [Real, "array-like", None],
        "upper_bounds": [Real, "array-like", None],
        "selection_rule": [StrOptions({"min", "1se"})],
    }

    path = staticmethod(enet_path)

    def __init__(
        self,
        *,
        l1_ratio=0.5,
        eps=1e-3,
        alphas=100,
        fit_intercept=True,
        precompute="auto",
        max_iter=1000,
        tol=1e-4,
        cv=None,
        copy_X=True,
        verbose=0,
        n_jobs=None,
        positive=False,
        random_state=None,
        selection="cyclic",
        penalty_factor=None,
        lower_bounds=None,
        upper_bounds=None,
        selection_rule="min",
    ):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv
        self.copy_X = copy_X
        self.verbose = verbose
        self.n_jobs = n_jobs
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds
        self.selection_rule = selection_rule

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.target_tags.single_output = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    @fits_single_threaded
    def fit(self, X, y, sample_weight=None, **params):
        """Choose alpha by cross-validation, then refit on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse X is never densified.
        y : array-like of shape (n_samples,)
            Target (one column; multi-task models are not supported).
        sample_weight : float or array-like of shape (n_samples,), \
                default=None
            Non-negative weights, used to fit each fold (rescaled to sum to
            its number of training rows) and to weight each fold's test
            error; the folds count equally in the mean.
        **params : dict
            Metadata for the CV splitter, e.g. ``groups`` for
            :class:`~sklearn.model_selection.GroupKFold`. Only with
            ``sklearn.set_config(enable_metadata_routing=True)``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        _raise_for_params(params, self, "fit")
        X, y, sample_weight = self._validate_cv_data(X, y, sample_weight)
        l1_ratios = self._l1_ratios()
        settings = {
            "tol": self.tol, "max_iter": self.max_iter, "selection": self.selection,
            "random_state": seed_from(self.random_state),
            "penalty_factor": self.penalty_factor,
            "lower_bounds": self.lower_bounds, "upper_bounds": self.upper_bounds,
            "fit_intercept": self.fit_intercept,
        }
        grids = cv_alpha_grids(X, y, sample_weight, l1_ratios, alphas=self.alphas,
                               eps=self.eps, positive=self.positive,
                               settings=settings)
        folds = self._folds(X, y, sample_weight, params)
        mse = self._cross_validate(X, y, sample_weight, folds, l1_ratios, grids,
                                   settings)
        l1_ratio = self._select(mse, l1_ratios, grids)
        self._refit(X, y, sample_weight, l1_ratio, settings["random_state"])
        return self

    def _validate_cv_data(self, X, y, sample_weight):
        """X as an F-ordered array or CSC matrix, y 1-D, weights or None."""
        X, Y, y_was_1d, sample_weight = self._validate_fit_data(
            X, y, sample_weight, normalize_weights=False
        )
        if Y.shape[1] != 1:
            raise ValueError(
                f"For multi-task outputs, use MultiTask{type(self).__name__} "
                f"(scikit-learn's; l1l2 has no multi-task estimator yet). Got "
                f"y of shape {Y.shape}."
            )
        # scikit-learn's treatment of a column vector: used as y.ravel(),
        # with its DataConversionWarning.
        y = column_or_1d(Y[:, 0] if y_was_1d else Y, warn=True)
        # Every fit normalises the weights and every error is a weighted
        # mean, so only their ratios matter: capped at 1, their sums cannot
        # overflow.
        sample_weight, _ = rescaled_weights(sample_weight)
        return X, y, sample_weight

    def _l1_ratios(self):
        """``l1_ratio`` as a 1-D array of values in [0, 1]."""
        l1_ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if l1_ratios.ndim != 1 or l1_ratios.size == 0:
            raise ValueError("l1_ratio must be a float or a non-empty list of floats.")
        if np.any(~(l1_ratios >= 0) | ~(l1_ratios <= 1)):
            raise ValueError(f"l1_ratio values must lie in [0, 1], got {l1_ratios}.")
        return l1_ratios

    def _folds(self, X, y, sample_weight, params):
        """The (train, test) index arrays of every fold, checked."""
        splitter = check_cv(self.cv)
        split_params = {}
        if _routing_enabled():
            routed = process_routing(self, "fit", sample_weight=sample_weight,
                                     **params)
            split_params = routed.splitter.split
        n_samples = X.shape[0]
        folds = []
        for train, test in splitter.split(X, y, **split_params):
            folds.append((_fold_indices(train, n_samples, "train"),
                          _fold_indices(test, n_samples, "test")))
        if not folds:
            raise ValueError("cv produced no folds.")
        _check_training_sizes(folds, sample_weight, self.fit_intercept,
                              type(self).__name__)
        return folds

    def _cross_validate(self, X, y, sample_weight, folds, l1_ratios, grids,
                        settings):
        """Test errors of every (l1_ratio, fold, alpha), in parallel over
        (l1_ratio, fold); shape (n_l1_ratio, n_alphas, n_folds)."""
        name = type(self).__name__
        if self.verbose:
            print(f"{name}: {len(folds)} folds x {grids.shape[1]} alphas"
                  + (f" x {len(l1_ratios)} l1_ratios" if len(l1_ratios) > 1 else ""),
                  file=sys.stderr, flush=True)
        # Row slicing is cheap on CSR; each fold converts its rows to CSC.
        X_rows = X.tocsr() if sparse.issparse(X) else X
        # An array precompute is X's Gram matrix, not a fold's.
        precompute = self.precompute
        if not isinstance(precompute, (str, bool, np.bool_)):
            precompute = True
        jobs, fold_rows = [], FoldRows()
        for l1_ratio, grid in zip(l1_ratios, grids, strict=True):
            for k, (train, test) in enumerate(folds):
                label = None
                if self.verbose:
                    label = f"{name}: fold {k + 1}/{len(folds)}"
                    if len(l1_ratios) > 1:
                        label += f", l1_ratio={l1_ratio:g}"
                jobs.append(delayed(fold_errors)(
                    X_rows, y, sample_weight, train, test, l1_ratio, grid,
                    positive=self.positive, precompute=precompute,
                    settings=settings, label=label, fold_rows=fold_rows,
                ))
        results = Parallel(n_jobs=self.n_jobs, prefer="threads")(jobs)
        n_unconverged = sum(count for _, count in results)
        if n_unconverged:
            warnings.warn(
                f"Coordinate descent did not converge for {n_unconverged} of "
                f"the {len(results) * grids.shape[1]} (fold, alpha) solves. "
                "Increase max_iter, increase tol, standardise the features, or "
                "shorten the grid (larger eps).",
                ConvergenceWarning,
                stacklevel=3,
            )
        mse = np.array([errors for errors, _ in results])
        return mse.reshape(len(l1_ratios), len(folds), -1).transpose(0, 2, 1)

    def _select(self, mse, l1_ratios, grids):
        """Set the CV attributes and the chosen alpha; return the chosen
        l1_ratio."""
        n_folds = mse.shape[2]
        mean = mse.mean(axis=2)
        standard_error = _standard_error(mse)
        if self.selection_rule == "1se" and n_folds < 2:
            raise ValueError(
                "selection_rule='1se' needs at least 2 folds to estimate the "
                "standard error of the CV error; use more folds or 'min'."
            )
        best = int(np.argmin(mean.min(axis=1)))
        alphas = grids[best]
        index_min = int(np.argmin(mean[best]))
        index_1se = index_min
        if n_folds > 1:
            index_1se = one_standard_error_index(alphas, mean[best],
                                                 standard_error[best])
        self.alpha_min_ = float(alphas[index_min])
        self.alpha_1se_ = float(alphas[index_1se])
        rule_1se = self.selection_rule == "1se"
        self.alpha_ = self.alpha_1se_ if rule_1se else self.alpha_min_
        l1_ratio = float(l1_ratios[best])
        if "l1_ratio" in self._get_param_names():  # not LassoCV
            self.l1_ratio_ = l1_ratio

        single = len(l1_ratios) == 1
        self.mse_path_ = mse[0] if single else mse
        self.mse_std_path_ = standard_error[0] if single else standard_error
        if single or not isinstance(self.alphas, Integral):
            self.alphas_ = grids[0]
        else:
            self.alphas_ = grids
        if self.verbose:
            print(f"{type(self).__name__}: alpha_min_={self.alpha_min_:.4g}, "
                  f"alpha_1se_={self.alpha_1se_:.4g}, l1_ratio={l1_ratio:g}; "
                  f"refitting at alpha_={self.alpha_:.4g}", file=sys.stderr, flush=True)
        return l1_ratio

    def _refit(self, X, y, sample_weight, l1_ratio, seed):
        """Fit :class:`ElasticNet` on all the data at the chosen alpha."""
        model = ElasticNet(
            alpha=self.alpha_, l1_ratio=l1_ratio,
            fit_intercept=self.fit_intercept, precompute=self.precompute,
            max_iter=self.max_iter, copy_X=self.copy_X, tol=self.tol,
            positive=self.positive, random_state=seed, selection=self.selection,
            penalty_factor=self.penalty_factor, lower_bounds=self.lower_bounds,
            upper_bounds=self.upper_bounds,
        )
        model.fit(X, y, sample_weight=sample_weight)
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.dual_gap_ = model.dual_gap_
        self.n_iter_ = model.n_iter_

    def get_metadata_routing(self):
        """Metadata routing of this estimator: ``split`` metadata (such as
        ``groups``) goes to the CV splitter.

        Returns
        -------
        routing : MetadataRouter
        """
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(splitter=check_cv(self.cv),
                 method_mapping=MethodMapping().add(caller="fit", callee="split"))
        )


def _standard_error(mse):
    """``std(mse, ddof=1) / sqrt(n_folds)`` along the last axis; NaN with a
    single fold.

    Computed on errors divided by their largest value, so that errors near
    the top of the float range (data scaled by 1e100) do not overflow when
    squared.
    """
    n_folds = mse.shape[-1]
    if n_folds < 2:
        return np.full(mse.shape[:-1], np.nan)
    scale = float(np.max(mse, initial=0.0))
    if not scale > 0:
        return np.zeros(mse.shape[:-1])
    return (mse / scale).std(axis=-1, ddof=1) * (scale / np.sqrt(n_folds))


def _fold_indices(rows, n_samples, kind):
    """A fold's rows as an integer index array (boolean masks accepted)."""
    rows = np.asarray(rows)
    if rows.dtype == bool:
        rows = np.flatnonzero(rows)
    if rows.ndim != 1 or not (rows.size == 0 or np.issubdtype(rows.dtype, np.integer)):
        raise ValueError(
            f"cv must yield (train, test) arrays of row indices; got a {kind} "
            f"set of dtype {rows.dtype} and shape {rows.shape}."
        )
    if rows.size == 0:
        raise ValueError(f"cv produced a fold with an empty {kind} set.")
    if rows.min() < -n_samples or rows.max() >= n_samples:
        raise ValueError(
            f"cv produced {kind} indices outside [0, {n_samples}) for X with "
            f"{n_samples} rows."
        )
    return rows.astype(np.intp, copy=False)


def _check_training_sizes(folds, sample_weight, fit_intercept, name):
    """Refuse folds whose training rows cannot tell the alphas apart.

    A training set needs a row of positive weight to be fitted at all and,
    with an intercept, two: the centred data of a single row are all zero,
    so every alpha gives the same intercept-only model and its test errors
    tie (scikit-learn then silently picks the largest alpha).

    Parameters
    ----------
    folds : list of (ndarray, ndarray)
        The (train, test) row indices of every fold.
    sample_weight : ndarray of shape (n_samples,) or None
    fit_intercept : bool
    name : str
        The estimator, named in the error.

    Raises
    ------
    ValueError
        Naming the fold, its number of usable rows and what to change.
    """
    needed = 2 if fit_intercept else 1
    for k, (train, _) in enumerate(folds):
        rows = train if sample_weight is None else train[sample_weight[train] > 0]
        # min(number of distinct rows, 2), in one vectorised pass.
        usable = 0 if rows.size == 0 else 1 + int(np.any(rows != rows[0]))
        if usable >= needed:
            continue
        if usable == 0:
            reason = "no sample with a positive weight: there is nothing to fit"
            remedy = "Use fewer folds, more samples or other weights."
        else:
            reason = (
                "a single distinct sample with a positive weight: with "
                "fit_intercept=True its centred data are all zero, so every "
                "alpha gives the same intercept-only model and the CV error "
                "cannot choose between them"
            )
            remedy = "Use fewer folds, more samples or fit_intercept=False."
        raise ValueError(
            f"{name}: the training set of fold {k + 1} of {len(folds)} has "
            f"{reason}. {remedy}"
        )


class LassoCV(ElasticNetCV):
    r"""Lasso with alpha chosen by cross-validation.

    :class:`ElasticNetCV` with ``l1_ratio=1``: each fit minimises

    .. math::

        \frac{1}{2 n} \sum_i s_i (y_i - x_i^\top w - b)^2
        + \alpha \sum_j f_j |w_j|

    The alpha grid is computed once on all the data; each fold fits a
    warm-started Lasso path (:func:`lasso_path`) to its training rows and
    scores every alpha on its test rows; the folds run in threads. The alpha
    with the smallest mean CV error is kept (or, with
    ``selection_rule='1se'``, the largest alpha within one standard error of
    it), and the model is refitted on all the data at that alpha.

    Parameters
    ----------
    eps : float, default=1e-3
        Length of the automatic grid: ``alpha_min / alpha_max``.
    alphas : int or array-like, default=100
        An int: that many alphas from ``alpha_max`` (computed on all the
        data) down to ``eps * alpha_max``, geometrically spaced. An array:
        the alphas to try. As in scikit-learn 1.9, which removed
        ``n_alphas``.
    fit_intercept : bool, default=True
        Fit an intercept (X is centred implicitly, never copied for it).
    precompute : 'auto', bool or array-like of shape (n_features, n_features), \
            default='auto'
        Covariance mode; see :class:`ElasticNetCV`.
    max_iter : int, default=1000
        Maximum number of coordinate-descent epochs per alpha.
    tol : float, default=1e-4
        Stop each solve when its duality gap is below
        ``tol * ||y - mean(y)||^2 / n``.
    copy_X : bool, default=True
        Kept for compatibility; l1l2 never writes to X.
    cv : int, cross-validation generator or iterable, default=None
        None for 5-fold :class:`~sklearn.model_selection.KFold`, an int for
        that many KFold folds, a splitter, or an iterable of
        ``(train, test)`` index arrays. Every training set needs two
        distinct samples of positive weight (one with
        ``fit_intercept=False``): fewer raise a ValueError.
    verbose : bool or int, default=False
        Print the progress to stderr (one line per fold finished, with its
        elapsed time, and the selection).
    n_jobs : int, default=None
        Number of folds solved in parallel threads; None means 1 unless in
        a :func:`joblib.parallel_backend` context.
    positive : bool, default=False
        Force the coefficients to be non-negative.
    random_state : int, RandomState instance or None, default=None
        Seed of the coordinate order when ``selection='random'``.
    selection : {'cyclic', 'random'}, default='cyclic'
        Visit the coordinates in order, or at random.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty, as in :class:`Lasso`. When
        every factor is 0 or inf alpha changes nothing: the automatic grid
        raises a ValueError, pass an array of ``alphas``.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), \
            default=None
        Box constraints on the coefficients, as in :class:`Lasso`.
    selection_rule : {'min', '1se'}, default='min'
        'min' keeps the alpha with the smallest mean CV error, '1se' the
        largest alpha whose mean error is at most that minimum plus its
        standard error (glmnet's ``lambda.1se``).

    Attributes
    ----------
    alpha_ : float
        The alpha chosen by ``selection_rule``; the refitted model's.
    alpha_min_ : float
        The alpha with the smallest mean CV error.
    alpha_1se_ : float
        The largest alpha within one standard error of the smallest mean
        CV error; ``>= alpha_min_``.
    coef_ : ndarray of shape (n_features,)
        Coefficients of the refitted model.
    intercept_ : float
        Intercept of the refitted model.
    mse_path_ : ndarray of shape (n_alphas, n_folds)
        Test-set mean squared error of every fold at every alpha.
    mse_std_path_ : ndarray of shape (n_alphas,)
        Standard error of the mean CV error at every alpha,
        ``std(mse_path_, axis=1, ddof=1) / sqrt(n_folds)`` (glmnet's
        ``cvsd``); NaN with a single fold.
    alphas_ : ndarray of shape (n_alphas,)
        The grid of alphas, decreasing.
    dual_gap_ : float
        Duality gap of the refitted model.
    n_iter_ : int
        Epochs of the refit.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    ElasticNetCV : Also searches over ``l1_ratio``.
    Lasso : The model refitted at the chosen alpha.
    lasso_path : The path each fold solves.
    sklearn.linear_model.LassoCV : The model this one replaces.

    Examples
    --------
    >>> from l1l2 import LassoCV
    >>> from sklearn.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = LassoCV(cv=5).fit(X, y)
    >>> round(model.alpha_, 4), round(model.alpha_1se_, 4)
    (0.0038, 0.1868)
    >>> one_se = LassoCV(cv=5, selection_rule="1se").fit(X, y)
    >>> int((model.coef_ != 0).sum()), int((one_se.coef_ != 0).sum())
    (9, 6)
    """

    _parameter_constraints: dict = {
        key: value
        for key, value in ElasticNetCV._parameter_constraints.items()
        if key != "l1_ratio"
    }

    path = staticmethod(lasso_path)

    def __init__(
        self,
        *,
        eps=1e-3,
        alphas=100,
        fit_intercept=True,
        precompute="auto",
        max_iter=1000,
        tol=1e-4,
        copy_X=True,
        cv=None,
        verbose=False,
        n_jobs=None,
        positive=False,
        random_state=None,
        selection="cyclic",
        penalty_factor=None,
        lower_bounds=None,
        upper_bounds=None,
        selection_rule="min",
    ):
        super().__init__(
            l1_ratio=1.0,
            eps=eps,
            alphas=alphas,
            fit_intercept=fit_intercept,
            precompute=precompute,
            max_iter=max_iter,
            tol=tol,
            cv=cv,
            copy_X=copy_X,
            verbose=verbose,
            n_jobs=n_jobs,
            positive=positive,
            random_state=random_state,
            selection=selection,
            penalty_factor=penalty_factor,
            lower_bounds=lower_bounds,
            upper_bounds=upper_bounds,
            selection_rule=selection_rule,
        )
