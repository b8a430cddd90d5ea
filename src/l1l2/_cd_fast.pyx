"""Coordinate-descent kernels for the Elastic-Net objective.

The kernels minimise, over ``lower <= w <= upper``,

    P(w) = 1/2 * sum_i s_i (y_i - xt_i . w)^2
           + sum_j f_j * (l1_reg * |w_j| + l2_reg / 2 * w_j^2)

where ``xt_i = x_i - X_offset`` (implicit centring: X itself is never copied
or modified), ``s`` are the sample weights and ``f`` the penalty factors.
This is ``n`` times the objective of DESIGN.md section 3 with
``l1_reg = n * alpha * l1_ratio`` and ``l2_reg = n * alpha * (1 - l1_ratio)``.

Convergence is certified by the duality gap: the residual, rescaled into the
dual feasible set, gives a dual value ``D``; the kernels stop when
``P - D <= tol * sum_i s_i y_i^2``. The dual is written for box constraints
and per-feature L2 terms, so it stays a valid certificate for Ridge
(``l1_reg == 0``), for bounded coefficients and for penalty factors.

The kernels never validate their input and never see an estimator: callers
pass typed arrays of one dtype (float32 or float64), an F-ordered X, and get
``(w, gap, n_iter)`` back, with ``w`` updated in place and ``gap`` divided by
``sum(s)`` so that it is on the scale of the estimator's objective.
"""

from libc.math cimport fabs, INFINITY
from libc.stdint cimport uint32_t
from libc.float cimport DBL_EPSILON, FLT_EPSILON
from cython cimport floating

import numpy as np

from ._blas cimport _axpy, _dot

# How many epochs may pass between two duality-gap evaluations, at most.
# A gap costs as much as an epoch; the step-size test below usually
# triggers it earlier, once the iterates settle.
cdef int GAP_EVERY = 10


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


cdef struct DualStats:
    # Statistics of a candidate dual point theta (before rescaling) next to
    # those of the residual r that the primal needs.
    double rSr      # r^T S r
    double tSt      # theta^T S theta
    double tSy      # theta^T S y


cdef void _project_out_unpenalised(
    floating[::1] XtSt,
    DualStats* stats,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_pinv,
    const floating[::1] unpenalised_y,
    floating[::1] scratch,
) noexcept nogil:
    """Move theta from r to the residual of r regressed on X_U.

    Dual feasibility asks ``X_U^T S theta = 0`` for the unpenalised features
    U, which no rescaling of r gives. With ``beta = G_U^+ X_U^T S r`` the
    point ``theta = r - X_U beta`` satisfies it, and its statistics follow
    from the small precomputed matrices: ``cross_gram = X^T S X_U`` and
    ``unpenalised_pinv = G_U^+``. ``XtSt`` holds ``X^T S r`` on entry and
    ``X^T S theta`` on exit.
    """
    cdef int n_features = XtSt.shape[0]
    cdef int n_unpen = unpenalised.shape[0]
    cdef int a, b, j
    cdef floating beta_a, correction
    if n_unpen == 0:
        return
    # scratch[:u] <- X_U^T S r, scratch[u:] <- beta
    for a in range(n_unpen):
        scratch[a] = XtSt[unpenalised[a]]
    for a in range(n_unpen):
        beta_a = 0.0
        for b in range(n_unpen):
            beta_a += unpenalised_pinv[a, b] * scratch[b]
        scratch[n_unpen + a] = beta_a
        stats.tSt -= beta_a * scratch[a]
        stats.tSy -= beta_a * unpenalised_y[a]
    if stats.tSt < 0.0:
        stats.tSt = 0.0
    for j in range(n_features):
        correction = 0.0
        for a in range(n_unpen):
            correction += cross_gram[j, a] * scratch[n_unpen + a]
        XtSt[j] -= correction
    for a in range(n_unpen):
        XtSt[unpenalised[a]] = 0.0


cdef floating _duality_gap_from_stats(
    int n_features,
    const floating[::1] w,
    const floating[::1] XtSt,
    DualStats stats,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
) noexcept nogil:
    """Duality gap of w, given the residual's and the dual candidate's stats.

    The dual point is scale * theta, with the largest scale <= 1 that makes
    it feasible: for every feature with no L2 term, the directions in which
    its coefficient is unbounded require |x_j^T S theta| <= l1 f_j.
    """
    cdef int j
    cdef floating f, l1, l2, v, ratio, dual_norm = 0.0, scale
    cdef floating primal = 0.5 * stats.rSr, conjugates = 0.0
    cdef bint infeasible = False

    for j in range(n_features):
        f = penalty_factor[j]
        if f == INFINITY:
            continue  # w_j is pinned at 0: no constraint, no penalty
        l1 = l1_reg * f
        l2 = l2_reg * f
        primal += l1 * fabs(w[j]) + 0.5 * l2 * w[j] * w[j]
        if l2 > 0.0:
            continue
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

    for j in range(n_features):
        f = penalty_factor[j]
        if f == INFINITY:
            continue
        conjugates += _penalty_conjugate(
            scale * XtSt[j], l1_reg * f, l2_reg * f, lower[j], upper[j])

    return primal - (scale * stats.tSy - 0.5 * scale * scale * stats.tSt - conjugates)


# --- small helpers shared by the kernels ------------------------------------


ctypedef fused IndexT:
    int
    long long


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


cdef inline floating _dense_dot(
    int n, const floating* x, const floating* r, const floating* sw,
    bint weighted,
) noexcept nogil:
    """Return sum_i s_i x_i r_i (BLAS when the weights are all one)."""
    cdef int i
    cdef floating total = 0.0
    if not weighted:
        return _dot(n, x, 1, r, 1)
    for i in range(n):
        total += sw[i] * x[i] * r[i]
    return total


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
    """Return sum_i s_i x_i r_i over the stored entries of one CSC column."""
    cdef IndexT k
    cdef floating total = 0.0
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


# --- datafit: the residual kernel, dense or CSC X ---------------------------


def _residual_coordinate_descent(
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
    const floating[:, ::1] unpenalised_pinv,
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
):
    """Coordinate descent on the residual; see the public wrappers.

    Column j of the centred design is ``x_j - X_offset[j]``. A dense X keeps
    the true residual ``r``. A sparse X keeps ``r_raw = y - X w`` and the
    scalar ``shift = X_offset . w`` so that updates touch only the stored
    entries; the true residual is ``r_raw + shift``. In both cases

        xt_j^T S r_true = x_j^T S r + shift * colsum_j
                          - X_offset[j] * (sum(S r) + shift * sum(s))

    with ``colsum_j = x_j^T s`` and ``sum(S r)`` kept up to date.
    """
    cdef int n_samples = y.shape[0]
    cdef int n_features = w.shape[0]
    cdef bint weighted = sample_weight.shape[0] > 0
    cdef bint centred = X_offset.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64

    cdef floating[::1] residual = np.empty(n_samples, dtype=dtype)
    cdef floating[::1] column = np.zeros(n_samples if is_sparse else 0, dtype=dtype)
    cdef floating[::1] norm2 = np.empty(n_features, dtype=dtype)
    cdef floating[::1] colsum = np.zeros(n_features, dtype=dtype)
    cdef floating[::1] offset = (
        X_offset if centred else np.zeros(n_features, dtype=dtype))
    cdef floating[::1] XtSr = np.empty(n_features, dtype=dtype)
    cdef int n_unpen = unpenalised.shape[0]
    cdef floating[::1] unpenalised_y = np.zeros(n_unpen, dtype=dtype)
    cdef floating[::1] scratch = np.empty(2 * n_unpen, dtype=dtype)
    cdef DualStats stats
    cdef floating[::1] ones
    if not weighted:
        ones = np.ones(n_samples, dtype=dtype)
        sample_weight = ones

    cdef const floating* sw = &sample_weight[0]
    cdef floating* r = &residual[0]
    cdef const floating* x_j = NULL
    cdef const floating* data = &X_data[0] if is_sparse and X_data.shape[0] > 0 else NULL
    cdef const IndexT* indices = (
        &X_indices[0] if is_sparse and X_indices.shape[0] > 0 else NULL)
    cdef IndexT start = 0, end = 0, k
    cdef int i, j, jj, epoch = 0
    cdef floating raw, centred_norm, value, w_j, w_new, step, correlation
    cdef floating sum_s = 0.0, y_norm2 = 0.0, tol_scaled, gap = INFINITY
    cdef floating sum_sr = 0.0, shift = 0.0, r_i
    cdef int a
    cdef floating w_max, d_w_max, eps = _epsilon(tol)
    cdef uint32_t rng_state = seed | 1

    with nogil:
        for i in range(n_samples):
            sum_s += sw[i]
            y_norm2 += sw[i] * y[i] * y[i]
            r[i] = y[i]
        tol_scaled = tol * y_norm2

        # Column statistics of the centred, weighted design. A column that
        # centring reduces to rounding noise is treated as exactly constant.
        for j in range(n_features):
            raw = 0.0
            centred_norm = 0.0
            if is_sparse:
                start = X_indptr[j]
                end = X_indptr[j + 1]
                # Duplicate entries add up: gather the column into a dense
                # scratch vector before squaring, then clear what was used.
                for k in range(start, end):
                    colsum[j] += sw[indices[k]] * data[k]
                    column[indices[k]] += data[k]
                for k in range(start, end):
                    i = indices[k]
                    raw += sw[i] * column[i] * column[i]
                    column[i] = 0.0
                # sum_i s_i (x_ij - m)^2 = raw - 2 m colsum + m^2 sum(s)
                centred_norm = raw + offset[j] * (offset[j] * sum_s - 2.0 * colsum[j])
            else:
                x_j = &X[0, j]
                for i in range(n_samples):
                    colsum[j] += sw[i] * x_j[i]
                    raw += sw[i] * x_j[i] * x_j[i]
                    value = x_j[i] - offset[j]
                    centred_norm += sw[i] * value * value
            if centred_norm <= eps * raw or penalty_factor[j] == INFINITY:
                centred_norm = 0.0
                w[j] = 0.0  # a constant column or an excluded feature
            norm2[j] = centred_norm
            if w[j] != 0.0:
                if is_sparse:
                    _sparse_update(start, end, w[j], data, indices, r)
                    shift += w[j] * offset[j]
                else:
                    _dense_update(n_samples, w[j], x_j, offset[j], r)
        for i in range(n_samples):
            sum_sr += sw[i] * r[i]
        # Xt_U^T S y, for the projection of the dual point (y is centred,
        # so the offsets drop out).
        for a in range(n_unpen):
            j = unpenalised[a]
            if is_sparse:
                unpenalised_y[a] = _sparse_dot(
                    X_indptr[j], X_indptr[j + 1], data, indices, &y[0], sw, weighted)
            else:
                unpenalised_y[a] = _dense_dot(n_samples, &X[0, j], &y[0], sw, weighted)

        for epoch in range(max_iter):
            w_max = 0.0
            d_w_max = 0.0
            for jj in range(n_features):
                j = <int> (_next_random(&rng_state) % n_features) if random else jj
                if norm2[j] == 0.0:
                    continue
                if is_sparse:
                    start = X_indptr[j]
                    end = X_indptr[j + 1]
                    correlation = _sparse_dot(
                        start, end, data, indices, r, sw, weighted)
                else:
                    x_j = &X[0, j]
                    correlation = _dense_dot(n_samples, x_j, r, sw, weighted)
                correlation += (shift * colsum[j]
                                - offset[j] * (sum_sr + shift * sum_s))
                w_j = w[j]
                w_new = _coordinate_minimiser(
                    correlation + norm2[j] * w_j, norm2[j],
                    l1_reg * penalty_factor[j], l2_reg * penalty_factor[j],
                    lower[j], upper[j])
                if w_new != w_j:
                    step = w_new - w_j
                    if is_sparse:
                        _sparse_update(start, end, step, data, indices, r)
                        shift += step * offset[j]
                        sum_sr -= step * colsum[j]
                    else:
                        _dense_update(n_samples, step, x_j, offset[j], r)
                        sum_sr -= step * (colsum[j] - offset[j] * sum_s)
                    w[j] = w_new
                    if fabs(step) > d_w_max:
                        d_w_max = fabs(step)
                if fabs(w_new) > w_max:
                    w_max = fabs(w_new)

            if (w_max == 0.0 or d_w_max <= tol * w_max
                    or (epoch + 1) % GAP_EVERY == 0 or epoch == max_iter - 1):
                # Refresh sum(S r) against drift, then the gap's statistics
                # on the true residual.
                sum_sr = 0.0
                stats.rSr = 0.0
                stats.tSy = 0.0
                for i in range(n_samples):
                    sum_sr += sw[i] * r[i]
                    r_i = r[i] + shift
                    stats.rSr += sw[i] * r_i * r_i
                    stats.tSy += sw[i] * r_i * y[i]
                stats.tSt = stats.rSr
                for j in range(n_features):
                    if is_sparse:
                        correlation = _sparse_dot(
                            X_indptr[j], X_indptr[j + 1], data, indices, r, sw,
                            weighted)
                    else:
                        correlation = _dense_dot(n_samples, &X[0, j], r, sw, weighted)
                    XtSr[j] = (correlation + shift * colsum[j]
                               - offset[j] * (sum_sr + shift * sum_s))
                _project_out_unpenalised(
                    XtSr, &stats, unpenalised, cross_gram, unpenalised_pinv,
                    unpenalised_y, scratch)
                gap = _duality_gap_from_stats(
                    n_features, w, XtSr, stats, l1_reg, l2_reg,
                    penalty_factor, lower, upper)
                if gap <= tol_scaled:
                    break

    if sum_s > 0.0:
        gap /= sum_s
    return np.asarray(w), float(gap), min(epoch + 1, max_iter)


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
        Maximum number of epochs.
    tol : float
        Stop when the duality gap is below ``tol * sum_i s_i y_i^2``.
    seed : int
        Seed of the coordinate sampler when ``random`` is true.
    random : bool
        Visit coordinates in random order instead of cyclically.
    projection : tuple of three arrays, optional
        ``(unpenalised, cross_gram, unpenalised_pinv)``: the indices U of the
        features with penalty factor 0, ``Xt^T S Xt_U`` of shape
        (n_features, |U|) and the pseudo-inverse of ``Xt_U^T S Xt_U``. They
        keep the duality gap a valid certificate when some features are
        unpenalised (see ``_project_out_unpenalised``).

    Returns
    -------
    w : ndarray of shape (n_features,)
        The same array as the input ``w``.
    gap : float
        Final duality gap divided by ``sum(sample_weight)``.
    n_iter : int
        Number of epochs run.
"""


def _projection_arrays(projection, w):
    """Unpack ``(unpenalised, cross_gram, unpenalised_pinv)``, or empties."""
    if projection is not None:
        return projection
    return (_NO_INDICES, np.empty((w.shape[0], 0), dtype=w.dtype),
            np.empty((0, 0), dtype=w.dtype))


def enet_coordinate_descent(w, l1_reg, l2_reg, X, y, sample_weight, X_offset,
                            penalty_factor, lower, upper, max_iter, tol, seed,
                            random, projection=None):
    return _residual_coordinate_descent(
        w, l1_reg, l2_reg, X, w[:0], _NO_INDICES, _NO_INDICES, False,
        y, sample_weight, X_offset, penalty_factor, lower, upper,
        *_projection_arrays(projection, w), max_iter, tol, seed, random)


def sparse_enet_coordinate_descent(w, l1_reg, l2_reg, X_data, X_indices,
                                   X_indptr, y, sample_weight, X_offset,
                                   penalty_factor, lower, upper, max_iter, tol,
                                   seed, random, projection=None):
    empty_X = np.empty((0, 0), dtype=w.dtype, order="F")
    return _residual_coordinate_descent(
        w, l1_reg, l2_reg, empty_X, X_data, X_indices, X_indptr, True,
        y, sample_weight, X_offset, penalty_factor, lower, upper,
        *_projection_arrays(projection, w), max_iter, tol, seed, random)


_NO_INDICES = np.empty(0, dtype=np.intc)

enet_coordinate_descent.__doc__ = """Coordinate descent on the residual for a dense X.

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
        The CSC arrays of X (int32 or int64 indices; unsorted indices and
        explicit zeros are fine).""" + _COMMON_PARAMETERS


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
    return _gram_coordinate_descent(
        w, l1_reg, l2_reg, Q, q, y_norm2, sum_s, penalty_factor, lower, upper,
        *_projection_arrays(projection, w), max_iter, tol, seed, random)


def _gram_coordinate_descent(
    floating[::1] w,
    floating l1_reg,
    floating l2_reg,
    const floating[:, ::1] Q,
    const floating[::1] q,
    floating y_norm2,
    floating sum_s,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    const int[::1] unpenalised,
    const floating[:, ::1] cross_gram,
    const floating[:, ::1] unpenalised_pinv,
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
):
    """The covariance kernel; see enet_coordinate_descent_gram."""
    cdef int n_features = Q.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] H = np.zeros(n_features, dtype=dtype)
    cdef floating[::1] XtSr = np.empty(n_features, dtype=dtype)
    cdef int n_unpen = unpenalised.shape[0]
    cdef floating[::1] unpenalised_y = np.empty(n_unpen, dtype=dtype)
    cdef floating[::1] scratch = np.empty(2 * n_unpen, dtype=dtype)
    cdef DualStats stats
    cdef int j, k, jj, epoch = 0
    cdef floating w_j, w_new, step, w_max, d_w_max, wq, wH
    cdef floating tol_scaled = tol * y_norm2, gap = INFINITY
    cdef uint32_t rng_state = seed | 1

    with nogil:
        for k in range(n_unpen):
            unpenalised_y[k] = q[unpenalised[k]]
        for j in range(n_features):
            if Q[j, j] <= 0.0 or penalty_factor[j] == INFINITY:
                w[j] = 0.0
        for j in range(n_features):
            if w[j] != 0.0:
                _axpy(n_features, w[j], &Q[j, 0], 1, &H[0], 1)

        for epoch in range(max_iter):
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
                    if fabs(step) > d_w_max:
                        d_w_max = fabs(step)
                if fabs(w_new) > w_max:
                    w_max = fabs(w_new)

            if (w_max == 0.0 or d_w_max <= tol * w_max
                    or (epoch + 1) % GAP_EVERY == 0 or epoch == max_iter - 1):
                wq = 0.0
                wH = 0.0
                for k in range(n_features):
                    XtSr[k] = q[k] - H[k]
                    wq += w[k] * q[k]
                    wH += w[k] * H[k]
                # r = y - Xt w: r^T S r = y^T S y - 2 w.q + w.Qw and
                # r^T S y = y^T S y - w.q.
                stats.rSr = y_norm2 - 2.0 * wq + wH
                stats.tSt = stats.rSr
                stats.tSy = y_norm2 - wq
                _project_out_unpenalised(
                    XtSr, &stats, unpenalised, cross_gram, unpenalised_pinv,
                    unpenalised_y, scratch)
                gap = _duality_gap_from_stats(
                    n_features, w, XtSr, stats, l1_reg, l2_reg,
                    penalty_factor, lower, upper)
                if gap <= tol_scaled:
                    break

    if sum_s > 0.0:
        gap /= sum_s
    return np.asarray(w), float(gap), min(epoch + 1, max_iter)
