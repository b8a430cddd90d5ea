"""Data preparation shared by the estimators.

Everything an estimator does between validating its input and calling a
kernel lives here: sample-weight checks, the weighted centring statistics
(the kernels centre implicitly, so X itself is never copied), the bounds
arrays, intercept recovery and prediction.
"""

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils.validation import check_is_fitted, validate_data


def check_sample_weight(sample_weight, n_samples, dtype, *, normalize):
    """Validate sample weights and return them as an array, or None.

    Parameters
    ----------
    sample_weight : None, float or array-like of shape (n_samples,)
        Weights given by the user. A scalar means equal weights.
    n_samples : int
        Number of rows of X.
    dtype : numpy dtype
        Floating dtype of X; the weights are returned in it.
    normalize : bool
        Rescale the weights to sum to ``n_samples`` (the Elastic-Net
        convention, which keeps ``alpha`` independent of the weights' scale).

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,) or None
        None when all weights are equal, which lets the kernels use BLAS.
    """
    if sample_weight is None or isinstance(sample_weight, numbers.Number):
        if sample_weight is not None and not sample_weight > 0:
            raise ValueError(
                f"sample_weight must be positive, got the scalar {sample_weight!r}."
            )
        return None
    weights = np.asarray(sample_weight)
    if weights.ndim != 1 or weights.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) to match X, "
            f"got shape {weights.shape}."
        )
    if not np.issubdtype(weights.dtype, np.number) or np.issubdtype(
        weights.dtype, np.complexfloating
    ):
        raise ValueError(
            f"sample_weight must be real numbers, got dtype {weights.dtype}."
        )
    weights = weights.astype(dtype, copy=True)
    if not np.all(np.isfinite(weights)):
        raise ValueError("sample_weight contains NaN or infinity.")
    if np.any(weights < 0):
        raise ValueError("sample_weight must be non-negative; negative values found.")
    total = weights.sum()
    if not total > 0:
        raise ValueError("sample_weight sums to zero: at least one must be positive.")
    if normalize:
        weights *= n_samples / total
    return weights


def centring_offsets(X, y, sample_weight, fit_intercept):
    """Weighted column means of X and y, or zeros without an intercept.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_targets)
    sample_weight : ndarray of shape (n_samples,) or None
    fit_intercept : bool

    Returns
    -------
    X_offset : ndarray of shape (n_features,)
    y_offset : ndarray of shape (n_targets,)
    """
    if not fit_intercept:
        return (
            np.zeros(X.shape[1], dtype=X.dtype),
            np.zeros(y.shape[1], dtype=X.dtype),
        )
    X_offset = np.average(X, axis=0, weights=sample_weight).astype(X.dtype)
    y_offset = np.average(y, axis=0, weights=sample_weight).astype(X.dtype)
    return X_offset, y_offset


def coefficient_bounds(n_features, positive, dtype):
    """Lower and upper bound arrays for the kernels.

    Parameters
    ----------
    n_features : int
    positive : bool
        Constrain every coefficient to be non-negative.
    dtype : numpy dtype

    Returns
    -------
    lower, upper : ndarray of shape (n_features,)
    """
    lower = np.full(n_features, 0.0 if positive else -np.inf, dtype=dtype)
    upper = np.full(n_features, np.inf, dtype=dtype)
    return lower, upper


def as_2d_targets(y):
    """View y as (n_samples, n_targets) and tell whether it was 1-D."""
    if y.ndim == 1:
        return y[:, np.newaxis], True
    return y, False


def seed_from(random_state):
    """Draw a 32-bit seed for the kernel's coordinate sampler."""
    from sklearn.utils import check_random_state

    return int(check_random_state(random_state).randint(0, 2**31 - 1))


class LinearPredictorMixin:
    """``predict`` and intercept recovery for fitted linear models.

    Expects the fitted attributes ``coef_`` (shape (n_features,) or
    (n_targets, n_features)) and ``intercept_``.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _set_intercept(self, X_offset, y_offset, fit_intercept):
        """Recover b = mean(y) - mean(X) . w from the centred fit."""
        if fit_intercept:
            self.intercept_ = y_offset - self.coef_ @ X_offset
        else:
            self.intercept_ = np.zeros_like(y_offset)
        if self.coef_.ndim == 1:
            self.intercept_ = self.intercept_.dtype.type(self.intercept_[0])

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted values.
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc", "coo"],
            dtype=[np.float64, np.float32],
            reset=False,
        )
        if sparse.issparse(X):
            prediction = np.asarray(X @ self.coef_.T)
        else:
            prediction = X @ self.coef_.T
        return prediction + self.intercept_


class Design:
    """The data side of an Elastic-Net problem, prepared once for the kernels.

    Holds X as the user gave it (F-ordered, never copied here) together with
    what the kernels need beside it: the sample weights, the implicit
    centring offsets, the per-feature penalty factors and bounds, and
    optionally a Gram matrix. Several targets, several alphas (a path) and
    warm starts all reuse one Design.

    Parameters
    ----------
    X : F-ordered ndarray of shape (n_samples, n_features)
    sample_weight : ndarray of shape (n_samples,) or None
    X_offset : ndarray of shape (n_features,)
        Column means to subtract implicitly (zeros without an intercept).
    penalty_factor, lower, upper : ndarray of shape (n_features,)
    precompute : bool or ndarray of shape (n_features, n_features)
        False for the residual kernel, True to build the Gram matrix of the
        centred, weighted X, or a Gram matrix to use as is.
    """

    def __init__(self, X, sample_weight, X_offset, penalty_factor, lower, upper,
                 precompute=False):
        self.X = X
        self.dtype = X.dtype
        self.n_samples, self.n_features = X.shape
        self.sample_weight = sample_weight
        self.X_offset = X_offset
        self.penalty_factor = penalty_factor
        self.lower = lower
        self.upper = upper
        self.gram = None
        self._centred_weighted_X = None
        if precompute is True:
            self.gram = self._weighted_centred_X().T @ self._weighted_centred_X()
        elif precompute is not False:
            self.gram = np.ascontiguousarray(precompute, dtype=self.dtype)
        # Kernel arguments: empty arrays stand for "all ones" and "no
        # centring", which lets the kernel use plain BLAS.
        self.kernel_weights = (
            np.empty(0, self.dtype) if sample_weight is None else sample_weight
        )
        self.kernel_offset = (
            X_offset if np.any(X_offset != 0) else np.empty(0, self.dtype)
        )

    @property
    def weight_sum(self):
        """Sum of the sample weights (n_samples when unweighted)."""
        if self.sample_weight is None:
            return float(self.n_samples)
        return float(self.sample_weight.sum())

    def _weighted_centred_X(self):
        """sqrt(s) * (X - X_offset), built once, only for the Gram form."""
        if self._centred_weighted_X is None:
            Xc = self.X - self.X_offset
            if self.sample_weight is not None:
                Xc *= np.sqrt(self.sample_weight)[:, np.newaxis]
            self._centred_weighted_X = Xc
        return self._centred_weighted_X

    def weighted_norm2(self, y):
        """y^T S y."""
        if self.sample_weight is None:
            return float(y @ y)
        return float(y @ (self.sample_weight * y))

    def correlation(self, y):
        """Xt^T S y for a centred target y (no copy of X)."""
        sy = y if self.sample_weight is None else self.sample_weight * y
        return self.X.T @ sy - self.X_offset * sy.sum()
