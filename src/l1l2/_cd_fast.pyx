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


cdef floating _duality_gap_from_stats(
    int n_features,
    const floating[::1] w,
    const floating[::1] XtSr,
    floating rSr,
    floating rSy,
    floating l1_reg,
    floating l2_reg,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
) noexcept nogil:
    """Duality gap given X^T S r, r^T S r and r^T S y for the residual r.

    The dual point is theta = scale * r, with the largest scale <= 1 that
    makes theta feasible: for every feature with no L2 term, the directions
    in which its coefficient is unbounded require |x_j^T S theta| <= l1 f_j.
    """
    cdef int j
    cdef floating f, l1, l2, v, ratio, dual_norm = 0.0, scale
    cdef floating primal = 0.5 * rSr, conjugates = 0.0
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
        v = XtSr[j]
        if (v > 0.0 and upper[j] == INFINITY) or (v < 0.0 and lower[j] == -INFINITY):
            if l1 > 0.0:
                ratio = fabs(v) / l1
                if ratio > dual_norm:
                    dual_norm = ratio
            else:
                infeasible = True  # unpenalised: only theta = 0 is feasible

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
            scale * XtSr[j], l1_reg * f, l2_reg * f, lower[j], upper[j])

    return primal - (scale * rSy - 0.5 * scale * scale * rSr - conjugates)


# --- small helpers shared by the kernels ------------------------------------


cdef inline uint32_t _next_random(uint32_t* state) noexcept nogil:
    """Xorshift32: a thread-local generator, so the kernel holds no state."""
    cdef uint32_t x = state[0]
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    state[0] = x
    return x


cdef inline floating _weighted_dot(
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


cdef inline void _subtract_centred_column(
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


cdef inline floating _epsilon(floating x) noexcept nogil:
    return FLT_EPSILON if floating is float else DBL_EPSILON


# --- datafit: residual kernel on a dense, F-ordered X ---------------------


def enet_coordinate_descent(
    floating[::1] w,
    floating l1_reg,
    floating l2_reg,
    const floating[::1, :] X,
    const floating[::1] y,
    const floating[::1] sample_weight,
    const floating[::1] X_offset,
    const floating[::1] penalty_factor,
    const floating[::1] lower,
    const floating[::1] upper,
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
):
    """Coordinate descent on the residual for a dense X.

    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Initial coefficients, updated in place. Must lie within the bounds.
    l1_reg, l2_reg : float
        ``n * alpha * l1_ratio`` and ``n * alpha * (1 - l1_ratio)``.
    X : F-ordered ndarray of shape (n_samples, n_features)
        Design matrix; read only.
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

    Returns
    -------
    w : ndarray of shape (n_features,)
        The same array as the input ``w``.
    gap : float
        Final duality gap divided by ``sum(sample_weight)``.
    n_iter : int
        Number of epochs run.
    """
    cdef int n_samples = X.shape[0]
    cdef int n_features = X.shape[1]
    cdef bint weighted = sample_weight.shape[0] > 0
    cdef bint centred = X_offset.shape[0] > 0
    dtype = np.float32 if floating is float else np.float64

    cdef floating[::1] residual = np.empty(n_samples, dtype=dtype)
    cdef floating[::1] norm2 = np.empty(n_features, dtype=dtype)
    cdef floating[::1] XtSr = np.empty(n_features, dtype=dtype)
    cdef floating[::1] ones
    if not weighted:
        ones = np.ones(n_samples, dtype=dtype)
        sample_weight = ones

    cdef const floating* sw = &sample_weight[0] if n_samples > 0 else NULL
    cdef floating* r = &residual[0] if n_samples > 0 else NULL
    cdef const floating* x_j
    cdef int i, j, jj, epoch = 0
    cdef floating offset_j, raw, centred_norm, value, w_j, w_new, step
    cdef floating sum_s = 0.0, y_norm2 = 0.0, tol_scaled, gap = INFINITY
    cdef floating sum_sr, rSr, rSy, w_max, d_w_max, eps = _epsilon(tol)
    cdef uint32_t rng_state = seed | 1

    with nogil:
        for i in range(n_samples):
            sum_s += sw[i]
            y_norm2 += sw[i] * y[i] * y[i]
            r[i] = y[i]
        tol_scaled = tol * y_norm2

        # Column norms of the centred, weighted X; a column that centring
        # reduces to rounding noise is treated as exactly constant.
        for j in range(n_features):
            x_j = &X[0, j]
            offset_j = X_offset[j] if centred else 0.0
            raw = 0.0
            centred_norm = 0.0
            for i in range(n_samples):
                raw += sw[i] * x_j[i] * x_j[i]
                value = x_j[i] - offset_j
                centred_norm += sw[i] * value * value
            if centred_norm <= eps * raw or penalty_factor[j] == INFINITY:
                centred_norm = 0.0
                w[j] = 0.0  # a constant column or an excluded feature
            norm2[j] = centred_norm
            if w[j] != 0.0:
                _subtract_centred_column(n_samples, w[j], x_j, offset_j, r)

        for epoch in range(max_iter):
            w_max = 0.0
            d_w_max = 0.0
            for jj in range(n_features):
                j = <int> (_next_random(&rng_state) % n_features) if random else jj
                if norm2[j] == 0.0:
                    continue
                x_j = &X[0, j]
                offset_j = X_offset[j] if centred else 0.0
                w_j = w[j]
                # sum_i s_i r_i is 0 up to rounding when centred (y and the
                # columns are centred with the weighted means), so the
                # centred inner product is x_j^T S r.
                w_new = _coordinate_minimiser(
                    _weighted_dot(n_samples, x_j, r, sw, weighted) + norm2[j] * w_j,
                    norm2[j], l1_reg * penalty_factor[j],
                    l2_reg * penalty_factor[j], lower[j], upper[j])
                if w_new != w_j:
                    step = w_new - w_j
                    _subtract_centred_column(n_samples, step, x_j, offset_j, r)
                    w[j] = w_new
                    if fabs(step) > d_w_max:
                        d_w_max = fabs(step)
                if fabs(w_new) > w_max:
                    w_max = fabs(w_new)

            if (w_max == 0.0 or d_w_max <= tol * w_max
                    or (epoch + 1) % GAP_EVERY == 0 or epoch == max_iter - 1):
                sum_sr = 0.0
                rSr = 0.0
                rSy = 0.0
                for i in range(n_samples):
                    sum_sr += sw[i] * r[i]
                    rSr += sw[i] * r[i] * r[i]
                    rSy += sw[i] * r[i] * y[i]
                for j in range(n_features):
                    XtSr[j] = _weighted_dot(n_samples, &X[0, j], r, sw, weighted)
                    if centred:
                        XtSr[j] -= X_offset[j] * sum_sr
                gap = _duality_gap_from_stats(
                    n_features, w, XtSr, rSr, rSy, l1_reg, l2_reg,
                    penalty_factor, lower, upper)
                if gap <= tol_scaled:
                    break

    if sum_s > 0.0:
        gap /= sum_s
    return np.asarray(w), float(gap), min(epoch + 1, max_iter)


# --- datafit: covariance (Gram) kernel ------------------------------------


def enet_coordinate_descent_gram(
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
    int max_iter,
    floating tol,
    unsigned int seed,
    bint random,
):
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

    Returns
    -------
    w, gap, n_iter
        As in :func:`enet_coordinate_descent`.
    """
    cdef int n_features = Q.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] H = np.zeros(n_features, dtype=dtype)
    cdef floating[::1] XtSr = np.empty(n_features, dtype=dtype)
    cdef int j, k, jj, epoch = 0
    cdef floating w_j, w_new, step, w_max, d_w_max, wq, wH
    cdef floating tol_scaled = tol * y_norm2, gap = INFINITY
    cdef uint32_t rng_state = seed | 1

    with nogil:
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
                gap = _duality_gap_from_stats(
                    n_features, w, XtSr, y_norm2 - 2.0 * wq + wH, y_norm2 - wq,
                    l1_reg, l2_reg, penalty_factor, lower, upper)
                if gap <= tol_scaled:
                    break

    if sum_s > 0.0:
        gap /= sum_s
    return np.asarray(w), float(gap), min(epoch + 1, max_iter)
