"""Data preparation shared by the estimators.

Everything an estimator does between validating its input and calling a
kernel lives here: sample-weight checks, the weighted centring statistics
(the kernels centre implicitly, so X itself is never copied), the bounds
arrays, intercept recovery and prediction.
"""

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils.validation import (
    assert_all_finite,
    check_is_fitted,
    validate_data,
)

from ._cd_fast import (
    Workspace,
    column_statistics,
    fresh_correlations,
    kernel_indices,
    largest_magnitude_of,
)
from ._parameters import check_parameters
from ._threads import blas_threads_for


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
        if sample_weight is not None and not 0 < sample_weight < np.inf:
            raise ValueError(
                "sample_weight must be positive and finite, got the scalar "
                f"{sample_weight!r}."
            )
        return None
    if sparse.issparse(sample_weight):
        raise TypeError(
            "sample_weight must be a dense 1-D array, got a sparse matrix; "
            "pass sample_weight.toarray().ravel()."
        )
    weights = np.asarray(sample_weight)
    if weights.ndim != 1:
        # scikit-learn's words.
        raise ValueError(
            f"Sample weights must be 1D array or scalar, got {weights.ndim}D "
            f"array: sample_weight has shape {weights.shape}, where a scalar "
            f"or a 1D array of length {n_samples} is expected."
        )
    if weights.shape[0] != n_samples:
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
    # Checked in float64: a float32 cast would turn a large finite weight
    # into infinity and blame the user for it.
    as_float = weights.astype(np.float64, copy=False)
    if not np.all(np.isfinite(as_float)):
        raise ValueError("sample_weight contains NaN or infinity.")
    if np.any(as_float < 0):
        raise ValueError("sample_weight must be non-negative; negative values found.")
    largest = as_float.max()
    if not largest > 0:
        raise ValueError("sample_weight sums to zero: at least one must be positive.")
    # Divided by the largest weight first, the sum cannot overflow and the
    # normalisation cannot divide by zero, whatever the weights' scale.
    scaled = as_float / largest
    if normalize:
        scaled *= n_samples / scaled.sum()
        return scaled.astype(dtype, copy=False)
    cast = np.array(as_float, dtype=dtype)
    if not np.all(np.isfinite(cast)) or not cast.max() > 0:
        raise ValueError(
            f"sample_weight does not fit in {np.dtype(dtype)} (largest value "
            f"{largest:.3g}); rescale the weights."
        )
    return cast


def rescaled_weights(sample_weight):
    """Weights divided by their largest value when it exceeds 1, and that
    divisor.

    Ridge's objective ``sum_i s_i r_i^2 + alpha ||w||^2`` is the same
    problem with weights ``s / c`` and ``alpha / c``: solving that one keeps
    huge weights from overflowing the normal equations.
    """
    if sample_weight is None:
        return None, 1.0
    largest = float(sample_weight.max())
    if largest <= 1.0:
        return sample_weight, 1.0
    return sample_weight / sample_weight.dtype.type(largest), largest


def centring_offsets(X, y, sample_weight, fit_intercept):
    """Weighted column means of X and y, or zeros without an intercept.

    Computed as ``X^T s / sum(s)`` so that neither a dense nor a sparse X is
    copied (``np.average`` would allocate ``X * s``).

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    y : ndarray of shape (n_samples, n_targets)
    sample_weight : ndarray of shape (n_samples,) or None
    fit_intercept : bool

    Returns
    -------
    X_offset : ndarray of shape (n_features,)
    y_offset : ndarray of shape (n_targets,)
        A target that is constant (on the rows that weigh) gets that value
        exactly, so that it centres to exact zeros, not rounding noise.
    """
    if not fit_intercept:
        return (
            np.zeros(X.shape[1], dtype=X.dtype),
            np.zeros(y.shape[1], dtype=X.dtype),
        )
    if sample_weight is None:
        weights = np.full(X.shape[0], 1.0 / X.shape[0], dtype=X.dtype)
    else:
        weights = sample_weight / sample_weight.sum()
    X_offset = np.asarray(X.T @ weights, dtype=X.dtype).ravel()
    y_offset = np.asarray(y.T @ weights, dtype=X.dtype).ravel()
    _exact_constant_offsets(y, sample_weight, y_offset)
    return X_offset, y_offset


def _exact_constant_offsets(y, sample_weight, y_offset):
    """Set the offset of each constant column of y to its value, in place.

    The weighted mean of a constant is that constant only up to rounding;
    centring with it would leave noise for the solver to fit (and, on a
    path, an alpha grid scaled to that noise).
    """
    rows = y if sample_weight is None else y[sample_weight > 0]
    if rows.shape[0] == 0:
        return
    constant = np.all(rows == rows[0], axis=0)
    y_offset[constant] = rows[0, constant]


def _per_feature(value, n_features, name, dtype):
    """Broadcast a scalar or check an array of one value per feature."""
    array = np.asarray(value, dtype=dtype)
    if array.ndim == 0:
        array = np.full(n_features, array, dtype=dtype)
    elif array.shape != (n_features,):
        raise ValueError(
            f"{name} must be a scalar or have shape ({n_features},) to match "
            f"the number of features, got shape {array.shape}."
        )
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN.")
    return np.array(array, dtype=dtype)


def coefficient_bounds(n_features, dtype, *, positive=False, lower_bounds=None,
                       upper_bounds=None):
    """Lower and upper bound arrays for the kernels, validated.

    Parameters
    ----------
    n_features : int
    dtype : numpy dtype
    positive : bool, default=False
        Constrain every coefficient to be non-negative.
    lower_bounds, upper_bounds : None, float or array-like of shape \
            (n_features,), default=None
        Box constraints; they must satisfy ``lower <= 0 <= upper`` so that
        the zero vector is feasible.

    Returns
    -------
    lower, upper : ndarray of shape (n_features,)
    """
    # No bounds (the usual case) need no checks.
    if lower_bounds is None:
        lower = np.full(n_features, -np.inf, dtype=dtype)
    else:
        lower = _per_feature(lower_bounds, n_features, "lower_bounds", dtype)
        if np.any(lower > 0):
            raise ValueError("lower_bounds must be <= 0 (zero must be feasible).")
    if upper_bounds is None:
        upper = np.full(n_features, np.inf, dtype=dtype)
    else:
        upper = _per_feature(upper_bounds, n_features, "upper_bounds", dtype)
        if np.any(upper < 0):
            raise ValueError("upper_bounds must be >= 0 (zero must be feasible).")
    if positive:
        np.maximum(lower, 0.0, out=lower)
    return lower, upper


def check_penalty_factor(penalty_factor, n_features, dtype):
    """Validate per-feature penalty factors (None means all ones).

    0 leaves a feature unpenalised; ``np.inf`` excludes it from the model.
    """
    if penalty_factor is None:
        return np.ones(n_features, dtype=dtype)
    factors = _per_feature(penalty_factor, n_features, "penalty_factor", dtype)
    if np.any(factors < 0):
        raise ValueError("penalty_factor must be non-negative (0 = unpenalised).")
    return factors


def check_sparse_structure(X):
    """Refuse a sparse matrix whose index arrays point outside it.

    scipy trusts the ``indices`` and ``indptr`` of a CSR, CSC or BSR matrix
    (and the ``row`` and ``col`` of a COO one) once it is built, and so do
    the kernels: arrays edited afterwards would make them, or scipy's own
    conversions, read out of bounds and crash. Checked before any
    conversion, in vectorised passes over the index arrays (never the
    values), without modifying X.

    Parameters
    ----------
    X : object
        Anything; only scipy sparse matrices and arrays are checked.

    Raises
    ------
    ValueError
        Naming the inconsistent array.
    """
    if not sparse.issparse(X):
        return
    if X.format in ("csr", "csc", "bsr"):
        _check_compressed(X)
    elif X.format == "coo":
        _check_coordinates(X)


def _check_compressed(X):
    """The index arrays of a CSR, CSC or BSR matrix, checked (see
    :func:`check_sparse_structure`)."""
    blocks = X.blocksize if X.format == "bsr" else (1, 1)
    n_rows, n_columns = X.shape[0] // blocks[0], X.shape[1] // blocks[1]
    n_major, n_minor = (n_columns, n_rows) if X.format == "csc" else (n_rows, n_columns)
    indptr, indices = np.asarray(X.indptr), np.asarray(X.indices)
    name = f"{X.format.upper()} matrix"
    for array, label in ((indptr, "indptr"), (indices, "indices")):
        if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
            raise ValueError(
                f"Invalid sparse {name}: its {label} must be a 1-D integer array, "
                f"got dtype {array.dtype} and shape {array.shape}."
            )
    if indptr.shape[0] != n_major + 1:
        raise ValueError(
            f"Invalid sparse {name}: indptr has {indptr.shape[0]} entries, "
            f"{n_major + 1} expected for its shape {X.shape}."
        )
    stored = int(indptr[-1])
    if indptr[0] != 0 or np.any(indptr[1:] < indptr[:-1]):
        raise ValueError(
            f"Invalid sparse {name}: indptr must start at 0 and never decrease."
        )
    if stored > min(indices.shape[0], np.shape(X.data)[0]):
        raise ValueError(
            f"Invalid sparse {name}: indptr ends at {stored} but only "
            f"{indices.shape[0]} indices and {np.shape(X.data)[0]} values are "
            "stored."
        )
    used = indices[:stored]
    if stored and (used.min() < 0 or used.max() >= n_minor):
        raise ValueError(
            f"Invalid sparse {name}: its indices must lie in [0, {n_minor}), "
            f"found values in [{used.min()}, {used.max()}]."
        )


def _check_coordinates(X):
    """The row and column arrays of a COO matrix, checked (see
    :func:`check_sparse_structure`)."""
    n_values = np.shape(X.data)[0]
    for array, size, label in ((X.row, X.shape[0], "row"), (X.col, X.shape[1], "col")):
        array = np.asarray(array)
        if array.shape != (n_values,):
            raise ValueError(
                f"Invalid sparse COO matrix: {label} has shape {array.shape}, "
                f"({n_values},) expected to match its values."
            )
        if n_values and (array.min() < 0 or array.max() >= size):
            raise ValueError(
                f"Invalid sparse COO matrix: {label} indices must lie in [0, "
                f"{size}), found values in [{array.min()}, {array.max()}]."
            )


def kernel_csc(X):
    """A CSC matrix whose arrays the kernels take as they are: contiguous,
    with indices and indptr of one integer type.

    X itself is returned when it already is one; otherwise a new matrix
    object over converted copies of the offending arrays (X is left as
    it is).
    """
    data, indices, indptr = X.data, X.indices, X.indptr
    index_dtype = np.promote_types(indices.dtype, indptr.dtype)
    if index_dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        index_dtype = np.dtype(np.int64)
    fixed = (
        np.ascontiguousarray(data),
        np.ascontiguousarray(indices, dtype=index_dtype),
        np.ascontiguousarray(indptr, dtype=index_dtype),
    )
    if all(new is old for new, old in zip(fixed, (data, indices, indptr),
                                          strict=True)):
        return X
    return sparse.csc_matrix(fixed, shape=X.shape, copy=False)


def check_dense_target(y):
    """Refuse a sparse y with a message that says so (numpy's own is about
    'setting an array element with a sequence')."""
    if sparse.issparse(y):
        raise TypeError(
            "y must be a dense array, got a sparse matrix; pass y.toarray() "
            "(for one target, y.toarray().ravel())."
        )


def plain_float_arrays(X, y, *, y_ndims):
    """True when X and y are what ``check_array`` would accept unchanged but
    for the memory order and the values: float32 or float64 ndarrays (not
    subclasses) of the same dtype, X 2-D and non-empty, y with one entry per
    row of X, ``y.ndim`` in ``y_ndims`` and at least one column. Anything
    else goes through scikit-learn's validation, which also words the
    errors; the values are checked by :func:`check_magnitude`.
    """
    if type(X) is not np.ndarray or type(y) is not np.ndarray:
        return False
    if X.dtype not in (np.float32, np.float64) or y.dtype != X.dtype:
        return False
    if X.ndim != 2 or X.size == 0 or y.ndim not in y_ndims:
        return False
    return y.shape[0] == X.shape[0] and (y.ndim == 1 or y.shape[1] > 0)


def contiguous(X):
    """A dense X as the estimators keep it: itself when it is contiguous in
    either order (a C-ordered X is copied to Fortran order only if a
    coordinate-descent kernel needs its columns, see ``Design.kernel_X``),
    a Fortran-ordered copy otherwise."""
    if X.flags.c_contiguous or X.flags.f_contiguous:
        return X
    return np.asfortranarray(X)


def unchecked_arrays(X, y, *, reorder=False):
    """X and y as given with ``check_input=False``, where the caller vouches
    for them.

    Nothing is converted and the values are not read, but the kernels still
    need X as a Fortran-ordered float32 or float64 array (or a sparse matrix,
    which becomes CSC), and one target value per row: without them they would
    compute nonsense or read out of bounds, and these checks cost nothing.
    (Covariance mode would take C order too, but scikit-learn refuses it
    here, and so does l1l2.)

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
    reorder : bool, default=False
        Accept a dense X in any order, converted to Fortran order (a copy
        when it is not in it already): what scikit-learn's fit does with
        ``check_input=False`` and sample weights, which rescale X.

    Returns
    -------
    X : F-ordered ndarray or CSC matrix
        X itself, its CSC form, or (``reorder``) its Fortran-ordered copy.
    y : ndarray
        y in X's dtype (a view of y when it already has it).

    Raises
    ------
    ValueError
        For any other X, or a y with another number of rows.
    """
    if sparse.issparse(X):
        X = kernel_csc(X.tocsc())
    elif reorder and isinstance(X, np.ndarray):
        X = np.asfortranarray(X)
    dtype = getattr(X, "dtype", None)
    dense_ok = sparse.issparse(X) or (
        isinstance(X, np.ndarray) and X.ndim == 2 and X.flags.f_contiguous)
    if dtype not in (np.float32, np.float64) or not dense_ok:
        raise ValueError(
            "check_input=False needs X as a float32 or float64 array in "
            "Fortran order (or a sparse matrix) and y as an array; got X of "
            f"type {type(X).__name__} and dtype {dtype}. Use check_input=True "
            "to convert them."
        )
    y = np.asarray(y, dtype=X.dtype)
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: "
            f"[{X.shape[0]}, {y.shape[0] if y.ndim else 0}]"
        )
    return X, y


def check_magnitude(X, Y, estimator_name=None, raw_gram=None, consequence=""):
    """Refuse data that are not finite or whose squares would overflow the
    floating type.

    The solvers sum weighted squares of the columns of X and of y (norms,
    Gram matrices, duality gaps); with the weights summing to at most
    ``n_samples`` these stay finite, with room to spare, when every value is
    below ``sqrt(max / n_samples) / 64``: about 1e150 in float64 and 1e17 in
    float32 for a thousand samples. One pass over the values, no copy.

    Parameters
    ----------
    X : F-ordered ndarray or CSC matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_targets)
    estimator_name : str, default=None
        Named in the error about non-finite values, as scikit-learn's
        ``validate_data`` does.
    raw_gram : ndarray of shape (n_features, n_features), default=None
        ``X^T X`` of this X (not centred, not weighted), when the caller has
        computed it: its diagonal, the columns' sums of squares, can spare
        the pass over X (see :func:`_squares_within`).
    consequence : str, default=""
        A sentence the error adds about what such values would do to the
        caller's solver.
    """
    dtype = X.dtype
    limit = float(np.sqrt(np.finfo(dtype).max / max(X.shape[0], 1)) / 64)
    for name, values in (("X", X.data if sparse.issparse(X) else X), ("y", Y)):
        if values.size == 0:
            continue
        if name == "X" and raw_gram is not None and _squares_within(raw_gram, limit):
            continue
        largest = largest_magnitude(values)
        if np.isnan(largest):
            # scikit-learn's wording (NaN or infinity, and where).
            assert_all_finite(values, input_name=name,
                              estimator_name=estimator_name)
        if largest > limit:
            raise ValueError(
                f"{name} has values as large as {largest:.3g}: too large for "
                f"{dtype} (their squares overflow; the limit for "
                f"{X.shape[0]} samples is {limit:.3g}). {consequence}Rescale X "
                "and y by a factor c, and alpha by c**2, to solve the same "
                "problem."
            )


def _squares_within(raw_gram, limit):
    """Whether the diagonal of ``X^T X`` proves every value of X finite and
    at most ``limit`` in magnitude.

    ``sum_i x_ij^2`` is at least the square of every value of column j, and
    it is NaN or infinite if a value is (IEEE arithmetic propagates both
    through the product). A diagonal within ``limit^2`` therefore settles
    the check in n_features reads; otherwise the caller reads X itself,
    which also finds the offending value for the error message.
    """
    return bool(np.all(np.diagonal(raw_gram) <= limit * limit))


def largest_magnitude(values):
    """``max |values|`` of a non-empty array, or NaN when a value is not
    finite.

    A contiguous float array is read once, through a flat view (no copy),
    by the kernel's ``largest_magnitude_of``, which also detects the
    non-finite values; ``isfinite``, ``max`` and ``-min`` would read it
    three times.
    """
    contiguous = values.flags.f_contiguous or values.flags.c_contiguous
    if values.dtype in (np.float64, np.float32) and contiguous:
        return largest_magnitude_of(values.ravel(order="K"))
    if not np.all(np.isfinite(values)):
        return float("nan")
    return max(float(values.max()), -float(values.min()))


def check_finite_result(values, what):
    """Raise when a fit produced non-finite numbers: its inputs were too
    large for the floating type (squares overflow), never a silent NaN.

    A finite sum proves every value finite without the boolean temporary of
    ``np.isfinite(values)`` (5 MB for a 50000-feature, 100-alpha path); an
    overflowing sum is settled element by element.
    """
    values = np.asarray(values)
    if not (np.isfinite(values.sum()) or np.all(np.isfinite(values))):
        raise ValueError(
            f"The fit produced non-finite {what}: the input values are too "
            "large for the floating type (their squares overflow). Rescale X "
            "and y (and alpha with them)."
        )


def as_2d_targets(y):
    """View y as (n_samples, n_targets) and tell whether it was 1-D."""
    if y.ndim == 1:
        return y[:, np.newaxis], True
    return y, False


def squeeze_single_target(values):
    """scikit-learn's shapes: per-target results of a single target are
    returned unstacked (``coef_`` 1-D, ``n_iter_`` and ``dual_gap_``
    scalars), even when y was a one-column 2-D array."""
    return values[0] if len(values) == 1 else values


def seed_from(random_state, selection="random"):
    """Draw a 32-bit seed for the kernel's coordinate sampler.

    The cyclic order (``selection="cyclic"``) needs none: 0, and the random
    state is left untouched.
    """
    if selection == "cyclic":
        return 0
    from sklearn.utils import check_random_state

    return int(check_random_state(random_state).randint(0, 2**31 - 1))


class LinearPredictorMixin:
    """What l1l2's linear models share: parameter and input validation at
    fit time, ``predict`` and intercept recovery.

    Expects the fitted attributes ``coef_`` (shape (n_features,) or
    (n_targets, n_features)) and ``intercept_``.
    """

    def _validate_params(self):
        """scikit-learn's check of the constructor parameters (called by
        ``_fit_context``), with the constraint objects built once per class
        (:func:`l1l2._parameters.check_parameters`)."""
        constraints = type(self)._parameter_constraints
        check_parameters(constraints,
                         {name: getattr(self, name) for name in constraints},
                         caller_name=type(self).__name__)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.input_tags.sparse = True
        return tags

    # A sentence that the error about values too large for the floating
    # type adds (see check_magnitude).
    _overflow_consequence = ""

    def _validate_fit_data(self, X, y, sample_weight, *, normalize_weights,
                           check_input=True, accept_sparse=("csc",)):
        """Validate fit's input once for every estimator of l1l2.

        X becomes a contiguous float array (``contiguous``: C order is kept)
        or a sparse matrix in one of the ``accept_sparse`` formats (CSC by
        default; converted only when it is in none, to the first), y a 2-D
        array of X's dtype, and the weights an array or None. With
        ``check_input=False`` the caller vouches for X and y (see
        :func:`unchecked_arrays`): nothing is converted and their values are
        not read.

        Returns
        -------
        X, Y, y_was_1d, sample_weight
        """
        if check_input:
            X, Y, y_was_1d = self._checked_arrays(X, y, accept_sparse)
        else:
            weighted = not (sample_weight is None
                            or isinstance(sample_weight, numbers.Number))
            X, y = unchecked_arrays(X, y, reorder=weighted)
            self._record_features(X)
            Y, y_was_1d = as_2d_targets(y)
        sample_weight = check_sample_weight(
            sample_weight, X.shape[0], X.dtype, normalize=normalize_weights
        )
        return X, Y, y_was_1d, sample_weight

    def _checked_arrays(self, X, y, accept_sparse):
        """X, Y and y_was_1d of :meth:`_validate_fit_data`, converted and
        checked."""
        if plain_float_arrays(X, y, y_ndims=(1, 2)):
            # What validate_data would return and record, without its
            # generic machinery (most of a small fit's time otherwise);
            # check_magnitude below refuses non-finite values with its words.
            self._record_features(X)
        else:
            check_sparse_structure(X)
            check_dense_target(y)
            X, y = validate_data(
                self,
                X,
                y,
                accept_sparse=list(accept_sparse),
                accept_large_sparse=True,
                dtype=[np.float64, np.float32],
                multi_output=True,
                y_numeric=True,
            )
        if sparse.issparse(X) and X.format == "csc":
            X = kernel_csc(X)
        elif not sparse.issparse(X):
            X = contiguous(X)
        Y, y_was_1d = as_2d_targets(np.asarray(y, dtype=X.dtype))
        check_magnitude(X, Y, estimator_name=type(self).__name__,
                        consequence=self._overflow_consequence)
        return X, Y, y_was_1d

    def _record_features(self, X):
        """What validate_data records of an X without column names: its
        number of features, and no feature names."""
        self.n_features_in_ = X.shape[1]
        if hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _set_intercept(self, X_offset, y_offset, fit_intercept, y_was_1d):
        """Recover b = mean(y) - mean(X) . w from the centred fit.

        A scalar for a 1-D y, an array of one value per target otherwise.
        """
        if fit_intercept:
            self.intercept_ = y_offset - np.atleast_2d(self.coef_) @ X_offset
        else:
            self.intercept_ = np.zeros_like(y_offset)
        if y_was_1d:
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
        check_sparse_structure(X)
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

    Holds X as the user gave it (a contiguous array in either order, or a
    CSC matrix, never copied here) together with what the kernels need
    beside it: the sample weights, the implicit centring offsets, the
    per-feature penalty factors and bounds, and optionally a Gram matrix.
    Several targets, several alphas (a path) and warm starts all reuse one
    Design.

    Parameters
    ----------
    X : contiguous ndarray or CSC matrix of shape (n_samples, n_features)
        Covariance mode with the whole Gram matrix reads a dense X only
        through BLAS products, in either order; the coordinate-descent
        kernels read its columns and get an F-ordered copy of a C-ordered
        X (:attr:`kernel_X`), made once, when first asked for.
    sample_weight : ndarray of shape (n_samples,) or None
    X_offset : ndarray of shape (n_features,)
        Column means to subtract implicitly (zeros without an intercept).
    penalty_factor, lower, upper : ndarray of shape (n_features,)
    precompute : bool or ndarray of shape (n_features, n_features)
        False for the residual kernel; True to build the Gram matrix of the
        centred, weighted X, or a Gram matrix to use as is, for covariance
        mode; ``"lazy"`` for covariance mode computing only the Gram columns
        of features that become active (glmnet's covariance updates).
    """

    # Rows per block when a product of the centred X is built block by block
    # (bounds the temporary memory to ROW_BLOCK * n_features values).
    ROW_BLOCK = 2048

    def __init__(self, X, sample_weight, X_offset, penalty_factor, lower, upper,
                 precompute=False):
        self.X = X
        self.is_sparse = sparse.issparse(X)
        self.dtype = X.dtype
        self.n_samples, self.n_features = X.shape
        self.sample_weight = sample_weight
        self.X_offset = X_offset
        self.penalty_factor = penalty_factor
        self.lower = lower
        self.upper = upper
        self.uses_covariance = precompute is not False
        self.computed_gram = precompute is True
        if precompute is True:
            self.gram = self.gram_matrix()
        elif precompute is False or isinstance(precompute, str):
            self.gram = None
        else:
            self.gram = np.ascontiguousarray(precompute, dtype=self.dtype)
        self._gram_columns = None
        # Kernel arguments: empty arrays stand for "all ones" and "no
        # centring", which lets the kernel use plain BLAS.
        self.kernel_weights = (
            np.empty(0, self.dtype) if sample_weight is None else sample_weight
        )
        self.kernel_offset = (
            X_offset if np.any(X_offset != 0) else np.empty(0, self.dtype)
        )
        self._projection = None
        self._kernel_X = None
        self._column_stats = None
        self._csc_indices = None
        # Fixed by the arguments; computed once because every solve of a
        # path asks for them.
        boxed = np.isfinite(lower) & np.isfinite(upper)
        self._projection_features = np.flatnonzero((penalty_factor == 0) & ~boxed)
        self._bounded = bool(np.any(np.isfinite(lower)) or np.any(np.isfinite(upper)))

    @property
    def gram_columns(self):
        """The Gram matrix of covariance mode, as cached columns."""
        from ._covariance import GramColumns

        if self._gram_columns is None:
            self._gram_columns = GramColumns(self, full=self.gram)
        return self._gram_columns

    def projection_features(self):
        """Indices of the features whose dual constraint needs the
        projection: penalty factor 0 and at least one infinite bound."""
        return self._projection_features

    @property
    def bounded(self):
        """Whether any coefficient has a finite bound."""
        return self._bounded

    @property
    def csc_indices(self):
        """``(indices, indptr)`` of a CSC X as the kernels take them (int32
        rows, int64 starts), converted once."""
        if self._csc_indices is None:
            self._csc_indices = kernel_indices(self.X.indices, self.X.indptr)
        return self._csc_indices

    @property
    def kernel_X(self):
        """X as the coordinate-descent kernels take it: F-ordered (a copy of
        a C-ordered X, made once) or CSC."""
        if self._kernel_X is None:
            self._kernel_X = self.X if self.is_sparse else np.asfortranarray(self.X)
        return self._kernel_X

    @property
    def column_stats(self):
        """``(norm2, colsum, norm, l1norm)`` of the centred, weighted columns,
        computed once (see the kernel's ``column_statistics``)."""
        if self._column_stats is None:
            if self.is_sparse:
                arrays = (np.empty((0, 0), self.dtype, order="F"), self.X.data,
                          *self.csc_indices)
            else:
                arrays = (self.kernel_X, np.empty(0, self.dtype), np.empty(0, np.intc),
                          np.empty(0, np.int64))
            self._column_stats = column_statistics(
                *arrays, self.is_sparse, self.weights, self.X_offset
            )
        return self._column_stats

    @property
    def weights(self):
        """The sample weights as an array (ones when unweighted)."""
        if self.sample_weight is None:
            return np.ones(self.n_samples, dtype=self.dtype)
        return self.sample_weight

    @property
    def weight_sum(self):
        """Sum of the sample weights (n_samples when unweighted)."""
        if self.sample_weight is None:
            return float(self.n_samples)
        return float(self.sample_weight.sum())

    def weighted_norm2(self, y):
        """y^T S y."""
        if self.sample_weight is None:
            return float(y @ y)
        return float(y @ (self.sample_weight * y))

    def target(self, y, correlation=None):
        """Wrap a centred target with the statistics solves reuse;
        ``correlation``, when given, is its ``Xt^T S y`` (see
        :class:`Target`)."""
        return Target(self, y, correlation)

    def transpose_dot(self, V, weights=None):
        """``Xt^T diag(weights) V`` for the centred X, without copying X.

        ``weights`` defaults to the sample weights; V may be 1-D or 2-D.
        """
        if weights is None and self.sample_weight is None:
            weighted = V  # unit weights
        else:
            weighted = V * self._column(
                weights if weights is not None else self.weights, V.ndim)
        with blas_threads_for(2.0 * self.n_samples * self.n_features
                              * (V.shape[1] if V.ndim == 2 else 1)):
            product = np.asarray(self.X.T @ weighted)
        if self.kernel_offset.size == 0:  # X is not centred
            return product
        return product - np.multiply.outer(self.X_offset, weighted.sum(axis=0))

    def correlation(self, y):
        """``Xt^T S y`` for a centred target y."""
        return self.transpose_dot(y)

    @staticmethod
    def _column(weights, ndim):
        return weights if ndim == 1 else weights[:, np.newaxis]

    def centred_block(self, rows=slice(None), columns=slice(None)):
        """A dense block of sqrt(s) * (X - X_offset)."""
        block = self.X[rows][:, columns]
        block = block.toarray() if self.is_sparse else np.array(block)
        block -= self.X_offset[columns]
        if self.sample_weight is not None:
            block *= np.sqrt(self.sample_weight[rows])[:, np.newaxis]
        return block

    def gram_matrix(self):
        """``Xt^T S Xt`` (n_features x n_features), without copying X.

        Dense X is centred block by block (exact); sparse X uses
        ``X^T S X - m c^T - c m^T + sum(s) m m^T`` with ``c = X^T s``, which
        keeps X sparse.
        """
        if self.is_sparse:
            Xs = self.X.multiply(np.sqrt(self.weights)[:, np.newaxis]).tocsc()
            gram = np.asarray((Xs.T @ Xs).toarray(), dtype=self.dtype)
            colsum = np.asarray(self.X.T @ self.weights).ravel()
            cross = np.multiply.outer(self.X_offset, colsum)
            gram -= cross + cross.T
            gram += self.weight_sum * np.multiply.outer(self.X_offset, self.X_offset)
            return np.ascontiguousarray(gram)
        with blas_threads_for(self.n_samples * self.n_features**2):
            if self.gram_is_raw_product():
                return np.ascontiguousarray(self.X.T @ self.X)  # one BLAS product
            gram = np.zeros((self.n_features, self.n_features), dtype=self.dtype)
            for start in range(0, self.n_samples, self.ROW_BLOCK):
                block = self.centred_block(rows=slice(start, start + self.ROW_BLOCK))
                gram += block.T @ block
            return gram

    def gram_is_raw_product(self):
        """Whether :meth:`gram_matrix` is ``X^T X`` of X as given: dense,
        not centred, not weighted."""
        return (not self.is_sparse and self.sample_weight is None
                and not np.any(self.X_offset))

    def raw_gram(self):
        """The Gram matrix this design computed from X as given (see
        :meth:`gram_is_raw_product`), or None (not computed, user-supplied,
        centred or weighted)."""
        if self.computed_gram and self.gram_is_raw_product():
            return self.gram
        return None

    def kernel_matrix(self):
        """``S^1/2 Xt Xt^T S^1/2`` (n_samples x n_samples), without copying X."""
        root = np.sqrt(self.weights)
        if self.is_sparse:
            Xm = np.asarray(self.X @ self.X_offset).ravel()
            kernel = np.asarray((self.X @ self.X.T).toarray(), dtype=self.dtype)
            kernel -= np.add.outer(Xm, Xm)
            kernel += self.X_offset @ self.X_offset
            kernel *= np.multiply.outer(root, root)
            return kernel
        kernel = np.zeros((self.n_samples, self.n_samples), dtype=self.dtype)
        block_size = max(1, self.ROW_BLOCK * self.n_features // max(self.n_samples, 1))
        for start in range(0, self.n_features, block_size):
            block = self.centred_block(columns=slice(start, start + block_size))
            kernel += block @ block.T
        return kernel

    @property
    def projection(self):
        """Arrays that keep the duality gap valid with unpenalised features.

        None when no feature needs it; otherwise ``(U, Xt^T S Xt_U,
        Xt_U^T S Xt_U)`` for the indices U of the features with penalty
        factor 0 and at least one infinite bound (see the kernel's
        ``_project_out_unpenalised``). Computed once per design.
        """
        unpenalised = self.projection_features()
        if unpenalised.size == 0:
            return None
        if self._projection is None:
            if self.uses_covariance:
                cross = self.gram_columns.columns(unpenalised)
            else:
                block = self.centred_block(columns=unpenalised)
                cross = self.transpose_dot(block, np.sqrt(self.weights))
            self._projection = (
                unpenalised.astype(np.intc),
                np.ascontiguousarray(cross, dtype=self.dtype),
                np.ascontiguousarray(cross[unpenalised], dtype=self.dtype),
            )
        return self._projection


class Target:
    """A centred target and what every solve on it reuses.

    On a path or in cross-validation the same target is solved at many
    alphas; its weighted norm and its correlation with the columns are
    computed once here instead of at every solve.

    Parameters
    ----------
    design : Design
    y : ndarray of shape (n_samples,)
        Target, centred with the design's weights.
    correlation : ndarray of shape (n_features,), default=None
        ``Xt^T S y``, when the caller already has it (a path's ``Xy``);
        computed on first use otherwise.
    """

    def __init__(self, design, y, correlation=None):
        self.design = design
        self.y = np.ascontiguousarray(y, dtype=design.dtype)
        self.norm2 = design.weighted_norm2(self.y)
        self._correlation = correlation
        # The kernel's PathState: correlations with the residual of the
        # last solution and bounds on their staleness, reused by the next
        # warm-started solve.
        self.correlations_at_warm_start = fresh_correlations(
            design.n_features, design.dtype)
        # The residual solver's work arrays, allocated once for all solves.
        self.workspace = Workspace()

    @property
    def correlation(self):
        """``Xt^T S y``, computed on first use."""
        if self._correlation is None:
            self._correlation = np.ascontiguousarray(
                self.design.correlation(self.y), dtype=self.design.dtype
            )
        return self._correlation
