# Access to the design X: its columns, dense or CSC, centred implicitly and
# weighted. Every product of a column with a vector of samples, and every
# residual update, goes through the inline functions here.
#
# Column j of the centred design is xt_j = x_j - offset_j. A dense X keeps
# the true residual r. A sparse X keeps r_raw = y - X w and the scalar
# shift = offset . w, so that updates touch only the stored entries; the true
# residual is r_raw + shift. In both cases
#
#     xt_j^T S r_true = x_j^T S r + shift * colsum_j
#                       - offset_j * (sum(S r) + shift * sum(s))
#
# with colsum_j = x_j^T s and sum(S r) kept up to date (shift is 0 for dense).
#
# A C struct cannot hold a fused type, so the arrays whose element type is
# the solve's precision (float or double) are stored untyped; the functions
# here read them as ``floating``, the precision of their other arguments.

from libc.stdint cimport int64_t
from libc.float cimport DBL_EPSILON, FLT_EPSILON
from cython cimport floating

from ._blas cimport _axpy, _dot


cdef struct Design:
    int n_samples
    int n_features
    bint is_sparse
    bint weighted       # s is not all ones (the weights are read)
    bint centred        # some offset_j may be non-zero
    const void* values  # dense: X in F order; CSC: the stored values
    const int* indices  # CSC row indices (int32: rows fit in an int)
    const int64_t* indptr  # CSC column starts (int64: any number of values)
    const void* weights  # s_i, all ones when not weighted (never NULL)
    const void* colsum   # x_j^T s
    const void* offset   # offset_j, zeros when not centred (never NULL)
    double sum_s         # sum_i s_i
    double column_length  # flops of one column product: n_samples, or the
                          # mean number of stored values per CSC column


cdef struct Selection:
    # A list of features (columns), e.g. the candidates or a working set.
    int* features
    int count


cdef struct Residual:
    double shift    # r_true = r + shift (sparse X only)
    double sum_sr   # sum_i s_i r_i


# How many listed columns ahead a pass over the columns asks memory for the
# next ones (see ``_prefetch_ahead``): CSC columns chosen on the sparse path
# benchmark (benchmarks/RESULTS.md, "Tuning history of the kernel's
# constants"), dense ones on the wide path (issue 23 there).
cdef enum:
    PREFETCH_AHEAD = 8
    DENSE_PREFETCH_AHEAD = 1


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define L1L2_PREFETCH(address) __builtin_prefetch((address), 0, 3)
    #else
    #define L1L2_PREFETCH(address) ((void) 0)
    #endif
    """
    void L1L2_PREFETCH(const void* address) noexcept nogil


cdef inline floating _epsilon(floating x) noexcept nogil:
    return FLT_EPSILON if floating is float else DBL_EPSILON


cdef inline floating _weight_of(const floating* sw, int i) noexcept nogil:
    """s_i, with NULL weights standing for all ones: a loop over the samples
    that calls this is compiled twice (the test is invariant, GCC unswitches
    it), and the unweighted copy reads no weight array."""
    return 1.0 if sw == NULL else sw[i]


cdef inline const floating* _weights_or_null(
    const Design* X, const floating* like,
) noexcept nogil:
    """The weights for loops that take NULL for all ones (``like`` only
    names the precision)."""
    return <const floating*> X.weights if X.weighted else NULL


cdef inline floating _dense_dot(
    int n, const floating* x, const floating* r, const floating* sw,
    bint weighted,
) noexcept nogil:
    """Return sum_i s_i x_i r_i (BLAS when the weights are all one).

    float32 data are summed in double: the duality gap subtracts nearly
    equal numbers, and single-precision sums would leave it noise.
    """
    cdef int i
    cdef double total = 0.0
    if floating is double and not weighted:
        return _dot(n, x, 1, r, 1)
    if weighted:
        for i in range(n):
            total += <double> sw[i] * x[i] * r[i]
    else:
        for i in range(n):
            total += <double> x[i] * r[i]
    return <floating> total


cdef inline void _dense_update(
    int n, floating step, const floating* x, floating offset, floating* r,
) noexcept nogil:
    """Set r <- r - step * (x - offset)."""
    cdef int i
    cdef floating shift
    if offset == 0.0:
        _axpy(n, -step, x, 1, r, 1)
        return
    shift = step * offset
    for i in range(n):
        r[i] = r[i] - step * x[i] + shift


cdef inline floating _sparse_dot(
    int64_t start, int64_t end, const floating* data, const int* indices,
    const floating* r, const floating* sw, bint weighted,
) noexcept nogil:
    """Return sum_i s_i x_i r_i over the stored entries of one CSC column
    (summed in double, as in ``_dense_dot``)."""
    cdef int64_t k
    cdef double total = 0.0
    if weighted:
        for k in range(start, end):
            total += sw[indices[k]] * data[k] * r[indices[k]]
    else:
        for k in range(start, end):
            total += data[k] * r[indices[k]]
    return total


cdef inline void _sparse_update(
    int64_t start, int64_t end, floating step, const floating* data,
    const int* indices, floating* r,
) noexcept nogil:
    """Set r <- r - step * x over the stored entries of one CSC column."""
    cdef int64_t k
    for k in range(start, end):
        r[indices[k]] -= step * data[k]


cdef inline floating _raw_correlation(
    const Design* X, int j, const floating* r,
) noexcept nogil:
    """x_j^T S r, without the centring terms."""
    cdef const floating* values = <const floating*> X.values
    cdef const floating* sw = <const floating*> X.weights
    if X.is_sparse:
        return _sparse_dot(X.indptr[j], X.indptr[j + 1], values, X.indices, r,
                           sw, X.weighted)
    return _dense_dot(X.n_samples, values + <size_t> j * X.n_samples, r, sw,
                      X.weighted)


cdef inline floating _correlation(
    const Design* X, int j, const floating* r, const Residual* res,
) noexcept nogil:
    """xt_j^T S r_true."""
    cdef floating raw = _raw_correlation(X, j, r)
    if not X.centred:
        return raw
    return (raw + res.shift * (<const floating*> X.colsum)[j]
            - (<const floating*> X.offset)[j] * (res.sum_sr + res.shift * X.sum_s))


cdef inline void _step(
    const Design* X, int j, floating step, floating* r, Residual* res,
) noexcept nogil:
    """r_true <- r_true - step * xt_j."""
    cdef const floating* values = <const floating*> X.values
    cdef const floating* colsum = <const floating*> X.colsum
    cdef const floating* offset = <const floating*> X.offset
    if X.is_sparse:
        _sparse_update(X.indptr[j], X.indptr[j + 1], step, values, X.indices, r)
        if X.centred:
            res.shift += step * offset[j]
            res.sum_sr -= step * colsum[j]
    else:
        _dense_update(X.n_samples, step, values + <size_t> j * X.n_samples,
                      offset[j], r)
        res.sum_sr -= step * (colsum[j] - offset[j] * X.sum_s)


cdef inline void _prefetch_column(
    const Design* X, int j, const floating* like,
) noexcept nogil:
    """Ask memory for the stored values and row indices of CSC column j,
    one request per 64-byte line (``like`` only names the precision)."""
    cdef const floating* data = <const floating*> X.values
    cdef int64_t k
    cdef int64_t start = X.indptr[j], end = X.indptr[j + 1]
    k = start
    while k < end:
        L1L2_PREFETCH(&data[k])
        k += 64 // sizeof(floating)
    k = start
    while k < end:
        L1L2_PREFETCH(&X.indices[k])
        k += 64 // sizeof(int)


cdef inline void _prefetch_dense_column(
    const Design* X, int j, const floating* like,
) noexcept nogil:
    """Ask memory for dense column j, one request per 64-byte line
    (``like`` only names the precision)."""
    cdef const floating* column = (<const floating*> X.values
                                   + <size_t> j * X.n_samples)
    cdef int i = 0
    while i < X.n_samples:
        L1L2_PREFETCH(&column[i])
        i += 64 // sizeof(floating)


cdef inline void _prefetch_ahead(
    const Design* X, const int* features, int jj, int n_selected,
    const floating* like,
) noexcept nogil:
    """In a pass over the listed features, at the jj-th: ask for the column
    ``PREFETCH_AHEAD`` (CSC) or ``DENSE_PREFETCH_AHEAD`` (dense) places
    later.

    A short CSC column is a few cache lines at an address the hardware
    prefetcher cannot guess when the list skips columns: requested early,
    the loads overlap instead of waiting one after another. A dense column
    is a contiguous run the hardware does follow, but only after a few
    misses at its start and again at each 4 KiB page it crosses; the next
    listed column, requested while this one is summed, arrives without
    them (a wide column of 500 values spans two pages).
    """
    if X.is_sparse:
        if jj + PREFETCH_AHEAD < n_selected:
            _prefetch_column(X, features[jj + PREFETCH_AHEAD], like)
    elif jj + DENSE_PREFETCH_AHEAD < n_selected:
        _prefetch_dense_column(X, features[jj + DENSE_PREFETCH_AHEAD], like)


cdef inline void _correlations_of(
    const Design* X, const int* features, int n_selected, floating* XtSr,
    const floating* r, const Residual* res,
) noexcept nogil:
    """``XtSr[j] = xt_j^T S r_true`` for the listed features."""
    cdef int jj
    for jj in range(n_selected):
        _prefetch_ahead(X, features, jj, n_selected, r)
        XtSr[features[jj]] = _correlation(X, features[jj], r, res)
