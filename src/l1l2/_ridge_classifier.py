"""RidgeClassifier and RidgeClassifierCV: Ridge regression on labels.

The labels become targets in {-1, 1} (one column for two classes, one per
class or label otherwise) and the Ridge problem is solved for all of them
at once, by l1l2's Ridge solvers (:class:`RidgeClassifier`) or with alpha
chosen by RidgeCV's leave-one-out or grid search
(:class:`RidgeClassifierCV`). A sample's class is the column with the
largest decision value (its sign for two classes and for each label).
"""

from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.metrics import get_scorer, get_scorer_names
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import compute_sample_weight
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import _raise_for_params
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d, validate_data

from ._base import (
    LinearPredictorMixin,
    check_magnitude,
    check_sparse_structure,
    kernel_csc,
    squeeze_single_target,
)
from ._ridge import Ridge, RidgeSolve, check_solver, weights_of
from ._ridge_cv import AlphaSearch

_CLASS_WEIGHT = [dict, StrOptions({"balanced"}), None]


class LabelTargets:
    """What both Ridge classifiers do with labels: turn them into targets
    in {-1, 1} (and class weights into sample weights), and decision values
    back into labels."""

    def _label_targets(self, X, y, sample_weight):
        """Validate X and the labels.

        Returns
        -------
        X : F-ordered ndarray or CSR / CSC matrix
        Y : ndarray of shape (n_samples, n_columns)
            The targets in {-1, 1}, in X's dtype.
        sample_weight : float64 ndarray of shape (n_samples,) or None
            The sample weights times the class weights.
        """
        check_sparse_structure(X)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
            order="F",
            multi_output=True,
            y_numeric=False,
        )
        check_classification_targets(y)
        self._label_binarizer = LabelBinarizer(pos_label=1, neg_label=-1)
        Y = self._label_binarizer.fit_transform(y).astype(X.dtype)
        self.classes_ = self._label_binarizer.classes_
        if not self._label_binarizer.y_type_.startswith("multilabel"):
            y = column_or_1d(y, warn=True)
        if sparse.issparse(X) and X.format == "csc":
            X = kernel_csc(X)
        check_magnitude(X, Y, estimator_name=type(self).__name__)
        sample_weight = weights_of(sample_weight, X.shape[0], np.float64)
        if self.class_weight:
            reweighting = compute_sample_weight(self.class_weight, y)
            if sample_weight is not None:
                reweighting *= sample_weight
            sample_weight = weights_of(reweighting, X.shape[0], np.float64)
        return X, Y, sample_weight

    def decision_function(self, X):
        """Decision values: ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            One value per sample for two classes (positive: ``classes_[1]``),
            one per class (or label) otherwise.
        """
        return LinearPredictorMixin.predict(self, X)

    def predict(self, X):
        """Predict the class (or the labels) of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            The class of largest decision value (its sign for two classes);
            for multilabel y, the labels of positive decision value.
        """
        scores = LinearPredictorMixin.predict(self, X)
        return self._label_binarizer.inverse_transform(
            scores.reshape(scores.shape[0], -1), threshold=0.0
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = True
        return tags


class RidgeClassifier(
    LabelTargets, RidgeSolve, LinearPredictorMixin, ClassifierMixin, BaseEstimator
):
    r"""Classifier using Ridge regression.

    The labels are mapped to targets in {-1, 1} (one column for two
    classes, one per class otherwise; multilabel y is one column per label)
    and :class:`Ridge` is fitted to all of them: it minimises, for each
    column ``t``,

    .. math::

        \sum_i s_i (t_i - x_i^\top w - b)^2 + \alpha \|w\|_2^2

    with the sample weights times the class weights. The predicted class has
    the largest decision value.

    Parameters
    ----------
    alpha : float or array-like of shape (n_columns,), default=1.0
        Regularisation strength, non-negative.
    fit_intercept : bool, default=True
        Fit an intercept (the data are centred implicitly).
    copy_X : bool, default=True
        Kept for compatibility; X is never modified.
    max_iter : int, default=None
        Maximum iterations of the iterative solvers (see :class:`Ridge`).
    tol : float, default=1e-4
        Stopping tolerance of the iterative solvers (see :class:`Ridge`).
    class_weight : dict or 'balanced', default=None
        Weights of the classes (``{class_label: weight}``), which multiply
        the sample weights; ``'balanced'`` weighs each class by
        ``n_samples / (n_classes * count)``.
    solver : {'auto', 'svd', 'cholesky', 'lsqr', 'sparse_cg', 'sag', \
            'saga', 'lbfgs', 'cd'}, default='auto'
        The solver, with :class:`Ridge`'s rule for ``'auto'``.
    positive : bool, default=False
        Force the coefficients to be non-negative (``'auto'``, ``'lbfgs'``
        or ``'cd'``).
    random_state : int, RandomState instance or None, default=None
        Seed of coordinate descent's random draws; unused otherwise.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_classes, n_features)
        Coefficients of the decision function (1-D for two classes, as in
        scikit-learn).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts of the decision function.
    n_iter_ : None or ndarray of shape (n_columns,)
        Iterations run per target column (see :class:`Ridge`).
    solver_ : str
        The solver used.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    Ridge : Ridge regression.
    RidgeClassifierCV : With alpha chosen by cross-validation.
    sklearn.linear_model.RidgeClassifier : The model this one replaces.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from l1l2 import RidgeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> model = RidgeClassifier(alpha=1.0).fit(X, y)
    >>> model.coef_.shape
    (3, 4)
    >>> round(float(model.score(X, y)), 2)
    0.85
    """

    _parameter_constraints: dict = {
        **Ridge._parameter_constraints,
        "class_weight": _CLASS_WEIGHT,
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        copy_X=True,
        max_iter=None,
        tol=1e-4,
        class_weight=None,
        solver="auto",
        positive=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.class_weight = class_weight
        self.solver = solver
        self.positive = positive
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the Ridge classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse X stays sparse.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : float or array-like of shape (n_samples,), \
                default=None
            Non-negative weight of each sample, multiplied by the class
            weights.

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
        X, Y, sample_weight = self._label_targets(X, y, sample_weight)
        coef, X_offset, y_offset = self._solve(X, Y, sample_weight)
        self.coef_ = squeeze_single_target(coef)
        self._set_intercept(X_offset, y_offset, self.fit_intercept, False)
        return self


class RidgeClassifierCV(
    LabelTargets, AlphaSearch, LinearPredictorMixin, ClassifierMixin, BaseEstimator
):
    """Ridge classifier with alpha chosen by cross-validation.

    :class:`RidgeClassifier` with :class:`RidgeCV`'s choice of alpha: with
    ``cv=None`` (the default) every alpha is scored by the exact
    leave-one-out errors of the {-1, 1} targets, all from one decomposition
    of X; otherwise by :class:`~sklearn.model_selection.GridSearchCV` over
    :class:`RidgeClassifier` (rated by accuracy unless ``scoring`` says
    otherwise).

    Parameters
    ----------
    alphas : float or array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Candidate penalty strengths, positive (non-negative with ``cv``).
    fit_intercept : bool, default=True
        Fit an (unpenalised) intercept.
    scoring : str, callable or None, default=None
        How a candidate is rated (higher is better). None: minus the mean
        weighted squared leave-one-out error of the {-1, 1} targets with
        ``cv=None``, accuracy otherwise. A scorer rates, with ``cv=None``,
        the classes predicted from the leave-one-out decision values.
    cv : int, cross-validation generator, iterable or None, default=None
        None for efficient leave-one-out; otherwise the splitting strategy of
        the grid search.
    class_weight : dict or 'balanced', default=None
        Weights of the classes, which multiply the sample weights (see
        :class:`RidgeClassifier`).
    store_cv_results : bool, default=False
        Keep the leave-one-out values in ``cv_results_`` (``cv=None`` only).

    Attributes
    ----------
    alpha_ : float
        The chosen penalty.
    best_score_ : float
        The score of the chosen penalty.
    cv_results_ : ndarray of shape (n_samples, n_columns, n_alphas)
        With ``store_cv_results=True``: the weighted squared leave-one-out
        errors when ``scoring=None``, the leave-one-out decision values
        otherwise.
    coef_ : ndarray of shape (n_features,) or (n_classes, n_features)
        Coefficients of the model fitted at ``alpha_`` (1-D for two
        classes).
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts of that model.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    RidgeClassifier : At a given alpha.
    RidgeCV : The regressor.
    sklearn.linear_model.RidgeClassifierCV : The model this one replaces.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from l1l2 import RidgeClassifierCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = RidgeClassifierCV(alphas=[1e-3, 1e-2, 1e-1, 1]).fit(X, y)
    >>> model.alpha_
    0.01
    >>> round(float(model.score(X, y)), 3)
    0.963
    """

    _parameter_constraints: dict = {
        "alphas": ["array-like", Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "cv": ["cv_object"],
        "class_weight": _CLASS_WEIGHT,
        "store_cv_results": ["boolean"],
    }

    def __init__(
        self,
        alphas=(0.1, 1.0, 10.0),
        *,
        fit_intercept=True,
        scoring=None,
        cv=None,
        class_weight=None,
        store_cv_results=False,
    ):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.class_weight = class_weight
        self.store_cv_results = store_cv_results

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Choose alpha, then fit the Ridge classifier on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse X is never densified.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : float or array-like of shape (n_samples,), \
                default=None
            Non-negative weight of each sample, multiplied by the class
            weights.
        **params : dict
            Metadata for the scorer and the CV splitter (e.g. ``groups``).
            Only with ``sklearn.set_config(enable_metadata_routing=True)``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        _raise_for_params(params, self, "fit")
        X, Y, sample_weight = self._label_targets(X, y, sample_weight)
        labels = self._label_binarizer.inverse_transform(Y, threshold=0.0)
        self._search(X, Y, False, sample_weight, params, grid_targets=labels)
        return self

    def _grid_estimator(self):
        # The class weights are in the sample weights already.
        return RidgeClassifier(fit_intercept=self.fit_intercept)

    def _default_scorer(self):
        return get_scorer("accuracy")

    def _rate(self, scorer, predictions, Y, y_was_1d, score_params):
        """A scorer's rating of the classes predicted from leave-one-out
        decision values (n_samples, n_columns)."""
        binarizer = self._label_binarizer
        labels = binarizer.inverse_transform(Y, threshold=0.0)
        return scorer(_DecisionsAsInput(binarizer), predictions, labels, **score_params)


class _DecisionsAsInput(ClassifierMixin, BaseEstimator):
    """Stands in for the classifier when a scorer rates leave-one-out
    decision values: the scorer passes them as ``X`` and gets their
    classes."""

    def __init__(self, binarizer):
        self.binarizer = binarizer
        self.classes_ = binarizer.classes_

    def predict(self, X):
        return self.binarizer.inverse_transform(X, threshold=0.0)
