"""The exact step on the support, for the residual and covariance solvers.

With A the non-zero coefficients strictly inside their bounds (the others
held fixed) and s_A their signs, P restricted to that orthant is a quadratic
whose minimiser solves

    (Xt_A^T S Xt_A + l2 F_A) d = Xt_A^T S r - l1 F_A s_A - l2 F_A w_A.

The step ``w_A + d`` is exact on that support if it keeps every sign and
bound, which replaces the hundreds of epochs coordinate descent needs on
correlated columns. The system is read off the design (residual mode) or off
Q (covariance mode, ``Quadratic.X`` NULL); everything else is shared.
"""

from libc.math cimport fabs, INFINITY

from ._blas cimport (
    _axpy, _cholesky_factor, _dot, _factored_solve,
)
from ._design cimport _correlation, _step
from ._penalty cimport _clip

# A Cholesky pivot below this share of its column's squared norm marks the
# column as dependent on the ones before it.
cdef double DEPENDENT_PIVOT = 1e-10
# The final polish sets to 0 coefficients below this share of the largest.
cdef double NEGLIGIBLE = 1e-7
# A final polish cheaper than this many flops is always worth trying.
cdef double SMALL_NEWTON_FLOPS = 1e6


cdef inline double _factorisation_cost(int k, double column_length) noexcept nogil:
    """The Cholesky factorisation of a k x k Gram matrix, in column products."""
    return k ** 3 / (3.0 * column_length)


cdef inline bint _step_affordable(
    double cost, double credit, double share, double column_length,
) noexcept nogil:
    """Whether a step may spend ``cost`` column products: ``share`` times
    its cost in credit, or small in flops."""
    return credit >= share * cost or cost * column_length <= SMALL_NEWTON_FLOPS


cdef inline bint _negligible_at_polish(
    const Penalty* P, int j, floating w_j, double largest,
) noexcept nogil:
    """Whether the final polish sets this coefficient to 0 before its step:
    non-zero but negligible next to the largest (usually rounding residue of
    a feature that belongs at 0), penalised, and with 0 inside its box."""
    return (w_j != 0.0 and fabs(w_j) < NEGLIGIBLE * largest
            and (<const floating*> P.factor)[j] > 0.0
            and (<const floating*> P.lower)[j] < 0.0 < (<const floating*> P.upper)[j])


cdef inline bint _in_support(const Penalty* P, int j, floating w_j) noexcept nogil:
    """Non-zero and strictly inside its box: a coefficient the step moves."""
    return (w_j != 0.0 and (<const floating*> P.lower)[j] < w_j
            and w_j < (<const floating*> P.upper)[j])


cdef double _largest_on(const Selection* support, const floating* w) noexcept nogil:
    cdef int jj
    cdef double largest = 0.0
    for jj in range(support.count):
        largest = max(largest, fabs(w[support.features[jj]]))
    return largest


cdef inline double _new_system_cost(const Newton* N, int k) noexcept nogil:
    """Cost in column products of the step on k coefficients whose matrix
    is built afresh: its k (k + 1) / 2 entries and its Cholesky."""
    return _factorisation_cost(k, N.column_length) + k * (k + 1) / 2.0


cdef bint _first_try_affordable(const Newton* N, int k_active) noexcept nogil:
    """Whether a first try of ``_support_newton_step`` on a support of
    ``k_active`` coefficients would be within its budget now (the test
    ``_pay_for`` makes), so that the caller computes the gap that precedes
    a try only when one can follow."""
    return (0 < k_active <= N.max_support and _step_affordable(
        _new_system_cost(N, k_active), N.credit, N.first_try, N.column_length))


cdef bint _polish_affordable(
    const Penalty* P, const Newton* N, const Selection* support,
    const floating* w,
) noexcept nogil:
    """Whether ``_support_newton_step`` would run its ``final`` polish on
    this support (the same coefficients and cost), so that the caller saves
    w and r for it only when it can run."""
    cdef int jj, j, k = 0
    cdef double largest = _largest_on(support, w)
    for jj in range(support.count):
        j = support.features[jj]
        if _in_support(P, j, w[j]) and not _negligible_at_polish(P, j, w[j], largest):
            k += 1
    if k == 0 or k > N.max_support:
        return False
    return _step_affordable(_new_system_cost(N, k), N.credit, 2.0,
                            N.column_length)


cdef inline void _move_residual(const Quadratic* F, int j, floating step) noexcept nogil:
    """The residual (or H) after w_j += step; the caller moves w_j."""
    if F.X != NULL:
        _step(F.X, j, step, <floating*> F.r, F.res)
    else:
        _axpy(F.n_features, step, <const floating*> F.Q + <size_t> j * F.n_features,
              1, <floating*> F.H, 1)


cdef void _drop_negligible(
    const Quadratic* F, const Selection* support, floating* w,
) noexcept nogil:
    """Set to 0 the coefficients negligible next to the largest: usually
    rounding residue of features that belong at 0 (the caller keeps the
    polish only if the gap agrees)."""
    cdef int jj, j
    cdef double largest = _largest_on(support, w)
    for jj in range(support.count):
        j = support.features[jj]
        if _negligible_at_polish(F.P, j, w[j], largest):
            _move_residual(F, j, -w[j])
            w[j] = 0.0


cdef inline int _collect_support(
    const Quadratic* F, Newton* N, const Selection* candidates,
    const floating* w, bint reuse, int previous, bint exact_only,
) noexcept nogil:
    """List the support in ``N.active``; return its size, or -1 when it is
    larger than ``max_support`` and no step can be tried.

    Past ``max_support`` active columns (only when that is the rank of X,
    so that the columns are dependent) the first ``max_support`` are enough
    to find a direction that drops one. With ``reuse``, ``N.step[a]`` gets
    each column's place in the last support (-1 for a new column).
    """
    cdef int jj, j, k_active = 0, b = 0
    for jj in range(candidates.count):
        j = candidates.features[jj]
        if not _in_support(F.P, j, w[j]):
            continue
        if k_active == N.max_support:
            if exact_only or not N.support_is_rank:
                return -1
            break
        N.step[k_active] = -1.0
        if reuse:
            while b < previous and N.active[b] != j:
                b += 1
            if b < previous:
                N.step[k_active] = b
                b += 1
        N.active[k_active] = j
        k_active += 1
    return k_active


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


cdef inline double _column_product(
    const Quadratic* F, const floating* column, int k,
) noexcept nogil:
    """``column . x_k`` for a dense scratch column (residual mode)."""
    cdef const Design* X = F.X
    cdef const floating* values = <const floating*> X.values
    cdef const floating* x_k
    cdef long long kk
    cdef int i
    cdef double total = 0.0
    if X.is_sparse:
        for kk in range(X.indptr[k], X.indptr[k + 1]):
            total += values[kk] * column[X.indices[kk]]
        return total
    x_k = values + <size_t> k * X.n_samples
    if floating is double:
        # BLAS: a plain loop chains every addition to the last.
        return _dot(X.n_samples, column, 1, x_k, 1)
    # float32 columns are summed in double, as in _dense_dot.
    for i in range(X.n_samples):
        total += column[i] * x_k[i]
    return total


cdef void _residual_gram_row(
    const Quadratic* F, Newton* N, int a, int k_active, floating* column,
) noexcept nogil:
    """Row a of ``Xt_A^T S Xt_A`` up to the diagonal (and its mirror), from
    the columns: ``column`` <- s * x_j (a dense scratch: sparse products
    gather), then its products with the columns before, centred."""
    cdef const Design* X = F.X
    cdef const floating* values = <const floating*> X.values
    cdef const floating* sw = <const floating*> X.weights
    cdef const floating* colsum = <const floating*> X.colsum
    cdef const floating* offset = <const floating*> X.offset
    cdef const int* active = N.active
    cdef double* gram = N.gram
    cdef double offset_j, colsum_j, sum_s = X.sum_s
    cdef const floating* x_j
    cdef int b, k, i, j = active[a]
    cdef long long kk
    cdef double total
    if X.is_sparse:
        for kk in range(X.indptr[j], X.indptr[j + 1]):
            column[X.indices[kk]] += sw[X.indices[kk]] * values[kk]
    else:
        x_j = values + <size_t> j * X.n_samples
        for i in range(X.n_samples):
            column[i] = sw[i] * x_j[i]
    offset_j = offset[j]
    colsum_j = colsum[j]
    for b in range(a + 1):
        k = active[b]
        total = _column_product(F, column, k)
        # centring: sum s (x_a - m_a)(x_b - m_b)
        total += (offset_j * offset[k] * sum_s - offset_j * colsum[k]
                  - offset[k] * colsum_j)
        gram[a * k_active + b] = total
        gram[b * k_active + a] = total
    if X.is_sparse:
        for kk in range(X.indptr[j], X.indptr[j + 1]):
            column[X.indices[kk]] = 0.0


cdef void _build_system(
    const Quadratic* F, Newton* N, int k_active, const floating* w,
) noexcept nogil:
    """The exact step's system on the support: its matrix (rows marked in
    ``N.step`` as kept from the last support are moved, not recomputed) and
    its right-hand side, which then overwrites ``N.step``. (The fields read
    in the loops are copied to locals first: the stores into the matrix
    could otherwise alias them, and force a reload at each entry.)"""
    cdef const floating* factor = <const floating*> F.P.factor
    cdef const floating* Q = <const floating*> F.Q
    cdef double* gram = N.gram
    cdef double* step = N.step
    cdef const int* active = N.active
    cdef size_t n = F.n_features
    cdef double l1 = F.P.l1_reg, l2 = F.P.l2_reg
    cdef bint covariance = F.X == NULL
    cdef int a, b, j
    cdef double f, correlation
    for a in range(k_active):
        j = active[a]
        f = factor[j]
        if covariance:
            for b in range(k_active):
                gram[a * k_active + b] = Q[<size_t> j * n + active[b]]
            gram[a * k_active + a] += l2 * f
        elif step[a] >= 0.0:
            # Kept: its entries with the columns before it are in place,
            # its diagonal after the matrix.
            gram[a * k_active + a] = gram[k_active * k_active + a]
            for b in range(a):
                gram[a + b * k_active] = gram[b + a * k_active]
        else:
            _residual_gram_row(F, N, a, k_active, <floating*> N.column)
            gram[a * k_active + a] += l2 * f
        if covariance:
            correlation = (<const floating*> F.q)[j] - (<const floating*> F.H)[j]
        else:
            correlation = _correlation(F.X, j, <const floating*> F.r, F.res)
        step[a] = correlation - l1 * f * (1.0 if w[j] > 0.0 else -1.0) - l2 * f * w[j]


cdef int _factor_system(Newton* N, int k_active, bint keep_diagonal) noexcept nogil:
    """Cholesky factorisation of the system in place; returns 0, or 1 + the
    first dependent column. With ``keep_diagonal`` the diagonal is first
    copied after the matrix (so that a singular matrix still gives a
    direction that leaves the fit unchanged), and a pivot that lost all but
    rounding of its column's norm also marks a dependent column."""
    cdef int a, failed_at
    cdef double pivot
    cdef double* diagonal = N.gram + k_active * k_active
    if keep_diagonal:
        for a in range(k_active):
            diagonal[a] = N.gram[a * k_active + a]
    failed_at = _cholesky_factor(N.gram, k_active, k_active)
    if keep_diagonal and failed_at == 0:
        for a in range(k_active):
            pivot = N.gram[a * k_active + a]
            if pivot * pivot <= DEPENDENT_PIVOT * diagonal[a]:
                return a + 1
    return failed_at


cdef inline int _first_blocking(
    const Penalty* P, const Newton* N, int k_active, const floating* w,
    double* fraction, double* blocked_at,
) noexcept nogil:
    """The first active coefficient to reach 0 (if penalised) or a bound
    along ``w_A + t step`` for t below ``fraction``.

    Returns its place in ``active`` (-1 if none), with ``fraction`` lowered
    to where it gets there and ``blocked_at`` the value it stops at.
    """
    cdef const floating* factor = <const floating*> P.factor
    cdef const floating* lower = <const floating*> P.lower
    cdef const floating* upper = <const floating*> P.upper
    cdef int a, j, blocking = -1
    cdef double reach, target, step
    for a in range(k_active):
        step = N.step[a]
        if step == 0.0:
            continue
        j = N.active[a]
        if step < 0.0:
            reach = (lower[j] - w[j]) / step
            target = lower[j]
        else:
            reach = (upper[j] - w[j]) / step
            target = upper[j]
        if (<floating> P.l1_reg * factor[j] > 0.0 and step * w[j] < 0.0
                and -w[j] / step < reach):
            reach = -w[j] / step
            target = 0.0
        if reach <= fraction[0]:
            fraction[0] = reach
            blocked_at[0] = target
            blocking = a
    return blocking


cdef bint _null_space_direction(
    const Penalty* P, Newton* N, int k_active, int dependent,
    const floating* w,
) noexcept nogil:
    """A direction that keeps the fit and lowers the L1 term, for a support
    whose columns are dependent.

    Without an L2 term, more active columns than the rank of X (the slow
    end of a Lasso path with p > n) make the system singular. Its
    factorisation stopped at column ``dependent``, a combination
    ``Xt_B c`` of the columns B before it; along ``d = (c, -1, 0, ...)``
    the fit ``Xt w`` does not change and the L1 term is linear.
    ``N.step`` receives d or -d, whichever does not raise the L1 term;
    followed until the first coefficient reaches 0 or a bound, it lowers P
    (or keeps it, on a tie) and shrinks the support by one, which
    coordinate descent does only slowly.

    ``N.gram`` is the k x k buffer of the failed factorisation, whose
    entries ``gram[i + j k]`` with i < j still hold the matrix, followed by
    its diagonal. Returns False if column ``dependent`` is not, to
    rounding, a combination of the ones before it.
    """
    cdef const floating* factor = <const floating*> P.factor
    cdef int a, b, j, m = dependent, k = k_active
    cdef double* gram = N.gram
    cdef double* direction = N.step
    cdef const double* diagonal = N.gram + k * k
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
        j = N.active[a]
        slope += P.l1_reg * factor[j] * (1.0 if w[j] > 0.0 else -1.0) * direction[a]
    if slope > 0.0:
        for a in range(m + 1):
            direction[a] = -direction[a]
    return True


cdef void _take_step(
    const Quadratic* F, const Newton* N, int k_active, floating* w,
    double fraction, int blocking, double blocked_at,
) noexcept nogil:
    """Move the support along ``fraction`` of the step. Up to the blocking
    point P falls (the quadratic the exact step minimises at fraction 1, or
    the fit unchanged and the L1 term linear); the blocking coefficient
    leaves the support (or stops at its bound) exactly."""
    cdef const floating* factor = <const floating*> F.P.factor
    cdef int a, j
    cdef double value
    if blocking < 0:
        for a in range(k_active):
            j = N.active[a]
            _move_residual(F, j, <floating> N.step[a])
            w[j] = <floating> (w[j] + N.step[a])
        return
    for a in range(k_active):
        j = N.active[a]
        value = blocked_at if a == blocking else w[j] + fraction * N.step[a]
        if (value > 0.0) != (w[j] > 0.0) and <floating> F.P.l1_reg * factor[j] > 0.0:
            value = 0.0  # got there too, up to rounding
        value = _clip(<floating> value, (<const floating*> F.P.lower)[j],
                      (<const floating*> F.P.upper)[j])
        _move_residual(F, j, <floating> value - w[j])
        w[j] = <floating> value


cdef inline bint _pay_for(
    const Quadratic* F, Newton* N, int k_active, int rounds, bint final,
) noexcept nogil:
    """Whether the step on this support is within its budget (then its
    cost is taken from the credit): a first try needs ``first_try`` times
    its cost in credit, a later round its cost, a final polish twice its
    cost; a step small in flops is always affordable. Covariance mode has
    no budget."""
    cdef int a
    cdef double cost, share
    if F.X == NULL:
        return True
    # Cost in column products: the new rows of the matrix and its Cholesky.
    cost = _factorisation_cost(k_active, N.column_length)
    for a in range(k_active):
        if N.step[a] < 0.0:
            cost += a + 1.0
    if final:
        share = 2.0
    else:
        share = N.first_try if rounds == 0 else 1.0
    if not _step_affordable(cost, N.credit, share, N.column_length):
        return False
    N.credit -= cost
    return True


cdef int _support_newton_step(
    const Quadratic* F, Newton* N, const Selection* support, floating* w,
    bint final,
) noexcept nogil:
    """Jump to the minimiser of P on the current support and signs.

    If the step keeps every sign and bound it is taken: ``NEWTON_EXACT``.
    Otherwise (in residual mode, not ``final``) it stops where the first
    coefficient reaches 0 or a bound, which still lowers P, and when
    ``Xt_A`` has dependent columns (no L2 term, more active columns than
    the rank of X) ``_null_space_direction`` takes one out without changing
    the fit. Either way the support shrinks and the step is tried again on
    it, until one is exact, fails or the credit runs out: an active-set
    method on the support, which takes the many superfluous coefficients of
    a small alpha with p > n out in a few steps, where coordinate descent
    alone needs thousands of epochs. Returns ``NEWTON_EXACT``,
    ``NEWTON_PARTIAL`` (w moved, not to the exact point) or ``NEWTON_NONE``.

    Building the system costs about k (k + 1) / 2 column products for k
    active coefficients, its factorisation k^3 / 3 flops, that is
    k^3 / (3 column_length) column products: far more for short sparse
    columns than for dense ones. ``N.credit`` counts the column operations
    coordinate descent has done since the last attempt; the step is tried
    only when the credit covers its cost (``_pay_for``), so it never more
    than doubles the work. ``N.first_try`` is 4 after an exact step and
    doubles after each final polish rejected for a wrong support, so that
    failed polishes become rarer. The ``final`` polish first sets negligible
    coefficients to 0 and is never partial; neither is covariance mode.
    """
    cdef int k_active = 0, previous, blocking, failed_at, rounds = 0
    cdef double fraction, blocked_at = 0.0
    cdef bint exact_only = final or F.X == NULL, kept = False
    cdef int none = NEWTON_NONE
    if final and F.X != NULL:
        _drop_negligible(F, support, w)
    while True:
        # After a partial step, the support is the last one less what left
        # it (plus, past max_support, the next active columns): the matrix
        # entries of the columns that stay are reused.
        previous = k_active
        k_active = _collect_support(F, N, support, w, rounds > 0 and kept,
                                    previous, exact_only)
        if k_active <= 0:
            return none
        if rounds > 0 and kept:
            _reuse_gram_entries(N.gram, N.step, k_active, previous)
        if not _pay_for(F, N, k_active, rounds, final):
            return none
        _build_system(F, N, k_active, w)
        kept = not exact_only and N.gram_capacity >= k_active * (k_active + 1)
        failed_at = _factor_system(N, k_active, kept)
        if failed_at != 0:
            # Dependent columns: a direction that keeps the fit, followed
            # until a coefficient leaves the support.
            if not (kept and failed_at >= 2 and F.P.l2_reg == 0.0
                    and rounds < support.count
                    and _null_space_direction(F.P, N, k_active, failed_at - 1, w)):
                return none
            fraction = INFINITY
        else:
            if not _factored_solve(N.gram, N.step, k_active, k_active):
                return none
            fraction = 1.0
        blocking = _first_blocking(F.P, N, k_active, w, &fraction, &blocked_at)
        if failed_at == 0 and blocking < 0:
            N.first_try = 4.0
            _take_step(F, N, k_active, w, 1.0, -1, 0.0)
            return NEWTON_EXACT
        if blocking < 0 or exact_only:
            if final:
                N.first_try *= 2.0  # wrong support: wait longer next time
            return none
        _take_step(F, N, k_active, w, fraction, blocking, blocked_at)
        rounds += 1
        none = NEWTON_PARTIAL
        if rounds >= support.count:
            return NEWTON_PARTIAL
