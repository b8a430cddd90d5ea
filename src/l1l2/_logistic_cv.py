"""Logistic regression with C (and l1_ratio) chosen by cross-validation.

A drop-in for scikit-learn's ``LogisticRegressionCV``: each fold solves one
warm-started path over the Cs (``_logistic_path.solve_path``) for each
l1_ratio, the folds run in parallel, and the model is refitted on all the
data at the chosen point. Beyond scikit-learn: ``selection_rule='1se'``,
penalty factors and bounds, and a duality-gap certificate.
"""

import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import _fit_context
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv
from sklearn.utils._param_validation import Interval, StrOptions

from ._cv import one_standard_error_index
from ._glm_data import GLMProblemInput
from ._glm_solver import GLMSettings
from ._logistic import LogisticRegression
from ._logistic_path import solve_path
from ._parameters import check_parameters
from ._threads import fits_single_threaded


def _warned(value, default, message):
    """``value``, or ``default`` after a FutureWarning when it is 'warn'."""
    if isinstance(value, str) and value == "warn":
        warnings.warn(message, FutureWarning, stacklevel=4)
        return default
    return value


class LogisticRegressionCV(LogisticRegression):
    r"""Logistic regression with C and l1_ratio chosen by cross-validation.

    The objective is :class:`LogisticRegression`'s. For each l1_ratio, each
    fold fits a warm-started path over ``Cs_`` to its training rows and
    scores every C on its test rows; the (C, l1_ratio) with the best mean
    score is refitted on all the data.

    Parameters
    ----------
    Cs : int or array-like, default=10
        The Cs, or how many, log-spaced between 1e-4 and 1e4.
    l1_ratios : array-like of floats in [0, 1], default='warn'
        The l1_ratios tried. As in scikit-learn 1.9, the default warns and
        means the L2 penalty (``l1_ratios_`` is then ``[None]``).
    fit_intercept : bool, default=True
    cv : int, cross-validation generator or iterable, default=None
        Stratified 5-fold by default.
    dual, penalty, solver, intercept_scaling, random_state : accepted
        For compatibility, as in :class:`LogisticRegression`.
    scoring : str or callable, default='warn'
        A scikit-learn scorer; the default warns and means accuracy, as in
        scikit-learn 1.9 (``'neg_log_loss'`` scores the deviance).
    tol, max_iter, class_weight, verbose : as in :class:`LogisticRegression`
    n_jobs : int, default=None
        Folds (times l1_ratios) solved in parallel.
    refit : bool, default=True
        Refit on all the data at the best point; otherwise average the
        folds' best coefficients (scikit-learn's rule).
    use_legacy_attributes : bool, default='warn'
        scikit-learn 1.9's layouts of ``C_``, ``l1_ratio_``,
        ``coefs_paths_``, ``scores_`` and ``n_iter_`` (True, the default,
        after a warning) or its new ones (False).
    selection_rule : {'min', '1se'}, default='min'
        'min' keeps the best mean score; '1se' the smallest C whose mean
        score is within one standard error of it (at the best l1_ratio).
    penalty_factor, lower_bounds, upper_bounds : as in
        :class:`LogisticRegression`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    Cs_ : ndarray of shape (n_cs,)
    l1_ratios_ : ndarray of shape (n_l1_ratios,)
    C_, l1_ratio_ : float, or arrays in the legacy layout
    scores_ : ndarray of shape (n_folds, n_l1_ratios, n_cs), or a dict
        The folds' test scores.
    coefs_paths_ : ndarray of shape (n_folds, n_l1_ratios, n_cs, n_columns,
        n_dof), or a dict
        The folds' coefficients (and intercept, last, when fitted).
    n_iter_ : ndarray
        Newton steps of every fold's solves.
    dual_gap_ : float
        The refitted model's duality gap.
    """

    _parameter_constraints: dict = {
        **{name: constraint for name, constraint
           in LogisticRegression._parameter_constraints.items()
           if name not in ("C", "l1_ratio", "warm_start")},
        "Cs": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "l1_ratios": ["array-like", None, StrOptions({"warn"})],
        "cv": ["cv_object"],
        "scoring": [StrOptions({"warn"}), str, callable, None],
        "refit": ["boolean"],
        "use_legacy_attributes": ["boolean", StrOptions({"warn"})],
        "selection_rule": [StrOptions({"min", "1se"})],
    }

    def __init__(self, *, Cs=10, l1_ratios="warn", fit_intercept=True, cv=None,
                 dual=False, penalty="deprecated", scoring="warn", solver="lbfgs",
                 tol=1e-4, max_iter=100, class_weight=None, n_jobs=None,
                 verbose=0, refit=True, intercept_scaling=1.0, random_state=None,
                 use_legacy_attributes="warn", selection_rule="min",
                 penalty_factor=None, lower_bounds=None, upper_bounds=None):
        self.Cs = Cs
        self.l1_ratios = l1_ratios
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.dual = dual
        self.penalty = penalty
        self.scoring = scoring
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.class_weight = class_weight
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.refit = refit
        self.intercept_scaling = intercept_scaling
        self.random_state = random_state
        self.use_legacy_attributes = use_legacy_attributes
        self.selection_rule = selection_rule
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds

    @_fit_context(prefer_skip_nested_validation=False)
    @fits_single_threaded
    def fit(self, X, y, sample_weight=None, **params):
        """Cross-validate, then refit at the best point.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
        **params : dict
            Not supported (scikit-learn routes them with metadata routing).

        Returns
        -------
        self : LogisticRegressionCV
        """
        if params:
            raise ValueError(f"LogisticRegressionCV.fit takes no {sorted(params)}: "
                             "l1l2 does not route metadata to splitters or scorers.")
        check_parameters(self._parameter_constraints, self.get_params(deep=False),
                         type(self).__name__)
        grid = self._grid()
        problem = GLMProblemInput.from_estimator(self, X, y, sample_weight)
        folds = list(check_cv(self.cv, problem.classes[problem.y_index],
                              classifier=True).split(problem.X, problem.y_index))
        scorer = check_scoring(self, scoring=grid.scoring)
        settings = GLMSettings(tol=self.tol, max_iter=self.max_iter)
        results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(_fold_path)(problem, train, test, self.Cs_, l1_ratio, settings,
                                scorer, self)
            for train, test in folds for l1_ratio in grid.l1_ratios)
        shape = (len(folds), len(grid.l1_ratios))
        coefs = np.stack([r[0] for r in results]).reshape(*shape, *results[0][0].shape)
        scores = np.stack([r[1] for r in results]).reshape(*shape, -1)
        n_iter = np.stack([r[2] for r in results]).reshape(*shape, -1)
        C, l1_ratio = self._choose(scores, grid.l1_ratios, coefs, problem)
        self._set_attributes(problem, grid, coefs, scores, n_iter, C, l1_ratio)
        return self

    def _grid(self):
        """The Cs, l1_ratios and scoring, after scikit-learn's warnings."""
        self.Cs_ = (np.logspace(-4, 4, self.Cs) if isinstance(self.Cs, Integral)
                    else np.asarray(self.Cs, dtype=float))
        l1_ratios = _warned(self.l1_ratios, None,
                            "l1_ratios defaults to None (the L2 penalty), as in "
                            "scikit-learn 1.9, whose default becomes (0.0,) in "
                            "1.10; set it, e.g. l1_ratios=(0,).")
        scoring = _warned(self.scoring, None,
                          "scoring defaults to accuracy, as in scikit-learn 1.9, "
                          "whose default becomes 'neg_log_loss' in 1.11; set it.")
        legacy = _warned(self.use_legacy_attributes, True,
                         "The fitted attributes of LogisticRegressionCV follow "
                         "scikit-learn 1.9's legacy layout by default; set "
                         "use_legacy_attributes=False for the new one, True to "
                         "keep this one.")
        ratios = [0.0] if l1_ratios is None else [float(r) for r in l1_ratios]
        if any(not 0 <= r <= 1 for r in ratios) or not ratios:
            raise ValueError(f"l1_ratios must be values in [0, 1], got {l1_ratios!r}.")
        return _Grid(ratios, l1_ratios is None, scoring, legacy)

    def _choose(self, scores, l1_ratios, coefs, problem):
        """The chosen (C, l1_ratio), and the refitted or averaged model."""
        mean = scores.mean(axis=0)  # (n_l1_ratios, n_cs)
        best_l1, best_c = np.unravel_index(np.argmax(mean), mean.shape)
        if self.selection_rule == "1se":
            if scores.shape[0] < 2:
                raise ValueError("selection_rule='1se' needs at least 2 folds.")
            spread = scores[:, best_l1].std(axis=0, ddof=1) / np.sqrt(scores.shape[0])
            best_c = one_standard_error_index(1.0 / self.Cs_, -mean[best_l1], spread)
        if not self.refit:
            return self._average_best(scores, l1_ratios, coefs, problem)
        C, l1_ratio = float(self.Cs_[best_c]), l1_ratios[best_l1]
        self._fit_problem(problem, C, l1_ratio)
        return C, l1_ratio

    def _average_best(self, scores, l1_ratios, coefs, problem):
        """scikit-learn's ``refit=False``: the mean over the folds of each
        fold's best coefficients, C and l1_ratio."""
        flat = scores.reshape(scores.shape[0], -1).argmax(axis=1)
        l1_index, c_index = np.unravel_index(flat, scores.shape[1:])
        chosen = coefs[np.arange(scores.shape[0]), l1_index, c_index].mean(axis=0)
        n_features = problem.n_features
        self.coef_ = chosen[:, :n_features]
        self.intercept_ = (chosen[:, n_features] if self.fit_intercept
                           else np.zeros(chosen.shape[0]))
        self.dual_gap_ = np.nan  # an average of solutions certifies nothing
        return (float(self.Cs_[c_index].mean()),
                float(np.asarray(l1_ratios)[l1_index].mean()))

    def _set_attributes(self, problem, grid, coefs, scores, n_iter, C, l1_ratio):
        """``C_``, ``l1_ratio_``, ``l1_ratios_``, ``coefs_paths_``,
        ``scores_`` and ``n_iter_`` in the layout asked for."""
        self.l1_ratios_ = (np.array([None]) if grid.ratios_unset
                           else np.asarray(grid.l1_ratios))
        if not grid.legacy:
            self.C_, self.l1_ratio_ = C, l1_ratio
            self.coefs_paths_, self.scores_, self.n_iter_ = coefs, scores, n_iter
            return
        keys = problem.classes[1:] if problem.classes.size == 2 else problem.classes
        unset = grid.ratios_unset  # scikit-learn then drops the l1_ratio axis
        self.C_ = np.full(keys.size, C)
        self.l1_ratio_ = np.full(keys.size, None if unset else l1_ratio)
        by_c = scores.transpose(0, 2, 1)  # (n_folds, n_cs, n_l1_ratios)
        self.scores_ = {key: by_c[..., 0] if unset else by_c for key in keys}
        paths = coefs.transpose(0, 2, 1, 3, 4)  # (n_folds, n_cs, n_l1_ratios, ...)
        self.coefs_paths_ = {key: paths[:, :, 0, k] if unset else paths[:, :, :, k]
                             for k, key in enumerate(keys)}
        steps = n_iter.transpose(0, 2, 1)
        self.n_iter_ = (steps[..., 0] if unset else steps)[np.newaxis]


class _Grid:
    """What LogisticRegressionCV searches, resolved from its parameters."""

    def __init__(self, l1_ratios, ratios_unset, scoring, legacy):
        self.l1_ratios = l1_ratios
        self.ratios_unset = ratios_unset
        self.scoring = scoring
        self.legacy = legacy


def _fold_path(problem, train, test, Cs, l1_ratio, settings, scorer, options):
    """One fold's path over Cs at one l1_ratio: its coefficients (with the
    intercepts last) of shape (n_cs, n_columns, n_dof), test scores and
    Newton steps, in the order of Cs."""
    alphas = 1.0 / (train.size * Cs)
    order = np.argsort(-alphas)  # the path runs from the largest alpha
    coefs, intercepts, _, n_iters = solve_path(problem, alphas[order], l1_ratio,
                                               settings, rows=train)
    back = np.argsort(order)
    coefs, intercepts, n_iters = coefs[..., back], intercepts[:, back], n_iters[back]
    model = LogisticRegression(fit_intercept=options.fit_intercept)
    model.classes_, model.n_features_in_ = problem.classes, problem.n_features
    X_test, y_test = problem.X[test], problem.classes[problem.y_index[test]]
    scores = np.empty(Cs.size)
    for i in range(Cs.size):
        model.coef_, model.intercept_ = coefs[..., i], intercepts[:, i]
        scores[i] = scorer(model, X_test, y_test)
    dof = np.concatenate([coefs, intercepts[:, np.newaxis]], axis=1) if (
        options.fit_intercept) else coefs
    return dof.transpose(2, 0, 1), scores, n_iters
