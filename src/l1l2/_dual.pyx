"""The dual point and the duality gap.

The residual r, rescaled into the dual feasible set, gives a dual value D;
a solve stops when the duality gap ``P(w) - D`` is within its tolerance.
The dual is written for box constraints and per-feature L2 terms, so it
stays a valid certificate for Ridge (``l1_reg == 0``), for bounded
coefficients and for penalty factors; unpenalised features are handled by
projecting the dual point (``_project_out_unpenalised``).

The gap is restricted to a selection of features: the others must have
``w_j = 0`` (screened, parked or outside a working set), and the gap is then
that of the problem restricted to the selection.
"""

from libc.math cimport fabs, INFINITY

from ._blas cimport _cholesky_solve
from ._design cimport _correlations_of, _weight_of, _weights_or_null
from ._penalty cimport _feature_conjugate, _penalty_value


cdef struct DualStats:
    # Statistics of a candidate dual point theta (before rescaling) next to
    # those of the residual r that the primal needs.
    double rSr      # r^T S r
    double tSt      # theta^T S theta
    double tSy      # theta^T S y


cdef void _bind_penalty(
    Penalty* P, floating l1_reg, floating l2_reg, const floating[::1] factor,
    const floating[::1] lower, const floating[::1] upper,
):
    """Point ``P`` at the caller's penalty arrays (kept alive by the caller
    while ``P`` is used)."""
    P.l1_reg = l1_reg
    P.l2_reg = l2_reg
    P.factor = &factor[0] if factor.shape[0] else NULL
    P.lower = &lower[0] if lower.shape[0] else NULL
    P.upper = &upper[0] if upper.shape[0] else NULL


cdef void _bind_projection_arrays(
    Projection* U, const int[::1] unpenalised,
    const floating[:, ::1] cross_gram, const floating[:, ::1] unpenalised_gram,
    const floating* unpenalised_y, double* scratch,
):
    """Point ``U`` at ``(unpenalised, cross_gram, unpenalised_gram)``, with
    ``Xt_U^T S y`` in ``unpenalised_y`` and ``scratch`` of
    ``n_unpen * (n_unpen + 2)`` doubles (both filled or kept by the caller)."""
    U.n_unpen = unpenalised.shape[0]
    U.unpenalised = &unpenalised[0] if U.n_unpen else NULL
    U.cross_gram = &cross_gram[0, 0] if U.n_unpen and cross_gram.shape[0] else NULL
    U.unpenalised_gram = &unpenalised_gram[0, 0] if U.n_unpen else NULL
    U.unpenalised_y = unpenalised_y
    U.scratch = scratch


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


cdef int _free_unpenalised(
    const Projection* U, const Penalty* P, const floating* w, int* free,
) noexcept nogil:
    """List in ``free`` the places in U of the unpenalised coefficients not
    at a bound; return how many."""
    cdef const floating* lower = <const floating*> P.lower
    cdef const floating* upper = <const floating*> P.upper
    cdef int a, j, n_free = 0
    for a in range(U.n_unpen):
        j = U.unpenalised[a]
        if lower[j] < w[j] < upper[j] or (lower[j] == -INFINITY and upper[j] == INFINITY):
            free[n_free] = a
            n_free += 1
    return n_free


cdef void _project_out_unpenalised(
    const Projection* U, const Penalty* P, const int* features,
    int n_selected, const floating* w, floating* XtSt, DualStats* stats,
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
    cdef int n_unpen = U.n_unpen
    cdef const floating* cross = <const floating*> U.cross_gram
    cdef const floating* inner = <const floating*> U.unpenalised_gram
    cdef const floating* unpenalised_y = <const floating*> U.unpenalised_y
    cdef int a, b, j, jj, n_free
    cdef double correction, trace = 0.0
    # scratch layout: M (u*u) | beta (u) | free places (u ints' room)
    cdef double* M = U.scratch
    cdef double* beta = M + n_unpen * n_unpen
    cdef int* free = <int*> (beta + n_unpen)
    if n_unpen == 0:
        return
    n_free = _free_unpenalised(U, P, w, free)
    if n_free == 0:
        return
    for a in range(n_free):
        for b in range(n_free):
            M[a * n_free + b] = inner[free[a] * n_unpen + free[b]]
        trace += M[a * n_free + a]
        beta[a] = XtSt[U.unpenalised[free[a]]]
    # A relative jitter keeps collinear unpenalised columns solvable.
    for a in range(n_free):
        M[a * n_free + a] += 1e-12 * trace + 1e-300
    if not _cholesky_solve(M, beta, n_free):
        return
    for a in range(n_free):
        stats.tSt -= beta[a] * XtSt[U.unpenalised[free[a]]]
        stats.tSy -= beta[a] * unpenalised_y[free[a]]
    if stats.tSt < 0.0:
        stats.tSt = 0.0
    for jj in range(n_selected):
        j = features[jj]
        correction = 0.0
        for a in range(n_free):
            correction += cross[j * n_unpen + free[a]] * beta[a]
        XtSt[j] -= correction
    for a in range(n_free):
        XtSt[U.unpenalised[free[a]]] = 0.0


cdef inline floating _primal_and_dual_norm(
    const Penalty* P, const int* features, int n_selected, const floating* w,
    const floating* XtSt, floating smooth, floating* dual_norm,
    bint* any_conjugate,
) noexcept nogil:
    """The primal objective, ``smooth`` plus the penalty of w on the
    selected features (summed onto it, in this order), and in one pass the
    largest ratio ``|x_j^T S theta| / (l1 f_j)`` over the directions in
    which a coefficient without an L2 term is unbounded: the dual point
    ``scale * theta`` is feasible for ``scale <= 1 / dual_norm``
    (``dual_norm`` is INFINITY when no scale but 0 is: a feature with no
    penalty at all that the projection did not handle). Sets
    ``any_conjugate`` when some selected feature has an L2 term or a bound
    (its conjugate may be non-zero)."""
    cdef const floating* factor = <const floating*> P.factor
    cdef const floating* lower = <const floating*> P.lower
    cdef const floating* upper = <const floating*> P.upper
    cdef int j, jj
    cdef floating f, l1, v, ratio, primal = smooth
    dual_norm[0] = 0.0
    any_conjugate[0] = False
    for jj in range(n_selected):
        j = features[jj]
        f = factor[j]
        if f == INFINITY:
            continue  # w_j is pinned at 0: no constraint, no penalty
        primal += _penalty_value(P, j, w[j])
        if <floating> P.l2_reg * f > 0.0:
            any_conjugate[0] = True
            continue
        if lower[j] > -INFINITY or upper[j] < INFINITY:
            any_conjugate[0] = True
        v = XtSt[j]
        if (v > 0.0 and upper[j] == INFINITY) or (v < 0.0 and lower[j] == -INFINITY):
            l1 = <floating> P.l1_reg * f
            if l1 > 0.0:
                ratio = fabs(v) / l1
                if ratio > dual_norm[0]:
                    dual_norm[0] = ratio
            else:
                dual_norm[0] = INFINITY
    return primal


cdef floating _duality_gap_from_stats(
    const Penalty* P, const int* features, int n_selected, const floating* w,
    const floating* XtSt, DualStats stats, floating* dual_scale,
) noexcept nogil:
    """Duality gap of w on the selected features, with the dual point
    ``scale * theta`` and the largest feasible ``scale <= 1``
    (``_primal_and_dual_norm``); the scale is left in ``dual_scale``."""
    cdef const floating* factor = <const floating*> P.factor
    cdef int j, jj
    cdef floating scale, dual_norm, conjugates = 0.0
    cdef bint any_conjugate
    cdef floating primal = _primal_and_dual_norm(
        P, features, n_selected, w, XtSt, 0.5 * stats.rSr, &dual_norm,
        &any_conjugate)
    if dual_norm == INFINITY:
        scale = 0.0
    elif dual_norm > 1.0:
        scale = 1.0 / dual_norm
    else:
        scale = 1.0
    dual_scale[0] = scale
    # Without L2 terms and bounds every conjugate is 0 at a feasible point
    # (the Lasso's usual case): that pass is skipped.
    for jj in range(n_selected if any_conjugate else 0):
        j = features[jj]
        if factor[j] != INFINITY:
            conjugates += _feature_conjugate(P, j, scale * XtSt[j])
    return primal - (scale * stats.tSy - 0.5 * scale * scale * stats.tSt - conjugates)


cdef floating _gap_on(
    const Problem* problem, const int* features, int n_selected,
    const floating* w, floating* XtSr, const floating* r, Residual* res,
    floating* scale, bint reuse_correlations,
) noexcept nogil:
    """Duality gap restricted to the selected features (all others at 0).

    Also refreshes ``sum(S r)`` against drift and leaves ``X^T S theta`` in
    ``XtSr`` and the dual scale in ``scale``, for screening and ranking.
    With ``reuse_correlations``, ``XtSr`` already holds ``X^T S r`` for the
    selected features (carried over from the previous alpha of a path).
    """
    cdef const Design* X = problem.X
    cdef double sums[3]
    cdef DualStats stats
    _residual_sums(r, res.shift, <const floating*> problem.y,
                   _weights_or_null(X, r), X.n_samples, sums)
    res.sum_sr = sums[0]
    stats.rSr = sums[1]
    stats.tSy = sums[2]
    stats.tSt = stats.rSr
    if not reuse_correlations:
        _correlations_of(X, features, n_selected, XtSr, r, res)
    if problem.U.n_unpen > 0:
        _project_out_unpenalised(problem.U, problem.P, features, n_selected, w,
                                 XtSr, &stats)
    return _duality_gap_from_stats(problem.P, features, n_selected, w, XtSr,
                                   stats, scale)


cdef floating _gap_from_correlations(
    const Penalty* P, const Projection* U, const int* all_features,
    int n_features, const floating* w, floating* XtSr, double rSr,
    double rSy,
) noexcept nogil:
    """Gap over all features from ``X^T S r`` (overwritten with ``X^T S
    theta``), ``r^T S r`` and ``r^T S y``: the covariance form's gap."""
    cdef DualStats stats
    cdef floating scale
    stats.rSr = rSr
    stats.tSt = rSr
    stats.tSy = rSy
    if U.n_unpen > 0:
        _project_out_unpenalised(U, P, all_features, n_features, w, XtSr, &stats)
    return _duality_gap_from_stats(P, all_features, n_features, w, XtSr,
                                   stats, &scale)


cdef double _objective_on(
    const Problem* problem, const int* features, int n_selected,
    const floating* w, const floating* r, double shift,
) noexcept nogil:
    """P(w) when the coefficients outside the selection are 0."""
    cdef const floating* sw = _weights_or_null(problem.X, r)
    cdef int i, jj
    cdef double total = 0.0, r_i
    for i in range(problem.X.n_samples):
        r_i = r[i] + shift
        total += 0.5 * _weight_of(sw, i) * r_i * r_i
    for jj in range(n_selected):
        total += _penalty_value(problem.P, features[jj], w[features[jj]])
    return total
