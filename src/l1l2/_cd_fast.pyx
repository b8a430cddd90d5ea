"""Coordinate-descent kernels for the Elastic-Net objective: the entry points
and the residual solver's loop.

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
objective and its scaling"). Convergence is certified by the duality gap
(``_dual``): the kernels stop when ``P - D <= tol * sum_i s_i y_i^2``.

The residual solver is an outer loop around coordinate descent on a small
working set, and each of its concerns has a module of its own
(docs/architecture.md lists them):

- ``_design``: columns of X, dense or CSC, centred and weighted;
- ``_penalty``: the proximal update, the conjugate, the screening test;
- ``_dual``: the dual point and the duality gap;
- ``_working_set``: gap-safe screening and the ranking of the candidates;
- ``_path_state``: correlations carried along a path, parked features;
- ``_exact_step``: the minimiser of P on the support (a small linear solve);
- ``_anderson``: extrapolation of the last iterates;
- ``_coordinates``: the coordinate sampler and the step-size tests;
- ``_columns``: column norms and sums;
- ``_covariance_solver``: the same problem on a Gram matrix;
- ``_testing``: entry points that let the tests run the kernel's own rules.

This module holds the solver's phases (set-up, gap pass, polish, inner
solve) and the entry points. The kernels never validate their input and
never see an estimator: callers pass typed arrays of one dtype (float32 or
float64), an F-ordered X or CSC arrays, and get ``(w, gap, n_iter)`` back,
with ``w`` updated in place and ``gap`` divided by ``sum(s)`` so that it is
on the scale of the estimator's objective.
"""

from libc.math cimport fabs, INFINITY
from libc.stdint cimport int64_t, uint32_t
from cython cimport floating

from collections import namedtuple

import numpy as np
from scipy import sparse

cimport numpy as cnp

from ._anderson cimport Anderson, _anderson_record, _anderson_step
from ._columns cimport _column_statistics_on
from ._design cimport (
    Design, Residual, Selection, _correlation, _prefetch_ahead,
    _raw_correlation, _step, _weights_or_null,
)
from ._dual cimport (
    Problem, Projection, _bind_penalty, _bind_projection_arrays, _gap_on,
    _residual_sums, _weighted_sum,
)
from ._exact_step cimport (
    NEWTON_EXACT, NEWTON_NONE, NEWTON_PARTIAL, Newton, Quadratic,
    _first_try_affordable, _polish_affordable, _support_newton_step,
)
from ._path_state cimport (
    CANDIDATE, OUT, PARKED, PARKED_NEXT, Move, Parking, PathState,
    _drift_bound, _lazy_gap, _mark_fresh, _move, _park, _parkable,
    _sequential_start, _unpark_violators,
)
from ._penalty cimport Penalty, _prox_update
from ._coordinates cimport (
    _final_step_tol, _next_random, _record_step, _rounding, _settled,
)
from ._working_set cimport Ranked, _choose_working_set, _screen
from ._workspace cimport _bind_design, _buffer, _constant_buffer

from ._columns import column_statistics, kernel_indices, largest_magnitude_of  # noqa: F401
from ._workspace import KernelDesign, Workspace  # noqa: F401
from ._covariance_solver import (  # noqa: F401
    _projection_arrays, duality_gap, enet_coordinate_descent_gram,
    enet_path_gram,
)
from ._testing import (  # noqa: F401
    anderson_trial, bounds_checked, discarded_features, drift_bounds,
    gap_safe_discards,
)

cnp.import_array()

# Epochs between two duality-gap evaluations of an inner solve, at most: a
# gap costs about an epoch of the working set, and each check may also try
# the exact step on the support. The step-size test can trigger one earlier.
cdef int GAP_EVERY = 3
# At the final tolerance a working set's gap may be within it before its
# steps settle (``ws_steps``): its epochs go on, but every SETTLE_EPOCHS of
# them the outer loop takes over, to check the features outside it, which
# the moving coefficients may have made violate their conditions.
cdef int SETTLE_EPOCHS = 10
# The share of the outer gap to which each inner solve is taken (Massias et
# al. 2018 use 0.3), when a feature left out of the working set violates its
# optimality condition. Also read by the covariance solver's outer loop.
cdef double _INNER_GAP_SHARE = 0.3
INNER_GAP_SHARE = _INNER_GAP_SHARE
# Largest support on which the exact step is tried: its linear system costs
# O(n_samples * k^2 + k^3).
cdef int MAX_NEWTON_SUPPORT = 500
# On a path, a feature whose stale correlation bound stays below a share of
# its threshold at the warm start is parked: left out of the solve with its
# stale correlation, and checked against the final dual point only
# (``_unpark_violators``), where its bound usually still certifies it. A
# larger share parks more features: fewer correlations are refreshed, but
# more features join the solve late and cost epochs. Both kinds of column
# favour a large share now that late joiners cost few epochs (the exact
# step and the sign-keeping extrapolation handle a support that changes):
# on the wide dense path a share of 0.5 refreshed 15,000 of its 20,000
# columns at every alpha, a pass over X bound by memory bandwidth, and 0.98
# halves the refreshes (benchmarks/RESULTS.md, issue 23): one share for
# both. With short columns (at most SHORT_COLUMN stored values) a feature
# whose correlation is exact and well inside its threshold is parked too
# (every pass over the candidates is spared it), and the final check parks
# features for the next solve; long dense columns park on stale bounds
# only. The share is a
# measured choice, not a derived one: benchmarks/RESULTS.md ("Tuning
# history of the kernel's constants", and issue 23) has the timings.
cdef double DEFER_SHARE = 0.98
cdef double SHORT_COLUMN = 128.0

# What the working set's last epoch said of its steps (``_steps_settled``).
cdef enum:
    STEPS_UNMEASURED = 0    # no epoch yet in this solve
    STEPS_SETTLED = 1       # within the final step tolerance, or exact
    STEPS_MOVING = 2

# What ``_finish`` tells the outer loop.
cdef enum:
    DONE = 0
    GO_ON = 1       # parked features joined the candidates: gap again
    UNSETTLED = 2   # the gap is certified but coordinates would still move


cdef struct Solver:
    # Everything the residual solver's phases share. The arrays of the
    # solve's precision are untyped (see _design.pxd); w, r and the
    # correlations are passed to each phase, typed.
    Problem problem
    Parking parking
    Selection candidates
    Selection working_set
    Anderson anderson
    Newton newton
    Quadratic quadratic     # the exact step's view of the residual
    Residual res
    Ranked* ranked
    const void* norm2       # ||xt_j||_S^2
    void* saved_w           # the polish's undo buffers
    void* saved_r
    int max_iter
    int epochs
    double tol              # relative step size that triggers a gap check
    double final_step_tol   # relative step size a converged point must have
    double tol_scaled       # the gap to reach
    bint random
    uint32_t rng_state
    bint use_working_set
    bint use_screening
    bint track              # path state kept (no unpenalised features)
    bint reuse              # the path state's correlations hold at the start
    bint park_exact         # short columns: park on exact correlations too
    double defer_share
    double strong_l1
    double next_l1          # the next solve's l1 regulariser, guessed
    int previous_ws_size
    int ws_steps            # what the last epoch (or exact step) left: STEPS_*
    int ws_support          # non-zero coefficients after the last epoch
    Move final_move         # how far r moved in the solve, at a valid exit
    bint valid_at_exit


# --- the inner solve: coordinate descent on the working set ----------------


cdef bint _epoch(Solver* S, floating* w, floating* r, bint* support_changed) noexcept nogil:
    """One pass of coordinate descent over the working set (cyclic, or
    random with replacement). Returns whether the steps settled enough for
    a gap check (``_settled``), and sets ``ws_steps`` to whether they did
    for a final check (``_steps_settled``) and ``ws_support`` to the size of
    the support; sets ``support_changed`` when a sign changed.

    The design, the penalty, the residual's scalars and the sampler's state
    are copied to locals for the pass: their addresses stay in this
    function, so the compiler keeps them in registers across the BLAS calls
    of the updates instead of reloading them through ``S``.
    """
    cdef Design X = S.problem.X[0]
    cdef Penalty P = S.problem.P[0]
    cdef Residual res = S.res
    cdef uint32_t rng_state = S.rng_state
    cdef const floating* norm2 = <const floating*> S.norm2
    cdef const int* ws = S.working_set.features
    cdef int n = S.working_set.count
    cdef int jj, j, n_active = 0
    cdef floating w_j, w_new, w_max = 0.0, d_w_max = 0.0
    cdef bint changed = support_changed[0]
    for jj in range(n):
        if S.random:
            j = ws[_next_random(&rng_state) % n]
        else:
            j = ws[jj]
            _prefetch_ahead(&X, ws, jj, n, r)
        w_j = w[j]
        w_new = _prox_update(&P, j, _correlation(&X, j, r, &res) + norm2[j] * w_j,
                             norm2[j])
        if w_new != w_j:
            _step(&X, j, w_new - w_j, r, &res)
            w[j] = w_new
        _record_step(w_j, w_new, &w_max, &d_w_max, &changed)
        n_active += w_new != 0.0
    S.res = res
    S.rng_state = rng_state
    S.ws_support = n_active
    support_changed[0] = changed
    S.ws_steps = (STEPS_SETTLED if _settled(w_max, d_w_max, <floating> S.final_step_tol)
                  else STEPS_MOVING)
    return _settled(w_max, d_w_max, <floating> S.tol)


cdef inline bint _gap_pointless(
    const Solver* S, double inner_tol, bint support_changed, bint certified,
    bint waited, int inner_epochs,
) noexcept nogil:
    """At a check of the inner solve, whether its gap pass (about the cost
    of an epoch) can be skipped: at the final tolerance, while the steps
    still move, the gap cannot stop the solve, and it pays only for the
    exact step it may lead to. Without one (the support changed since the
    last check, or the step's budget cannot cover a first try on it), a
    certified solve waits for its steps to settle or for SETTLE_EPOCHS, and
    an uncertified one computes its gap every SETTLE_EPOCHS epochs only,
    to be certified and hand back to the outer loop.
    """
    if (S.ws_steps != STEPS_MOVING or inner_tol > S.tol_scaled or waited
            or S.epochs == S.max_iter):
        return False
    if not support_changed and _first_try_affordable(&S.newton, S.ws_support):
        return False
    return certified or inner_epochs % SETTLE_EPOCHS != 0


cdef double _inner_solve(
    Solver* S, floating* w, floating* r, floating* XtSr, double inner_tol,
    floating* scale,
) noexcept nogil:
    """Coordinate descent on the working set until its gap is within
    ``inner_tol`` or the epochs run out; returns that gap.

    Every K + 1 epochs the Anderson extrapolation is tried; the gap is
    checked when the steps settle or every GAP_EVERY epochs (unless
    ``_gap_pointless``), and if the support and signs have not changed
    since the last check, the exact step on them is tried
    (``_support_newton_step``). At the final tolerance the
    steps must also settle for the final check (``ws_steps``), for at most
    SETTLE_EPOCHS more epochs.
    """
    cdef const Selection* ws = &S.working_set
    cdef int inner_epochs = 0, newton, certified_at = 0
    # Sign changes since the solve's start: a warm start whose support
    # holds may take the exact step at the first check.
    cdef bint support_changed = False, settled, certified = False, waited
    cdef double gap = INFINITY
    S.anderson.n_stored = 0
    while S.epochs < S.max_iter:
        settled = _epoch(S, w, r, &support_changed)
        S.epochs += 1
        inner_epochs += 1
        S.newton.credit += ws.count
        if S.anderson.depth > 0 and _anderson_record(&S.anderson, ws, w):
            support_changed |= _anderson_step(&S.problem, &S.anderson, ws, w, r,
                                              &S.res)
        if not (settled or inner_epochs % GAP_EVERY == 0 or S.epochs == S.max_iter):
            continue
        waited = certified and inner_epochs - certified_at >= SETTLE_EPOCHS
        if _gap_pointless(S, inner_tol, support_changed, certified, waited,
                          inner_epochs):
            # As after a check without the exact step: the support has a
            # new start.
            support_changed = False
            continue
        gap = _gap_on(&S.problem, ws.features, ws.count, w, XtSr, r, &S.res,
                      scale, False)
        if gap <= inner_tol and not certified:
            certified, certified_at = True, inner_epochs
        if certified and (S.ws_steps == STEPS_SETTLED or inner_tol > S.tol_scaled
                          or waited):
            break
        newton = NEWTON_NONE
        if not support_changed:
            newton = _support_newton_step(&S.quadratic, &S.newton, ws, w, False)
        if newton == NEWTON_EXACT:
            S.ws_steps = STEPS_SETTLED
            gap = _gap_on(&S.problem, ws.features, ws.count, w, XtSr, r,
                          &S.res, scale, False)
            if gap <= inner_tol:
                break
        # A partial step took a coefficient out of the support.
        support_changed = newton == NEWTON_PARTIAL
    return gap


# --- the outer loop's phases --------------------------------------------------


cdef floating _outer_gap(
    Solver* S, floating* w, floating* r, floating* XtSr, int outer,
    double start_gap, floating* scale,
) noexcept nogil:
    """The duality gap over all candidates between inner solves.

    The first pass of a warm-started path solve has it already
    (``start_gap``). Later, when tracking, a lazy pass certifies most
    candidates by their stale correlation and a distance, and refreshes the
    others; if that gap misses the tolerance, a full pass recomputes every
    candidate.
    """
    cdef Parking* parking = &S.parking
    cdef const Selection* candidates = &S.candidates
    cdef floating gap = INFINITY
    if S.track and outer > 0:
        gap = _lazy_gap(&S.problem, parking, candidates, w, XtSr, r, &S.res,
                        scale, &S.newton.credit)
    if S.reuse and outer == 0:
        _mark_fresh(parking, candidates.features, 0, r, S.res.shift,
                    S.problem.X.n_samples)
        return start_gap
    if gap > S.tol_scaled:
        gap = _gap_on(&S.problem, candidates.features, candidates.count, w,
                      XtSr, r, &S.res, scale, False)
        S.newton.credit += candidates.count
        if S.track:
            _mark_fresh(parking, candidates.features, candidates.count, r,
                        S.res.shift, S.problem.X.n_samples)
    return gap


cdef void _save_point(Solver* S, floating* w, floating* r, bint restore) noexcept nogil:
    """Copy w on the candidates and r into the polish's buffers, or back
    from them (``restore``)."""
    cdef floating* saved_w = <floating*> S.saved_w
    cdef floating* saved_r = <floating*> S.saved_r
    cdef int jj, j, i
    for jj in range(S.candidates.count):
        j = S.candidates.features[jj]
        if restore:
            w[j] = saved_w[j]
        else:
            saved_w[j] = w[j]
    for i in range(S.problem.X.n_samples):
        if restore:
            r[i] = saved_r[i]
        else:
            saved_r[i] = r[i]


cdef bint _changed_since_saved(Solver* S, const floating* w) noexcept nogil:
    cdef const floating* saved_w = <const floating*> S.saved_w
    cdef int jj
    for jj in range(S.candidates.count):
        if w[S.candidates.features[jj]] != saved_w[S.candidates.features[jj]]:
            return True
    return False


cdef double _polish(
    Solver* S, floating* w, floating* r, floating* XtSr, double gap,
    floating* scale, bint* rejected,
) noexcept nogil:
    """Polish a converged point: the exact solution on the final support
    costs a small linear solve and is usually exact to rounding. It is kept
    if its gap is still within the tolerance (at this point rounding
    decides which of two tiny gaps is smaller); otherwise w, r and the dual
    scale are restored and ``rejected`` is set (the correlations are then
    those of the rejected point). Returns the gap of the point kept.
    """
    cdef Residual saved_res = S.res
    cdef floating saved_scale = scale[0]
    cdef double polished_gap
    cdef bint polished
    rejected[0] = False
    if not _polish_affordable(S.problem.P, &S.newton, &S.candidates, w):
        return gap
    _save_point(S, w, r, False)
    polished = _support_newton_step(&S.quadratic, &S.newton, &S.candidates, w,
                                    True) == NEWTON_EXACT
    if not polished:
        if _changed_since_saved(S, w):
            # Dropped negligible coefficients, then gave up: undo.
            _save_point(S, w, r, True)
            S.res = saved_res
        return gap
    if S.track:
        polished_gap = _lazy_gap(&S.problem, &S.parking, &S.candidates, w, XtSr,
                                 r, &S.res, scale, &S.newton.credit)
    else:
        polished_gap = _gap_on(&S.problem, S.candidates.features,
                               S.candidates.count, w, XtSr, r, &S.res, scale,
                               False)
    if polished_gap <= max(gap, S.tol_scaled):
        S.ws_steps = STEPS_SETTLED
        return polished_gap
    _save_point(S, w, r, True)
    S.res = saved_res
    scale[0] = saved_scale
    rejected[0] = True
    return gap


cdef Move _moved_since_start(Solver* S, const floating* r) noexcept nogil:
    return _move(r, S.res.shift, <const floating*> S.parking.start,
                 _weights_or_null(S.problem.X, r), S.problem.X.n_samples)


cdef bint _steps_settled(Solver* S, const floating* w, const floating* XtSr) noexcept nogil:
    """Whether one more pass of coordinate descent over the candidates would
    leave the coefficients where they are: the largest step within
    ``final_step_tol`` of the largest coefficient (``_final_step_tol``).

    This is scikit-learn's stopping rule, tightened and required on top of
    the gap: a gap within the tolerance bounds the objective, while this
    rule also holds the support, since a feature whose optimality condition
    is violated by a hair still takes a step. The non-zero and unpenalised
    coefficients are in the working set, whose last epoch measured their
    steps (or whose exact step left them none): ``ws_steps``. The other
    steps, and all of them before the solve's first epoch (a warm start
    that is already optimal runs none, as in scikit-learn), are computed
    from the current point with the correlations of the last gap pass. A
    candidate that a lazy pass certified has a correlation within its
    threshold, so no step, and one beyond it by no more than rounding takes
    none either. Unpenalised features' correlations were projected out
    there: before the first epoch they count as moving.
    """
    cdef const floating* norm2 = <const floating*> S.norm2
    cdef const floating* factor = <const floating*> S.problem.P.factor
    cdef floating w_max = 0.0, d_w_max = 0.0
    cdef floating noise = 1.0 + _rounding(floating is float)
    cdef floating l1_reg = <floating> S.problem.P.l1_reg
    cdef bint sign_changed = False, measured = S.ws_steps != STEPS_UNMEASURED
    cdef int jj, j
    for jj in range(S.candidates.count):
        j = S.candidates.features[jj]
        if measured and (w[j] != 0.0 or factor[j] == 0.0):
            if S.ws_steps == STEPS_MOVING:
                return False
            w_max = max(w_max, fabs(w[j]))
        elif factor[j] == 0.0:
            return False
        elif w[j] != 0.0 or fabs(XtSr[j]) > noise * l1_reg * factor[j]:
            _record_step(w[j], _prox_update(S.problem.P, j,
                                            XtSr[j] + norm2[j] * w[j], norm2[j]),
                         &w_max, &d_w_max, &sign_changed)
    return _settled(w_max, d_w_max, <floating> S.final_step_tol)


cdef int _finish(
    Solver* S, floating* w, floating* r, floating* XtSr, double* gap,
    floating* scale,
) noexcept nogil:
    """A pass whose gap is within the tolerance: polish, check that the
    steps settled (``_steps_settled``), then (on a path) check the parked
    features' optimality at the returned point and record what the next
    solve needs. Returns UNSETTLED when a candidate's coordinate would
    still move, GO_ON when parked features joined the candidates (the gap
    did not account for them), DONE otherwise."""
    cdef bint rejected
    cdef double park_threshold
    gap[0] = _polish(S, w, r, XtSr, gap[0], scale, &rejected)
    if rejected:
        # The correlations are the rejected point's: recompute them.
        gap[0] = _gap_on(&S.problem, S.candidates.features, S.candidates.count,
                         w, XtSr, r, &S.res, scale, False)
    if not _steps_settled(S, w, XtSr):
        return UNSETTLED
    if not S.track:
        return DONE
    S.final_move = _moved_since_start(S, r)
    # Short columns: park for the next solve now. Long ones: only the check
    # (refreshes cost less in one sorted pass at the next start, with the
    # stale candidates).
    park_threshold = S.defer_share * S.next_l1
    if not S.park_exact:
        park_threshold = S.problem.P.l1_reg
    if _unpark_violators(&S.problem, &S.parking, &S.candidates, S.final_move,
                         park_threshold, XtSr, r, &S.res) > 0:
        return GO_ON
    # The last pass was at the solution: there the candidates' drifts bound
    # their staleness; the others' bounds grow by how far r moved in this
    # solve, which the next solve adds as it sets up.
    S.valid_at_exit = not rejected
    return DONE


cdef double _next_working_set(
    Solver* S, const floating* w, const floating* XtSr, floating scale,
    double gap, int outer,
) noexcept nogil:
    """Choose the working set of the next inner solve; return the gap to
    take it to: the final tolerance at once when no feature left out
    violates its optimality condition at the current point, a share of the
    outer gap otherwise. Without working sets, every candidate is in."""
    cdef int jj
    cdef bint violated = True
    if S.use_working_set:
        # Settling a certified point (``_steps_settled``) needs the support
        # and the few features closest to it, not a larger set.
        violated = _choose_working_set(
            &S.problem, &S.parking, &S.candidates, &S.working_set, S.ranked,
            w, XtSr, scale, <floating> (S.strong_l1 if outer == 0 else 0.0),
            S.previous_ws_size if gap > S.tol_scaled else 0)
        S.previous_ws_size = S.working_set.count
    else:
        S.working_set.count = S.candidates.count
        for jj in range(S.candidates.count):
            S.working_set.features[jj] = S.candidates.features[jj]
    if S.track:
        # Inner gaps overwrite their correlations: a lazy pass must
        # recompute them.
        for jj in range(S.working_set.count):
            S.parking.drift[S.working_set.features[jj]] = INFINITY
    if S.use_working_set and violated:
        return max(S.tol_scaled, _INNER_GAP_SHARE * gap)
    return S.tol_scaled


cdef double _outer_loop(
    Solver* S, floating* w, floating* r, floating* XtSr, double start_gap,
    floating scale,
) noexcept nogil:
    """Alternate full gap passes (with screening) and inner solves on a
    working set until the gap over all candidates is within the tolerance;
    returns it."""
    cdef double gap = INFINITY, inner_tol
    cdef int outer, status
    cdef Move moved
    for outer in range(S.max_iter + 1):
        gap = _outer_gap(S, w, r, XtSr, outer, start_gap, &scale)
        if S.track and S.use_screening and gap > S.tol_scaled:
            # How far r has moved since the start: the staleness of the
            # correlations of the features screened at this pass.
            moved = _moved_since_start(S, r)
        if gap <= S.tol_scaled:
            status = _finish(S, w, r, XtSr, &gap, &scale)
            if status == GO_ON:
                continue
            if status == DONE:
                break
        if S.epochs >= S.max_iter:
            break
        if S.use_screening and gap > S.tol_scaled:
            _screen(&S.problem, &S.parking, &S.candidates, w, r, &S.res, XtSr,
                    scale, gap, &moved if S.track else NULL)
        inner_tol = _next_working_set(S, w, XtSr, scale, gap, outer)
        _inner_solve(S, w, r, XtSr, inner_tol, &scale)
    return gap


# --- set-up ---------------------------------------------------------------------


cdef struct SetUpRules:
    # What ``_set_up_feature`` decides by, read once per solve.
    bint promised       # the last solve parked features for this l1_reg
    bint reuse          # the path state's correlations hold at the start
    bint park_exact     # short columns: park on exact correlations too
    double threshold    # defer_share * l1_reg
    Move pending        # how far the last solve's residual moved
    const void* norm2   # ||xt_j||_S^2 (solve's precision)
    const void* factor  # penalty factors (solve's precision)


cdef inline bint _set_up_feature(
    const SetUpRules* rules, Parking* parking, int j, floating* w,
    const floating* XtSr,
) noexcept nogil:
    """Decide where feature j starts: OUT (a constant column or an infinite
    penalty factor: w_j = 0 for good), PARKED, or a candidate. Returns True
    for a candidate whose stale correlation must be refreshed.

    On a path, a feature the last solve parked for at least this l1_reg
    (``promised``) is taken as it is; the features it ended without
    (screened or parked) first take on how far its residual moved
    (``pending``, deferred to this pass over all features). A candidate
    whose bound ``|XtSr[j]| + drift[j]`` stays below ``defer_share`` of its
    threshold is parked; with short columns even with an exact correlation.
    """
    cdef const floating* norm2 = <const floating*> rules.norm2
    cdef const floating* factor = <const floating*> rules.factor
    if rules.promised and parking.state[j] == PARKED_NEXT:
        # Its drift is already relative to the warm start.
        _park(parking, j)
        return False
    if rules.reuse and (parking.state[j] == OUT or parking.state[j] == PARKED):
        parking.drift[j] += _drift_bound(parking.norm[j], parking.l1norm[j],
                                         rules.pending)
    if norm2[j] == 0.0 or factor[j] == INFINITY:
        w[j] = 0.0
        parking.state[j] = OUT
        return False
    parking.state[j] = CANDIDATE
    if not (rules.reuse and (rules.park_exact or parking.drift[j] != 0.0)):
        return False
    if _parkable(w[j], factor[j], fabs(XtSr[j]) + parking.drift[j],
                 rules.threshold):
        _park(parking, j)
        return False
    if parking.drift[j] == 0.0:
        return False
    parking.drift[j] = 0.0
    return True


cdef int _set_up(
    Solver* S, floating* w, floating* r, const floating* XtSr,
    bint promised, Move pending,
) noexcept nogil:
    """Sort the features (``_set_up_feature``) and build the residual of
    the warm start; return how many candidates need a fresh correlation
    (listed first in ``parking.uncertain``).

    The loop works on local copies of the rules, the path state and the
    candidate list: its stores (bytes among them) would otherwise force a
    reload of the solver's fields at every feature."""
    cdef const Design* X = S.problem.X
    cdef const floating* y = <const floating*> S.problem.y
    cdef Parking parking = S.parking
    cdef SetUpRules rules
    cdef Residual res
    cdef int* listed = S.candidates.features
    cdef int i, j, n_stale = 0, count = 0
    rules.promised = promised
    rules.reuse = S.reuse
    rules.park_exact = S.park_exact
    rules.threshold = S.defer_share * S.problem.P.l1_reg
    rules.pending = pending
    rules.norm2 = S.norm2
    rules.factor = S.problem.P.factor
    for i in range(X.n_samples):
        r[i] = y[i]
    res.shift = 0.0
    res.sum_sr = 0.0
    parking.n_parked = 0
    for j in range(X.n_features):
        if _set_up_feature(&rules, &parking, j, w, XtSr):
            parking.uncertain[n_stale] = j
            n_stale += 1
        if parking.state[j] != CANDIDATE:
            continue
        listed[count] = j
        count += 1
        if w[j] != 0.0:
            _step(X, j, w[j], r, &res)
    S.parking.n_parked = parking.n_parked
    S.candidates.count = count
    # sum(S r) afresh: the steps above kept it up to date from the 0 it
    # started at, not from sum(S y), and the sequential start refreshes
    # correlations (which read it, when X is centred implicitly) before any
    # gap recomputes it.
    if X.centred:
        res.sum_sr = _weighted_sum(r, _weights_or_null(X, r), X.n_samples)
    S.res = res
    # The set-up passes over X count towards the exact step's budget.
    S.newton.credit = 2.0 * (count + parking.n_parked)
    S.newton.first_try = 4.0
    return n_stale


cdef double _start(
    Solver* S, floating* w, floating* r, floating* XtSr, bint promised,
    Move pending, floating* start_scale,
) noexcept nogil:
    """Set up the solve; on a path, also its first gap from the carried
    correlations (``_sequential_start``), returned (INFINITY otherwise)."""
    cdef floating* start = <floating*> S.parking.start
    cdef int i, j, n_stale = _set_up(S, w, r, XtSr, promised, pending)
    if S.track:
        for i in range(S.problem.X.n_samples):
            start[i] = r[i] + S.res.shift
    if not S.reuse:
        for j in range(S.problem.X.n_features):
            S.parking.drift[j] = 0.0
        return INFINITY
    return _sequential_start(
        &S.problem, &S.parking, &S.candidates, n_stale,
        S.defer_share * S.problem.P.l1_reg if S.park_exact else -1.0, w, XtSr,
        r, &S.res, start_scale)


# --- binding the caller's arrays -------------------------------------------------


cdef void _bind_projection(
    Projection* U, const Design* X, projection, const floating[::1] y, work,
):
    """Point ``U`` at ``(unpenalised, cross_gram, unpenalised_gram)`` and
    compute ``Xt_U^T S y`` (y is centred, so the offsets drop out)."""
    cdef const int[::1] unpenalised = projection[0]
    cdef const floating[:, ::1] cross_gram = projection[1]
    cdef const floating[:, ::1] unpenalised_gram = projection[2]
    cdef int n_unpen = unpenalised.shape[0]
    cdef floating* unpenalised_y
    cdef int a
    dtype = np.float32 if floating is float else np.float64
    unpenalised_y = <floating*> _buffer(work, "unpenalised_y", n_unpen, dtype)
    _bind_projection_arrays(
        U, unpenalised, cross_gram, unpenalised_gram, unpenalised_y,
        <double*> _buffer(work, "projection_scratch", n_unpen * (n_unpen + 2),
                          np.float64))
    for a in range(U.n_unpen):
        unpenalised_y[a] = _raw_correlation(X, U.unpenalised[a], &y[0])


cdef void _allocate(Solver* S, int anderson, const floating[::1] w, work):
    """The solver's work arrays, from ``work``."""
    cdef int n_samples = S.problem.X.n_samples
    cdef int n_features = S.problem.X.n_features
    cdef int history = anderson + 1 if anderson > 0 else 0
    cdef int max_support = min(n_features, MAX_NEWTON_SUPPORT)
    dtype = np.float32 if floating is float else np.float64
    S.candidates.features = <int*> _buffer(work, "candidates", n_features, np.intc)
    S.working_set.features = <int*> _buffer(work, "working_set", n_features, np.intc)
    S.ranked = <Ranked*> _buffer(work, "ranked", n_features, RANKED_DTYPE)
    S.saved_w = _buffer(work, "saved_w", n_features, dtype)
    S.saved_r = _buffer(work, "saved_r", n_samples, dtype)
    S.parking.uncertain = <int*> _buffer(work, "uncertain", n_features, np.intc)
    S.parking.parked = <int*> _buffer(work, "parked", n_features, np.intc)
    S.parking.anchor = _buffer(work, "anchor", n_samples, dtype)
    S.parking.start = _buffer(work, "residual_start", n_samples, dtype)
    S.anderson.depth = anderson
    S.anderson.stride = n_features
    S.anderson.iterates = _buffer(work, "iterates", (history, n_features), dtype)
    S.anderson.extrapolated = _buffer(work, "extrapolated", n_features, dtype)
    S.anderson.trial_r = _buffer(work, "trial_residual",
                                 n_samples if anderson > 0 else 0, dtype)
    S.anderson.matrix = <double*> _buffer(work, "anderson_matrix", anderson * anderson, np.float64)
    S.anderson.rhs = <double*> _buffer(work, "anderson_rhs", anderson, np.float64)
    # The exact step: at most max_support coefficients (beyond n_samples
    # the system is singular without an L2 part).
    if S.problem.P.l2_reg == 0.0:
        max_support = min(max_support, n_samples)
    S.newton.max_support = max_support
    S.newton.support_is_rank = S.problem.P.l2_reg == 0.0 and max_support == n_samples
    S.newton.gram_capacity = max_support * (max_support + 1)
    S.newton.gram = <double*> _buffer(work, "newton_gram", S.newton.gram_capacity, np.float64)
    S.newton.step = <double*> _buffer(work, "newton_step", max_support, np.float64)
    S.newton.active = <int*> _buffer(work, "newton_active", max_support, np.intc)
    S.newton.column_length = S.problem.X.column_length
    # Zero between uses: the sparse exact step clears what it scatters, the
    # dense one overwrites.
    S.newton.column = _constant_buffer(work, "dense_column", n_samples, dtype, 0)


# --- the residual solver -----------------------------------------------------------


RANKED_DTYPE = np.dtype([("priority", np.float64), ("index", np.intc)], align=True)



KernelPenalty = namedtuple("KernelPenalty", "l1_reg l2_reg factor lower upper")
KernelPenalty.__doc__ = """The penalty (see _penalty.pxd), in the solve's
precision: ``l1_reg``, ``l2_reg`` and per-feature factors and bounds."""

SolverOptions = namedtuple(
    "SolverOptions",
    "max_iter tol seed random working_set screening anderson strong_l1")
SolverOptions.__doc__ = """How the residual solver runs (see
:func:`enet_coordinate_descent` for each field)."""


cdef double _target_norm(Solver* S, const floating* y, PathState state):
    """``y^T S y``: from the path state when the target is the last solve's
    (a pass over the samples less per alpha), recorded there otherwise."""
    cdef const Design* X = S.problem.X
    cdef double sums[3]
    if S.reuse and state.y_norm2 > 0.0:
        return state.y_norm2
    _residual_sums(y, 0.0, y, _weights_or_null(X, y), X.n_samples, sums)
    state.y_norm2 = sums[1]
    return sums[1]


cdef void _configure(Solver* S, options, PathState state, const floating* y):
    """The solver's settings from ``options`` and the path state."""
    cdef double l1_reg = S.problem.P.l1_reg
    S.max_iter = options.max_iter
    S.tol = options.tol
    S.final_step_tol = _final_step_tol(options.tol, floating is float)
    S.random = options.random
    S.rng_state = (<uint32_t> options.seed) | 1
    # Without any penalty (alpha = 0) no dual point is feasible and a
    # working set's gap is its objective, which a subset of the features
    # cannot bring down: solve over all the candidates at once.
    S.use_working_set = options.working_set and (
        S.problem.P.l1_reg > 0.0 or S.problem.P.l2_reg > 0.0)
    S.use_screening = options.screening
    S.strong_l1 = options.strong_l1
    S.track = S.problem.U.n_unpen == 0
    S.reuse = state.valid and S.track
    S.park_exact = S.problem.X.column_length <= SHORT_COLUMN
    S.defer_share = DEFER_SHARE
    # The next solve's l1 regulariser, guessed from the ratio of the last
    # two (a path's grid is geometric), a hair low so that rounding cannot
    # make it too high: the final pass parks features for it.
    S.next_l1 = l1_reg * (1.0 - 1e-9)
    if 0.0 < l1_reg < state.last_l1_reg:
        S.next_l1 *= l1_reg / state.last_l1_reg
    S.tol_scaled = S.tol * _target_norm(S, y, state)
    S.epochs = 0
    S.ws_steps = STEPS_UNMEASURED
    S.previous_ws_size = 0
    S.valid_at_exit = False
    state.valid = False


cdef void _bind_path_state(Solver* S, PathState state, const double[::1] norm,
                           const double[::1] l1norm):
    cdef unsigned char[::1] feature_state = state.feature_state
    cdef double[::1] drift = state.drift
    S.parking.state = &feature_state[0] if feature_state.shape[0] else NULL
    S.parking.drift = &drift[0] if drift.shape[0] else NULL
    S.parking.norm = &norm[0] if norm.shape[0] else NULL
    S.parking.l1norm = &l1norm[0] if l1norm.shape[0] else NULL


cdef void _record_exit(Solver* S, PathState state):
    """What the next solve of the path needs, after a valid exit: how far r
    moved (the screened features' bounds still lack it), this l1
    regulariser, and the one features were parked for."""
    if not S.valid_at_exit:
        return
    state.valid = True
    state.moved_l2 = S.final_move.l2
    state.moved_sup = S.final_move.sup
    state.last_l1_reg = S.problem.P.l1_reg
    state.parked_for_l1_reg = S.next_l1 if S.park_exact else 0.0


def _residual_solver(
    floating[::1] w, const floating[::1] y, design, penalty, projection,
    column_stats, PathState state, options, work,
):
    """Minimise P over the box; see ``enet_coordinate_descent``.

    ``design``, ``penalty`` and ``options`` are a :class:`KernelDesign`, a
    :class:`KernelPenalty` and :class:`SolverOptions`; ``state`` is the
    path's :class:`PathState` (read at the start, updated at a converged
    exit) and ``work`` the :class:`Workspace` the buffers come from.
    """
    cdef Design X
    cdef Penalty P
    cdef Projection U
    cdef Solver S
    cdef const floating[::1] norm2 = column_stats[0]
    cdef const floating[::1] colsum = column_stats[1]
    cdef const floating[::1] factor = penalty.factor
    cdef const floating[::1] lower = penalty.lower
    cdef const floating[::1] upper = penalty.upper
    cdef int anderson = options.anderson
    cdef floating[::1] XtSr = state.correlations
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] residual = work.empty("residual", y.shape[0], dtype)
    cdef floating start_scale = 1.0
    cdef double gap
    cdef Move pending
    cdef bint promised
    _bind_design(&X, design, y, colsum, work)
    _bind_penalty(&P, <floating> penalty.l1_reg, <floating> penalty.l2_reg,
                  factor, lower, upper)
    _bind_projection(&U, &X, projection, y, work)
    S.problem.X = &X
    S.problem.y = &y[0]
    S.problem.P = &P
    S.problem.U = &U
    S.norm2 = &norm2[0]
    _bind_path_state(&S, state, column_stats[2], column_stats[3])
    _configure(&S, options, state, &y[0])
    _allocate(&S, anderson, w, work)
    S.quadratic.P = &P
    S.quadratic.X = &X
    S.quadratic.r = &residual[0]
    S.quadratic.res = &S.res
    pending.l2 = state.moved_l2
    pending.sup = state.moved_sup
    promised = S.reuse and P.l1_reg >= state.parked_for_l1_reg > 0.0
    with nogil:
        gap = _start(&S, &w[0], &residual[0], &XtSr[0], promised, pending,
                     &start_scale)
        gap = _outer_loop(&S, &w[0], &residual[0], &XtSr[0], gap, start_scale)
    _record_exit(&S, state)
    if X.sum_s > 0.0:
        gap /= X.sum_s
    return np.asarray(w), float(gap), S.epochs


# --- the inner-solver entry point for outer loops ------------------------------


def _working_set_solver(
    floating[::1] w, const floating[::1] z, design, penalty,
    const int[::1] working_set, options, work,
):
    """See :func:`weighted_enet_working_set`."""
    cdef Design X
    cdef Penalty P
    cdef Projection U
    cdef Solver S
    dtype = np.float32 if floating is float else np.float64
    cdef int n_features = w.shape[0]
    cdef floating[::1] norm2 = work.empty("ws_norm2", n_features, dtype)
    cdef floating[::1] colsum = work.empty("ws_colsum", n_features, dtype)
    cdef double[::1] norm = work.empty("ws_norm", n_features, np.float64)
    cdef double[::1] l1norm = work.empty("ws_l1norm", n_features, np.float64)
    cdef floating[::1] XtSr = work.empty("ws_correlations", n_features, dtype)
    cdef floating[::1] residual = work.empty("residual", z.shape[0], dtype)
    cdef floating[::1] scratch = work.constant("ws_scratch", z.shape[0], dtype, 0)
    cdef const floating[::1] factor = penalty.factor
    cdef const floating[::1] lower = penalty.lower
    cdef const floating[::1] upper = penalty.upper
    cdef int anderson = options.anderson
    cdef floating scale = 1.0
    cdef double gap
    cdef int jj
    _bind_design(&X, design, z, colsum, work)
    _bind_penalty(&P, <floating> penalty.l1_reg, <floating> penalty.l2_reg,
                  factor, lower, upper)
    U.n_unpen = 0
    S.problem.X = &X
    S.problem.y = &z[0]
    S.problem.P = &P
    S.problem.U = &U
    S.norm2 = &norm2[0]
    S.max_iter = options.max_iter
    S.tol = options.tol
    S.final_step_tol = _final_step_tol(options.tol, floating is float)
    S.random = False
    S.epochs = 0
    S.ws_steps = STEPS_UNMEASURED
    S.track = False
    S.rng_state = 1
    _allocate(&S, anderson, w, work)
    S.quadratic.P = &P
    S.quadratic.X = &X
    S.quadratic.r = &residual[0]
    S.quadratic.res = &S.res
    S.working_set.count = working_set.shape[0]
    for jj in range(working_set.shape[0]):
        S.working_set.features[jj] = working_set[jj]
    S.candidates = S.working_set
    with nogil:
        _column_statistics_on(&X, &S.working_set, &norm2[0], &colsum[0],
                              &norm[0], &l1norm[0], &scratch[0])
        gap = _solve_working_set(&S, &w[0], &residual[0], &XtSr[0], &scale)
    if X.sum_s > 0.0:
        gap /= X.sum_s
    return float(gap), S.epochs


cdef double _solve_working_set(
    Solver* S, floating* w, floating* r, floating* XtSr, floating* scale,
) noexcept nogil:
    """Build the residual of the warm start on the working set, then run
    the inner solve to the tolerance (none if the warm start meets it)."""
    cdef const Design* X = S.problem.X
    cdef const floating* z = <const floating*> S.problem.y
    cdef double sums[3]
    cdef double gap
    cdef int i, jj, j
    for i in range(X.n_samples):
        r[i] = z[i]
    S.res.shift = 0.0
    S.res.sum_sr = 0.0
    for jj in range(S.working_set.count):
        j = S.working_set.features[jj]
        if w[j] != 0.0:
            _step(X, j, w[j], r, &S.res)
    _residual_sums(z, 0.0, z, _weights_or_null(X, z), X.n_samples, sums)
    S.tol_scaled = S.tol * sums[1]
    S.newton.credit = 2.0 * S.working_set.count
    S.newton.first_try = 4.0
    gap = _gap_on(&S.problem, S.working_set.features, S.working_set.count, w,
                  XtSr, r, &S.res, scale, False)
    if gap <= S.tol_scaled:
        return gap
    return _inner_solve(S, w, r, XtSr, S.tol_scaled, scale)


def weighted_enet_working_set(w, X, z, sample_weight, l1_reg, l2_reg,
                              penalty_factor, lower, upper, working_set, *,
                              X_offset=None, max_iter=1000, tol=1e-4,
                              anderson=5, workspace=None):
    """A weighted Elastic-Net on a working set: the inner solver of outer
    loops (the proximal Newton steps of a GLM).

    Minimises, over the coefficients of the ``working_set`` (the others are
    0 and stay there), within their bounds,

        1/2 sum_i s_i (z_i - xt_i . w)^2
        + sum_j f_j (l1_reg |w_j| + l2_reg / 2 w_j^2)

    for a working response ``z`` and weights ``s`` that change from one
    call to the next: coordinate descent from the warm start ``w``, with
    Anderson acceleration and the exact step on the support, until the
    duality gap of this restricted problem is at most ``tol * sum_i s_i
    z_i^2``. Only the working set's columns are read: their weighted norms
    under ``s`` are computed at each call, so a call costs a pass over
    those columns plus the epochs it needs.

    Parameters
    ----------
    w : ndarray of shape (n_features,), float32 or float64
        Warm start, updated in place; must be 0 outside the working set.
    X : F-ordered ndarray of shape (n_samples, n_features), or a scipy CSC
        matrix, of w's dtype.
    z : ndarray of shape (n_samples,)
        The working response.
    sample_weight : ndarray of shape (n_samples,)
        The working weights s (non-negative).
    l1_reg, l2_reg : float
        The penalty's constants, on the scale of the sum above.
    penalty_factor, lower, upper : ndarray of shape (n_features,)
        As in :func:`enet_coordinate_descent`.
    working_set : ndarray of int
        The features solved for (distinct indices).
    X_offset : ndarray of shape (n_features,), optional
        Column offsets subtracted implicitly from X.
    max_iter : int, default=1000
        Maximum number of epochs over the working set.
    tol : float, default=1e-4
        Relative tolerance on the duality gap.
    anderson : int, default=5
        Iterates combined by Anderson extrapolation (0 disables it).
    workspace : Workspace, optional
        Work arrays, reused from one call to the next.

    Returns
    -------
    gap : float
        Duality gap of the restricted problem, divided by ``sum(s)``.
    n_iter : int
        Epochs run (0 when the warm start met the tolerance).
    """
    _check_working_set_problem(w, X, z, sample_weight, working_set)
    working_set = np.ascontiguousarray(working_set, dtype=np.intc)
    dtype = w.dtype
    if sparse.issparse(X):
        indices, indptr = kernel_indices(X.indices, X.indptr)
        design = KernelDesign(np.empty((0, 0), dtype=dtype, order="F"),
                              X.data, indices, indptr, True, sample_weight,
                              _empty_or(X_offset, dtype))
    else:
        design = KernelDesign(X, w[:0], _NO_INDICES, _NO_INDPTR, False,
                              sample_weight, _empty_or(X_offset, dtype))
    penalty = KernelPenalty(l1_reg, l2_reg, penalty_factor, lower, upper)
    options = SolverOptions(max_iter, tol, 0, False, False, False, anderson, 0.0)
    return _working_set_solver(w, z, design, penalty, working_set, options,
                               Workspace() if workspace is None else workspace)


def _check_working_set_problem(w, X, z, sample_weight, working_set):
    """Refuse what would make :func:`weighted_enet_working_set` read out of
    bounds or solve another problem than it says."""
    n_samples, n_features = X.shape
    if w.shape != (n_features,):
        raise ValueError(f"w has shape {w.shape}; X has {n_features} columns")
    for name, array in (("z", z), ("sample_weight", sample_weight)):
        if np.shape(array) != (n_samples,):
            raise ValueError(f"{name} has shape {np.shape(array)}; X has "
                             f"{n_samples} rows")
    working_set = np.asarray(working_set)
    if working_set.ndim != 1 or not np.issubdtype(working_set.dtype, np.integer):
        raise ValueError("working_set must be a 1-D array of feature indices")
    if working_set.size and (working_set.min() < 0
                             or working_set.max() >= n_features):
        raise ValueError(f"working_set holds indices outside [0, {n_features})")
    if np.unique(working_set).size != working_set.size:
        raise ValueError("working_set holds an index twice")
    outside = np.ones(n_features, dtype=bool)
    outside[working_set] = False
    if np.any(w[outside] != 0):
        raise ValueError("w must be 0 outside the working set")


# --- public entry points ---------------------------------------------------------


_NO_INDICES = np.empty(0, dtype=np.intc)
_NO_INDPTR = np.empty(0, dtype=np.int64)


def _empty_or(array, dtype):
    return np.empty(0, dtype=dtype) if array is None else array


def fresh_correlations(n_features, dtype):
    """The path state a path passes to every solve, before the first."""
    return PathState(n_features, dtype)


def _solve(w, l1_reg, l2_reg, design, y, penalty_factor, lower, upper,
           max_iter, tol, seed, random, projection, column_stats, working_set,
           screening, anderson, strong_l1, correlations, workspace):
    """Fill in the defaults of the residual solver and call it."""
    if correlations is None:
        correlations = fresh_correlations(w.shape[0], w.dtype)
    if column_stats is None:
        weights = design.sample_weight
        offset = design.offset
        column_stats = column_statistics(
            design.X, design.data, design.indices, design.indptr,
            design.is_sparse, weights if weights.shape[0] else np.ones_like(y),
            offset if offset.shape[0] else np.zeros_like(w))
    penalty = KernelPenalty(l1_reg, l2_reg, penalty_factor, lower, upper)
    options = SolverOptions(max_iter, tol, seed, random, working_set, screening,
                            anderson, w.dtype.type(strong_l1))
    return _residual_solver(
        w, y, design, penalty, _projection_arrays(projection, w), column_stats,
        correlations, options, Workspace() if workspace is None else workspace)


def enet_coordinate_descent(w, l1_reg, l2_reg, X, y, sample_weight, X_offset,
                            penalty_factor, lower, upper, max_iter, tol, seed,
                            random, projection=None, *, column_stats=None,
                            working_set=True, screening=True, anderson=5,
                            strong_l1=0.0, correlations=None, workspace=None):
    design = KernelDesign(X, w[:0], _NO_INDICES, _NO_INDPTR, False,
                          sample_weight, X_offset)
    return _solve(w, l1_reg, l2_reg, design, y, penalty_factor, lower, upper,
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
    X_indices, X_indptr = kernel_indices(X_indices, X_indptr)
    design = KernelDesign(np.empty((0, 0), dtype=w.dtype, order="F"), X_data,
                          X_indices, X_indptr, True, sample_weight, X_offset)
    return _solve(w, l1_reg, l2_reg, design, y, penalty_factor, lower, upper,
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
    correlations : PathState, optional
        What a path carries from one solve to the next
        (``fresh_correlations``): a path passes the same object to every
        solve. After a converged solve its ``valid`` is set and its
        ``correlations`` hold ``xt_j^T S r`` at the solution, exact for the
        features still in play and within ``drift[j]`` for the others
        (plus, for the screened ones, how far the residual moved in the
        solve, ``moved_l2`` and ``moved_sup``), which the next solve
        (warm-started from it) uses instead of a pass over X. See
        :class:`PathState` for its fields.
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
        Number of epochs run (0 when the warm start met the tolerance).
"""

_LEADING_PARAMETERS = """
    Parameters
    ----------
    w : ndarray of shape (n_features,)
        Initial coefficients, updated in place. Must lie within the bounds.
    l1_reg, l2_reg : float
        ``n * alpha * l1_ratio`` and ``n * alpha * (1 - l1_ratio)``."""

enet_coordinate_descent.__doc__ = """Coordinate descent for a dense X.
""" + _LEADING_PARAMETERS + """
    X : F-ordered ndarray of shape (n_samples, n_features)
        Design matrix; read only.""" + _COMMON_PARAMETERS

sparse_enet_coordinate_descent.__doc__ = """Coordinate descent for a CSC X.

    X is never densified or copied: updates touch its stored entries only,
    and centring is carried by a scalar shift of the residual.
""" + _LEADING_PARAMETERS + """
    X_data, X_indices, X_indptr : ndarray
        The CSC arrays of X (int32 or int64 indices; unsorted indices,
        duplicates and explicit zeros are fine).""" + _COMMON_PARAMETERS
