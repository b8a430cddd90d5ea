"""Statistics of the design's columns, and one pass that checks and measures
an array.

The solvers need, for every column, its weighted squared norm after
centring (the coordinate update's curvature), its weighted sum (the
centring terms) and two norms that bound how far its correlation moves
with the residual (``_drift_bound``).
"""

from libc.math cimport fabs, sqrt, INFINITY
from libc.stdint cimport int64_t

import numpy as np

from ._design cimport _epsilon


cdef void _sparse_column_sums(
    const Design* X, int j, floating* scratch, double* sums,
) noexcept nogil:
    """``sums`` = (sum s x, sum s x^2, sum s |x|) over CSC column j.

    Strictly increasing row indices (scipy's canonical form) hold no
    duplicates: the sums come straight from the stored values in the pass
    that checks the order. Otherwise the column is gathered into the dense
    ``scratch`` (zero on entry and exit) so that duplicate entries add up
    before squaring, as in scipy.
    """
    cdef const floating* data = <const floating*> X.values
    cdef const floating* sw = <const floating*> X.weights
    cdef int64_t k
    cdef int i, previous = -1
    cdef bint increasing = True
    cdef double value, total = 0.0, raw = 0.0, absolute = 0.0
    for k in range(X.indptr[j], X.indptr[j + 1]):
        i = X.indices[k]
        increasing = increasing and i > previous
        previous = i
        value = data[k]
        total += sw[i] * value
        raw += sw[i] * value * value
        absolute += sw[i] * fabs(value)
    if not increasing:
        total = 0.0
        raw = 0.0
        absolute = 0.0
        for k in range(X.indptr[j], X.indptr[j + 1]):
            total += sw[X.indices[k]] * data[k]
            scratch[X.indices[k]] += data[k]
        for k in range(X.indptr[j], X.indptr[j + 1]):
            i = X.indices[k]
            raw += sw[i] * scratch[i] * scratch[i]
            absolute += sw[i] * fabs(scratch[i])
            scratch[i] = 0.0
    sums[0] = total
    sums[1] = raw
    sums[2] = absolute


cdef void _column_statistics_on(
    const Design* X, const Selection* features, floating* norm2,
    floating* colsum, double* norm, double* l1norm, floating* scratch,
) noexcept nogil:
    """Weighted norms and sums of the listed centred columns (see
    :func:`column_statistics`); ``scratch`` is n_samples zeros (CSC only)."""
    cdef const floating* values = <const floating*> X.values
    cdef const floating* sw = <const floating*> X.weights
    cdef const floating* offset = <const floating*> X.offset
    cdef const floating* x_j
    cdef int i, j, jj
    cdef double raw, centred, value, absolute
    cdef double sums[3]
    cdef floating eps = _epsilon(sw[0])
    for jj in range(features.count):
        j = features.features[jj]
        raw = 0.0
        centred = 0.0
        absolute = 0.0
        if X.is_sparse:
            _sparse_column_sums(X, j, scratch, sums)
            colsum[j] = sums[0]
            raw = sums[1]
            # sum_i s_i (x_ij - m)^2 = raw - 2 m colsum + m^2 sum(s)
            centred = raw + offset[j] * (offset[j] * X.sum_s - 2.0 * colsum[j])
            absolute = sums[2] + fabs(offset[j]) * X.sum_s
        else:
            x_j = values + <size_t> j * X.n_samples
            colsum[j] = 0.0
            for i in range(X.n_samples):
                colsum[j] += sw[i] * x_j[i]
                raw += sw[i] * x_j[i] * x_j[i]
                value = x_j[i] - offset[j]
                centred += sw[i] * value * value
                absolute += sw[i] * fabs(value)
        # A constant column leaves only rounding noise after centring; an
        # overflowing one (raw = inf) is not constant: its inf is left for
        # the caller to refuse.
        norm2[j] = 0.0 if centred <= eps * raw and raw < INFINITY else centred
        norm[j] = sqrt(<double> norm2[j])
        l1norm[j] = absolute


def kernel_indices(indices, indptr):
    """CSC ``indices`` as int32 and ``indptr`` as int64, contiguous: the
    kernels' one index layout (row indices fit in an int, positions may
    not). Arrays already in that form are returned as they are."""
    return (np.ascontiguousarray(indices, dtype=np.intc),
            np.ascontiguousarray(indptr, dtype=np.int64))


def column_statistics(X, X_data, X_indices, X_indptr, is_sparse, sample_weight,
                      offset):
    """Weighted norms and sums of the centred columns.

    Returns ``(norm2, colsum, norm, l1norm)`` with ``norm2[j] = sum_i s_i
    (x_ij - m_j)^2`` (0 when centring leaves only rounding noise, i.e. a
    constant column), ``colsum[j] = sum_i s_i x_ij``, ``norm = sqrt(norm2)``
    and ``l1norm[j]`` at least ``sum_i s_i |x_ij - m_j|`` (exact for dense
    X; ``sum_i s_i |x_ij| + |m_j| sum(s)`` for CSC). The two norms bound how
    far a correlation moves with the residual (see ``_drift_bound``).
    ``sample_weight`` must be a full array. Duplicate CSC entries add up, as
    in scipy; the CSC index arrays may be int32 or int64.
    """
    X_indices, X_indptr = kernel_indices(X_indices, X_indptr)
    return _column_statistics(X, X_data, X_indices, X_indptr, is_sparse,
                              sample_weight, offset)


def _column_statistics(
    const floating[::1, :] X,
    const floating[::1] X_data,
    const int[::1] X_indices,
    const int64_t[::1] X_indptr,
    bint is_sparse,
    const floating[::1] sample_weight,
    const floating[::1] offset,
):
    """:func:`column_statistics` on the kernels' index layout."""
    cdef int n_samples = sample_weight.shape[0]
    cdef int n_features = offset.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] norm2 = np.zeros(n_features, dtype=dtype)
    cdef floating[::1] colsum = np.zeros(n_features, dtype=dtype)
    cdef double[::1] norm = np.zeros(n_features, dtype=np.float64)
    cdef double[::1] l1norm = np.zeros(n_features, dtype=np.float64)
    cdef floating[::1] scratch = np.zeros(n_samples if is_sparse else 0, dtype=dtype)
    cdef int[::1] all_features = np.arange(n_features, dtype=np.intc)
    cdef Design design
    cdef Selection features
    cdef int i
    if n_samples == 0 or n_features == 0:
        return np.asarray(norm2), np.asarray(colsum), np.asarray(norm), np.asarray(l1norm)
    design.n_samples = n_samples
    design.is_sparse = is_sparse
    if is_sparse:
        design.values = &X_data[0] if X_data.shape[0] else NULL
        design.indices = &X_indices[0] if X_indices.shape[0] else NULL
        design.indptr = &X_indptr[0]
    else:
        design.values = &X[0, 0]
    design.weights = &sample_weight[0]
    design.offset = &offset[0]
    design.sum_s = 0.0
    for i in range(n_samples):
        design.sum_s += sample_weight[i]
    features.features = &all_features[0]
    features.count = n_features
    with nogil:
        _column_statistics_on(&design, &features, &norm2[0], &colsum[0],
                              &norm[0], &l1norm[0],
                              &scratch[0] if is_sparse else NULL)
    return np.asarray(norm2), np.asarray(colsum), np.asarray(norm), np.asarray(l1norm)


def largest_magnitude_of(const floating[::1] values):
    """``max |values|`` of a flat array in one pass, or NaN when a value is
    not finite (so that one read of X both checks and measures it).

    ``x - x`` is 0 for a finite x and NaN for an infinity or a NaN; summing
    it keeps the loop free of branches. Eight independent lanes let the
    compiler use vector instructions (a single running maximum or sum is
    one long dependency chain)."""
    cdef Py_ssize_t i, lane, n = values.shape[0], n_blocks = n // 8
    cdef double largest[8]
    cdef double defect[8]
    cdef double value, magnitude
    for lane in range(8):
        largest[lane] = 0.0
        defect[lane] = 0.0
    with nogil:
        for i in range(n_blocks):
            for lane in range(8):
                value = values[8 * i + lane]
                magnitude = fabs(value)
                largest[lane] = magnitude if magnitude > largest[lane] else largest[lane]
                defect[lane] += value - value
        for i in range(8 * n_blocks, n):
            value = values[i]
            magnitude = fabs(value)
            largest[0] = magnitude if magnitude > largest[0] else largest[0]
            defect[0] += value - value
    for lane in range(1, 8):
        largest[0] = max(largest[0], largest[lane])
        defect[0] += defect[lane]
    return largest[0] if defect[0] == 0.0 else float("nan")
