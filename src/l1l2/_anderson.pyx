"""Anderson acceleration of coordinate descent.

Every K + 1 epochs of an inner solve, the last K + 1 iterates on the
working set are combined into an extrapolated point that cancels the
dominant linear modes of coordinate descent (Bertrand & Massias 2021,
"Anderson acceleration of coordinate descent"). The point is clipped to
the box and kept only if it lowers the objective.
"""

from libc.math cimport fabs

from ._blas cimport _cholesky_solve
from ._design cimport Design, _step, _weight_of, _weights_or_null
from ._dual cimport _objective_on
from ._penalty cimport _clip


cdef bint _anderson_record(
    Anderson* anderson, const Selection* working_set, const floating* w,
) noexcept nogil:
    """Store w on the working set as the next iterate; return True when
    K + 1 are stored (the history then starts again)."""
    cdef floating* row = (<floating*> anderson.iterates
                          + <size_t> anderson.n_stored * anderson.stride)
    cdef int jj
    for jj in range(working_set.count):
        row[jj] = w[working_set.features[jj]]
    anderson.n_stored += 1
    if anderson.n_stored < anderson.depth + 1:
        return False
    anderson.n_stored = 0
    return True


cdef bint _combination_weights(
    const Anderson* anderson, int n_values, const floating* iterates,
) noexcept nogil:
    """Solve for the weights ``c = (U U^T)^-1 1`` (in ``anderson.rhs``,
    not normalised) with U the K successive differences of the iterates;
    False when they are degenerate."""
    cdef int K = anderson.depth
    cdef size_t stride = anderson.stride
    cdef double* M = anderson.matrix
    cdef double* z = anderson.rhs
    cdef const floating* row_a
    cdef const floating* row_b
    cdef int a, b, jj
    cdef double total, trace = 0.0
    for a in range(K):
        row_a = iterates + a * stride
        for b in range(a + 1):
            row_b = iterates + b * stride
            total = 0.0
            for jj in range(n_values):
                total += ((row_a[stride + jj] - row_a[jj])
                          * (row_b[stride + jj] - row_b[jj]))
            M[a * K + b] = total
            M[b * K + a] = total
        trace += M[a * K + a]
    if trace <= 0.0:
        return False
    for a in range(K):
        M[a * K + a] += 1e-10 * trace
        z[a] = 1.0
    return _cholesky_solve(M, z, K)


cdef bint _extrapolate(
    const Problem* problem, const Anderson* anderson,
    const Selection* working_set, floating* extrapolated,
) noexcept nogil:
    """The extrapolated point on the working set, clipped to the box, in
    ``extrapolated``; False when the combination is degenerate.

    The point keeps the signs of the last iterate: a coordinate that
    extrapolates to the other side of 0, or that is 0 now, is set to 0.
    On one orthant an epoch of coordinate descent is an affine map (each
    soft-threshold is a shift there), the regime the combination models;
    a coordinate pushed across the kink of |w_j| is no prediction of
    where the iterates go, and one such coordinate made the whole trial
    point worse: on the large-support paths of the benchmark nearly every
    extrapolation was rejected before (benchmarks/RESULTS.md, issue 23).
    """
    cdef const floating* iterates = <const floating*> anderson.iterates
    cdef const floating* lower = <const floating*> problem.P.lower
    cdef const floating* upper = <const floating*> problem.P.upper
    cdef const double* weights = anderson.rhs
    cdef const int* features = working_set.features
    cdef int K = anderson.depth, count = working_set.count
    cdef size_t stride = anderson.stride
    cdef const floating* last = iterates + K * stride
    cdef int a, jj, j
    cdef double weight_sum = 0.0
    cdef floating value
    if not _combination_weights(anderson, count, iterates):
        return False
    for a in range(K):
        weight_sum += weights[a]
    if weight_sum == 0.0:
        return False
    for jj in range(count):
        if iterates[jj] == last[jj]:
            # Settled (often at 0 or at a bound): keep it exactly, rather
            # than a rounding of it.
            extrapolated[jj] = last[jj]
            continue
        value = 0.0
        for a in range(K):
            value += weights[a] * iterates[(a + 1) * stride + jj]
        value = value / weight_sum
        if value * last[jj] <= 0.0:
            value = 0.0
        j = features[jj]
        extrapolated[jj] = _clip(<floating> value, lower[j], upper[j])
    return True


cdef bint _anderson_step(
    const Problem* problem, Anderson* anderson, const Selection* working_set,
    floating* w, floating* r, Residual* res,
) noexcept nogil:
    """Move w (and r) to the extrapolation of the stored iterates if that
    lowers P; return whether it did."""
    cdef const Design* X = problem.X
    cdef floating* extrapolated = <floating*> anderson.extrapolated
    cdef floating* trial_r = <floating*> anderson.trial_r
    cdef int kept
    if not _extrapolate(problem, anderson, working_set, extrapolated):
        return False
    if X.is_sparse and not X.centred:
        kept = _sparse_trial_move(problem, working_set, extrapolated, w, r,
                                  trial_r, X.n_samples)
        if kept >= 0:
            return kept == 1
    return _dense_trial_move(problem, working_set, extrapolated, w, r, res,
                             trial_r)


cdef bint _dense_trial_move(
    const Problem* problem, const Selection* working_set,
    floating* extrapolated, floating* w, floating* r, Residual* res,
    floating* trial_r,
) noexcept nogil:
    """Move w to ``extrapolated`` on the working set if that lowers P: the
    residual at the trial point is built in ``trial_r`` and both objectives
    are compared over all samples. ``extrapolated`` is overwritten."""
    cdef const Design* X = problem.X
    cdef int i, jj, j
    cdef double objective, trial_objective
    cdef floating step, value
    cdef Residual trial = res[0]
    for i in range(X.n_samples):
        trial_r[i] = r[i]
    for jj in range(working_set.count):
        j = working_set.features[jj]
        step = extrapolated[jj] - w[j]
        if step != 0.0:
            _step(X, j, step, trial_r, &trial)
    objective = _objective_on(problem, working_set.features, working_set.count,
                              w, r, res.shift)
    for jj in range(working_set.count):
        j = working_set.features[jj]
        value = w[j]
        w[j] = extrapolated[jj]
        extrapolated[jj] = value
    trial_objective = _objective_on(problem, working_set.features,
                                    working_set.count, w, trial_r, trial.shift)
    if trial_objective < objective:
        for i in range(X.n_samples):
            r[i] = trial_r[i]
        res.shift = trial.shift
        res.sum_sr = trial.sum_sr
        return True
    for jj in range(working_set.count):
        w[working_set.features[jj]] = extrapolated[jj]
    return False


cdef int _sparse_trial_move(
    const Problem* problem, const Selection* working_set,
    const floating* extrapolated, floating* w, floating* r, floating* saved,
    int capacity,
) noexcept nogil:
    """Move w to ``extrapolated`` on the working set if that lowers P.

    For a CSC X that is not centred: only the residual entries on the moved
    columns' stored rows change, so the change of P is summed over them
    (with short columns, far fewer values than samples) instead of two
    objectives over all samples (four passes over r). The old values are
    kept in ``saved`` and written back, in reverse order, when the move is
    rejected. Returns -1 without moving when more than ``capacity`` values
    would change, else 1 if the move was kept and 0 if not.
    """
    cdef const Design* X = problem.X
    cdef const floating* data = <const floating*> X.values
    cdef const floating* sw = _weights_or_null(X, r)
    cdef const floating* factor = <const floating*> problem.P.factor
    cdef floating l1_reg = <floating> problem.P.l1_reg
    cdef floating l2_reg = <floating> problem.P.l2_reg
    cdef int jj, j, i, n_saved = 0
    cdef long long k, total = 0
    cdef double change = 0.0, old, new, f
    cdef floating step, e
    for jj in range(working_set.count):
        j = working_set.features[jj]
        if extrapolated[jj] != w[j]:
            total += X.indptr[j + 1] - X.indptr[j]
    if total > capacity:
        return -1
    for jj in range(working_set.count):
        j = working_set.features[jj]
        e = extrapolated[jj]
        step = e - w[j]
        if step == 0.0:
            continue
        f = factor[j]
        change += f * (l1_reg * (fabs(e) - fabs(w[j]))
                       + 0.5 * l2_reg * (e * e - w[j] * w[j]))
        for k in range(X.indptr[j], X.indptr[j + 1]):
            i = X.indices[k]
            old = r[i]
            saved[n_saved] = r[i]
            n_saved += 1
            r[i] -= step * data[k]
            new = r[i]
            change += 0.5 * _weight_of(sw, i) * (new - old) * (new + old)
    if change < 0.0:
        for jj in range(working_set.count):
            w[working_set.features[jj]] = extrapolated[jj]
        return 1
    for jj in range(working_set.count - 1, -1, -1):
        j = working_set.features[jj]
        if extrapolated[jj] == w[j]:
            continue
        for k in range(X.indptr[j + 1] - 1, X.indptr[j] - 1, -1):
            n_saved -= 1
            r[X.indices[k]] = saved[n_saved]
    return 0
