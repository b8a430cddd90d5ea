"""What a path carries from one solve to the next: correlations and how
stale they are.

On a path, each solve starts from the last one's solution. Its correlations
``XtSr[j] = xt_j^T S r`` are carried over with a bound ``drift[j]`` on how
far they may be from the correlations at the warm start, and a feature whose
bound keeps it well inside its dual constraint is *parked*: left out of the
solve, and checked once against the final dual point (``_unpark_violators``).
Within a solve, a *lazy* gap pass (``_lazy_gap``) recomputes only the
candidates whose bound does not certify them.

Bounds follow the residual through ``_move`` (how far it moved, in the
S-norm and the sup norm) and ``_drift_bound`` (what that move can do to one
correlation, from the column's norms).
"""

from libc.math cimport fabs, sqrt

import numpy as np

from ._design cimport Design, _correlations_of, _weight_of, _weights_or_null
from ._dual cimport LANES, _gap_on
from ._coordinates cimport _rounding


cdef class PathState:
    """The state a path passes from one solve to the next.

    Parameters
    ----------
    n_features : int
    dtype : numpy dtype
        The precision of the solves.

    Attributes
    ----------
    correlations : ndarray of shape (n_features,)
        ``xt_j^T S r`` at the last solution: exact for the features still
        in play, within ``drift[j]`` for the others.
    drift : ndarray of shape (n_features,), float64
        Bounds on how stale each correlation is.
    feature_state : ndarray of shape (n_features,), uint8
        What the last solve said of each feature (out, candidate, parked).
    valid : bool
        Whether the last solve converged and left the above valid.
    moved_l2, moved_sup : float
        How far the residual moved in the last solve: the bounds of the
        features it screened still lack it (the next solve adds it).
    last_l1_reg : float
        The last solve's L1 regulariser.
    parked_for_l1_reg : float
        The L1 regulariser for which the last solve parked features for the
        next one (``PARKED_NEXT``), 0 when it did not.
    y_norm2 : float
        The target's ``y^T S y`` (0: not known yet).
    """

    def __init__(self, n_features, dtype):
        self.correlations = np.zeros(n_features, dtype=dtype)
        self.drift = np.zeros(n_features, dtype=np.float64)
        self.feature_state = np.zeros(n_features, dtype=np.uint8)
        self.valid = False
        self.moved_l2 = 0.0
        self.moved_sup = 0.0
        self.last_l1_reg = 0.0
        self.parked_for_l1_reg = 0.0
        self.y_norm2 = 0.0


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


cdef void _mark_fresh(
    Parking* parking, const int* features, int n_selected, const floating* r,
    double shift, int n_samples,
) noexcept nogil:
    """After a pass over ``features``: their correlations are exact at the
    current residual, which becomes the anchor of later lazy passes."""
    cdef floating* anchor = <floating*> parking.anchor
    cdef int i, jj
    for jj in range(n_selected):
        parking.drift[features[jj]] = 0.0
    for i in range(n_samples):
        anchor[i] = r[i] + shift


cdef void _keep_candidates(const unsigned char* state, Selection* candidates) noexcept nogil:
    """Drop from ``candidates`` the features no longer marked CANDIDATE."""
    cdef int* listed = candidates.features
    cdef int jj, j, k = 0, count = candidates.count
    for jj in range(count):
        j = listed[jj]
        if state[j] == CANDIDATE:
            listed[k] = j
            k += 1
    candidates.count = k


cdef floating _sequential_start(
    const Problem* problem, Parking* parking, Selection* candidates,
    int n_stale, double park_threshold, const floating* w, floating* XtSr,
    const floating* r, Residual* res, floating* scale,
) noexcept nogil:
    """First pass of a warm-started solve on a path, from stale correlations.

    The set-up loop has parked the stale features whose bound keeps them
    well inside their constraint and listed the other stale candidates, the
    first ``n_stale`` of ``parking.uncertain``: their correlations are
    refreshed here (one prefetched pass in increasing order), so that every
    candidate holds a fresh correlation. A refreshed feature within
    ``park_threshold`` (times its penalty factor) is parked too, with an
    exact correlation, and leaves ``candidates``. Returns the duality gap of
    the warm start over the candidates, with the scale of its dual point in
    ``scale``. A parked feature satisfies that point (its bound is within
    its threshold and the scale at most 1) and adds nothing to the gap.
    """
    # A local copy: stores into the arrays (some of bytes, which may alias
    # anything) would otherwise force a reload of every field at each feature.
    cdef Parking local = parking[0]
    cdef const floating* factor = <const floating*> problem.P.factor
    cdef int j, jj, n_before = local.n_parked
    _correlations_of(problem.X, local.uncertain, n_stale, XtSr, r, res)
    # A refreshed feature well inside its constraint is parked after all:
    # exact now, it stays parked unless this solve moves r far enough, and
    # every pass over the candidates is spared it.
    for jj in range(n_stale):
        j = local.uncertain[jj]
        if _parkable(w[j], factor[j], fabs(XtSr[j]), park_threshold):
            _park(&local, j)
    if local.n_parked > n_before:
        _keep_candidates(local.state, candidates)
    parking.n_parked = local.n_parked
    return _gap_on(problem, candidates.features, candidates.count, w, XtSr, r,
                   res, scale, True)


cdef int _refresh_uncertain_parked(
    const Problem* problem, Parking* parking, Move moved,
    double next_threshold, floating* XtSr, const floating* r, Residual* res,
) noexcept nogil:
    """Add ``moved`` to the parked features' bounds, mark them all
    PARKED_NEXT, and refresh at r those whose bound no longer keeps them
    within ``next_threshold``: they are listed in ``parking.uncertain``,
    their number returned.

    Without branches (a third of the features are refreshed, in no
    predictable order): every feature is marked as if its bound held, and
    listed for a refresh, the list growing only if it does not (the
    refresh overwrites both marks).
    """
    # A local copy: stores into the arrays (some of bytes, which may alias
    # anything) would otherwise force a reload of every field at each feature.
    cdef Parking local = parking[0]
    cdef const floating* factor = <const floating*> problem.P.factor
    cdef int j, jj, n_refreshed = 0
    cdef double bound
    for jj in range(local.n_parked):
        j = local.parked[jj]
        bound = local.drift[j] + _drift_bound(local.norm[j], local.l1norm[j], moved)
        local.drift[j] = bound
        local.state[j] = PARKED_NEXT
        local.uncertain[n_refreshed] = j
        n_refreshed += fabs(XtSr[j]) + bound > next_threshold * factor[j]
    _correlations_of(problem.X, local.uncertain, n_refreshed, XtSr, r, res)
    return n_refreshed


cdef int _unpark_violators(
    const Problem* problem, Parking* parking, Selection* candidates,
    Move moved, double next_threshold, floating* XtSr,
    const floating* r, Residual* res,
) noexcept nogil:
    """Check the parked features' optimality conditions at the final r,
    and park them for the next solve in the same pass.

    A parked feature's bound (``drift`` relative to the start of the solve,
    which r has ``moved`` from) is first compared with ``next_threshold``
    (times its penalty factor): the parking threshold of the next solve,
    below l1_reg, or l1_reg itself when the caller does not park for the
    next solve. One within it satisfies its optimality condition at r, so
    the dual constraint at any scale <= 1, and
    is marked ``PARKED_NEXT``, with its drift relative to r (the next
    set-up loop takes it as is if the next solve's l1_reg is the one it
    was parked for, and tests it again otherwise). The others are refreshed
    at r (exact: ``PARKED_NEXT`` with drift 0 if within ``next_threshold``
    now, ``PARKED_FRESH`` otherwise), and those that violate their
    optimality condition at r by more than rounding, however slightly,
    become candidates again (the dual scale would hide a violation smaller
    than the largest, and the solution's support would miss such a
    feature); being above their threshold, they are
    recomputed by the next lazy pass whatever the anchor. Parked features
    add nothing to the gap. Returns how many became candidates: then the
    gap must be recomputed, and the solve goes on with the parked features'
    drifts again relative to the start (a drift relative to r plus
    ``moved`` bounds that too).
    """
    # A local copy: stores into the arrays (some of bytes, which may alias
    # anything) would otherwise force a reload of every field at each feature.
    cdef Parking local = parking[0]
    cdef const floating* factor = <const floating*> problem.P.factor
    cdef floating l1_reg = <floating> problem.P.l1_reg
    cdef floating noise = 1.0 + _rounding(floating is float)
    cdef int* listed = candidates.features
    cdef int j, jj, k = 0, n_before = candidates.count, count = candidates.count
    cdef int n_refreshed = _refresh_uncertain_parked(
        problem, parking, moved, next_threshold, XtSr, r, res)
    for jj in range(n_refreshed):
        j = local.uncertain[jj]
        local.drift[j] = 0.0
        if fabs(XtSr[j]) > noise * l1_reg * factor[j]:
            local.state[j] = CANDIDATE
            listed[count] = j
            count += 1
        elif fabs(XtSr[j]) <= next_threshold * factor[j]:
            # Exact now and within the next threshold: parked for the next
            # solve too, so that its set-up loop need not test it again.
            local.state[j] = PARKED_NEXT
        else:
            local.state[j] = PARKED_FRESH
    candidates.count = count
    if count == n_before:
        parking.n_parked = local.n_parked
        return 0
    for jj in range(local.n_parked):
        j = local.parked[jj]
        if local.state[j] == CANDIDATE:
            continue
        # |xt_j^T S r_start - XtSr[j]| <= drift[j] + (how far r is from the
        # start), as the solve's later checks require.
        local.drift[j] += _drift_bound(local.norm[j], local.l1norm[j], moved)
        local.state[j] = PARKED
        local.parked[k] = j
        k += 1
    local.n_parked = k
    parking.n_parked = local.n_parked
    return candidates.count - n_before


cdef floating _lazy_gap(
    const Problem* problem, Parking* parking, const Selection* candidates,
    const floating* w, floating* XtSr, const floating* r, Residual* res,
    floating* scale, double* credit,
) noexcept nogil:
    """Duality gap over the candidates, refreshing only the uncertain ones.

    Candidate j's correlation is ``XtSr[j]`` up to ``drift[j]`` plus how far
    it can have moved since the anchor (``_drift_bound``). When that bound
    is within l1 f_j and w_j = 0, the dual point r (times any scale <= 1)
    satisfies j's constraint and j adds nothing to the gap (no penalty, no
    conjugate term): only the other candidates are recomputed, and counted
    in ``credit``. The result is the gap of the full candidate set, exact up
    to that certificate. Drifts and the anchor are updated for the next
    pass. Needs no unpenalised features.
    """
    # A local copy: stores into the arrays (some of bytes, which may alias
    # anything) would otherwise force a reload of every field at each feature.
    cdef Parking local = parking[0]
    cdef const Design* X = problem.X
    cdef const floating* factor = <const floating*> problem.P.factor
    cdef floating l1_reg = <floating> problem.P.l1_reg
    cdef const int* listed = candidates.features
    cdef int jj, j, n_uncertain = 0, count = candidates.count
    cdef Move moved = _move(r, res.shift, <const floating*> local.anchor,
                            _weights_or_null(X, r), X.n_samples)
    cdef double bound
    cdef floating gap
    for jj in range(count):
        j = listed[jj]
        bound = local.drift[j] + _drift_bound(local.norm[j], local.l1norm[j], moved)
        if w[j] != 0.0 or fabs(XtSr[j]) + bound > l1_reg * factor[j]:
            local.uncertain[n_uncertain] = j
            n_uncertain += 1
        else:
            local.drift[j] = bound
    gap = _gap_on(problem, local.uncertain, n_uncertain, w, XtSr, r, res,
                  scale, False)
    credit[0] += n_uncertain
    _mark_fresh(&local, local.uncertain, n_uncertain, r, res.shift,
                X.n_samples)
    return gap
