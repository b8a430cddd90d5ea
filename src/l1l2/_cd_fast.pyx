"""Coordinate-descent kernels for the Elastic-Net objective.

The kernels minimise, over ``lower <= w <= upper``,

    P(w) = 1/2 * sum_i s_i (y_i - xt_i . w)^2
           + sum_j f_j * (l1_reg * |w_j| + l2_reg / 2 * w_j^2)

where ``xt_i = x_i - X_offset`` (implicit centring: X itself is never copied
or modified), ``s`` are the sample weights and ``f`` the penalty factors.
With the weights rescaled to sum to ``n``, this is ``n`` times the
estimators' (and scikit-learn's) objective

    1/(2 n) * sum_i s_i (y_i - xt_i . w)^2
    + alpha * sum_j f_j * (l1_ratio * |w_j| + (1 - l1_ratio) / 2 * w_j^2)

with ``l1_reg = n * alpha * l1_ratio`` and
``l2_reg = n * alpha * (1 - l1_ratio)`` (docs/architecture.md, "The
objective and its scaling").

Convergence is certified by the duality gap: the residual, rescaled into the
dual feasible set, gives a dual value ``D``; the kernels stop when
``P - D <= tol * sum_i s_i y_i^2``. The dual is written for box constraints
and per-feature L2 terms, so it stays a valid certificate for Ridge
(``l1_reg == 0``), for bounded coefficients and for penalty factors.

The residual solver is fast in these ways (docs/architecture.md says where
each lives in this file):

- working sets: coordinate descent runs on a small set of features, those
  closest to violating optimality, grown geometrically; optimality on all
  features is checked only between inner solves (Johnson & Guestrin 2015,
  "Blitz: a principled meta-algorithm for scaling sparse optimization";
  Massias, Gramfort & Salmon 2018, "Celer: a fast solver for the Lasso with
  dual extrapolation");
- gap-safe screening: features proven to be zero at the optimum are dropped
  for the rest of the solve (Fercoq, Gramfort & Salmon 2015, "Mind the
  duality gap: safer rules for the Lasso"; Ndiaye, Fercoq, Gramfort &
  Salmon 2017, "Gap safe screening rules for sparsity enforcing
  penalties");
- Anderson acceleration: every few epochs the last iterates are
  extrapolated, and the extrapolated point is kept when it lowers P
  (Bertrand & Massias 2021, "Anderson acceleration of coordinate descent");
- the exact step on the support: once the support and signs stop
  changing, the minimiser of P on them solves a small linear system, which
  replaces the many epochs coordinate descent needs on correlated columns;
- on a path, correlations carried from one solve to the next with bounds
  on how stale they are, so that features far from their threshold are
  neither refreshed nor solved for (parked), and checked once at the end.

The kernels never validate their input and never see an estimator: callers
pass typed arrays of one dtype (float32 or float64), an F-ordered X or CSC
arrays, and get ``(w, gap, n_iter)`` back, with ``w`` updated in place and
``gap`` divided by ``sum(s)`` so that it is on the scale of the estimator's
objective.
"""

from libc.math cimport fabs, sqrt, INFINITY
from libc.stdint cimport uint32_t
from libc.float cimport DBL_EPSILON, FLT_EPSILON
from cython cimport floating

import numpy as np

from ._blas cimport _axpy, _cholesky_factor, _cholesky_solve, _dot, _factored_solve

# Epochs between two duality-gap evaluations, at most. In the residual
# solver a gap costs about an epoch of the working set, and each check may
# also try the exact step on the support; in the covariance kernel an epoch
# is cheap next to a gap. The step-size test can trigger a check earlier.
cdef int GAP_EVERY = 3
cdef int GRAM_GAP_EVERY = 10

# Interleaved partial sums of the reductions over the samples.
cdef enum:
    LANES = 4

# Size of the first working set, and the share of the outer gap to which
# each inner solve is taken (Massias et al. 2018 use 0.3).
cdef int WORKING_SET_START = 10
cdef double INNER_GAP_SHARE = 0.3

# Largest support on which the exact (Newton) step is tried: its linear
# system costs O(n_samples * k^2 + k^3).
cdef int MAX_NEWTON_SUPPORT = 500
# A Cholesky pivot below this share of its column's squared norm marks the
# column as dependent on the ones before it (``_support_newton_step``).
cdef double DEPENDENT_PIVOT = 1e-10
# Outcomes of the exact step on a support (``_support_newton_step``).
cdef enum:
    NEWTON_NONE = 0
    NEWTON_EXACT = 1
    NEWTON_PARTIAL = 2
# The final polish sets to 0 coefficients below this share of the largest.
cdef double NEGLIGIBLE = 1e-7

# A final polish cheaper than this many flops is always worth trying.
cdef double SMALL_NEWTON_FLOPS = 1e6
# On a path, a feature whose stale correlation bound stays below a share of
# its threshold at the warm start is parked: left out of the solve with its
# stale correlation, and checked against the final dual point only
# (``_unpark_violators``), where its bound usually still certifies it. A
# larger share parks more features: fewer correlations are refreshed, but
# more features join the solve late and cost epochs. Short columns (at most
# SHORT_COLUMN stored values) favour a large share: a refresh is a few cache
# misses, while a late joiner costs epochs, fewer since the exact step
# handles a support that changes. With short columns a feature whose
# correlation is exact and well inside its threshold is parked too (every
# pass over the candidates is spared it), and the final check parks
# features for the next solve. Long dense columns favour a smaller share
# and park on stale bounds only: a refresh there is a contiguous read that
# the hardware prefetches, while a late joiner's extra epochs each read
# whole columns of the working set. The shares are measured choices, not
# derived ones: benchmarks/RESULTS.md ("Tuning history of the kernel's
# constants") has the path-benchmark timings behind them.
cdef double DEFER_SHARE_SHORT = 0.98
cdef double DEFER_SHARE_LONG = 0.5
cdef double SHORT_COLUMN = 128.0

# What the residual solver's ``is_candidate`` says of a feature.
cdef enum:
    OUT = 0           # screened or unusable (w_j = 0 for good)
    CANDIDATE = 1     # may enter the working set
    PARKED = 2        # left out at a sequential start, correlation stale
    PARKED_FRESH = 3  # parked, correlation refreshed at the final residual
    PARKED_NEXT = 4   # parked at the final residual for the next solve too

# --- the penalty: proximal coordinate update and conjugate ---------------


cdef inline floating _soft_threshold(floating x, floating t) noexcept nogil:
    if x > t:
        return x - t
    if x < -t:
        return x + t
    return 0.0


cdef inline floating _clip(floating x, floating lo, floating hi) noexcept nogil:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


cdef inline floating _coordinate_minimiser(
    floating grad_plus, floating norm2, floating l1, floating l2,
    floating lo, floating hi,
) noexcept nogil:
    """Minimise 1/2 norm2 w^2 - grad_plus w + l1 |w| + l2/2 w^2 on [lo, hi]."""
    return _clip(_soft_threshold(grad_plus, l1) / (norm2 + l2), lo, hi)


cdef inline floating _penalty_conjugate(
    floating v, floating l1, floating l2, floating lo, floating hi,
) noexcept nogil:
    """Conjugate of g(w) = l1 |w| + l2/2 w^2 + indicator(lo <= w <= hi) at v.

    The caller guarantees feasibility where g* is infinite (an unbounded
    direction with ``l2 == 0`` and ``|v| > l1``) by rescaling the dual point.
    """
    cdef floating z, value = 0.0
    if l2 > 0.0:
        z = _clip(_soft_threshold(v, l1) / l2, lo, hi)
        return v * z - l1 * fabs(z) - 0.5 * l2 * z * z
    # Piecewise linear: the supremum sits at a finite bound or at 0.
    if v > l1 and hi < INFINITY:
        value += (v - l1) * hi
    if v < -l1 and lo > -INFINITY:
        value += (v + l1) * lo
    return value


# --- the dual: a feasible point and the duality gap --------------------------


cdef struct DualStats:
    # Statistics of a candidate dual point theta (before rescaling) next to
    # those of the residual r that the primal needs.
    double rSr      # r^T S r
    double tSt      # theta^T S theta
    double tSy      # theta^T S y


cdef void _project_out_unpenalised(
    floating[::1] XtSt,
    DualStats* stats,
    const int* features,
    int n_selected,
    const floating[::1] w,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
) noexcept nogil:
    """Move theta from r to the residual of r regressed on the free X_U.

    Dual feasibility asks ``x_j^T S theta = 0`` for each unpenalised feature
    j whose coefficient is free (not at a bound), which no rescaling of r
    gives. With F those features and ``beta = G_F^-1 X_F^T S r`` the point
    ``theta = r - X_F beta`` satisfies it, and its statistics follow from
    small precomputed matrices: ``cross_gram = Xt^T S Xt_U`` and
    ``unpenalised_gram = Xt_U^T S Xt_U``. ``XtSt`` holds ``X^T S r`` on
    entry and ``X^T S theta`` on exit, for the selected features (which
    include U). Unpenalised coefficients at a bound are left to the
    feasibility test: at the optimum their correlation points outward.
    """
    cdef int n_unpen = unpenalised.shape[0]
    cdef int a, b, j, jj, n_free = 0
    cdef double correction, trace = 0.0
    # scratch layout: M (u*u) | beta (u) | free positions (u)
    cdef double* M = &scratch[0] if n_unpen > 0 else NULL
    cdef double* beta = M + n_unpen * n_unpen
    cdef double* free = beta + n_unpen
    if n_unpen == 0:
        return
    for a in range(n_unpen):
        j = unpenalised[a]
        if lower[j] < w[j] < upper[j] or (lower[j] == -INFINITY and upper[j] == INFINITY):
            free[n_free] = a
            n_free += 1
    if n_free == 0:
        return
    for a in range(n_free):
        for b in range(n_free):
            M[a * n_free + b] = unpenalised_gram[<int> free[a], <int> free[b]]
        trace += M[a * n_free + a]
        beta[a] = XtSt[unpenalised[<int> free[a]]]
    # A relative jitter keeps collinear unpenalised columns solvable.
    for a in range(n_free):
        M[a * n_free + a] += 1e-12 * trace + 1e-300
    if not _cholesky_solve(M, beta, n_free):
        return
    for a in range(n_free):
        stats.tSt -= beta[a] * XtSt[unpenalised[<int> free[a]]]
        stats.tSy -= beta[a] * unpenalised_y[<int> free[a]]
    if stats.tSt < 0.0:
        stats.tSt = 0.0
    for jj in range(n_selected):
        j = features[jj]
        correction = 0.0
        for a in range(n_free):
            correction += cross_gram[j, <int> free[a]] * beta[a]
        XtSt[j] -= correction
    for a in range(n_free):
        XtSt[unpenalised[<int> free[a]]] = 0.0


cdef floating _duality_gap_from_stats(
    const int* features,
    int n_selected,
    const floating[::1] w,
    const floating[::1] XtSt,
    DualStats stats,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    floating* dual_scale,
) noexcept nogil:
    """Duality gap of w on the selected features.

    The dual point is scale * theta, with the largest scale <= 1 that makes
    it feasible: for every feature with no L2 term, the directions in which
    its coefficient is unbounded require |x_j^T S theta| <= l1 f_j. The
    features left out must have w_j = 0 (screened or outside a working
    set): the gap is then that of the problem restricted to the selection.
    """
    cdef int j, jj
    cdef floating f, l1, l2, v, ratio, dual_norm = 0.0, scale
    cdef floating primal = 0.5 * stats.rSr, conjugates = 0.0
    cdef bint infeasible = False, any_conjugate = False

    for jj in range(n_selected):
        j = features[jj]
        f = penalty_factor[j]
        if f == INFINITY:
            continue  # w_j is pinned at 0: no constraint, no penalty
        l1 = l1_reg * f
        l2 = l2_reg * f
        primal += l1 * fabs(w[j]) + 0.5 * l2 * w[j] * w[j]
        if l2 > 0.0:
            any_conjugate = True
            continue
        if lower[j] > -INFINITY or upper[j] < INFINITY:
            any_conjugate = True
        v = XtSt[j]
        if (v > 0.0 and upper[j] == INFINITY) or (v < 0.0 and lower[j] == -INFINITY):
            if l1 > 0.0:
                ratio = fabs(v) / l1
                if ratio > dual_norm:
                    dual_norm = ratio
            else:
                # No penalty at all (alpha == 0) and not projected out:
                # only theta = 0 is feasible.
                infeasible = True

    if infeasible:
        scale = 0.0
    elif dual_norm > 1.0:
        scale = 1.0 / dual_norm
    else:
        scale = 1.0
    dual_scale[0] = scale

    # Without L2 terms and bounds every conjugate is 0 at a feasible point
    # (the Lasso's usual case): the second pass is skipped.
    for jj in range(n_selected if any_conjugate else 0):
        j = features[jj]
        f = penalty_factor[j]
        if f == INFINITY:
            continue
        conjugates += _penalty_conjugate(
            scale * XtSt[j], l1_reg * f, l2_reg * f, lower[j], upper[j])

    return primal - (scale * stats.tSy - 0.5 * scale * scale * stats.tSt - conjugates)


cdef inline double _safe_radius(double gap) noexcept nogil:
    """Radius of the gap-safe sphere, in the S-norm.

    The dual objective is 1-strongly concave in the S-norm, so a feasible
    dual point whose duality gap (with any primal point) is ``gap`` lies
    within ``sqrt(2 gap)`` of the optimal dual point.
    """
    return sqrt(2.0 * gap)


cdef inline bint _provably_zero(
    floating v, floating radius, floating l1, floating lo, floating hi,
) noexcept nogil:
    """Gap-safe test: is w_j = 0 at the optimum for every dual point within
    ``radius`` of ``v = x_j^T S theta``?

    w_j* = 0 exactly when x_j^T S theta* lies in the subdifferential of the
    penalty and box at 0: [-l1, l1], extended to +inf when hi == 0 and to
    -inf when lo == 0.
    """
    return (hi == 0.0 or v + radius < l1) and (lo == 0.0 or v - radius > -l1)


# --- small helpers shared by the kernels ------------------------------------


ctypedef fused IndexT:
    int
    long long


cdef struct Ranked:
    double priority
    int index


cdef void _select_smallest(Ranked* items, int n, int k) noexcept nogil:
    """Partially order ``items`` so that its first k hold the k smallest
    priorities (Hoare's selection, O(n) on average; a full sort of every
    candidate at each outer iteration costs more than an epoch on wide
    problems)."""
    cdef int left = 0, right = n - 1, i, j
    cdef double pivot
    cdef Ranked tmp
    if k <= 0 or k >= n:
        return
    while left < right:
        pivot = items[(left + right) // 2].priority
        i = left
        j = right
        while i <= j:
            while items[i].priority < pivot:
                i += 1
            while items[j].priority > pivot:
                j -= 1
            if i <= j:
                tmp = items[i]
                items[i] = items[j]
                items[j] = tmp
                i += 1
                j -= 1
        if k - 1 <= j:
            right = j
        elif k - 1 >= i:
            left = i
        else:
            return


cdef inline uint32_t _next_random(uint32_t* state) noexcept nogil:
    """Xorshift32: a thread-local generator, so the kernel holds no state."""
    cdef uint32_t x = state[0]
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    state[0] = x
    return x


cdef inline floating _epsilon(floating x) noexcept nogil:
    return FLT_EPSILON if floating is float else DBL_EPSILON


cdef inline floating _weight_of(const floating* sw, int i) noexcept nogil:
    """s_i, with NULL weights standing for all ones: a loop over the samples
    that calls this is compiled twice (the test is invariant, GCC unswitches
    it), and the unweighted copy reads no weight array."""
    return 1.0 if sw == NULL else sw[i]


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
    IndexT start, IndexT end, const floating* data, const IndexT* indices,
    const floating* r, const floating* sw, bint weighted,
) noexcept nogil:
    """Return sum_i s_i x_i r_i over the stored entries of one CSC column
    (summed in double, as in ``_dense_dot``)."""
    cdef IndexT k
    cdef double total = 0.0
    if weighted:
        for k in range(start, end):
            total += sw[indices[k]] * data[k] * r[indices[k]]
    else:
        for k in range(start, end):
            total += data[k] * r[indices[k]]
    return total


cdef inline void _sparse_update(
    IndexT start, IndexT end, floating step, const floating* data,
    const IndexT* indices, floating* r,
) noexcept nogil:
    """Set r <- r - step * x over the stored entries of one CSC column."""
    cdef IndexT k
    for k in range(start, end):
        r[indices[k]] -= step * data[k]


# --- the design's columns, dense or CSC --------------------------------------
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


cdef struct Residual:
    double shift    # r_true = r + shift (sparse X only)
    double sum_sr   # sum_i s_i r_i
    bint centred    # some offset_j != 0; otherwise shift stays 0 and the
                    # offset terms are skipped


cdef inline floating _correlation(
    int j, bint is_sparse, int n, const floating* X_ptr,
    const floating* data, const IndexT* indices, const IndexT* indptr,
    const floating* r, const floating* sw, bint weighted,
    const floating* colsum, const floating* offset, Residual* res,
    double sum_s,
) noexcept nogil:
    """xt_j^T S r_true."""
    cdef floating raw
    if is_sparse:
        raw = _sparse_dot(indptr[j], indptr[j + 1], data, indices, r, sw, weighted)
    else:
        raw = _dense_dot(n, X_ptr + <size_t> j * n, r, sw, weighted)
    if not res.centred:
        return raw
    return raw + res.shift * colsum[j] - offset[j] * (res.sum_sr + res.shift * sum_s)


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define L1L2_PREFETCH(address) __builtin_prefetch((address), 0, 3)
    #else
    #define L1L2_PREFETCH(address) ((void) 0)
    #endif
    """
    void L1L2_PREFETCH(const void* address) noexcept nogil


# How many listed columns ahead ``_correlations_of`` (and the inner loop
# over a working set) asks memory for a CSC column: far enough ahead that
# the loads of short columns, a few cache lines each, overlap with the sums
# of the columns before them instead of waiting one after another. Chosen
# on the sparse path benchmark (benchmarks/RESULTS.md, "Tuning history of
# the kernel's constants").
cdef int PREFETCH_AHEAD = 8


cdef inline void _prefetch_column(
    int j, const floating* data, const IndexT* indices, const IndexT* indptr,
) noexcept nogil:
    """Ask memory for the stored values and row indices of CSC column j,
    one request per 64-byte line."""
    cdef IndexT k
    cdef IndexT start = indptr[j], end = indptr[j + 1]
    k = start
    while k < end:
        L1L2_PREFETCH(&data[k])
        k += 64 // sizeof(floating)
    k = start
    while k < end:
        L1L2_PREFETCH(&indices[k])
        k += 64 // sizeof(IndexT)


cdef void _correlations_of(
    const int* features, int n_selected, floating[::1] XtSr, bint is_sparse,
    int n, const floating* X_ptr, const floating* data, const IndexT* indices,
    const IndexT* indptr, const floating* r, const floating* sw, bint weighted,
    const floating* colsum, const floating* offset, Residual* res,
    double sum_s,
) noexcept nogil:
    """``XtSr[j] = xt_j^T S r_true`` for the listed features.

    A short CSC column is a few cache lines at an address the hardware
    prefetcher cannot guess when the list skips columns: each is requested
    ``PREFETCH_AHEAD`` columns before it is summed, so that the loads
    overlap instead of waiting one after another. Dense columns are long
    contiguous runs, which the hardware prefetches by itself.
    """
    cdef int jj, j
    for jj in range(n_selected):
        j = features[jj]
        if is_sparse and jj + PREFETCH_AHEAD < n_selected:
            _prefetch_column(features[jj + PREFETCH_AHEAD], data, indices, indptr)
        XtSr[j] = _correlation(j, is_sparse, n, X_ptr, data, indices, indptr,
                               r, sw, weighted, colsum, offset, res, sum_s)


cdef inline void _step(
    int j, floating step, bint is_sparse, int n, const floating* X_ptr,
    const floating* data, const IndexT* indices, const IndexT* indptr,
    floating* r, const floating* colsum, const floating* offset,
    Residual* res, double sum_s,
) noexcept nogil:
    """r_true <- r_true - step * xt_j."""
    if is_sparse:
        _sparse_update(indptr[j], indptr[j + 1], step, data, indices, r)
        if res.centred:
            res.shift += step * offset[j]
            res.sum_sr -= step * colsum[j]
    else:
        _dense_update(n, step, X_ptr + <size_t> j * n, offset[j], r)
        res.sum_sr -= step * (colsum[j] - offset[j] * sum_s)


def bounds_checked():
    """True when this build checks memoryview indices (``L1L2_DEBUG=1``).

    Reads one element past the end of an empty view of a one-element
    array: a debug build raises IndexError, a release build reads the
    element (harmless)."""
    cdef double[::1] empty = np.zeros(1)[:0]
    cdef double value
    try:
        value = empty[0]
    except IndexError:
        return True
    return value != value  # False; uses value so the read is kept


def gap_safe_discards(
    const double[::1] dual_correlation,
    double gap,
    const double[::1] norm,
    const double[::1] l1,
    const double[::1] lower,
    const double[::1] upper,
):
    """The features the solver's gap-safe rule would discard (for tests).

    Applies the rule the residual solver screens with (``_safe_radius`` and
    ``_provably_zero``) to every feature, on the kernel's scale.

    Parameters
    ----------
    dual_correlation : ndarray of shape (n_features,)
        ``xt_j^T S theta`` at a feasible dual point ``theta``.
    gap : float
        A duality gap of ``theta`` (with some primal point).
    norm : ndarray of shape (n_features,)
        ``||xt_j||_S``.
    l1 : ndarray of shape (n_features,)
        Each feature's L1 threshold, ``l1_reg * penalty_factor[j]``.
    lower, upper : ndarray of shape (n_features,)
        The bounds of the coefficients.

    Returns
    -------
    discarded : ndarray of bool, shape (n_features,)
    """
    cdef Py_ssize_t j, n = dual_correlation.shape[0]
    cdef double radius = _safe_radius(gap)
    discarded = np.zeros(n, dtype=bool)
    cdef unsigned char[::1] out = discarded.view(np.uint8)
    for j in range(n):
        out[j] = _provably_zero(dual_correlation[j], radius * norm[j], l1[j],
                                lower[j], upper[j])
    return discarded


def anderson_trial(
    floating[::1] w,
    floating[:, ::1] iterates,
    const floating[::1, :] X,
    const floating[::1] X_data,
    const int[::1] X_indices,
    const int[::1] X_indptr,
    bint is_sparse,
    const floating[::1] y,
    const floating[::1] X_offset,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
):
    """One Anderson trial of the residual solver, on every feature (for tests).

    Sets up the residual of ``w`` as the solver does (implicit centring by
    ``X_offset``, unit weights) and runs the solver's ``_anderson_step`` on
    the ``K + 1`` stored iterates (rows of ``iterates``), which keeps the
    extrapolated point only if it lowers the objective.

    Returns
    -------
    kept : bool
        Whether ``w`` (updated in place) moved to the extrapolated point.
    residual : ndarray of shape (n_samples,)
        The true residual ``y - (X - X_offset) w`` the solver holds after
        the trial.
    """
    cdef int n_samples = y.shape[0], n_features = w.shape[0]
    cdef int anderson = iterates.shape[0] - 1
    cdef int j
    dtype = np.float32 if floating is float else np.float64
    residual = np.array(y, dtype=dtype)
    cdef floating[::1] r = residual
    cdef floating[::1] trial_r = np.empty(n_samples, dtype=dtype)
    cdef floating[::1] extrapolated = np.empty(n_features, dtype=dtype)
    # sum(S r) is not tracked (the trial reads no correlation): zero column
    # sums keep it at its start.
    cdef floating[::1] colsum = np.zeros(n_features, dtype=dtype)
    cdef double[::1] small_matrix = np.empty(anderson * anderson)
    cdef double[::1] small_rhs = np.empty(anderson)
    cdef int[::1] working_set = np.arange(n_features, dtype=np.intc)
    cdef const floating* X_ptr = &X[0, 0] if not is_sparse else NULL
    cdef const floating* data = &X_data[0] if is_sparse else NULL
    cdef const int* indices = &X_indices[0] if is_sparse else NULL
    cdef const int* indptr = &X_indptr[0] if is_sparse else NULL
    cdef Residual res
    cdef bint kept
    res.shift = 0.0
    res.sum_sr = 0.0
    res.centred = bool(np.any(np.asarray(X_offset) != 0))
    for j in range(n_features):
        if w[j] != 0.0:
            _step(j, w[j], is_sparse, n_samples, X_ptr, data, indices, indptr,
                  &r[0], &colsum[0], &X_offset[0], &res, n_samples)
    kept = _anderson_step(
        &working_set[0], n_features, anderson, iterates, extrapolated,
        small_matrix, small_rhs, w, &r[0], &trial_r[0], n_samples, NULL,
        is_sparse, X_ptr, data, indices, indptr, &colsum[0], &X_offset[0],
        &res, n_samples, l1_reg, l2_reg, penalty_factor, lower, upper)
    return kept, residual + res.shift


def drift_bounds(
    const double[::1] norm,
    const double[::1] l1norm,
    const double[::1] residual,
    const double[::1] start,
    const double[::1] sample_weight,
):
    """The bounds the solver puts on how far each correlation moved (for
    tests).

    Measures how far ``residual`` is from ``start`` as the solver does
    (``_move``) and bounds ``|xt_j^T S (residual - start)|`` with
    ``_drift_bound``, given the column norms of :func:`column_statistics`.

    Returns
    -------
    bounds : ndarray of shape (n_features,)
    """
    cdef Py_ssize_t j
    cdef Move moved = _move(&residual[0], 0.0, &start[0], &sample_weight[0],
                            residual.shape[0])
    bounds = np.empty(norm.shape[0])
    for j in range(norm.shape[0]):
        bounds[j] = _drift_bound(norm[j], l1norm[j], moved)
    return bounds


def discarded_features(correlations):
    """What the last solve given ``correlations`` left out (for tests).

    Parameters
    ----------
    correlations : tuple
        The path state a solve was given (:func:`fresh_correlations`).

    Returns
    -------
    out : ndarray of bool, shape (n_features,)
        Screened by the gap-safe rule, or unusable (a zero column, an
        infinite penalty factor): the solve fixed them at 0.
    parked : ndarray of bool, shape (n_features,)
        Left out on the strength of a bound on their stale correlation, and
        certified feasible at the final dual point by that bound or by a
        fresh correlation.
    """
    state = np.asarray(correlations[3])
    return state == OUT, np.isin(state, (PARKED, PARKED_FRESH, PARKED_NEXT))


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


def column_statistics(
    const floating[::1, :] X,
    const floating[::1] X_data,
    const IndexT[::1] X_indices,
    const IndexT[::1] X_indptr,
    bint is_sparse,
    const floating[::1] sample_weight,
    const floating[::1] offset,
):
    """Weighted norms and sums of the centred columns.

    Returns ``(norm2, colsum, norm, l1norm)`` with ``norm2[j] = sum_i s_i
    (x_ij - m_j)^2`` (0 when centring leaves only rounding noise, i.e. a
    constant column), ``colsum[j] = sum_i s_i x_ij``, ``norm = sqrt(norm2)``
    and ``l1norm[j]`` at least ``sum_i s_i |x_ij - m_j|`` (exact for dense
    X; ``sum_i s_i |x_ij| + |m_j| sum(s)`` for CSC). The two norms bound how
    far a correlation moves with the residual (see ``_drift_bound``).
    ``sample_weight`` must be a full array. Duplicate CSC entries add up, as
    in scipy.
    """
    cdef int n_samples = sample_weight.shape[0]
    cdef int n_features = offset.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] norm2 = np.zeros(n_features, dtype=dtype)
    cdef floating[::1] colsum = np.zeros(n_features, dtype=dtype)
    cdef double[::1] norm = np.zeros(n_features, dtype=np.float64)
    cdef double[::1] l1norm = np.zeros(n_features, dtype=np.float64)
    cdef floating[::1] column = np.zeros(n_samples if is_sparse else 0, dtype=dtype)
    cdef const floating* sw
    cdef int i, j
    cdef IndexT k
    cdef double raw, centred, value, absolute, total, sum_s = 0.0
    cdef IndexT previous
    cdef bint increasing
    cdef floating eps
    if n_samples == 0:
        return np.asarray(norm2), np.asarray(colsum), np.asarray(norm), np.asarray(l1norm)
    sw = &sample_weight[0]
    eps = _epsilon(sample_weight[0])

    with nogil:
        for i in range(n_samples):
            sum_s += sw[i]
        for j in range(n_features):
            raw = 0.0
            centred = 0.0
            absolute = 0.0
            total = 0.0
            if is_sparse:
                # Strictly increasing row indices (scipy's canonical form)
                # hold no duplicates: the sums come straight from the stored
                # values in the pass that checks the order, without the
                # scratch vector and the two extra passes of the general
                # case below.
                increasing = True
                previous = -1
                for k in range(X_indptr[j], X_indptr[j + 1]):
                    i = X_indices[k]
                    increasing = increasing and i > previous
                    previous = i
                    value = X_data[k]
                    total += sw[i] * value
                    raw += sw[i] * value * value
                    absolute += sw[i] * fabs(value)
                if not increasing:
                    # Gather the column into a dense scratch vector so that
                    # duplicate entries add up before squaring.
                    total = 0.0
                    raw = 0.0
                    absolute = 0.0
                    for k in range(X_indptr[j], X_indptr[j + 1]):
                        total += sw[X_indices[k]] * X_data[k]
                        column[X_indices[k]] += X_data[k]
                    for k in range(X_indptr[j], X_indptr[j + 1]):
                        i = X_indices[k]
                        raw += sw[i] * column[i] * column[i]
                        absolute += sw[i] * fabs(column[i])
                        column[i] = 0.0
                colsum[j] = total
                # sum_i s_i (x_ij - m)^2 = raw - 2 m colsum + m^2 sum(s)
                centred = raw + offset[j] * (offset[j] * sum_s - 2.0 * colsum[j])
                absolute += fabs(offset[j]) * sum_s
            else:
                for i in range(n_samples):
                    colsum[j] += sw[i] * X[i, j]
                    raw += sw[i] * X[i, j] * X[i, j]
                    value = X[i, j] - offset[j]
                    centred += sw[i] * value * value
                    absolute += sw[i] * fabs(value)
            # A constant column leaves only rounding noise after centring;
            # an overflowing one (raw = inf) is not constant: its inf is
            # left for the caller to refuse.
            norm2[j] = 0.0 if centred <= eps * raw and raw < INFINITY else centred
            norm[j] = sqrt(<double> norm2[j])
            l1norm[j] = absolute
    return np.asarray(norm2), np.asarray(colsum), np.asarray(norm), np.asarray(l1norm)


# --- the residual solver: working sets, screening, acceleration --------------


RANKED_DTYPE = np.dtype([("priority", np.float64), ("index", np.intc)], align=True)


class Workspace:
    """Work arrays of the residual solver, reused from one solve to the next.

    A path hands the same workspace to each of its solves, so the solver's
    twenty-odd buffers (several of length n_features) are allocated once per
    path instead of once per alpha. A solve without one gets a fresh
    workspace.
    """

    def __init__(self):
        self._arrays = {}

    def empty(self, name, shape, dtype):
        """The array called ``name``, of that shape and dtype, contents left
        from its last use."""
        dtype = np.dtype(dtype)
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        array = self._arrays.get(name)
        if array is None or array.shape != shape or array.dtype != dtype:
            array = np.empty(shape, dtype=dtype)
            self._arrays[name] = array
        return array

    def constant(self, name, shape, dtype, value):
        """Like :meth:`empty`, filled with ``value`` when allocated only: for
        arrays that every solve leaves as it found them."""
        previous = self._arrays.get(name)
        array = self.empty(name, shape, dtype)
        if array is not previous:
            array.fill(value)
        return array


def _residual_solver(
    floating[::1] w,
    floating l1_reg,
    floating l2_reg,
    const floating[::1, :] X,
    const floating[::1] X_data,
    const IndexT[::1] X_indices,
    const IndexT[::1] X_indptr,
    bint is_sparse,
    const floating[::1] y,
    const floating[::1] sample_weight,
    const floating[::1] X_offset,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] norm2,
    const floating[::1] colsum,
    const double[::1] norm,
    const double[::1] l1norm,
    floating[::1] XtSr,
    int[::1] correlations_state,
    double[::1] drift,
    unsigned char[::1] is_candidate,
    double[::1] pending_move,
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
    bint use_working_set,
    bint use_screening,
    int anderson,
    floating strong_l1,
    work,
):
    """Minimise P over the box; see ``enet_coordinate_descent``.

    Outer loop: a full pass computes the duality gap over the candidate
    features (those not yet screened), screens with it, and ranks the
    candidates by ``(l1 f_j - |xt_j^T S theta|) / ||xt_j||``, the distance
    of their dual constraint to being active. Inner loop: coordinate descent
    on the best-ranked ones (the working set, which always holds the
    non-zero and unpenalised coefficients) until the restricted gap is a
    fraction of the outer gap. Without working sets the inner loop runs on
    all candidates to the final tolerance, which is plain coordinate descent.

    ``XtSr`` is the correlation buffer and ``drift`` bounds how stale it
    is: when ``correlations_state[0]`` is 1 on entry, every usable feature
    has ``|xt_j^T S r - XtSr[j]| <= drift[j]`` at the warm start. The
    first pass then computes no correlation for a feature whose bound keeps
    it well inside its constraint: it is parked, and checked once against
    the final dual point (the path's KKT check). Only the others are
    refreshed. On a converged exit the solver leaves the buffer and the
    bounds valid for the solution (and the state at 1), so that a path pays
    for a feature only while it may matter. With short columns (at most
    ``SHORT_COLUMN`` stored values) a feature with an exact correlation is
    parked too, and the final check of the parked features also parks them
    for the next solve, whose l1 regulariser it guesses from the last two
    (``PARKED_NEXT``, drift relative to the solution; the next set-up loop
    takes them as they are if its l1_reg is at least that guess, and tests
    them again otherwise). Long columns are parked on stale bounds only
    and refreshed at the next start, in one pass in index order with the
    stale candidates, which reads X faster than two passes. The bounds of the
    screened features (``is_candidate`` OUT) still lack how far r moved in
    this solve, ``pending_move``, which the next solve adds in its first
    loop over the features.
    ``work`` is the :class:`Workspace` its arrays come from.
    """
    cdef int n_samples = y.shape[0]
    cdef int n_features = w.shape[0]
    cdef bint weighted = sample_weight.shape[0] > 0
    cdef int n_unpen = unpenalised.shape[0]
    cdef int history = anderson + 1 if anderson > 0 else 0
    dtype = np.float32 if floating is float else np.float64

    cdef floating[::1] residual = work.empty("residual", n_samples, dtype)
    cdef floating[::1] trial_residual = work.empty(
        "trial_residual", n_samples if anderson > 0 else 0, dtype)
    cdef bint reuse = correlations_state[0] == 1 and n_unpen == 0
    cdef bint track = n_unpen == 0
    cdef floating[::1] residual_start = work.empty(
        "residual_start", n_samples if track else 0, dtype)
    cdef Move moved, pending
    # The residual at the last gap evaluation: with ``drift`` it bounds how
    # stale each candidate's correlation is, so that a converged solve is
    # certified from the few features near their constraint (a lazy pass).
    cdef floating[::1] anchor = work.empty("anchor", n_samples if track else 0, dtype)
    cdef int[::1] uncertain = work.empty(
        "uncertain", n_features if track else 0, np.intc)
    # Features left out at a sequential start on the strength of their
    # stale correlation alone (see ``_sequential_start``).
    cdef int[::1] parked = work.empty("parked", n_features if track else 0, np.intc)
    cdef int n_parked = 0
    # Flops of one column product: the stored values per column for CSC.
    cdef double column_length = max(
        1.0, X_data.shape[0] / max(n_features, 1) if is_sparse else n_samples)
    cdef bint park_exact = column_length <= SHORT_COLUMN
    cdef double defer_share = DEFER_SHARE_SHORT if park_exact else DEFER_SHARE_LONG
    cdef floating[::1] offset = (
        X_offset if X_offset.shape[0] > 0
        else work.constant("offset", n_features, dtype, 0))
    cdef floating[::1] unpenalised_y = np.zeros(n_unpen, dtype=dtype)
    cdef double[::1] scratch = np.empty(n_unpen * (n_unpen + 2), dtype=np.float64)
    cdef int[::1] candidates = work.empty("candidates", n_features, np.intc)
    cdef int[::1] working_set = work.empty("working_set", n_features, np.intc)
    cdef floating[:, ::1] iterates = work.empty("iterates", (history, n_features), dtype)
    cdef floating[::1] extrapolated = work.empty("extrapolated", n_features, dtype)
    cdef double[::1] small_matrix = np.empty(anderson * anderson, dtype=np.float64)
    cdef double[::1] small_rhs = np.empty(anderson, dtype=np.float64)
    # Buffers of the exact step on a known support (at most max_support
    # coefficients: beyond n_samples the system is singular without an L2
    # part).
    cdef int max_support = min(n_features, MAX_NEWTON_SUPPORT)
    if l2_reg == 0.0:
        max_support = min(max_support, n_samples)
    cdef double[::1] newton_gram = work.empty(
        "newton_gram", max_support * (max_support + 1), np.float64)
    cdef double[::1] newton_step = work.empty("newton_step", max_support, np.float64)
    cdef int[::1] newton_active = work.empty("newton_active", max_support, np.intc)
    # Zero between uses: the sparse exact step clears what it scatters, the
    # dense one overwrites.
    cdef floating[::1] dense_column = work.constant(
        "dense_column", n_samples, dtype, 0)
    cdef bint support_changed
    cdef int newton
    cdef floating[::1] saved_w = work.empty("saved_w", n_features, dtype)
    cdef floating[::1] saved_r = work.empty("saved_r", n_samples, dtype)
    cdef Residual saved_res
    cdef double polished_gap
    cdef bint polished, rejected, affordable
    cdef floating saved_scale
    cdef double newton_credit[2]
    cdef Ranked[::1] ranked = work.empty("ranked", n_features, RANKED_DTYPE)
    if not weighted:
        sample_weight = work.constant("ones", n_samples, dtype, 1)

    cdef const floating* sw = &sample_weight[0]
    cdef floating* r = &residual[0]
    cdef const floating* X_ptr = &X[0, 0] if not is_sparse else NULL
    cdef const floating* data = (
        &X_data[0] if is_sparse and X_data.shape[0] > 0 else NULL)
    cdef const IndexT* indices = (
        &X_indices[0] if is_sparse and X_indices.shape[0] > 0 else NULL)
    cdef const IndexT* indptr = &X_indptr[0] if is_sparse else NULL
    cdef const floating* cs = &colsum[0]
    cdef const floating* off = &offset[0]

    cdef Residual res
    cdef DualStats stats
    cdef int i, j, jj, a, k, outer, epochs = 0, inner_epochs, n_stored
    cdef int n_candidates = 0, ws_size = 0, previous_ws_size = 0, n_nonzero
    cdef int n_stale = 0
    cdef floating w_j, w_new, step, w_max, d_w_max, correlation, scale, radius
    cdef floating l1
    cdef double sum_s, y_norm2, tol_scaled, inner_tol
    cdef double y_sums[3]
    cdef double gap = INFINITY, inner_gap, start_gap = INFINITY
    cdef floating start_scale = 1.0
    cdef uint32_t rng_state = seed | 1
    # The next solve's l1 regulariser, guessed from the ratio of the last
    # two (a path's grid is geometric), a hair low so that rounding cannot
    # make it too high: the final pass parks features for it.
    cdef double previous_l1 = pending_move[2], park_threshold
    cdef double next_l1 = l1_reg * (1.0 - 1e-9)
    cdef bint promised = reuse and l1_reg >= pending_move[3] > 0.0
    if 0.0 < l1_reg < previous_l1:
        next_l1 *= l1_reg / previous_l1

    with nogil:
        for i in range(n_samples):
            r[i] = y[i]
        if reuse and pending_move[4] > 0.0:
            # The same target as the last solve of the path: its norm is
            # known (a pass over the samples less per alpha).
            y_norm2 = pending_move[4]
        else:
            _residual_sums(&y[0], 0.0, &y[0], sw if weighted else NULL,
                           n_samples, y_sums)
            y_norm2 = y_sums[1]
            pending_move[4] = y_norm2
        sum_s = _weighted_sum(sw, NULL, n_samples) if weighted else n_samples
        tol_scaled = tol * y_norm2
        res.shift = 0.0
        res.centred = X_offset.shape[0] > 0
        res.sum_sr = 0.0

        # Constant columns and excluded features are out for good; the
        # others start as candidates, from the warm start w. On a path, the
        # features the last solve ended without (screened or parked) first
        # take on how far its residual moved (deferred to this pass over
        # all features, which reads them anyway).
        pending.l2 = pending_move[0]
        pending.sup = pending_move[1]
        for j in range(n_features):
            if promised and is_candidate[j] == PARKED_NEXT:
                # Parked by the last solve's final pass for at least this
                # l1_reg: its drift is already relative to the warm start.
                is_candidate[j] = PARKED
                parked[n_parked] = j
                n_parked += 1
                continue
            if reuse and (is_candidate[j] == OUT or is_candidate[j] == PARKED):
                drift[j] += _drift_bound(norm[j], l1norm[j], pending)
            if norm2[j] == 0.0 or penalty_factor[j] == INFINITY:
                w[j] = 0.0
                is_candidate[j] = OUT
                continue
            if reuse and (park_exact or drift[j] != 0.0):
                # |xt_j^T S r| <= |XtSr[j]| + drift[j] (0 when exact).
                # Parked when that bound stays below defer_share of the
                # threshold (left out, checked against the final dual point
                # by _unpark_violators); a stale correlation is refreshed by
                # _sequential_start otherwise.
                if _parkable(w[j], penalty_factor[j], fabs(XtSr[j]) + drift[j],
                             defer_share * l1_reg):
                    is_candidate[j] = PARKED
                    parked[n_parked] = j
                    n_parked += 1
                    continue
                if drift[j] != 0.0:
                    uncertain[n_stale] = j
                    n_stale += 1
                    drift[j] = 0.0
            candidates[n_candidates] = j
            n_candidates += 1
            is_candidate[j] = CANDIDATE
            if w[j] != 0.0:
                _step(j, w[j], is_sparse, n_samples, X_ptr, data, indices,
                      indptr, r, cs, off, &res, sum_s)
        # sum(S r) afresh: the steps above kept it up to date from the 0 it
        # started at, not from sum(S y), and the sequential start refreshes
        # correlations (which read it, when X is centred implicitly) before
        # any gap recomputes it. Only centred correlations read it.
        if res.centred:
            res.sum_sr = _weighted_sum(r, sw if weighted else NULL, n_samples)
        # The set-up passes over X count towards the exact step's budget.
        newton_credit[0] = 2.0 * (n_candidates + n_parked)
        newton_credit[1] = 4.0
        # Xt_U^T S y for the projection of the dual point (y is centred,
        # so the offsets drop out).
        for a in range(n_unpen):
            j = unpenalised[a]
            if is_sparse:
                unpenalised_y[a] = _sparse_dot(
                    indptr[j], indptr[j + 1], data, indices, &y[0], sw, weighted)
            else:
                unpenalised_y[a] = _dense_dot(
                    n_samples, X_ptr + <size_t> j * n_samples, &y[0], sw, weighted)

        correlations_state[0] = 0
        if track:
            for i in range(n_samples):
                residual_start[i] = r[i] + res.shift
        if reuse:
            n_candidates = _sequential_start(
                &candidates[0], n_candidates, &uncertain[0], n_stale,
                &parked[0], &n_parked, is_candidate,
                defer_share * l1_reg if park_exact else -1.0,
                XtSr, w, r, &y[0], sw, weighted, n_samples, is_sparse, X_ptr, data,
                indices, indptr, cs, off, &res, sum_s, l1_reg, l2_reg,
                penalty_factor, lower, upper, &stats, unpenalised, cross_gram,
                unpenalised_gram, unpenalised_y, scratch, &start_gap,
                &start_scale)
        else:
            for j in range(n_features):
                drift[j] = 0.0
        for outer in range(max_iter + 1):
            gap = INFINITY
            if track and outer > 0:
                # Lazy pass: most candidates are certified feasible by their
                # stale correlation and a distance; if the gap then meets
                # the tolerance, the full pass is not needed.
                gap = _lazy_gap(
                    &candidates[0], n_candidates, &uncertain[0], drift, w,
                    XtSr, r, &anchor[0], &y[0], sw, weighted, n_samples,
                    is_sparse, X_ptr, data, indices, indptr, cs, off, &res,
                    sum_s, &stats, l1_reg, l2_reg, penalty_factor, lower,
                    upper, norm, l1norm, unpenalised, cross_gram, unpenalised_gram,
                    unpenalised_y, scratch, &scale, &newton_credit[0])
            if reuse and outer == 0:
                # The sequential start's gap: the parked features satisfy
                # its dual point by their bounds and add nothing to it.
                gap = start_gap
                scale = start_scale
                _mark_fresh(&candidates[0], 0, drift, r, res.shift,
                            &anchor[0], n_samples)
            elif gap > tol_scaled:
                # Full pass: the gap over all candidates.
                gap = _gap_on(
                    &candidates[0], n_candidates, w, XtSr, r, &y[0], sw,
                    weighted, n_samples, is_sparse, X_ptr, data, indices,
                    indptr, cs, off, &res, sum_s, &stats, l1_reg, l2_reg,
                    penalty_factor, lower, upper, unpenalised, cross_gram,
                    unpenalised_gram, unpenalised_y, scratch, &scale)
                newton_credit[0] += n_candidates
                if track:
                    _mark_fresh(&candidates[0], n_candidates, drift, r,
                                res.shift, &anchor[0], n_samples)
            if track and use_screening and gap > tol_scaled:
                # How far r has moved since the start: the staleness of the
                # correlations of the features screened at this pass (a
                # converged pass screens none; its polish measures again).
                moved = _move(r, res.shift, &residual_start[0],
                              sw if weighted else NULL, n_samples)
            if gap <= tol_scaled:
                # Polish: the exact solution on the final support costs a
                # small linear solve and is usually exact to rounding. It
                # is kept if its gap is still within the tolerance (at this
                # point rounding decides which of two tiny gaps is smaller).
                # The polish moves candidates only: saving them is enough
                # (and only when the polish can run).
                rejected = False
                polished = False
                affordable = _polish_affordable(
                    &candidates[0], n_candidates, &w[0], &lower[0], &upper[0],
                    &penalty_factor[0], max_support, newton_credit[0],
                    column_length)
                if affordable:
                    _copy_on(&candidates[0], n_candidates, &w[0], &saved_w[0])
                    for i in range(n_samples):
                        saved_r[i] = r[i]
                    saved_res = res
                    saved_scale = scale
                    polished = _support_newton_step(
                        &candidates[0], n_candidates, w, r, n_samples, sw,
                        weighted, is_sparse, X_ptr, data, indices, indptr, cs,
                        off, &res, sum_s, l1_reg, l2_reg, penalty_factor,
                        lower, upper, newton_gram, newton_step, newton_active,
                        &dense_column[0], max_support, &newton_credit[0], True,
                        column_length) == NEWTON_EXACT
                if affordable and not polished and _changed_on(
                        &candidates[0], n_candidates, &w[0], &saved_w[0]):
                    # Dropped negligible coefficients, then gave up: undo.
                    _copy_on(&candidates[0], n_candidates, &saved_w[0], &w[0])
                    for i in range(n_samples):
                        r[i] = saved_r[i]
                    res = saved_res
                if polished:
                    if track:
                        polished_gap = _lazy_gap(
                            &candidates[0], n_candidates, &uncertain[0], drift,
                            w, XtSr, r, &anchor[0], &y[0], sw, weighted,
                            n_samples, is_sparse, X_ptr, data, indices, indptr,
                            cs, off, &res, sum_s, &stats, l1_reg, l2_reg,
                            penalty_factor, lower, upper, norm, l1norm,
                            unpenalised, cross_gram, unpenalised_gram,
                            unpenalised_y, scratch, &scale, &newton_credit[0])
                    else:
                        polished_gap = _gap_on(
                            &candidates[0], n_candidates, w, XtSr, r, &y[0],
                            sw, weighted, n_samples, is_sparse, X_ptr, data,
                            indices, indptr, cs, off, &res, sum_s, &stats,
                            l1_reg, l2_reg, penalty_factor, lower, upper,
                            unpenalised, cross_gram, unpenalised_gram,
                            unpenalised_y, scratch, &scale)
                    if polished_gap <= max(gap, tol_scaled):
                        gap = polished_gap
                    else:
                        _copy_on(&candidates[0], n_candidates, &saved_w[0], &w[0])
                        for i in range(n_samples):
                            r[i] = saved_r[i]
                        res = saved_res
                        scale = saved_scale
                        # XtSr is that of the rejected point: the next solve
                        # cannot reuse it (the state stays 0).
                        rejected = True
                if track:
                    # Parked features are checked at the returned point
                    # (polished or not) with its dual scale.
                    moved = _move(r, res.shift, &residual_start[0],
                                  sw if weighted else NULL, n_samples)
                    k = n_candidates
                    # Short columns: park for the next solve now. Long ones:
                    # only the check (refreshes cost less in one sorted
                    # pass at the next start, with the stale candidates).
                    park_threshold = defer_share * next_l1
                    if not park_exact:
                        park_threshold = l1_reg / scale if scale > 0.0 else INFINITY
                    n_candidates = _unpark_violators(
                        &parked[0], &n_parked, &candidates[0], n_candidates,
                        is_candidate, drift, XtSr, norm, l1norm, moved, scale,
                        l1_reg, park_threshold, penalty_factor, r, sw,
                        weighted, n_samples, is_sparse, X_ptr, data, indices,
                        indptr, cs, off, &res, sum_s, &uncertain[0])
                    if n_candidates > k:
                        continue  # the gap did not account for them
                if track and not rejected:
                    # The last pass was at the solution: there the
                    # candidates' drifts bound their staleness; the others'
                    # bounds grow by how far r moved in this solve, which
                    # the next solve adds as it sets up.
                    pending_move[0] = moved.l2
                    pending_move[1] = moved.sup
                    pending_move[2] = l1_reg
                    pending_move[3] = next_l1 if park_exact else 0.0
                    correlations_state[0] = 1
                break
            if epochs >= max_iter:
                break

            if use_screening:
                # Gap-safe: the optimal dual point is within sqrt(2 gap) of
                # scale * theta in the S-norm.
                radius = _safe_radius(gap)
                k = 0
                for jj in range(n_candidates):
                    j = candidates[jj]
                    if penalty_factor[j] != 0.0 and _provably_zero(
                            scale * XtSr[j], radius * norm[j],
                            l1_reg * penalty_factor[j], lower[j], upper[j]):
                        if w[j] != 0.0:
                            _step(j, -w[j], is_sparse, n_samples, X_ptr, data,
                                  indices, indptr, r, cs, off, &res, sum_s)
                            w[j] = 0.0
                        is_candidate[j] = OUT
                        if track:
                            # Exact at r: within ``moved`` of the start.
                            drift[j] = _drift_bound(norm[j], l1norm[j], moved)
                        continue
                    candidates[k] = j
                    k += 1
                n_candidates = k

            if use_working_set:
                n_nonzero = 0
                for jj in range(n_candidates):
                    j = candidates[jj]
                    l1 = l1_reg * penalty_factor[j]
                    if w[j] != 0.0 or penalty_factor[j] == 0.0:
                        n_nonzero += 1
                        ranked[jj].priority = -INFINITY
                    else:
                        ranked[jj].priority = (
                            (l1 - fabs(scale * XtSr[j])) / norm[j])
                        if (outer == 0 and strong_l1 > 0.0
                                and fabs(XtSr[j]) >= strong_l1 * penalty_factor[j]):
                            # Sequential strong rule (Tibshirani et al. 2012):
                            # likely active at this alpha; start with it.
                            ranked[jj].priority = -INFINITY
                            n_nonzero += 1
                    ranked[jj].index = j
                ws_size = max(WORKING_SET_START, n_nonzero + n_nonzero // 4 + 10)
                if ws_size <= previous_ws_size:
                    ws_size = 2 * previous_ws_size
                ws_size = min(ws_size, n_candidates)
                previous_ws_size = ws_size
                _select_smallest(&ranked[0], n_candidates, ws_size)
                for jj in range(ws_size):
                    working_set[jj] = ranked[jj].index
                    if track:
                        # Inner gaps overwrite its correlation: a lazy pass
                        # must recompute it.
                        drift[working_set[jj]] = INFINITY
                # Solve the working set to the final tolerance at once when
                # no feature left out violates its optimality condition at
                # the current point; otherwise to a share of the gap first.
                inner_tol = tol_scaled
                for jj in range(ws_size, n_candidates):
                    j = ranked[jj].index
                    if fabs(XtSr[j]) > l1_reg * penalty_factor[j]:
                        inner_tol = max(tol_scaled, INNER_GAP_SHARE * gap)
                        break
            else:
                ws_size = n_candidates
                for jj in range(ws_size):
                    working_set[jj] = candidates[jj]
                    if track:
                        drift[candidates[jj]] = INFINITY
                inner_tol = tol_scaled

            # Inner solve: coordinate descent on the working set.
            inner_epochs = 0
            n_stored = 0
            support_changed = True
            while epochs < max_iter:
                w_max = 0.0
                d_w_max = 0.0
                for jj in range(ws_size):
                    if random:
                        j = working_set[_next_random(&rng_state) % ws_size]
                    else:
                        j = working_set[jj]
                        if is_sparse and jj + PREFETCH_AHEAD < ws_size:
                            # As in _correlations_of: the working set skips
                            # columns, so its next ones are asked for early.
                            _prefetch_column(working_set[jj + PREFETCH_AHEAD],
                                             data, indices, indptr)
                    correlation = _correlation(
                        j, is_sparse, n_samples, X_ptr, data, indices, indptr,
                        r, sw, weighted, cs, off, &res, sum_s)
                    w_j = w[j]
                    w_new = _coordinate_minimiser(
                        correlation + norm2[j] * w_j, norm2[j],
                        l1_reg * penalty_factor[j], l2_reg * penalty_factor[j],
                        lower[j], upper[j])
                    if w_new != w_j:
                        step = w_new - w_j
                        _step(j, step, is_sparse, n_samples, X_ptr, data,
                              indices, indptr, r, cs, off, &res, sum_s)
                        w[j] = w_new
                        d_w_max = max(d_w_max, fabs(step))
                        if (w_new > 0.0) != (w_j > 0.0) or (w_new < 0.0) != (w_j < 0.0):
                            support_changed = True
                    w_max = max(w_max, fabs(w_new))
                epochs += 1
                inner_epochs += 1
                newton_credit[0] += ws_size

                if history > 0:
                    for jj in range(ws_size):
                        iterates[n_stored, jj] = w[working_set[jj]]
                    n_stored += 1
                    if n_stored == history:
                        n_stored = 0
                        support_changed |= _anderson_step(
                            &working_set[0], ws_size, anderson, iterates,
                            extrapolated, small_matrix, small_rhs, w, r,
                            &trial_residual[0], n_samples,
                            sw if weighted else NULL, is_sparse,
                            X_ptr, data, indices, indptr, cs, off, &res,
                            sum_s, l1_reg, l2_reg, penalty_factor, lower, upper)

                if (w_max == 0.0 or d_w_max <= tol * w_max
                        or inner_epochs % GAP_EVERY == 0 or epochs == max_iter):
                    inner_gap = _gap_on(
                        &working_set[0], ws_size, w, XtSr, r, &y[0], sw,
                        weighted, n_samples, is_sparse, X_ptr, data, indices,
                        indptr, cs, off, &res, sum_s, &stats, l1_reg, l2_reg,
                        penalty_factor, lower, upper, unpenalised, cross_gram,
                        unpenalised_gram, unpenalised_y, scratch, &scale)
                    if inner_gap <= inner_tol:
                        break
                    # Support and signs unchanged since the last check: try
                    # the exact solution on that support (a small linear
                    # system, see ``_support_newton_step``).
                    newton = NEWTON_NONE
                    if not support_changed:
                        newton = _support_newton_step(
                            &working_set[0], ws_size, w, r, n_samples, sw,
                            weighted, is_sparse, X_ptr, data, indices, indptr,
                            cs, off, &res, sum_s, l1_reg, l2_reg,
                            penalty_factor, lower, upper, newton_gram,
                            newton_step, newton_active, &dense_column[0],
                            max_support, &newton_credit[0], False,
                            column_length)
                    if newton == NEWTON_EXACT:
                        inner_gap = _gap_on(
                            &working_set[0], ws_size, w, XtSr, r, &y[0], sw,
                            weighted, n_samples, is_sparse, X_ptr, data,
                            indices, indptr, cs, off, &res, sum_s, &stats,
                            l1_reg, l2_reg, penalty_factor, lower, upper,
                            unpenalised, cross_gram, unpenalised_gram,
                            unpenalised_y, scratch, &scale)
                        if inner_gap <= inner_tol:
                            break
                    # A partial step took a coefficient out of the support.
                    support_changed = newton == NEWTON_PARTIAL

    if sum_s > 0.0:
        gap /= sum_s
    return np.asarray(w), float(gap), max(epochs, 1)


cdef struct Move:
    # How far the residual moved from a reference point, in two norms.
    double l2       # ||r - reference||_S
    double sup      # max_i |r_i - reference_i|


cdef Move _move(
    const floating* r, double shift, const floating* reference,
    const floating* sw, int n_samples,
) noexcept nogil:
    """How far r + shift is from ``reference`` (``sw`` NULL: unit weights).

    In LANES interleaved partial sums and maxima (see ``_residual_sums``).
    """
    cdef int i, block, lane, n_whole = n_samples - n_samples % LANES
    cdef double total[LANES]
    cdef double largest[LANES]
    cdef double d
    cdef Move moved
    for lane in range(LANES):
        total[lane] = 0.0
        largest[lane] = 0.0
    for block in range(n_whole // LANES):
        i = block * LANES
        for lane in range(LANES):
            d = r[i + lane] + shift - reference[i + lane]
            total[lane] += _weight_of(sw, i + lane) * d * d
            largest[lane] = max(largest[lane], fabs(d))
    for i in range(n_whole, n_samples):
        d = r[i] + shift - reference[i]
        total[0] += _weight_of(sw, i) * d * d
        largest[0] = max(largest[0], fabs(d))
    for lane in range(1, LANES):
        total[0] += total[lane]
        largest[0] = max(largest[0], largest[lane])
    moved.l2 = sqrt(total[0])
    moved.sup = largest[0]
    return moved


cdef inline double _drift_bound(double norm, double l1norm, Move moved) noexcept nogil:
    """A bound on how far ``xt_j^T S r`` moved with r: Cauchy-Schwarz in the
    S-norm, or Hoelder with the sup norm. The second is the tighter one for
    a sparse column when r moved on many rows (most of them not the
    column's)."""
    return min(norm * moved.l2, l1norm * moved.sup)


cdef inline bint _parkable(
    floating w_j, floating factor, double bound, double threshold,
) noexcept nogil:
    """Whether a feature may be parked: penalised, at zero, and its
    correlation bound within ``threshold`` times its penalty factor."""
    return factor != 0.0 and w_j == 0.0 and bound <= threshold * factor


cdef int _sequential_start(
    int* candidates,
    int n_candidates,
    const int* stale,
    int n_stale,
    int* parked,
    int* n_parked,
    unsigned char[::1] is_candidate,
    double park_threshold,
    floating[::1] XtSr,
    const floating[::1] w,
    const floating* r,
    const floating* y,
    const floating* sw,
    bint weighted,
    int n_samples,
    bint is_sparse,
    const floating* X_ptr,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    const floating* colsum,
    const floating* offset,
    Residual* res,
    double sum_s,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    DualStats* stats,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
    double* start_gap,
    floating* start_scale,
) noexcept nogil:
    """First pass of a warm-started solve on a path, from stale correlations.

    The set-up loop has parked the stale features whose bound keeps them
    well inside their constraint and listed the other stale candidates in
    ``stale``: their correlations are refreshed here (one prefetched pass in
    increasing order), so that every candidate holds a fresh correlation.
    Returns in ``start_gap`` and ``start_scale`` the duality gap of the warm
    start over the candidates and the scale of its dual point. A parked
    feature satisfies that point (its bound is within its threshold and the
    scale at most 1) and adds nothing to the gap. A refreshed feature well
    inside its constraint is parked too (with an exact correlation): the
    candidates left are returned in ``candidates``, their number returned.
    """
    cdef int j, jj, k, n_before = n_parked[0]
    _correlations_of(stale, n_stale, XtSr, is_sparse, n_samples, X_ptr, data,
                     indices, indptr, r, sw, weighted, colsum, offset, res,
                     sum_s)
    # A refreshed feature well inside its constraint is parked after all:
    # exact now, it stays parked unless this solve moves r far enough, and
    # every pass over the candidates is spared it.
    for jj in range(n_stale):
        j = stale[jj]
        if _parkable(w[j], penalty_factor[j], fabs(XtSr[j]), park_threshold):
            is_candidate[j] = PARKED
            parked[n_parked[0]] = j
            n_parked[0] += 1
    if n_parked[0] > n_before:
        k = 0
        for jj in range(n_candidates):
            j = candidates[jj]
            if is_candidate[j] == CANDIDATE:
                candidates[k] = j
                k += 1
        n_candidates = k
    start_gap[0] = _gap_on(
        candidates, n_candidates, w, XtSr, r, y, sw, weighted, n_samples,
        is_sparse, X_ptr, data, indices, indptr, colsum, offset, res, sum_s,
        stats, l1_reg, l2_reg, penalty_factor, lower, upper, unpenalised,
        cross_gram, unpenalised_gram, unpenalised_y, scratch, start_scale,
        True)
    return n_candidates


cdef int _unpark_violators(
    int* parked,
    int* n_parked,
    int* candidates,
    int n_candidates,
    unsigned char[::1] is_candidate,
    double[::1] drift,
    floating[::1] XtSr,
    const double[::1] norm,
    const double[::1] l1norm,
    Move moved,
    floating scale,
    floating l1_reg,
    double next_threshold,
    const floating[::1] penalty_factor,
    const floating* r,
    const floating* sw,
    bint weighted,
    int n_samples,
    bint is_sparse,
    const floating* X_ptr,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    const floating* colsum,
    const floating* offset,
    Residual* res,
    double sum_s,
    int* refreshed,
) noexcept nogil:
    """Check the parked features against the final dual point ``scale * r``,
    and park them for the next solve in the same pass.

    A parked feature's bound (``drift`` relative to the start of the solve,
    which r has ``moved`` from) is first compared with ``next_threshold``
    (times its penalty factor): the parking threshold of the next solve,
    below l1_reg, or l1_reg / scale itself when the caller does not park
    for the next solve. One within it satisfies the dual constraint now and
    is marked ``PARKED_NEXT``, with its drift relative to r (the next
    set-up loop takes it as is if the next solve's l1_reg is the one it
    was parked for, and tests it again otherwise). The
    others are refreshed at r (exact: ``PARKED_NEXT`` with drift 0 if within
    ``next_threshold`` now, ``PARKED_FRESH`` otherwise), and those that
    violate the constraint become candidates again; being above their
    threshold, they are recomputed by the next lazy pass whatever the
    anchor. Parked features add nothing to the gap. Returns the new number
    of candidates: more than before means the gap must be recomputed, and
    the solve goes on with the parked features' drifts again relative to
    the start (a drift relative to r plus ``moved`` bounds that too).
    ``refreshed`` is scratch space (n_features).
    """
    cdef int j, jj, k = 0, n_before = n_candidates, n_refreshed = 0
    cdef double bound
    for jj in range(n_parked[0]):
        # Without branches (a third of the features are refreshed, in no
        # predictable order): every feature is marked as if its bound held,
        # and listed for a refresh, the list growing only if it does not
        # (the refresh overwrites both marks).
        j = parked[jj]
        bound = drift[j] + _drift_bound(norm[j], l1norm[j], moved)
        drift[j] = bound
        is_candidate[j] = PARKED_NEXT
        refreshed[n_refreshed] = j
        n_refreshed += fabs(XtSr[j]) + bound > next_threshold * penalty_factor[j]
    _correlations_of(refreshed, n_refreshed, XtSr, is_sparse, n_samples,
                     X_ptr, data, indices, indptr, r, sw, weighted, colsum,
                     offset, res, sum_s)
    for jj in range(n_refreshed):
        j = refreshed[jj]
        drift[j] = 0.0
        if scale * fabs(XtSr[j]) > l1_reg * penalty_factor[j]:
            is_candidate[j] = CANDIDATE
            candidates[n_candidates] = j
            n_candidates += 1
        elif fabs(XtSr[j]) <= next_threshold * penalty_factor[j]:
            # Exact now and within the next threshold: parked for the next
            # solve too, so that its set-up loop need not test it again.
            is_candidate[j] = PARKED_NEXT
        else:
            is_candidate[j] = PARKED_FRESH
    if n_candidates == n_before:
        return n_candidates
    for jj in range(n_parked[0]):
        j = parked[jj]
        if is_candidate[j] == CANDIDATE:
            continue
        # |xt_j^T S r_start - XtSr[j]| <= drift[j] + (how far r is from the
        # start), as the solve's later checks require.
        drift[j] += _drift_bound(norm[j], l1norm[j], moved)
        is_candidate[j] = PARKED
        parked[k] = j
        k += 1
    n_parked[0] = k
    return n_candidates


cdef double _weighted_sum(
    const floating* values, const floating* sw, int n_samples,
) noexcept nogil:
    """``sum_i sw_i values_i`` (``sw`` NULL: unit weights), in LANES
    interleaved partial sums (see ``_residual_sums``)."""
    cdef int i, block, lane, n_whole = n_samples - n_samples % LANES
    cdef double total[LANES]
    for lane in range(LANES):
        total[lane] = 0.0
    for block in range(n_whole // LANES):
        i = block * LANES
        for lane in range(LANES):
            total[lane] += _weight_of(sw, i + lane) * values[i + lane]
    for i in range(n_whole, n_samples):
        total[0] += _weight_of(sw, i) * values[i]
    for lane in range(1, LANES):
        total[0] += total[lane]
    return total[0]


cdef void _residual_sums(
    const floating* r, double shift, const floating* y, const floating* sw,
    int n_samples, double* sums,
) noexcept nogil:
    """``sums`` = (sum S r, sum S t^2, sum S t y) with t = r + shift
    (``sw`` NULL: unit weights).

    In LANES interleaved partial sums: one running sum per statistic makes
    every addition wait for the one before (and the compiler may not reorder
    floating-point sums), while independent lanes let the additions overlap.
    """
    cdef int i, block, lane, n_whole = n_samples - n_samples % LANES
    cdef double plain[LANES]
    cdef double square[LANES]
    cdef double cross[LANES]
    cdef double t, s
    for lane in range(LANES):
        plain[lane] = 0.0
        square[lane] = 0.0
        cross[lane] = 0.0
    for block in range(n_whole // LANES):
        i = block * LANES
        for lane in range(LANES):
            t = r[i + lane] + shift
            s = _weight_of(sw, i + lane)
            plain[lane] += s * r[i + lane]
            square[lane] += s * t * t
            cross[lane] += s * t * y[i + lane]
    for i in range(n_whole, n_samples):
        t = r[i] + shift
        s = _weight_of(sw, i)
        plain[0] += s * r[i]
        square[0] += s * t * t
        cross[0] += s * t * y[i]
    for lane in range(1, LANES):
        plain[0] += plain[lane]
        square[0] += square[lane]
        cross[0] += cross[lane]
    sums[0] = plain[0]
    sums[1] = square[0]
    sums[2] = cross[0]


cdef floating _gap_on(
    const int* features,
    int n_selected,
    const floating[::1] w,
    floating[::1] XtSr,
    const floating* r,
    const floating* y,
    const floating* sw,
    bint weighted,
    int n_samples,
    bint is_sparse,
    const floating* X_ptr,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    const floating* colsum,
    const floating* offset,
    Residual* res,
    double sum_s,
    DualStats* stats,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
    floating* scale,
    bint reuse_correlations=False,
) noexcept nogil:
    """Duality gap restricted to the selected features (all others at 0).

    Also refreshes ``sum(S r)`` against drift and leaves ``X^T S theta`` in
    ``XtSr`` and the dual scale in ``scale``, for screening and ranking.
    With ``reuse_correlations``, ``XtSr`` already holds ``X^T S r`` for the
    selected features (carried over from the previous alpha of a path).
    """
    cdef double sums[3]
    _residual_sums(r, res.shift, y, sw if weighted else NULL, n_samples, sums)
    res.sum_sr = sums[0]
    stats.rSr = sums[1]
    stats.tSy = sums[2]
    stats.tSt = stats.rSr
    if not reuse_correlations:
        _correlations_of(features, n_selected, XtSr, is_sparse, n_samples,
                         X_ptr, data, indices, indptr, r, sw, weighted,
                         colsum, offset, res, sum_s)
    _project_out_unpenalised(XtSr, stats, features, n_selected, w, lower, upper,
                             unpenalised, cross_gram, unpenalised_gram,
                             unpenalised_y, scratch)
    return _duality_gap_from_stats(features, n_selected, w, XtSr, stats[0],
                                   l1_reg, l2_reg, penalty_factor, lower,
                                   upper, scale)


cdef void _mark_fresh(
    const int* features, int n_selected, double[::1] drift, const floating* r,
    double shift, floating* anchor, int n_samples,
) noexcept nogil:
    """After a pass over ``features``: their correlations are exact at the
    current residual, which becomes the anchor of later lazy passes."""
    cdef int i, jj
    for jj in range(n_selected):
        drift[features[jj]] = 0.0
    for i in range(n_samples):
        anchor[i] = r[i] + shift


cdef floating _lazy_gap(
    const int* candidates,
    int n_candidates,
    int* uncertain,
    double[::1] drift,
    const floating[::1] w,
    floating[::1] XtSr,
    const floating* r,
    floating* anchor,
    const floating* y,
    const floating* sw,
    bint weighted,
    int n_samples,
    bint is_sparse,
    const floating* X_ptr,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    const floating* colsum,
    const floating* offset,
    Residual* res,
    double sum_s,
    DualStats* stats,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const double[::1] norm,
    const double[::1] l1norm,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
    floating* scale,
    double* work,
) noexcept nogil:
    """Duality gap over the candidates, refreshing only the uncertain ones.

    Candidate j's correlation is ``XtSr[j]`` up to ``drift[j]`` plus how far
    it can have moved since the anchor (``_drift_bound``). When that bound is within
    l1 f_j and w_j = 0, the dual point r (times any scale <= 1) satisfies
    j's constraint and j adds nothing to the gap (no penalty, no conjugate
    term): only the other candidates are recomputed. The result is the gap of the
    full candidate set, exact up to that certificate. Drifts and the anchor
    are updated for the next pass. Needs no unpenalised features.
    """
    cdef int jj, j, n_uncertain = 0
    cdef Move moved = _move(r, res.shift, anchor, sw if weighted else NULL,
                            n_samples)
    cdef double bound
    cdef floating gap
    for jj in range(n_candidates):
        j = candidates[jj]
        bound = drift[j] + _drift_bound(norm[j], l1norm[j], moved)
        if w[j] != 0.0 or fabs(XtSr[j]) + bound > l1_reg * penalty_factor[j]:
            uncertain[n_uncertain] = j
            n_uncertain += 1
        else:
            drift[j] = bound
    gap = _gap_on(uncertain, n_uncertain, w, XtSr, r, y, sw, weighted,
                  n_samples, is_sparse, X_ptr, data, indices, indptr, colsum,
                  offset, res, sum_s, stats, l1_reg, l2_reg, penalty_factor,
                  lower, upper, unpenalised, cross_gram, unpenalised_gram,
                  unpenalised_y, scratch, scale)
    work[0] += n_uncertain
    _mark_fresh(uncertain, n_uncertain, drift, r, res.shift, anchor, n_samples)
    return gap


cdef double _objective_on(
    const int* features, int n_selected, const floating[::1] w,
    const floating* r, double shift, const floating* sw, int n_samples,
    floating l1_reg, floating l2_reg, const floating[::1] penalty_factor,
) noexcept nogil:
    """P(w) when the coefficients outside the selection are 0 (``sw`` NULL:
    unit weights)."""
    cdef int i, j, jj
    cdef double total = 0.0, r_i, f
    for i in range(n_samples):
        r_i = r[i] + shift
        total += 0.5 * _weight_of(sw, i) * r_i * r_i
    for jj in range(n_selected):
        j = features[jj]
        f = penalty_factor[j]
        total += f * (l1_reg * fabs(w[j]) + 0.5 * l2_reg * w[j] * w[j])
    return total


cdef bint _anderson_step(
    const int* working_set,
    int ws_size,
    int anderson,
    floating[:, ::1] iterates,
    floating[::1] extrapolated,
    double[::1] small_matrix,
    double[::1] small_rhs,
    floating[::1] w,
    floating* r,
    floating* trial_r,
    int n_samples,
    const floating* sw,
    bint is_sparse,
    const floating* X_ptr,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    const floating* colsum,
    const floating* offset,
    Residual* res,
    double sum_s,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
) noexcept nogil:
    """Anderson extrapolation of the last iterates, kept if it lowers P.

    Returns True when the extrapolated point was kept.

    With U the K successive differences of the K + 1 stored iterates, the
    weights c = (U U^T)^-1 1 / (1^T (U U^T)^-1 1) combine the iterates into
    a point that cancels the dominant linear modes of coordinate descent
    (Bertrand & Massias 2021). The point is clipped to the box and accepted
    only if its objective is lower.
    """
    cdef int a, b, jj, j, i
    cdef double total, trace = 0.0, weight_sum = 0.0
    cdef double objective, trial_objective
    cdef floating step, value
    cdef Residual trial
    cdef double* M = &small_matrix[0]
    cdef double* z = &small_rhs[0]
    cdef int kept

    for a in range(anderson):
        for b in range(a + 1):
            total = 0.0
            for jj in range(ws_size):
                total += ((iterates[a + 1, jj] - iterates[a, jj])
                          * (iterates[b + 1, jj] - iterates[b, jj]))
            M[a * anderson + b] = total
            M[b * anderson + a] = total
        trace += M[a * anderson + a]
    if trace <= 0.0:
        return False
    for a in range(anderson):
        M[a * anderson + a] += 1e-10 * trace
        z[a] = 1.0
    if not _cholesky_solve(M, z, anderson):
        return False
    for a in range(anderson):
        weight_sum += z[a]
    if weight_sum == 0.0:
        return False

    for jj in range(ws_size):
        if iterates[0, jj] == iterates[anderson, jj]:
            # Settled (often at 0 or at a bound): keep it exactly, rather
            # than a rounding of it.
            extrapolated[jj] = iterates[anderson, jj]
            continue
        value = 0.0
        for a in range(anderson):
            value += z[a] * iterates[a + 1, jj]
        extrapolated[jj] = _clip(<floating> (value / weight_sum),
                                 lower[working_set[jj]], upper[working_set[jj]])

    if is_sparse and not res.centred:
        kept = _sparse_trial_move(
            working_set, ws_size, extrapolated, w, r, trial_r, n_samples, sw,
            data, indices, indptr, l1_reg, l2_reg, penalty_factor)
        if kept >= 0:
            return kept == 1

    # Residual and objective at the extrapolated point.
    for i in range(n_samples):
        trial_r[i] = r[i]
    trial = res[0]
    for jj in range(ws_size):
        j = working_set[jj]
        step = extrapolated[jj] - w[j]
        if step != 0.0:
            _step(j, step, is_sparse, n_samples, X_ptr, data, indices, indptr,
                  trial_r, colsum, offset, &trial, sum_s)
    objective = _objective_on(working_set, ws_size, w, r, res.shift, sw,
                              n_samples, l1_reg, l2_reg, penalty_factor)
    for jj in range(ws_size):
        j = working_set[jj]
        value = w[j]
        w[j] = extrapolated[jj]
        extrapolated[jj] = value
    trial_objective = _objective_on(working_set, ws_size, w, trial_r,
                                    trial.shift, sw, n_samples, l1_reg,
                                    l2_reg, penalty_factor)
    if trial_objective < objective:
        for i in range(n_samples):
            r[i] = trial_r[i]
        res.shift = trial.shift
        res.sum_sr = trial.sum_sr
        return True
    for jj in range(ws_size):
        w[working_set[jj]] = extrapolated[jj]
    return False


cdef int _sparse_trial_move(
    const int* working_set,
    int ws_size,
    const floating[::1] extrapolated,
    floating[::1] w,
    floating* r,
    floating* saved,
    int capacity,
    const floating* sw,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
) noexcept nogil:
    """Move w to ``extrapolated`` on the working set if that lowers P.

    For a CSC X that is not centred: only the residual entries on the moved
    columns' stored rows change, so the change of P is summed over them
    (with short columns, far fewer values than samples) instead of two
    objectives over all samples (four passes over r). The old
    values are kept in ``saved`` and written back, in reverse order, when
    the move is rejected. Returns -1 without moving when more than
    ``capacity`` values would change, else 1 if the move was kept and 0 if
    not.
    """
    cdef int jj, j, i, n_saved = 0
    cdef IndexT k, total = 0
    cdef double change = 0.0, old, new, f
    cdef floating step
    for jj in range(ws_size):
        j = working_set[jj]
        if extrapolated[jj] != w[j]:
            total += indptr[j + 1] - indptr[j]
    if total > capacity:
        return -1
    for jj in range(ws_size):
        j = working_set[jj]
        step = extrapolated[jj] - w[j]
        if step == 0.0:
            continue
        f = penalty_factor[j]
        change += f * (l1_reg * (fabs(extrapolated[jj]) - fabs(w[j]))
                       + 0.5 * l2_reg * (extrapolated[jj] * extrapolated[jj]
                                         - w[j] * w[j]))
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            old = r[i]
            saved[n_saved] = r[i]
            n_saved += 1
            r[i] -= step * data[k]
            new = r[i]
            change += 0.5 * _weight_of(sw, i) * (new - old) * (new + old)
    if change < 0.0:
        for jj in range(ws_size):
            w[working_set[jj]] = extrapolated[jj]
        return 1
    for jj in range(ws_size - 1, -1, -1):
        j = working_set[jj]
        if extrapolated[jj] == w[j]:
            continue
        for k in range(indptr[j + 1] - 1, indptr[j] - 1, -1):
            n_saved -= 1
            r[indices[k]] = saved[n_saved]
    return 0


cdef void _copy_on(
    const int* features, int n_selected, const floating* source, floating* target,
) noexcept nogil:
    """target[j] = source[j] for the selected features."""
    cdef int jj
    for jj in range(n_selected):
        target[features[jj]] = source[features[jj]]


cdef bint _changed_on(
    const int* features, int n_selected, const floating* w, const floating* saved,
) noexcept nogil:
    """Whether w differs from ``saved`` on the selected features."""
    cdef int jj
    for jj in range(n_selected):
        if w[features[jj]] != saved[features[jj]]:
            return True
    return False


cdef inline double _factorisation_cost(int k, double column_length) noexcept nogil:
    """The Cholesky factorisation of a k x k Gram matrix, in column products."""
    return k ** 3 / (3.0 * column_length)


cdef inline bint _final_step_affordable(
    double cost, double credit, double column_length,
) noexcept nogil:
    """Whether the final polish may spend ``cost`` column products: twice
    its cost in credit, or small in flops."""
    return credit >= 2.0 * cost or cost * column_length <= SMALL_NEWTON_FLOPS


cdef inline bint _negligible_at_polish(
    floating w_j, double largest, floating factor, floating lo, floating hi,
) noexcept nogil:
    """Whether the final polish sets this coefficient to 0 before its step:
    non-zero but negligible next to the largest (usually rounding residue of
    a feature that belongs at 0), penalised, and with 0 inside its box."""
    return (w_j != 0.0 and fabs(w_j) < NEGLIGIBLE * largest and factor > 0.0
            and lo < 0.0 < hi)


cdef bint _polish_affordable(
    const int* candidates,
    int n_candidates,
    const floating* w,
    const floating* lower,
    const floating* upper,
    const floating* penalty_factor,
    int max_support,
    double credit,
    double column_length,
) noexcept nogil:
    """Whether ``_support_newton_step`` would run its ``final`` polish on
    these candidates (the same support and cost), so that the caller saves
    w and r for it only when it can run."""
    cdef int jj, j, k = 0
    cdef double largest = 0.0
    for jj in range(n_candidates):
        largest = max(largest, fabs(w[candidates[jj]]))
    for jj in range(n_candidates):
        j = candidates[jj]
        if (w[j] != 0.0 and lower[j] < w[j] < upper[j] and not
                _negligible_at_polish(w[j], largest, penalty_factor[j],
                                      lower[j], upper[j])):
            k += 1
    if k == 0 or k > max_support:
        return False
    return _final_step_affordable(
        _factorisation_cost(k, column_length) + k * (k + 1) / 2.0, credit,
        column_length)


cdef int _support_newton_step(
    const int* working_set,
    int ws_size,
    floating[::1] w,
    floating* r,
    int n_samples,
    const floating* sw,
    bint weighted,
    bint is_sparse,
    const floating* X_ptr,
    const floating* data,
    const IndexT* indices,
    const IndexT* indptr,
    const floating* colsum,
    const floating* offset,
    Residual* res,
    double sum_s,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    double[::1] gram,
    double[::1] step,
    int[::1] active,
    floating* column,
    int max_support,
    double* credit,
    bint final,
    double column_length,
) noexcept nogil:
    """Jump to the minimiser of P on the current support and signs.

    With A the non-zero coefficients strictly inside their bounds (the
    others held fixed) and s_A their signs, P restricted to that orthant is
    a quadratic whose minimiser solves

        (Xt_A^T S Xt_A + l2 F_A) d = Xt_A^T S r - l1 F_A s_A - l2 F_A w_A.

    The step ``w_A + d`` is exact on that support if it keeps every sign
    and bound, which replaces the hundreds of epochs coordinate descent
    needs on correlated columns. Otherwise (not ``final``) it stops where
    the first coefficient reaches 0 or a bound, which still lowers P, and
    when ``Xt_A`` has dependent columns (no L2 term, more active columns
    than the rank of X) ``_null_space_direction`` takes one out without
    changing the fit; with more of them than ``max_support`` (= n_samples
    then) the first ``max_support`` are used. Either way the support
    shrinks and the step is tried again on it, until one is exact, fails
    or the credit runs out: an active-set method on the support, which
    takes the many superfluous coefficients of a small alpha with p > n
    out in a few steps, where coordinate descent alone needs thousands of
    epochs. Returns ``NEWTON_EXACT``, ``NEWTON_PARTIAL`` (w and r moved,
    not to the exact point) or ``NEWTON_NONE`` (nothing changed).

    Building the system costs about k (k + 1) / 2 column products for k
    active coefficients, its Cholesky factorisation k^3 / 3 flops: with
    ``column_length`` flops per column product (n_samples for dense X, the
    mean number of stored values per column for CSC) that is
    k^3 / (3 column_length) column products, far more for short sparse
    columns than for dense ones. ``credit`` counts the column operations coordinate
    descent has done since the last attempt; the step is tried only when
    the credit covers its cost, so it never more than doubles the work;
    ``credit[1]`` multiplies the cost of a first try (4 after an exact
    step, doubled after each final polish rejected for a wrong support, so
    that failed polishes become rarer). The ``final``
    polish of a converged solve needs twice its cost, or to cost less than
    ``SMALL_NEWTON_FLOPS``, and is never partial. After a partial step the
    next try needs the credit to cover its cost once. ``gram`` holds
    ``max_support * (max_support + 1)`` values (the matrix and a copy of its
    diagonal).
    """
    cdef int a, b, jj, j, k, k_active = 0, blocking = -1
    cdef IndexT kk
    cdef double total, f, value, largest = 0.0
    cdef double fraction = 1.0, blocked_at = 0.0
    cdef int rounds = 0, failed_at, previous
    cdef bint kept = False, reuse
    cdef floating* x_a
    if final:
        # Coefficients negligible next to the largest are usually rounding
        # residue of features that belong at 0: the polish sets them there
        # (and the caller keeps the result only if the gap agrees).
        for jj in range(ws_size):
            largest = max(largest, fabs(w[working_set[jj]]))
        for jj in range(ws_size):
            j = working_set[jj]
            if _negligible_at_polish(w[j], largest, penalty_factor[j],
                                     lower[j], upper[j]):
                _step(j, -w[j], is_sparse, n_samples, X_ptr, data, indices,
                      indptr, r, colsum, offset, res, sum_s)
                w[j] = 0.0
    # A partial step changes the support: try again on the new one, until
    # a step is exact, fails, or the credit runs out.
    while True:
        # After a partial step, the support is the last one less what left
        # it (plus, past max_support, the next active columns): the Gram
        # entries of the columns that stay are reused (``step`` holds each
        # column's place in the last support, -1 for a new one, until the
        # right-hand side overwrites it).
        reuse = rounds > 0 and kept
        previous = k_active
        k_active = 0
        blocking = -1
        fraction = 1.0
        b = 0
        for jj in range(ws_size):
            j = working_set[jj]
            if w[j] != 0.0 and lower[j] < w[j] < upper[j]:
                if k_active == max_support:
                    if final or l2_reg != 0.0 or max_support != n_samples:
                        return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
                    # More active columns than samples, so dependent ones:
                    # the first max_support of them (the others held
                    # fixed) are enough to find a direction that drops one.
                    break
                step[k_active] = -1.0
                if reuse:
                    while b < previous and active[b] != j:
                        b += 1
                    if b < previous:
                        step[k_active] = b
                        b += 1
                active[k_active] = j
                k_active += 1
        if k_active == 0:
            return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
        # Cost in column products: the Gram (its new rows) plus its Cholesky.
        total = _factorisation_cost(k_active, column_length)
        for a in range(k_active):
            if step[a] < 0.0:
                total += a + 1.0
        if reuse:
            _reuse_gram_entries(&gram[0], &step[0], k_active, previous)
        if final:
            if not _final_step_affordable(total, credit[0], column_length):
                return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
        elif credit[0] < total * (credit[1] if rounds == 0 else 1.0):
            return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
        credit[0] -= total

        # Gram of the active centred columns and the right-hand side.
        for a in range(k_active):
            j = active[a]
            f = penalty_factor[j]
            if step[a] >= 0.0:
                # Reused: its entries with the columns before it are in
                # place, its diagonal after the matrix.
                gram[a * k_active + a] = gram[k_active * k_active + a]
                for b in range(a):
                    gram[a + b * k_active] = gram[b + a * k_active]
            else:
                # column <- s * x_j (dense scratch: sparse products gather)
                if is_sparse:
                    for kk in range(indptr[j], indptr[j + 1]):
                        column[indices[kk]] += sw[indices[kk]] * data[kk]
                else:
                    x_a = <floating*> (X_ptr + <size_t> j * n_samples)
                    for jj in range(n_samples):
                        column[jj] = sw[jj] * x_a[jj]
                for b in range(a + 1):
                    k = active[b]
                    total = 0.0
                    if is_sparse:
                        for kk in range(indptr[k], indptr[k + 1]):
                            total += data[kk] * column[indices[kk]]
                    elif floating is double:
                        # BLAS: a plain loop chains every addition to the last.
                        total = _dot(n_samples, column, 1,
                                     X_ptr + <size_t> k * n_samples, 1)
                    else:
                        # float32 columns are summed in double, as in _dense_dot.
                        for jj in range(n_samples):
                            total += column[jj] * X_ptr[<size_t> k * n_samples + jj]
                    # centring: sum s (x_a - m_a)(x_b - m_b)
                    total += (offset[j] * offset[k] * sum_s - offset[j] * colsum[k]
                              - offset[k] * colsum[j])
                    gram[a * k_active + b] = total
                    gram[b * k_active + a] = total
                if is_sparse:
                    for kk in range(indptr[j], indptr[j + 1]):
                        column[indices[kk]] = 0.0
                gram[a * k_active + a] += l2_reg * f
            value = _correlation(j, is_sparse, n_samples, X_ptr, data, indices,
                                 indptr, r, sw, weighted, colsum, offset, res,
                                 sum_s)
            step[a] = (value - l1_reg * f * (1.0 if w[j] > 0.0 else -1.0)
                       - l2_reg * f * w[j])
        # The factorisation keeps one triangle of the Gram matrix; with a
        # copy of its diagonal (after the matrix in the buffer) a singular
        # one still gives a direction that leaves the fit unchanged.
        kept = not final and gram.shape[0] >= k_active * (k_active + 1)
        if kept:
            for a in range(k_active):
                gram[k_active * k_active + a] = gram[a * k_active + a]
        failed_at = _cholesky_factor(&gram[0], k_active, k_active)
        if kept and failed_at == 0:
            # A pivot that lost all but rounding of its column's norm is a
            # dependent column too.
            for a in range(k_active):
                if (gram[a * k_active + a] * gram[a * k_active + a]
                        <= DEPENDENT_PIVOT * gram[k_active * k_active + a]):
                    failed_at = a + 1
                    break
        if failed_at != 0:
            # Dependent columns: a direction that keeps the fit (``step``),
            # followed until a coefficient leaves the support.
            if not (kept and failed_at >= 2 and l2_reg == 0.0
                    and rounds < ws_size
                    and _null_space_direction(
                        &active[0], k_active, failed_at - 1, &gram[0],
                        &gram[k_active * k_active], &step[0], w, l1_reg,
                        penalty_factor)):
                return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
            fraction = INFINITY
            blocking = _first_blocking(&active[0], k_active, &step[0], w,
                                       l1_reg, penalty_factor, lower, upper,
                                       &fraction, &blocked_at)
            if blocking < 0:
                return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
        else:
            if not _factored_solve(&gram[0], &step[0], k_active, k_active):
                return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
            # The step is exact if it keeps every sign and bound. Otherwise
            # the first coefficient to reach 0 or a bound along it blocks it
            # at a ``fraction`` of its length.
            fraction = 1.0
            blocking = _first_blocking(&active[0], k_active, &step[0], w,
                                       l1_reg, penalty_factor, lower, upper,
                                       &fraction, &blocked_at)
            if blocking < 0:
                credit[1] = 4.0
                for a in range(k_active):
                    j = active[a]
                    _step(j, <floating> step[a], is_sparse, n_samples, X_ptr,
                          data, indices, indptr, r, colsum, offset, res, sum_s)
                    w[j] = <floating> (w[j] + step[a])
                return NEWTON_EXACT
            if final:
                credit[1] *= 2.0  # wrong support: wait longer before the next try
                return NEWTON_PARTIAL if rounds > 0 else NEWTON_NONE
        # Up to the blocking point P falls along the step (the quadratic the
        # exact step minimises at fraction 1, or the fit unchanged and the
        # L1 term linear); the blocking coefficient leaves the support (or
        # stops at its bound) exactly.
        for a in range(k_active):
            j = active[a]
            value = blocked_at if a == blocking else w[j] + fraction * step[a]
            if (value > 0.0) != (w[j] > 0.0) and l1_reg * penalty_factor[j] > 0.0:
                value = 0.0  # got there too, up to rounding
            value = _clip(<floating> value, lower[j], upper[j])
            _step(j, <floating> value - w[j], is_sparse, n_samples, X_ptr, data,
                  indices, indptr, r, colsum, offset, res, sum_s)
            w[j] = <floating> value
        rounds += 1
        if rounds >= ws_size:
            return NEWTON_PARTIAL


cdef void _reuse_gram_entries(
    double* gram, const double* origin, int k_active, int previous,
) noexcept nogil:
    """Move the Gram entries of the columns kept from the last support to
    their places in the new one.

    Column a of the new support was column ``origin[a]`` of the last (-1
    for a new column). The last matrix's entries ``gram[i + j previous]``
    with i < j and its diagonal (after it) survived its factorisation; they
    move to ``gram[i + j k_active]`` and after the new matrix. Kept columns
    keep their order and new ones come last, so every entry moves to a
    place at or before its own, and in increasing order nothing is
    overwritten before it is read.
    """
    cdef int a, b, source_a, source_b
    for b in range(k_active):
        source_b = <int> origin[b]
        if source_b < 0:
            continue
        for a in range(b):
            source_a = <int> origin[a]
            if source_a >= 0:
                gram[a + b * k_active] = gram[source_a + source_b * previous]
    for a in range(k_active):
        source_a = <int> origin[a]
        if source_a >= 0:
            gram[k_active * k_active + a] = gram[previous * previous + source_a]


cdef int _first_blocking(
    const int* active,
    int k_active,
    const double* step,
    const floating[::1] w,
    floating l1_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    double* fraction,
    double* blocked_at,
) noexcept nogil:
    """The first active coefficient to reach 0 (if penalised) or a bound
    along ``w_A + t step`` for t below ``fraction``.

    Returns its place in ``active`` (-1 if none), with ``fraction`` lowered
    to where it gets there and ``blocked_at`` the value it stops at.
    """
    cdef int a, j, blocking = -1
    cdef double reach, target
    for a in range(k_active):
        if step[a] == 0.0:
            continue
        j = active[a]
        if step[a] < 0.0:
            reach = (lower[j] - w[j]) / step[a]
            target = lower[j]
        else:
            reach = (upper[j] - w[j]) / step[a]
            target = upper[j]
        if (l1_reg * penalty_factor[j] > 0.0 and step[a] * w[j] < 0.0
                and -w[j] / step[a] < reach):
            reach = -w[j] / step[a]
            target = 0.0
        if reach <= fraction[0]:
            fraction[0] = reach
            blocked_at[0] = target
            blocking = a
    return blocking


cdef bint _null_space_direction(
    const int* active,
    int k_active,
    int dependent,
    double* gram,
    const double* diagonal,
    double* direction,
    const floating[::1] w,
    floating l1_reg,
    const floating[::1] penalty_factor,
) noexcept nogil:
    """A direction that keeps the fit and lowers the L1 term, for a support
    whose columns are dependent.

    Without an L2 term, more active columns than the rank of X (the slow
    end of a Lasso path with p > n) make the exact step's Gram matrix
    singular. Its factorisation stopped at column ``dependent``, a
    combination ``Xt_B c`` of the columns B before it; along
    ``d = (c, -1, 0, ...)`` the fit ``Xt w`` does not change and the L1
    term is linear. ``direction`` (k_active values) receives d or -d,
    whichever does not raise the L1 term; followed until the first
    coefficient reaches 0 or a bound, it lowers P (or keeps it, on a tie)
    and shrinks the support by one, which coordinate descent does only
    slowly.

    ``gram`` is the k x k buffer of the failed factorisation, whose entries
    ``gram[i + j k]`` with i < j still hold the Gram matrix, and
    ``diagonal`` its diagonal. Returns False if column ``dependent`` is
    not, to rounding, a combination of the ones before it.
    """
    cdef int a, b, j, m = dependent, k = k_active
    cdef double slope = 0.0, leftover
    # Restore the leading m x m block in the factorised triangle (i >= j),
    # from the intact one, and solve G_BB c = G_Bm there.
    for b in range(m):
        direction[b] = gram[b + m * k]
        gram[b + b * k] = diagonal[b]
        for a in range(b + 1, m):
            gram[a + b * k] = gram[b + a * k]
    if (_cholesky_factor(gram, m, k) != 0
            or not _factored_solve(gram, direction, m, k)):
        return False
    # ||Xt_B c - xt_m||^2: zero for a truly dependent column (the slack
    # over DEPENDENT_PIVOT admits the columns its test flagged).
    leftover = diagonal[m]
    for a in range(m):
        leftover -= direction[a] * gram[a + m * k]
    if leftover > 10.0 * DEPENDENT_PIVOT * diagonal[m]:
        return False
    direction[m] = -1.0
    for a in range(m + 1, k):
        direction[a] = 0.0
    for a in range(m + 1):
        j = active[a]
        slope += (l1_reg * penalty_factor[j] * (1.0 if w[j] > 0.0 else -1.0)
                  * direction[a])
    if slope > 0.0:
        for a in range(m + 1):
            direction[a] = -direction[a]
    return True


# --- the covariance form's gap ---------------------------------------------


cdef floating _gap_from_correlations(
    const floating[::1] w,
    floating[::1] XtSr,
    double rSr,
    double rSy,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
    const int[::1] all_features,
) noexcept nogil:
    """Gap over all features from ``X^T S r`` (overwritten with ``X^T S
    theta``), ``r^T S r`` and ``r^T S y``: the covariance form's gap."""
    cdef DualStats stats
    cdef floating scale
    stats.rSr = rSr
    stats.tSt = rSr
    stats.tSy = rSy
    _project_out_unpenalised(
        XtSr, &stats, &all_features[0], all_features.shape[0], w, lower, upper,
        unpenalised, cross_gram, unpenalised_gram, unpenalised_y, scratch)
    return _duality_gap_from_stats(
        &all_features[0], all_features.shape[0], w, XtSr, stats, l1_reg,
        l2_reg, penalty_factor, lower, upper, &scale)


def duality_gap(
    const floating[::1] w,
    floating[::1] XtSr,
    double rSr,
    double rSy,
    double l1_reg,
    double l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    projection,
    const floating[::1] correlation_y,
):
    """Duality gap of w (on the kernels' unnormalised scale) from the
    correlations ``XtSr = Xt^T S r``, ``r^T S r`` and ``r^T S y``.

    ``XtSr`` is overwritten; ``projection`` is as in the kernels and
    ``correlation_y = Xt^T S y`` supplies its right-hand side.
    """
    unpenalised, cross_gram, unpenalised_gram = _projection_arrays(
        projection, np.asarray(w))
    cdef const int[::1] U = unpenalised
    cdef int a, n_unpen = U.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] unpenalised_y = np.empty(n_unpen, dtype=dtype)
    cdef const floating[:, ::1] cross = cross_gram
    cdef const floating[:, ::1] inner = unpenalised_gram
    cdef double[::1] scratch = np.empty(n_unpen * (n_unpen + 2), dtype=np.float64)
    cdef int[::1] all_features = np.arange(w.shape[0], dtype=np.intc)
    cdef floating l1 = l1_reg, l2 = l2_reg
    for a in range(n_unpen):
        unpenalised_y[a] = correlation_y[U[a]]
    return float(_gap_from_correlations(
        w, XtSr, rSr, rSy, l1, l2, penalty_factor, lower, upper, U, cross,
        inner, unpenalised_y, scratch, all_features))


# --- public entry points -----------------------------------------------------


_NO_INDICES = np.empty(0, dtype=np.intc)


def _projection_arrays(projection, w):
    """Unpack ``(unpenalised, cross_gram, unpenalised_gram)``, or empties."""
    if projection is not None:
        return projection
    return (_NO_INDICES, np.empty((w.shape[0], 0), dtype=w.dtype),
            np.empty((0, 0), dtype=w.dtype))


def fresh_correlations(n_features, dtype):
    """The ``correlations`` a path passes to every solve, before the first:
    ``(buffer, state, drift, feature_state, pending_move)``."""
    return (np.zeros(n_features, dtype=dtype), np.zeros(1, dtype=np.intc),
            np.zeros(n_features, dtype=np.float64),
            np.zeros(n_features, dtype=np.uint8), np.zeros(5, dtype=np.float64))


def _solve(w, l1_reg, l2_reg, X, X_data, X_indices, X_indptr, is_sparse, y,
           sample_weight, X_offset, penalty_factor, lower, upper, max_iter, tol,
           seed, random, projection, column_stats, working_set, screening,
           anderson, strong_l1, correlations, workspace):
    """Fill in the defaults of the residual solver and call it."""
    if correlations is None:
        correlations = fresh_correlations(w.shape[0], w.dtype)
    if column_stats is None:
        weights = sample_weight if sample_weight.shape[0] else np.ones_like(y)
        offset = X_offset if X_offset.shape[0] else np.zeros_like(w)
        column_stats = column_statistics(X, X_data, X_indices, X_indptr,
                                         is_sparse, weights, offset)
    return _residual_solver(
        w, l1_reg, l2_reg, X, X_data, X_indices, X_indptr, is_sparse, y,
        sample_weight, X_offset, penalty_factor, lower, upper,
        *_projection_arrays(projection, w), *column_stats, *correlations,
        max_iter, tol, seed, random, working_set, screening, anderson,
        w.dtype.type(strong_l1), Workspace() if workspace is None else workspace)


def enet_coordinate_descent(w, l1_reg, l2_reg, X, y, sample_weight, X_offset,
                            penalty_factor, lower, upper, max_iter, tol, seed,
                            random, projection=None, *, column_stats=None,
                            working_set=True, screening=True, anderson=5,
                            strong_l1=0.0, correlations=None, workspace=None):
    return _solve(w, l1_reg, l2_reg, X, w[:0], _NO_INDICES, _NO_INDICES, False,
                  y, sample_weight, X_offset, penalty_factor, lower, upper,
                  max_iter, tol, seed, random, projection, column_stats,
                  working_set, screening, anderson, strong_l1, correlations,
                  workspace)


def sparse_enet_coordinate_descent(w, l1_reg, l2_reg, X_data, X_indices,
                                   X_indptr, y, sample_weight, X_offset,
                                   penalty_factor, lower, upper, max_iter, tol,
                                   seed, random, projection=None, *,
                                   column_stats=None, working_set=True,
                                   screening=True, anderson=5, strong_l1=0.0,
                                   correlations=None, workspace=None):
    empty_X = np.empty((0, 0), dtype=w.dtype, order="F")
    return _solve(w, l1_reg, l2_reg, empty_X, X_data, X_indices, X_indptr, True,
                  y, sample_weight, X_offset, penalty_factor, lower, upper,
                  max_iter, tol, seed, random, projection, column_stats,
                  working_set, screening, anderson, strong_l1, correlations,
                  workspace)


_COMMON_PARAMETERS = """
    y : ndarray of shape (n_samples,)
        Target, already centred when ``X_offset`` is given.
    sample_weight : ndarray of shape (n_samples,) or (0,)
        Sample weights; an empty array means all ones.
    X_offset : ndarray of shape (n_features,) or (0,)
        Column offsets subtracted implicitly from X; empty means none.
    penalty_factor, lower, upper : ndarray of shape (n_features,)
        Per-feature penalty factors (``inf`` pins a coefficient at 0) and
        box constraints with ``lower <= 0 <= upper``.
    max_iter : int
        Maximum number of epochs (an epoch visits every coordinate of the
        current working set once).
    tol : float
        Stop when the duality gap is below ``tol * sum_i s_i y_i^2``.
    seed : int
        Seed of the coordinate sampler when ``random`` is true.
    random : bool
        Visit coordinates in random order instead of cyclically.
    projection : tuple of three arrays, optional
        ``(unpenalised, cross_gram, unpenalised_gram)``: the indices U of the
        features with penalty factor 0 (and not two finite bounds),
        ``Xt^T S Xt_U`` of shape (n_features, |U|) and ``Xt_U^T S Xt_U``. They
        keep the duality gap a valid certificate when some features are
        unpenalised (see ``_project_out_unpenalised``).
    column_stats : tuple of four arrays, optional
        ``column_statistics(...)`` of this design, when the caller has it
        (a path reuses it across alphas).
    working_set, screening : bool, default=True
        Use working sets and gap-safe screening; with both off the kernel is
        plain cyclic (or random) coordinate descent.
    anderson : int, default=5
        Number of iterates combined by Anderson extrapolation; 0 disables it.
    strong_l1 : float, default=0
        On a path, ``2 * l1_reg - l1_reg_previous``: features whose
        correlation with the warm-start residual exceeds it (times their
        penalty factor) start in the working set. 0 disables the rule.
    correlations : tuple of five arrays, optional
        ``(buffer, state, drift, feature_state, pending_move)`` from
        ``fresh_correlations``: a float buffer of shape (n_features,), an
        int array of shape (1,), a float64 array of shape (n_features,), a
        uint8 array of shape (n_features,) and a float64 array of shape
        (5,). A path passes the same arrays to every solve: after a
        converged solve ``state[0]`` is 1 and the buffer holds correlations
        with the residual at the solution, exact for the features still in
        play and within ``drift[j]`` for the others (plus, for the screened
        ones, as ``feature_state`` records, how far the residual moved in
        the solve, ``pending_move[:2]``), which the next solve
        (warm-started from it) uses instead of a pass over X.
        ``pending_move[2:4]`` holds the solve's l1 regulariser and the one
        it parked features for (``feature_state`` PARKED_NEXT),
        ``pending_move[4]`` the target's ``y^T S y``.
    workspace : Workspace, optional
        Where the solver takes its work arrays from; a path passes the same
        one to every solve so that they are allocated once.

    Returns
    -------
    w : ndarray of shape (n_features,)
        The same array as the input ``w``.
    gap : float
        Final duality gap divided by ``sum(sample_weight)``.
    n_iter : int
        Number of epochs run (at least 1).
"""

enet_coordinate_descent.__doc__ = """Coordinate descent for a dense X.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Initial coefficients, updated in place. Must lie within the bounds.
    l1_reg, l2_reg : float
        ``n * alpha * l1_ratio`` and ``n * alpha * (1 - l1_ratio)``.
    X : F-ordered ndarray of shape (n_samples, n_features)
        Design matrix; read only.""" + _COMMON_PARAMETERS

sparse_enet_coordinate_descent.__doc__ = """Coordinate descent for a CSC X.

    X is never densified or copied: updates touch its stored entries only,
    and centring is carried by a scalar shift of the residual.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Initial coefficients, updated in place. Must lie within the bounds.
    l1_reg, l2_reg : float
        ``n * alpha * l1_ratio`` and ``n * alpha * (1 - l1_ratio)``.
    X_data, X_indices, X_indptr : ndarray
        The CSC arrays of X (int32 or int64 indices; unsorted indices,
        duplicates and explicit zeros are fine).""" + _COMMON_PARAMETERS


# --- datafit: covariance (Gram) kernel ------------------------------------


def enet_coordinate_descent_gram(w, l1_reg, l2_reg, Q, q, y_norm2, sum_s,
                                 penalty_factor, lower, upper, max_iter, tol,
                                 seed, random, projection=None):
    """Coordinate descent on the covariance form of the same objective.

    With ``Q = Xt^T S Xt`` and ``q = Xt^T S y`` (centred, weighted), each
    update costs O(n_features) instead of O(n_samples): the kernel keeps
    ``H = Q w`` instead of the residual.

    Parameters
    ----------
    w, l1_reg, l2_reg, penalty_factor, lower, upper, max_iter, tol, seed, random
        As in :func:`enet_coordinate_descent`.
    Q : C-ordered ndarray of shape (n_features, n_features)
        Symmetric Gram matrix.
    q : ndarray of shape (n_features,)
        ``Xt^T S y``.
    y_norm2 : float
        ``y^T S y``.
    sum_s : float
        Sum of the sample weights (``n_samples`` without weights), used to
        put the returned gap on the estimator's scale.
    projection : tuple of three arrays, optional
        As in :func:`enet_coordinate_descent`.

    Returns
    -------
    w, gap, n_iter
        As in :func:`enet_coordinate_descent`.
    """
    regs = np.array([[l1_reg], [l2_reg]], dtype=w.dtype)
    w, gap, n_iter = _gram_coordinate_descent(
        w, regs[0], regs[1], Q, q, y_norm2, sum_s, penalty_factor, lower,
        upper, *_projection_arrays(projection, w), max_iter, tol, seed, random,
        np.empty((w.shape[0], 0), dtype=w.dtype), np.empty(1),
        np.empty(1, dtype=np.intc))
    return w, gap, n_iter


def enet_path_gram(w, l1_regs, l2_regs, Q, q, y_norm2, sum_s, penalty_factor,
                   lower, upper, max_iter, tol, seed, random, coefs,
                   projection=None):
    """:func:`enet_coordinate_descent_gram` along a path, in one call.

    Solves for each pair ``(l1_regs[k], l2_regs[k])`` in turn, each solve
    warm-started from the previous solution; the work arrays are allocated
    once, so a path over a small Gram matrix costs its epochs and little
    else.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Warm start of the first solve; holds the last solution on exit.
    l1_regs, l2_regs : ndarray of shape (n_solves,)
        The regularisation constants of each solve, in the dtype of w.
    coefs : ndarray of shape (n_features, n_solves)
        Filled with the solution of each solve (any memory layout).
    Q, q, y_norm2, sum_s, penalty_factor, lower, upper, max_iter, tol, seed,
    random, projection
        As in :func:`enet_coordinate_descent_gram`.

    Returns
    -------
    gaps : ndarray of shape (n_solves,)
        Duality gap of each solve, divided by ``sum_s``.
    n_iters : ndarray of shape (n_solves,)
        Epochs of each solve.
    """
    gaps = np.empty(len(l1_regs))
    n_iters = np.empty(len(l1_regs), dtype=np.intc)
    _gram_coordinate_descent(
        w, l1_regs, l2_regs, Q, q, y_norm2, sum_s, penalty_factor, lower,
        upper, *_projection_arrays(projection, w), max_iter, tol, seed, random,
        coefs, gaps, n_iters)
    return gaps, n_iters


cdef double _gram_gap(
    const floating[::1] w,
    floating[::1] H,
    const floating[:, ::1] Q,
    const floating[::1] q,
    floating[::1] XtSr,
    double y_norm2,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
    const int[::1] all_features,
    double[::1] exact_H,
) noexcept nogil:
    """Duality gap in covariance mode, from ``H = Q w``: with r = y - Xt w,
    r^T S r = y^T S y - 2 w.q + w.Qw and r^T S y = y^T S y - w.q.

    When ``exact_H`` is not empty (float32), ``Q w`` is first recomputed
    into it in double precision and replaces H (``_exact_gram_product``)."""
    cdef int k
    cdef double wq = 0.0, wH = 0.0, h
    cdef bint exact = exact_H.shape[0] > 0
    if exact:
        _exact_gram_product(w, H, Q, exact_H)
    for k in range(w.shape[0]):
        h = exact_H[k] if exact else H[k]
        XtSr[k] = <floating> (q[k] - h)
        wq += w[k] * q[k]
        wH += w[k] * h
    return _gap_from_correlations(
        w, XtSr, y_norm2 - 2.0 * wq + wH, y_norm2 - wq, l1_reg, l2_reg,
        penalty_factor, lower, upper, unpenalised, cross_gram,
        unpenalised_gram, unpenalised_y, scratch, all_features)


cdef void _exact_gram_product(
    const floating[::1] w, floating[::1] H, const floating[:, ::1] Q,
    double[::1] exact_H,
) noexcept nogil:
    """Recompute ``Q w`` in double precision into exact_H (and H).

    In float32, H drifts by a rounding error at each of its thousands of
    updates, and ``q - H`` (small next to q at small alphas) loses the
    digits the gap needs; the gap is computed from this instead."""
    cdef int j, k, n_features = w.shape[0]
    cdef double w_j
    for k in range(n_features):
        exact_H[k] = 0.0
    for j in range(n_features):
        w_j = w[j]
        if w_j != 0.0:
            for k in range(n_features):
                exact_H[k] += Q[j, k] * w_j
    for k in range(n_features):
        H[k] = <floating> exact_H[k]


cdef double _gram_exact_step(
    floating[::1] w,
    floating[::1] H,
    const floating[:, ::1] Q,
    const floating[::1] q,
    floating[::1] XtSr,
    double y_norm2,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    double[::1] scratch,
    const int[::1] all_features,
    double[::1] exact_H,
    floating[:, ::1] work,
    double[::1] newton_gram,
    double[::1] newton_step,
    int[::1] newton_active,
    double gap,
    double accept_below,
) noexcept nogil:
    """Take the exact step on the current support if it gives a gap of at
    most ``accept_below``; otherwise leave w and H as they were. Returns the
    gap of the point kept (``gap`` is that of the current point)."""
    cdef int k, n_features = w.shape[0]
    cdef double trial_gap
    cdef floating[::1] saved_w = work[1]
    cdef floating[::1] saved_H = work[2]
    for k in range(n_features):
        saved_w[k] = w[k]
        saved_H[k] = H[k]
    if not _gram_newton_step(w, H, Q, q, l1_reg, l2_reg, penalty_factor,
                             lower, upper, newton_gram, newton_step,
                             newton_active, newton_step.shape[0]):
        return gap
    trial_gap = _gram_gap(w, H, Q, q, XtSr, y_norm2, l1_reg, l2_reg,
                          penalty_factor, lower, upper, unpenalised,
                          cross_gram, unpenalised_gram, unpenalised_y,
                          scratch, all_features, exact_H)
    if trial_gap <= accept_below:
        return trial_gap
    for k in range(n_features):
        w[k] = saved_w[k]
        H[k] = saved_H[k]
    return gap


cdef bint _gram_newton_step(
    floating[::1] w,
    floating[::1] H,
    const floating[:, ::1] Q,
    const floating[::1] q,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    double[::1] gram,
    double[::1] step,
    int[::1] active,
    int max_support,
) noexcept nogil:
    """The exact step of ``_support_newton_step`` in covariance mode, where
    the system is read off Q: ``H = Q w`` and w are updated if it is taken."""
    cdef int n_features = w.shape[0]
    cdef int a, b, j, k_active = 0
    cdef double f, value
    for j in range(n_features):
        if w[j] != 0.0 and lower[j] < w[j] < upper[j]:
            if k_active == max_support:
                return False
            active[k_active] = j
            k_active += 1
    if k_active == 0:
        return False
    for a in range(k_active):
        j = active[a]
        f = penalty_factor[j]
        for b in range(k_active):
            gram[a * k_active + b] = Q[j, active[b]]
        gram[a * k_active + a] += l2_reg * f
        step[a] = (q[j] - H[j] - l1_reg * f * (1.0 if w[j] > 0.0 else -1.0)
                   - l2_reg * f * w[j])
    if not _cholesky_solve(&gram[0], &step[0], k_active):
        return False
    for a in range(k_active):
        j = active[a]
        value = w[j] + step[a]
        if ((l1_reg * penalty_factor[j] > 0.0 and (value > 0.0) != (w[j] > 0.0))
                or not lower[j] < value < upper[j]):
            return False
    for a in range(k_active):
        j = active[a]
        w[j] = <floating> (w[j] + step[a])
        _axpy(n_features, <floating> step[a], &Q[j, 0], 1, &H[0], 1)
    return True


cdef double _gram_solve(
    floating[::1] w,
    floating[::1] H,
    floating l1_reg,
    floating l2_reg,
    const floating[:, ::1] Q,
    const floating[::1] q,
    double y_norm2,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    const floating[::1] unpenalised_y,
    floating[:, ::1] work,
    double[::1] scratch,
    const int[::1] all_features,
    double[::1] newton_gram,
    double[::1] newton_step,
    int[::1] newton_active,
    double[::1] exact_H,
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
    int* n_epochs,
) noexcept nogil:
    """Coordinate descent on Q from w, with ``H == Q w`` on entry and exit.

    ``work`` holds three rows of n_features: the correlations and the saved
    w and H of the polish; ``exact_H`` is empty in float64 and a buffer of
    n_features doubles in float32. Returns the (unnormalised) duality gap
    and stores the number of epochs in ``n_epochs``.
    """
    cdef int n_features = Q.shape[0]
    cdef int j, k, jj, epoch, epochs = 0
    cdef bint check = True, support_changed = True, stepped
    cdef floating w_j, w_new, step, w_max, d_w_max
    cdef double tol_scaled = tol * y_norm2, gap = INFINITY, trial_gap
    cdef uint32_t rng_state = seed | 1
    cdef floating[::1] XtSr = work[0]

    # Check the gap first (a warm start may already be optimal), then
    # after an epoch whenever the steps settle or GRAM_GAP_EVERY passed.
    for epoch in range(max_iter + 1):
        if check:
            gap = _gram_gap(w, H, Q, q, XtSr, y_norm2, l1_reg, l2_reg,
                            penalty_factor, lower, upper, unpenalised,
                            cross_gram, unpenalised_gram, unpenalised_y,
                            scratch, all_features, exact_H)
            stepped = False
            if gap > tol_scaled and epoch > 0 and not support_changed:
                # Support and signs unchanged since the last check: try the
                # exact solution on them (``_gram_newton_step``); kept if it
                # lowers the gap.
                trial_gap = _gram_exact_step(
                    w, H, Q, q, XtSr, y_norm2, l1_reg, l2_reg, penalty_factor,
                    lower, upper, unpenalised, cross_gram, unpenalised_gram,
                    unpenalised_y, scratch, all_features, exact_H, work,
                    newton_gram, newton_step, newton_active, gap, gap)
                stepped = trial_gap < gap
                gap = trial_gap
            support_changed = False
            if gap <= tol_scaled:
                if not stepped:
                    # Polish with the exact step; kept if its gap is still
                    # within the tolerance.
                    gap = _gram_exact_step(
                        w, H, Q, q, XtSr, y_norm2, l1_reg, l2_reg,
                        penalty_factor, lower, upper, unpenalised, cross_gram,
                        unpenalised_gram, unpenalised_y, scratch,
                        all_features, exact_H, work, newton_gram, newton_step,
                        newton_active, gap, max(gap, tol_scaled))
                break
        if epoch == max_iter:
            break
        w_max = 0.0
        d_w_max = 0.0
        for jj in range(n_features):
            j = <int> (_next_random(&rng_state) % n_features) if random else jj
            if Q[j, j] <= 0.0 or penalty_factor[j] == INFINITY:
                continue
            w_j = w[j]
            w_new = _coordinate_minimiser(
                q[j] - H[j] + Q[j, j] * w_j, Q[j, j],
                l1_reg * penalty_factor[j], l2_reg * penalty_factor[j],
                lower[j], upper[j])
            if w_new != w_j:
                step = w_new - w_j
                _axpy(n_features, step, &Q[j, 0], 1, &H[0], 1)
                w[j] = w_new
                d_w_max = max(d_w_max, fabs(step))
                if (w_new > 0.0) != (w_j > 0.0) or (w_new < 0.0) != (w_j < 0.0):
                    support_changed = True
            w_max = max(w_max, fabs(w_new))
        epochs += 1
        check = (w_max == 0.0 or d_w_max <= tol * w_max
                 or epochs % GRAM_GAP_EVERY == 0 or epochs == max_iter)
    n_epochs[0] = max(epochs, 1)
    return gap


def _gram_coordinate_descent(
    floating[::1] w,
    const floating[::1] l1_regs,
    const floating[::1] l2_regs,
    const floating[:, ::1] Q,
    const floating[::1] q,
    floating y_norm2,
    floating sum_s,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_gram,
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
    floating[:, :] coefs,
    double[::1] gaps,
    int[::1] n_iters,
):
    """The covariance kernel on a decreasing sequence of regularisations
    (one entry for a single solve), each solve warm-started from the last;
    see enet_coordinate_descent_gram and enet_path_gram. The work arrays
    are allocated once for the whole sequence."""
    cdef int n_features = Q.shape[0]
    cdef int n_solves = l1_regs.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] H = np.zeros(n_features, dtype=dtype)
    cdef floating[:, ::1] work = np.empty((3, n_features), dtype=dtype)
    cdef int n_unpen = unpenalised.shape[0]
    cdef floating[::1] unpenalised_y = np.empty(n_unpen, dtype=dtype)
    cdef double[::1] scratch = np.empty(n_unpen * (n_unpen + 2), dtype=np.float64)
    cdef int[::1] all_features = np.arange(n_features, dtype=np.intc)
    cdef int max_support = min(n_features, MAX_NEWTON_SUPPORT)
    cdef double[::1] newton_gram = np.empty(max_support * max_support, dtype=np.float64)
    cdef double[::1] newton_step = np.empty(max_support, dtype=np.float64)
    cdef int[::1] newton_active = np.empty(max_support, dtype=np.intc)
    cdef double[::1] exact_H = np.empty(
        n_features if floating is float else 0, dtype=np.float64)
    cdef int j, k, s, n_epochs = 0
    cdef double gap = INFINITY

    with nogil:
        for k in range(n_unpen):
            unpenalised_y[k] = q[unpenalised[k]]
        for j in range(n_features):
            if Q[j, j] <= 0.0 or penalty_factor[j] == INFINITY:
                w[j] = 0.0
        for j in range(n_features):
            if w[j] != 0.0:
                _axpy(n_features, w[j], &Q[j, 0], 1, &H[0], 1)
        for s in range(n_solves):
            gap = _gram_solve(
                w, H, l1_regs[s], l2_regs[s], Q, q, y_norm2, penalty_factor,
                lower, upper, unpenalised, cross_gram, unpenalised_gram,
                unpenalised_y, work, scratch, all_features, newton_gram,
                newton_step, newton_active, exact_H, max_iter, tol, seed,
                random, &n_epochs)
            if sum_s > 0.0:
                gap /= sum_s
            gaps[s] = gap
            n_iters[s] = n_epochs
            if coefs.shape[1] > s:
                for j in range(n_features):
                    coefs[j, s] = w[j]
    return np.asarray(w), float(gap), n_epochs


