"""Block coordinate descent for the multi-task Elastic-Net.

The kernel minimises, over W of shape (n_tasks, n_features),

    P(W) = 1/2 * sum_t sum_i s_i (y_it - xt_i . W_t)^2
           + sum_j (l1_reg * ||W_j|| + l2_reg / 2 * ||W_j||^2)

where ``W_j`` is column j of W (feature j's coefficients in every task),
``||.||`` the Euclidean norm, ``xt_i = x_i - X_offset`` (implicit centring)
and ``s`` the sample weights: ``n`` times scikit-learn's multi-task
objective, whose L2,1 penalty selects a feature in all tasks or in none.

Each step minimises P over one block W_j: with ``g = Xt_j^T S R + ||xt_j||^2
W_j`` (R the residuals of all tasks), the minimiser is the block
soft-threshold ``g * max(0, 1 - l1_reg / ||g||) / (||xt_j||^2 + l2_reg)``.
The columns are read, centred and weighted through ``_design.pxd``, one
task's residual at a time, as the single-task solvers read them.

Convergence is certified by the duality gap with the dual point ``c R``
(``_gap_and_steps``), and, as in the single-task solvers, a solve stops
only once its steps have settled too (``_final_step_tol``).
"""

from libc.math cimport fabs, sqrt
from cython cimport floating

import numpy as np

from ._columns import column_statistics, kernel_indices
from ._coordinates cimport _final_step_tol, _rounding, _settled
from ._design cimport Design, Residual, _correlation, _step
from ._dual cimport _residual_sums, _weighted_sum
from ._workspace cimport _bind_design
from ._workspace import KernelDesign, Workspace

# Epochs between two duality-gap evaluations, at most (the steps settling
# can trigger one earlier).
cdef int GAP_EVERY = 5


cdef struct MultiTask:
    Design* X
    Residual* res          # one per task
    const void* Y          # targets, F order (n_samples, n_tasks)
    void* R                # residuals, F order (n_samples, n_tasks)
    const void* norm2      # ||xt_j||_S^2
    void* block            # n_tasks scratch values
    double* corr_norm      # ||Xt_j^T S R|| of each feature, at the last gap
    int n_tasks
    double l1_reg
    double l2_reg


cdef double _block_correlations(
    MultiTask* M, const floating* R, int j,
) noexcept nogil:
    """Put ``Xt_j^T S R`` (one value per task) in ``M.block``; return its
    squared norm. R is ``M.R``, typed."""
    cdef floating* g = <floating*> M.block
    cdef int t, n = M.X.n_samples
    cdef double norm2 = 0.0
    for t in range(M.n_tasks):
        g[t] = _correlation(M.X, j, R + <size_t> t * n, &M.res[t])
        norm2 += <double> g[t] * g[t]
    return norm2


cdef floating _block_step(
    MultiTask* M, floating* W, int j, bint apply, floating* w_max,
) noexcept nogil:
    """The step of block j from the current point, given its correlations
    in ``M.block`` (``_block_correlations``): the largest change of a
    coefficient, and (``apply``) the step taken. ``w_max`` gets the largest
    new coefficient. W is C-ordered (n_tasks, n_features)."""
    cdef const floating* norm2 = <const floating*> M.norm2
    cdef floating* g = <floating*> M.block
    cdef floating* R = <floating*> M.R
    cdef int t, n = M.X.n_samples, p = M.X.n_features
    cdef double g_norm2 = 0.0, shrink, threshold
    cdef floating new, change, largest = 0.0
    for t in range(M.n_tasks):
        g[t] += norm2[j] * W[<size_t> t * p + j]
        g_norm2 += <double> g[t] * g[t]
    # A block beyond its threshold by rounding only stays at 0 (at alpha_max
    # the leading block's norm equals the threshold up to an ulp).
    threshold = M.l1_reg * (1.0 + _rounding(floating is float))
    shrink = 0.0
    if g_norm2 > threshold * threshold:
        shrink = (1.0 - M.l1_reg / sqrt(g_norm2)) / (norm2[j] + M.l2_reg)
    for t in range(M.n_tasks):
        new = <floating> (g[t] * shrink)
        change = new - W[<size_t> t * p + j]
        largest = max(largest, fabs(change))
        w_max[0] = max(w_max[0], fabs(new))
        if apply and change != 0.0:
            _step(M.X, j, change, R + <size_t> t * n, &M.res[t])
            W[<size_t> t * p + j] = new
    return largest


cdef bint _epoch(MultiTask* M, floating* W, double step_tol) noexcept nogil:
    """One cyclic pass over the blocks; whether its steps settled within
    ``step_tol`` of the largest coefficient."""
    cdef const floating* norm2 = <const floating*> M.norm2
    cdef floating w_max = 0.0, d_w_max = 0.0
    cdef int j
    for j in range(M.X.n_features):
        if norm2[j] > 0.0:
            _block_correlations(M, <const floating*> M.R, j)
            d_w_max = max(d_w_max, _block_step(M, W, j, True, &w_max))
    return _settled(w_max, d_w_max, <floating> step_tol)


cdef void _residual_sums_of_tasks(
    MultiTask* M, const floating* R, double* rSr, double* rSy,
) noexcept nogil:
    """``R.S R`` and ``R.S Y`` over the tasks (R is ``M.R``, typed), refreshing
    each task's ``sum(S r)`` against drift."""
    cdef int t, n = M.X.n_samples
    cdef double sums[3]
    rSr[0] = 0.0
    rSy[0] = 0.0
    for t in range(M.n_tasks):
        _residual_sums(R + <size_t> t * n, M.res[t].shift,
                       <const floating*> M.Y + <size_t> t * n,
                       <const floating*> M.X.weights if M.X.weighted else NULL,
                       n, sums)
        M.res[t].sum_sr = sums[0]
        rSr[0] += sums[1]
        rSy[0] += sums[2]


cdef double _gap_and_steps(
    MultiTask* M, floating* W, double step_tol, bint* settled,
) noexcept nogil:
    """Duality gap at W, and (``settled``) whether a further epoch's steps,
    taken from W, would all be within ``step_tol`` of the largest
    coefficient.

    The dual point is ``c R`` with ``c = min(1, l1_reg / max_j ||Xt_j^T S
    R||)`` without an L2 term (so that it is feasible) and 1 with one, and

        D(c R) = c R.S Y - c^2 / 2 R.S R
                 - sum_j (||c Xt_j^T S R|| - l1_reg)_+^2 / (2 l2_reg).
    """
    cdef const floating* norm2 = <const floating*> M.norm2
    cdef int j, t, p = M.X.n_features
    cdef double rSr, rSy, penalty = 0.0, conjugate = 0.0, excess, c = 1.0
    cdef double c_max = 0.0, w_norm2
    cdef floating w_max = 0.0, d_w_max = 0.0
    _residual_sums_of_tasks(M, <const floating*> M.R, &rSr, &rSy)
    for j in range(p):
        w_norm2 = 0.0
        for t in range(M.n_tasks):
            w_norm2 += <double> W[<size_t> t * p + j] * W[<size_t> t * p + j]
        M.corr_norm[j] = sqrt(_block_correlations(M, <const floating*> M.R, j))
        c_max = max(c_max, M.corr_norm[j])
        penalty += M.l1_reg * sqrt(w_norm2) + 0.5 * M.l2_reg * w_norm2
        if norm2[j] > 0.0:
            d_w_max = max(d_w_max, _block_step(M, W, j, False, &w_max))
    settled[0] = _settled(w_max, d_w_max, <floating> step_tol)
    if M.l2_reg == 0.0:
        if c_max > 0.0:
            c = min(1.0, M.l1_reg / c_max)
    else:
        for j in range(p):
            excess = M.corr_norm[j] - M.l1_reg
            if excess > 0.0:
                conjugate += excess * excess / (2.0 * M.l2_reg)
    return 0.5 * rSr + penalty - (c * rSy - 0.5 * c * c * rSr - conjugate)


cdef int _solve(
    MultiTask* M, floating* W, int max_iter, double tol_scaled, double step_tol,
    double* gap,
) noexcept nogil:
    """Block coordinate descent from W until the gap is within
    ``tol_scaled`` and the steps settled, or ``max_iter`` epochs; returns
    the epochs run (0 when the start met both)."""
    cdef int epochs = 0
    cdef bint check = True, settled = False
    while True:
        if check:
            gap[0] = _gap_and_steps(M, W, step_tol, &settled)
            if gap[0] <= tol_scaled and settled:
                return epochs
        if epochs == max_iter:
            return epochs
        settled = _epoch(M, W, step_tol)
        epochs += 1
        check = settled or epochs % GAP_EVERY == 0 or epochs == max_iter


cdef void _start_residuals(MultiTask* M, const floating* W) noexcept nogil:
    """R = Y - Xt W^T, task by task, with the residual sums."""
    cdef const floating* Y = <const floating*> M.Y
    cdef floating* R = <floating*> M.R
    cdef const floating* sw = <const floating*> M.X.weights
    cdef int i, j, t, n = M.X.n_samples, p = M.X.n_features
    for t in range(M.n_tasks):
        for i in range(n):
            R[<size_t> t * n + i] = Y[<size_t> t * n + i]
        M.res[t].shift = 0.0
        M.res[t].sum_sr = _weighted_sum(R + <size_t> t * n,
                                        sw if M.X.weighted else NULL, n)
        for j in range(p):
            if W[<size_t> t * p + j] != 0.0:
                _step(M.X, j, W[<size_t> t * p + j], R + <size_t> t * n, &M.res[t])


def _multi_task_solver(
    floating[:, ::1] W, const floating[::1, :] Y, design, double l1_reg,
    double l2_reg, const floating[::1] norm2, const floating[::1] colsum,
    int max_iter, double tol,
):
    """Bind the arrays and run ``_solve``; see
    :func:`multi_task_enet_coordinate_descent`."""
    cdef int n_samples = Y.shape[0], n_tasks = Y.shape[1]
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1, :] R = np.empty((n_samples, n_tasks), dtype=dtype, order="F")
    cdef floating[::1] block = np.empty(max(n_tasks, 1), dtype=dtype)
    cdef double[::1] corr_norm = np.empty(max(W.shape[1], 1))
    cdef floating[::1] first_y = Y[:, 0] if n_tasks else np.empty(0, dtype=dtype)
    cdef Residual[::1] res = np.empty(
        max(n_tasks, 1), dtype=[("shift", np.float64), ("sum_sr", np.float64)])
    cdef Design X
    cdef MultiTask M
    cdef double gap = 0.0, tol_scaled, y_norm2 = 0.0
    cdef int epochs = 0, t, i
    if n_samples == 0 or n_tasks == 0 or W.shape[1] == 0:
        return np.asarray(W), 0.0, 0
    _bind_design(&X, design, first_y, colsum, Workspace())
    M.X = &X
    M.res = &res[0]
    M.Y = &Y[0, 0]
    M.R = &R[0, 0]
    M.norm2 = &norm2[0]
    M.block = &block[0]
    M.corr_norm = &corr_norm[0]
    M.n_tasks = n_tasks
    M.l1_reg = l1_reg
    M.l2_reg = l2_reg
    with nogil:
        for t in range(n_tasks):
            for i in range(n_samples):
                y_norm2 += (<const floating*> X.weights)[i] * Y[i, t] * Y[i, t]
        tol_scaled = tol * y_norm2
        _start_residuals(&M, &W[0, 0])
        epochs = _solve(&M, &W[0, 0], max_iter, tol_scaled,
                        _final_step_tol(tol, floating is float), &gap)
    return np.asarray(W), gap / X.sum_s, epochs


def multi_task_enet_coordinate_descent(
    W, l1_reg, l2_reg, X, X_data, X_indices, X_indptr, is_sparse, Y,
    sample_weight, X_offset, max_iter, tol,
):
    """Block coordinate descent for the multi-task Elastic-Net.

    Parameters
    ----------
    W : C-ordered ndarray of shape (n_tasks, n_features)
        Initial coefficients, updated in place.
    l1_reg, l2_reg : float
        ``n * alpha * l1_ratio`` and ``n * alpha * (1 - l1_ratio)``.
    X : F-ordered ndarray of shape (n_samples, n_features)
        The design when dense; (0, 0) when sparse.
    X_data, X_indices, X_indptr : ndarray
        The CSC arrays when sparse (empty when dense).
    is_sparse : bool
    Y : F-ordered ndarray of shape (n_samples, n_tasks)
        Targets, centred when ``X_offset`` is given.
    sample_weight : ndarray of shape (n_samples,) or (0,)
        Sample weights; empty means all ones.
    X_offset : ndarray of shape (n_features,) or (0,)
        Column offsets subtracted implicitly from X; empty means none.
    max_iter : int
        Maximum number of epochs.
    tol : float
        Stop when the duality gap is below ``tol * sum_t sum_i s_i y_it^2``
        and no block would move by more than ``tol / 10`` of the largest
        coefficient.

    Returns
    -------
    W : ndarray of shape (n_tasks, n_features)
        The same array as the input ``W``.
    gap : float
        Final duality gap divided by ``sum(sample_weight)``.
    n_iter : int
        Epochs run (0 when the start met the tolerance).
    """
    X_indices, X_indptr = kernel_indices(X_indices, X_indptr)
    n_samples = Y.shape[0]
    weights = sample_weight if sample_weight.shape[0] else np.ones(n_samples, W.dtype)
    offset = X_offset if X_offset.shape[0] else np.zeros(W.shape[1], W.dtype)
    norm2, colsum, _, _ = column_statistics(X, X_data, X_indices, X_indptr,
                                            is_sparse, weights, offset)
    design = KernelDesign(X, X_data, X_indices, X_indptr, is_sparse,
                          sample_weight, X_offset)
    return _multi_task_solver(W, Y, design, l1_reg, l2_reg, norm2, colsum,
                              max_iter, tol)
