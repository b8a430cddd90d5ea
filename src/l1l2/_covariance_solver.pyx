"""Coordinate descent on the covariance form of the Elastic-Net objective.

With ``Q = Xt^T S Xt`` and ``q = Xt^T S y`` (centred, weighted), each
coordinate update costs O(n_features) instead of O(n_samples): the solver
keeps ``H = Q w`` instead of the residual, and ``Xt^T S r = q - H``. The
penalty, the duality gap and the exact step are the residual solver's
(``_penalty``, ``_dual``, ``_exact_step``); this module holds the epoch
loop over Q and its entry points.
"""

from libc.math cimport INFINITY, fabs
from libc.stdint cimport uint32_t
from cython cimport floating

import numpy as np

from ._blas cimport _axpy
from ._design cimport Selection
from ._dual cimport (
    Projection, _bind_penalty, _bind_projection_arrays, _gap_from_correlations,
)
from ._exact_step cimport NEWTON_EXACT, Newton, Quadratic, _support_newton_step
from ._penalty cimport Penalty, _prox_update
from ._coordinates cimport (
    _final_step_tol, _next_random, _record_step, _rounding, _settled,
)

# Epochs between two duality-gap evaluations, at most: an epoch is cheap
# next to a gap. The step-size test can trigger one earlier.
cdef int GRAM_GAP_EVERY = 10
# Largest support on which the exact step is tried.
cdef int MAX_NEWTON_SUPPORT = 500


cdef struct CovarianceSolve:
    Penalty P
    Projection U
    Quadratic quadratic     # Q, q, H = Q w (X is NULL)
    Newton newton
    Selection all_features
    void* XtSr              # q - H, then X^T S theta (solve's precision)
    void* saved_w           # the exact step's undo buffers
    void* saved_H
    double* exact_H         # float32: Q w in double (NULL in float64)
    double y_norm2
    int max_iter
    double tol
    bint random
    uint32_t seed
    uint32_t rng_state


cdef void _exact_gram_product(CovarianceSolve* G, const floating* w) noexcept nogil:
    """Recompute ``Q w`` in double precision into ``exact_H`` (and H).

    In float32, H drifts by a rounding error at each of its thousands of
    updates, and ``q - H`` (small next to q at small alphas) loses the
    digits the gap needs; the gap is computed from this instead."""
    cdef const floating* Q = <const floating*> G.quadratic.Q
    cdef floating* H = <floating*> G.quadratic.H
    cdef int j, k, n = G.quadratic.n_features
    cdef double w_j
    for k in range(n):
        G.exact_H[k] = 0.0
    for j in range(n):
        w_j = w[j]
        if w_j != 0.0:
            for k in range(n):
                G.exact_H[k] += Q[<size_t> j * n + k] * w_j
    for k in range(n):
        H[k] = <floating> G.exact_H[k]


cdef double _gram_gap(CovarianceSolve* G, const floating* w) noexcept nogil:
    """Duality gap from ``H = Q w``: with r = y - Xt w, r^T S r = y^T S y -
    2 w.q + w.Qw and r^T S y = y^T S y - w.q."""
    cdef const floating* q = <const floating*> G.quadratic.q
    cdef const floating* H = <const floating*> G.quadratic.H
    cdef floating* XtSr = <floating*> G.XtSr
    cdef const double* exact_H = G.exact_H
    cdef int k, n = G.quadratic.n_features
    cdef double wq = 0.0, wH = 0.0, h
    if exact_H != NULL:
        _exact_gram_product(G, w)
    for k in range(n):
        h = exact_H[k] if exact_H != NULL else H[k]
        XtSr[k] = <floating> (q[k] - h)
        wq += w[k] * q[k]
        wH += w[k] * h
    return _gap_from_correlations(
        &G.P, &G.U, G.all_features.features, n, w, XtSr,
        G.y_norm2 - 2.0 * wq + wH, G.y_norm2 - wq)


cdef double _gram_exact_step(
    CovarianceSolve* G, floating* w, double gap, double accept_below,
) noexcept nogil:
    """Take the exact step on the current support if it gives a gap of at
    most ``accept_below``; otherwise leave w and H as they were. Returns the
    gap of the point kept (``gap`` is that of the current point)."""
    cdef floating* H = <floating*> G.quadratic.H
    cdef floating* saved_w = <floating*> G.saved_w
    cdef floating* saved_H = <floating*> G.saved_H
    cdef int k, n = G.quadratic.n_features
    cdef double trial_gap
    for k in range(n):
        saved_w[k] = w[k]
        saved_H[k] = H[k]
    G.newton.credit = INFINITY
    if _support_newton_step(&G.quadratic, &G.newton, &G.all_features, w,
                            False) != NEWTON_EXACT:
        return gap
    trial_gap = _gram_gap(G, w)
    if trial_gap <= accept_below:
        return trial_gap
    for k in range(n):
        w[k] = saved_w[k]
        H[k] = saved_H[k]
    return gap


cdef bint _gram_epoch(
    CovarianceSolve* G, floating* w, bint* support_changed,
) noexcept nogil:
    """One pass of coordinate descent over all features; returns whether
    the steps settled (as in the residual solver's ``_epoch``).

    The penalty and the arrays are read through ``G`` at each coordinate,
    not copied to locals: with a BLAS call per update, values kept in
    registers are saved and restored around every call, which costs more
    than loading them again after it (benchmarks/RESULTS.md, "The kernel
    as an engine")."""
    cdef const Quadratic* F = &G.quadratic
    cdef const Penalty* P = &G.P
    cdef const floating* Q
    cdef uint32_t rng_state = G.rng_state
    cdef bint random = G.random
    cdef int jj, j, n = G.quadratic.n_features
    cdef floating w_j, w_new, q_jj
    cdef floating w_max = 0.0, d_w_max = 0.0
    cdef bint changed = support_changed[0]
    for jj in range(n):
        j = <int> (_next_random(&rng_state) % n) if random else jj
        Q = <const floating*> F.Q + <size_t> j * n
        q_jj = Q[j]
        if q_jj <= 0.0 or (<const floating*> P.factor)[j] == INFINITY:
            continue
        w_j = w[j]
        w_new = _prox_update(
            P, j, (<const floating*> F.q)[j] - (<floating*> F.H)[j] + q_jj * w_j,
            q_jj)
        if w_new != w_j:
            _axpy(n, w_new - w_j, Q, 1, <floating*> F.H, 1)
            w[j] = w_new
        _record_step(w_j, w_new, &w_max, &d_w_max, &changed)
    G.rng_state = rng_state
    support_changed[0] = changed
    return _settled(w_max, d_w_max, <floating> G.tol)


cdef bint _gram_steps_settled(CovarianceSolve* G, const floating* w) noexcept nogil:
    """Whether one more epoch would leave the coefficients where they are,
    by the measure of the residual solver's ``_steps_settled``: the steps
    from the current point, with the correlations ``q - H``."""
    cdef const Quadratic* F = &G.quadratic
    cdef const floating* q = <const floating*> F.q
    cdef const floating* H = <const floating*> F.H
    cdef const floating* factor = <const floating*> G.P.factor
    cdef int j, n = F.n_features
    cdef floating q_jj, w_max = 0.0, d_w_max = 0.0
    cdef floating noise = 1.0 + _rounding(floating is float)
    cdef floating l1_reg = <floating> G.P.l1_reg
    cdef bint sign_changed = False
    for j in range(n):
        q_jj = (<const floating*> F.Q)[<size_t> j * n + j]
        if q_jj <= 0.0 or factor[j] == INFINITY:
            continue
        if (w[j] == 0.0 and factor[j] > 0.0
                and fabs(q[j] - H[j]) <= noise * l1_reg * factor[j]):
            continue  # within its threshold, or beyond it by rounding only
        _record_step(w[j], _prox_update(&G.P, j, q[j] - H[j] + q_jj * w[j], q_jj),
                     &w_max, &d_w_max, &sign_changed)
    return _settled(w_max, d_w_max,
                    <floating> _final_step_tol(G.tol, floating is float))


cdef double _gram_solve(CovarianceSolve* G, floating* w, int* n_epochs) noexcept nogil:
    """Coordinate descent on Q from w, with ``H == Q w`` on entry and exit.

    The gap is checked first (a warm start may already be optimal), then
    after an epoch whenever the steps settle or GRAM_GAP_EVERY passed; with
    the support and signs unchanged since the last check, the exact step on
    them is tried and kept if it lowers the gap. A point within the
    tolerance is polished with the exact step, kept if its gap is still
    within it, and returned once its steps settled too
    (``_gram_steps_settled``). Returns the (unnormalised) gap; ``n_epochs`` gets the epochs.
    """
    cdef int epoch, epochs = 0
    cdef bint check = True, support_changed = True, stepped, settled
    cdef double tol_scaled = G.tol * G.y_norm2, gap = INFINITY, trial_gap
    G.rng_state = G.seed | 1
    for epoch in range(G.max_iter + 1):
        if check:
            gap = _gram_gap(G, w)
            stepped = False
            if gap > tol_scaled and epoch > 0 and not support_changed:
                trial_gap = _gram_exact_step(G, w, gap, gap)
                stepped = trial_gap < gap
                gap = trial_gap
            support_changed = False
            if gap <= tol_scaled:
                if not stepped:
                    gap = _gram_exact_step(G, w, gap, max(gap, tol_scaled))
                if _gram_steps_settled(G, w):
                    break
        if epoch == G.max_iter:
            break
        settled = _gram_epoch(G, w, &support_changed)
        epochs += 1
        check = settled or epochs % GRAM_GAP_EVERY == 0 or epochs == G.max_iter
    n_epochs[0] = epochs
    return gap


cdef void _start_products(CovarianceSolve* G, floating* w) noexcept nogil:
    """Zero the coefficients that cannot move (a zero diagonal of Q or an
    infinite penalty factor), then ``H = Q w``, and ``Xt_U^T S y = q_U``."""
    cdef const floating* Q = <const floating*> G.quadratic.Q
    cdef const floating* q = <const floating*> G.quadratic.q
    cdef const floating* factor = <const floating*> G.P.factor
    cdef floating* H = <floating*> G.quadratic.H
    cdef floating* unpenalised_y = <floating*> G.U.unpenalised_y
    cdef int j, k, n = G.quadratic.n_features
    for k in range(G.U.n_unpen):
        unpenalised_y[k] = q[G.U.unpenalised[k]]
    for j in range(n):
        H[j] = 0.0
        if Q[<size_t> j * n + j] <= 0.0 or factor[j] == INFINITY:
            w[j] = 0.0
    for j in range(n):
        if w[j] != 0.0:
            _axpy(n, w[j], &Q[<size_t> j * n], 1, H, 1)


cdef void _bind_covariance(
    CovarianceSolve* G, const floating[:, ::1] Q, const floating[::1] q,
    floating[:, ::1] work, double[::1] exact_H,
):
    """Point G's buffers at the arrays of ``_gram_coordinate_descent``:
    ``work`` rows are H, the correlations and the saved w and H."""
    cdef int n = Q.shape[0]
    G.quadratic.X = NULL
    G.quadratic.P = &G.P
    G.quadratic.n_features = n
    G.quadratic.Q = &Q[0, 0]
    G.quadratic.q = &q[0]
    G.quadratic.H = &work[0, 0]
    G.XtSr = &work[1, 0]
    G.saved_w = &work[2, 0]
    G.saved_H = &work[3, 0]
    G.exact_H = &exact_H[0] if exact_H.shape[0] else NULL


cdef void _bind_newton(Newton* N, arrays):
    """The exact step's buffers: at most MAX_NEWTON_SUPPORT coefficients,
    no dependent-column steps (covariance mode takes exact steps only)."""
    cdef double[::1] gram = arrays[0]
    cdef double[::1] step = arrays[1]
    cdef int[::1] active = arrays[2]
    N.max_support = step.shape[0]
    N.support_is_rank = False
    N.gram_capacity = gram.shape[0]
    N.gram = &gram[0] if gram.shape[0] else NULL
    N.step = &step[0] if step.shape[0] else NULL
    N.active = &active[0] if active.shape[0] else NULL
    N.column = NULL
    N.column_length = 1.0
    N.credit = INFINITY
    N.first_try = 1.0


def _gram_coordinate_descent(
    floating[::1] w,
    const floating[::1] l1_regs,
    const floating[::1] l2_regs,
    const floating[:, ::1] Q,
    const floating[::1] q,
    floating y_norm2,
    floating sum_s,
    penalty,
    projection,
    options,
    floating[:, :] coefs,
    double[::1] gaps,
    int[::1] n_iters,
):
    """The covariance kernel on a decreasing sequence of regularisations
    (one entry for a single solve), each solve warm-started from the last;
    see enet_coordinate_descent_gram and enet_path_gram. ``penalty`` is
    ``(penalty_factor, lower, upper)``, ``projection`` the three arrays of
    the kernels and ``options`` ``(max_iter, tol, seed, random)``. The work
    arrays are allocated once for the whole sequence."""
    cdef int n_features = Q.shape[0]
    cdef int n_solves = l1_regs.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef const floating[::1] factor = penalty[0]
    cdef const floating[::1] lower = penalty[1]
    cdef const floating[::1] upper = penalty[2]
    cdef const int[::1] unpenalised = projection[0]
    cdef const floating[:, ::1] cross_gram = projection[1]
    cdef const floating[:, ::1] unpenalised_gram = projection[2]
    cdef int n_unpen = unpenalised.shape[0]
    cdef int max_support = min(n_features, MAX_NEWTON_SUPPORT)
    cdef floating[:, ::1] work = np.zeros((4, n_features), dtype=dtype)
    cdef floating[::1] unpenalised_y = np.empty(n_unpen, dtype=dtype)
    cdef double[::1] scratch = np.empty(n_unpen * (n_unpen + 2))
    cdef int[::1] all_features = np.arange(n_features, dtype=np.intc)
    cdef double[::1] exact_H = np.empty(n_features if floating is float else 0)
    cdef CovarianceSolve G
    cdef int j, s, n_epochs = 0
    cdef double gap = INFINITY
    _bind_covariance(&G, Q, q, work, exact_H)
    # Held here: G points into them while it runs.
    newton_arrays = (np.empty(max_support * max_support), np.empty(max_support),
                     np.empty(max_support, dtype=np.intc))
    _bind_newton(&G.newton, newton_arrays)
    # The regularisation constants are set per solve, below.
    _bind_penalty(&G.P, 0, 0, factor, lower, upper)
    _bind_projection_arrays(&G.U, unpenalised, cross_gram, unpenalised_gram,
                            &unpenalised_y[0] if n_unpen else NULL,
                            &scratch[0] if n_unpen else NULL)
    G.all_features.features = &all_features[0]
    G.all_features.count = n_features
    G.y_norm2 = y_norm2
    G.max_iter, G.tol, G.seed, G.random = options
    with nogil:
        _start_products(&G, &w[0])
        for s in range(n_solves):
            G.P.l1_reg = l1_regs[s]
            G.P.l2_reg = l2_regs[s]
            gap = _gram_solve(&G, &w[0], &n_epochs)
            if sum_s > 0.0:
                gap /= sum_s
            gaps[s] = gap
            n_iters[s] = n_epochs
            if coefs.shape[1] > s:
                for j in range(n_features):
                    coefs[j, s] = w[j]
    return np.asarray(w), float(gap), n_epochs


def _projection_arrays(projection, w):
    """Unpack ``(unpenalised, cross_gram, unpenalised_gram)``, or empties."""
    if projection is not None:
        return projection
    return (np.empty(0, dtype=np.intc), np.empty((w.shape[0], 0), dtype=w.dtype),
            np.empty((0, 0), dtype=w.dtype))


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
        As in :func:`l1l2._cd_fast.enet_coordinate_descent`.
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
        As in :func:`l1l2._cd_fast.enet_coordinate_descent`.

    Returns
    -------
    w, gap, n_iter
        As in :func:`l1l2._cd_fast.enet_coordinate_descent`.
    """
    regs = np.array([[l1_reg], [l2_reg]], dtype=w.dtype)
    w, gap, n_iter = _gram_coordinate_descent(
        w, regs[0], regs[1], Q, q, y_norm2, sum_s,
        (penalty_factor, lower, upper), _projection_arrays(projection, w),
        (max_iter, tol, seed, random),
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
        w, l1_regs, l2_regs, Q, q, y_norm2, sum_s,
        (penalty_factor, lower, upper), _projection_arrays(projection, w),
        (max_iter, tol, seed, random), coefs, gaps, n_iters)
    return gaps, n_iters


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
    arrays = _projection_arrays(projection, np.asarray(w))
    cdef const int[::1] U_index = arrays[0]
    cdef const floating[:, ::1] cross_gram = arrays[1]
    cdef const floating[:, ::1] unpenalised_gram = arrays[2]
    cdef int a, n_unpen = U_index.shape[0], n_features = w.shape[0]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] unpenalised_y = np.empty(n_unpen, dtype=dtype)
    cdef double[::1] scratch = np.empty(n_unpen * (n_unpen + 2), dtype=np.float64)
    cdef int[::1] all_features = np.arange(n_features, dtype=np.intc)
    cdef Penalty P
    cdef Projection U
    for a in range(n_unpen):
        unpenalised_y[a] = correlation_y[U_index[a]]
    _bind_penalty(&P, <floating> l1_reg, <floating> l2_reg, penalty_factor,
                  lower, upper)
    _bind_projection_arrays(&U, U_index, cross_gram, unpenalised_gram,
                            &unpenalised_y[0] if n_unpen else NULL,
                            &scratch[0] if n_unpen else NULL)
    return float(_gap_from_correlations(&P, &U, &all_features[0], n_features,
                                        &w[0], &XtSr[0], rSr, rSy))
