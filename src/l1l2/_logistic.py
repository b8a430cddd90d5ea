r"""Logistic regression with L1, L2 and elastic-net penalties.

A drop-in for scikit-learn's ``LogisticRegression``: the same parameters,
attributes and methods, solved by proximal Newton steps around the
coordinate-descent engine (``_glm_solver``), with a duality-gap
certificate in ``dual_gap_``.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy.special import expit, log_expit, log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.utils._param_validation import Hidden, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import check_finite_result
from ._glm_data import GLMProblemInput
from ._glm_solver import GLMFit, GLMSettings, duality_gap, solve
from ._parameters import check_parameters
from ._threads import fits_single_threaded

SOLVERS = {"lbfgs", "liblinear", "newton-cg", "newton-cholesky", "sag", "saga"}


def penalty_of(penalty, l1_ratio, C):
    """``(l1_ratio, C)`` after scikit-learn's deprecated ``penalty``."""
    if penalty == "deprecated":
        return (0.0 if l1_ratio is None else l1_ratio), C
    warnings.warn(
        "'penalty' was deprecated in scikit-learn 1.8 and will be removed in "
        "1.10; l1l2 follows: use l1_ratio=0 for 'l2', l1_ratio=1 for 'l1', "
        "a l1_ratio between them for 'elasticnet' and C=np.inf for None.",
        FutureWarning,
        stacklevel=3,
    )
    if penalty is None:
        return 0.0, np.inf
    fixed = {"l1": 1.0, "l2": 0.0}.get(penalty)
    if fixed is None and l1_ratio is None:
        raise ValueError("l1_ratio must be specified when penalty is elasticnet.")
    return (l1_ratio if fixed is None else fixed), C


class LogisticRegression(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    r"""Logistic regression with an elastic-net penalty.

    Minimises, over the coefficients ``W`` and intercepts ``b``,

    .. math::

        \frac{1}{n} \sum_i s_i \ell(y_i, W x_i + b)
        + \alpha \sum_j f_j \left(\rho \|w_j\|_1
        + \frac{1 - \rho}{2} \|w_j\|_2^2\right),
        \qquad \alpha = \frac{1}{n C},

    where ``ell`` is the logistic loss for two classes and the multinomial
    (softmax) loss for more, ``s_i`` the sample weights times the class
    weights, ``rho`` the ``l1_ratio`` and ``f_j`` the penalty factors: the
    objective of scikit-learn's ``LogisticRegression`` divided by ``n C``.
    The intercepts are not penalised.

    Parameters
    ----------
    penalty : {'l1', 'l2', 'elasticnet', None}, default='deprecated'
        Deprecated as in scikit-learn: use ``l1_ratio`` and ``C``.
    C : float, default=1.0
        Inverse regularisation strength (``np.inf``: no penalty).
    l1_ratio : float in [0, 1], default=0.0
        0 is the L2 penalty, 1 the L1 penalty, values between the elastic
        net.
    dual : bool, default=False
        Accepted for compatibility; the primal problem is solved.
    tol : float, default=1e-4
        The solve stops when its duality gap is at most ``tol`` times the
        loss of the zero model (``log 2`` per sample for two classes).
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1
        Accepted for compatibility (liblinear's); the intercept is never
        penalised here.
    class_weight : dict or 'balanced', default=None
        Weights of the classes, multiplying the sample weights.
    random_state : int, RandomState instance or None, default=None
        Accepted for compatibility; the solver is deterministic.
    solver : str, default='lbfgs'
        Accepted for compatibility; l1l2 has one solver.
    max_iter : int, default=100
        Maximum number of Newton steps.
    verbose : int, default=0
    warm_start : bool, default=False
        Start from the previous fit's coefficients.
    n_jobs : int, default=None
        Accepted for compatibility.
    penalty_factor : array-like of shape (n_features,), default=None
        Per-feature multipliers of the penalty: 0 leaves a feature
        unpenalised (it may then have no bound), ``np.inf`` excludes it.
    lower_bounds, upper_bounds : float or array-like of shape (n_features,), \
            default=None
        Box constraints on the coefficients (of every class); they must hold
        0.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
        For more than two classes, centred to sum to 0 (the softmax does
        not change).
    n_iter_ : ndarray of shape (1,)
        Newton steps taken.
    dual_gap_ : float
        Duality gap at the solution: its objective (as above) is at most
        this far above the optimum.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)

    Examples
    --------
    >>> import numpy as np
    >>> from l1l2 import LogisticRegression
    >>> X = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 0.0], [3.0, -0.5]])
    >>> model = LogisticRegression(C=10.0, l1_ratio=1.0).fit(X, [0, 0, 1, 1])
    >>> model.predict([[2.5, 0.0]])
    array([1])
    """

    _parameter_constraints: dict = {
        "penalty": [StrOptions({"l1", "l2", "elasticnet"}), None,
                    Hidden(StrOptions({"deprecated"}))],
        "C": [Interval(Real, 0, None, closed="right")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), None],
        "dual": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "intercept_scaling": [Interval(Real, 0, None, closed="neither")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "random_state": ["random_state"],
        "solver": [StrOptions(SOLVERS)],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "n_jobs": [None, Integral],
        "penalty_factor": ["array-like", None],
        "lower_bounds": [Real, "array-like", None],
        "upper_bounds": [Real, "array-like", None],
    }

    def __init__(
        self,
        penalty="deprecated",
        *,
        C=1.0,
        l1_ratio=0.0,
        dual=False,
        tol=1e-4,
        fit_intercept=True,
        intercept_scaling=1,
        class_weight=None,
        random_state=None,
        solver="lbfgs",
        max_iter=100,
        verbose=0,
        warm_start=False,
        n_jobs=None,
        penalty_factor=None,
        lower_bounds=None,
        upper_bounds=None,
    ):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.dual = dual
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.penalty_factor = penalty_factor
        self.lower_bounds = lower_bounds
        self.upper_bounds = upper_bounds

    @_fit_context(prefer_skip_nested_validation=True)
    @fits_single_threaded
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : LogisticRegression
        """
        check_parameters(self._parameter_constraints, self.get_params(deep=False),
                         type(self).__name__)
        l1_ratio, C = penalty_of(self.penalty, self.l1_ratio, self.C)
        problem = GLMProblemInput.from_estimator(self, X, y, sample_weight)
        return self._fit_problem(problem, C, l1_ratio)

    def _fit_problem(self, problem, C, l1_ratio):
        """Solve on a checked ``GLMProblemInput`` and set the fitted
        attributes."""
        data = problem.data()
        penalty = problem.penalty(problem.alpha_of(C), l1_ratio)
        fit = self._initial_fit(data, problem.n_features).refresh(data)
        settings = GLMSettings(tol=self.tol, max_iter=self.max_iter)
        gap = solve(data, penalty, fit, settings) if self.max_iter else (
            duality_gap(data, penalty, fit)[0])
        check_finite_result(fit.W, "coefficients")
        target = settings.tol * data.loss.null_value(data.a)
        if gap > target:
            warnings.warn(
                f"{type(self).__name__} did not converge in {fit.n_iter} Newton "
                f"steps: its duality gap is {gap:.3g}, above tol * (loss of "
                f"the zero model) = {target:.3g}. Increase max_iter, or C "
                "smaller (more regularisation); unregularised separable "
                "classes have no finite solution.",
                ConvergenceWarning,
                stacklevel=4,
            )
        self.coef_, self.intercept_ = fit.W, fit.b
        self.n_iter_ = np.array([fit.n_iter], dtype=np.int32)
        self.dual_gap_ = float(gap)
        return self

    def _initial_fit(self, data, n_features):
        """Zeros, or the previous coefficients when warm starting."""
        shape = (data.n_columns, n_features)
        dtype = data.dtype
        warm = getattr(self, "warm_start", False)  # the CV estimator has none
        coef = getattr(self, "coef_", None) if warm else None
        if coef is not None and coef.shape == shape:
            return GLMFit(np.array(coef, dtype=dtype),
                          np.array(self.intercept_, dtype=np.float64))
        return GLMFit(np.zeros(shape, dtype=dtype), np.zeros(shape[0]))

    def predict_proba(self, X):
        """Probability of each class, shape (n_samples, n_classes)."""
        check_is_fitted(self)
        scores = self.decision_function(X)
        if scores.ndim == 1:
            positive = expit(scores)
            return np.column_stack([1.0 - positive, positive])
        return softmax(scores, axis=1)

    def predict_log_proba(self, X):
        """Log of ``predict_proba``, computed stably."""
        check_is_fitted(self)
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores, axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
