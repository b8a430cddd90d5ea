# What a path carries from one solve to the next (see _path_state.pyx).

from cython cimport floating

from ._design cimport Residual, Selection
from ._dual cimport Problem


# What a solve says of a feature (``Parking.state``).
cdef enum:
    OUT = 0           # screened or unusable (w_j = 0 for good)
    CANDIDATE = 1     # may enter the working set
    PARKED = 2        # left out at a sequential start, correlation stale
    PARKED_FRESH = 3  # parked, correlation refreshed at the final residual
    PARKED_NEXT = 4   # parked at the final residual for the next solve too


cdef struct Move:
    # How far the residual moved from a reference point, in two norms.
    double l2       # ||r - reference||_S
    double sup      # max_i |r_i - reference_i|


cdef struct Parking:
    # The per-feature bookkeeping of a solve on a path: the arrays of its
    # PathState, and the solver's scratch for them.
    unsigned char* state  # OUT, CANDIDATE, PARKED, ... per feature
    double* drift         # |xt_j^T S r_ref - XtSr[j]| <= drift[j]
    const double* norm    # ||xt_j||_S
    const double* l1norm  # an upper bound on sum_i s_i |xt_ij|
    int* parked           # the parked features
    int n_parked
    int* uncertain        # scratch list of n_features
    void* anchor          # residual at the last gap pass (solve's precision)
    void* start           # residual at the start of the solve


cdef class PathState:
    cdef readonly object correlations
    cdef readonly object drift
    cdef readonly object feature_state
    cdef public bint valid
    cdef public double moved_l2
    cdef public double moved_sup
    cdef public double last_l1_reg
    cdef public double parked_for_l1_reg
    cdef public double y_norm2


cdef Move _move(
    const floating* r, double shift, const floating* reference,
    const floating* sw, int n_samples,
) noexcept nogil


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


cdef inline void _park(Parking* parking, int j) noexcept nogil:
    parking.state[j] = PARKED
    parking.parked[parking.n_parked] = j
    parking.n_parked += 1


cdef void _mark_fresh(
    Parking* parking, const int* features, int n_selected, const floating* r,
    double shift, int n_samples,
) noexcept nogil

cdef floating _sequential_start(
    const Problem* problem, Parking* parking, Selection* candidates,
    int n_stale, double park_threshold, const floating* w, floating* XtSr,
    const floating* r, Residual* res, floating* scale,
) noexcept nogil

cdef int _unpark_violators(
    const Problem* problem, Parking* parking, Selection* candidates,
    Move moved, double next_threshold, floating* XtSr,
    const floating* r, Residual* res,
) noexcept nogil

cdef floating _lazy_gap(
    const Problem* problem, Parking* parking, const Selection* candidates,
    const floating* w, floating* XtSr, const floating* r, Residual* res,
    floating* scale, double* credit,
) noexcept nogil
