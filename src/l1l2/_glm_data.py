"""The checked input of a logistic fit: X in the engine's layout, the
classes, the weights, the penalty factors and bounds.

Shared by ``LogisticRegression``, ``logistic_path`` and
``LogisticRegressionCV``, so that every entry point refuses bad input with
the same words.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from ._base import (
    check_penalty_factor,
    check_sample_weight,
    coefficient_bounds,
    kernel_csc,
)
from ._glm_penalty import ElasticNetPenalty
from ._glm_solver import GLMData
from ._logistic_loss import encode_targets, loss_for


@dataclass
class GLMProblemInput:
    """Everything a logistic solve needs from the caller, checked.

    Attributes
    ----------
    X : F-ordered ndarray or CSC matrix of shape (n_samples, n_features)
    classes : ndarray of shape (n_classes,)
    y_index : ndarray of int, shape (n_samples,)
        Each sample's class, as an index into ``classes``.
    weights : ndarray of shape (n_samples,)
        Sample weights times class weights (ones when neither is given).
    factor, lower, upper : ndarray of shape (n_features,)
    fit_intercept : bool
    """

    X: object
    classes: np.ndarray
    y_index: np.ndarray
    weights: np.ndarray
    factor: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    fit_intercept: bool

    @classmethod
    def from_estimator(cls, estimator, X, y, sample_weight, *, reset=True):
        """Validate X and y as scikit-learn does (setting
        ``n_features_in_``, ``feature_names_in_`` and ``classes_`` on the
        estimator) and the estimator's penalty factors, bounds and class
        weights."""
        X, y = validate_data(estimator, X, y, accept_sparse=["csr", "csc"],
                             dtype=[np.float64, np.float32], reset=reset)
        check_classification_targets(y)
        classes, y_index = np.unique(y, return_inverse=True)
        if classes.size < 2:
            raise ValueError(
                "This solver needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {classes[0]!r}.")
        estimator.classes_ = classes
        return cls.build(X, classes, y_index, sample_weight, estimator)

    @classmethod
    def build(cls, X, classes, y_index, sample_weight, options):
        """From validated arrays and an object with the options
        (``class_weight``, ``penalty_factor``, ``lower_bounds``,
        ``upper_bounds``, ``fit_intercept``)."""
        n_samples, n_features = X.shape
        weights = check_sample_weight(sample_weight, n_samples, np.float64,
                                      normalize=False)
        weights = np.ones(n_samples) if weights is None else weights
        weights = weights * class_weights(options.class_weight, classes,
                                          y_index)[y_index]
        factor = check_penalty_factor(options.penalty_factor, n_features, X.dtype)
        lower, upper = coefficient_bounds(n_features, X.dtype,
                                          lower_bounds=options.lower_bounds,
                                          upper_bounds=options.upper_bounds)
        bounded = np.isfinite(lower) | np.isfinite(upper)
        if np.any((factor == 0) & bounded):
            raise ValueError(
                "A feature with penalty_factor 0 cannot also have a bound in "
                "a logistic model: give it a positive penalty factor or no "
                "bound.")
        X = kernel_csc(X.tocsc()) if sparse.issparse(X) else np.asfortranarray(X)
        return cls(X, classes, y_index, weights, factor, lower, upper,
                   options.fit_intercept)

    @property
    def n_samples(self):
        return self.X.shape[0]

    @property
    def n_features(self):
        return self.X.shape[1]

    def alpha_of(self, C):
        """The penalty constant of scikit-learn's C: ``1 / (n_samples C)``."""
        return 1.0 / (self.n_samples * C)

    def data(self, rows=None):
        """The solver's data (of the ``rows`` given, all by default)."""
        X, y_index, weights = self.X, self.y_index, self.weights
        if rows is not None:
            X, y_index, weights = X[rows], y_index[rows], weights[rows]
            X = kernel_csc(X.tocsc()) if sparse.issparse(X) else np.asfortranarray(X)
        Y = encode_targets(y_index, self.classes.size, np.float64)
        return GLMData(X, Y, weights / y_index.size, loss_for(self.classes.size),
                       self.fit_intercept)

    def penalty(self, alpha, l1_ratio):
        """The penalty at ``alpha`` and ``l1_ratio``."""
        return ElasticNetPenalty.at(alpha, l1_ratio, self.factor, self.lower,
                                    self.upper)


def class_weights(class_weight, classes, y_index):
    """One weight per class: scikit-learn's ``compute_class_weight``, with
    negative weights refused."""
    if class_weight is None:
        return np.ones(classes.size)
    weights = compute_class_weight(class_weight, classes=classes,
                                   y=classes[y_index])
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise ValueError(f"class_weight must be finite and non-negative, got "
                         f"{class_weight!r}.")
    return weights
