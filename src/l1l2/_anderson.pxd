# Anderson acceleration of coordinate descent (see _anderson.pyx).

from cython cimport floating

from ._design cimport Residual, Selection
from ._dual cimport Problem


cdef struct Anderson:
    int depth           # K, the number of differences combined (0: off)
    int n_stored        # iterates stored since the last trial
    void* iterates      # K + 1 rows of ``stride`` values (solve's precision)
    int stride
    void* extrapolated  # one value per working-set feature
    void* trial_r       # the residual at the extrapolated point
    double* matrix      # K x K
    double* rhs         # K


cdef bint _anderson_record(
    Anderson* anderson, const Selection* working_set, const floating* w,
) noexcept nogil

cdef bint _anderson_step(
    const Problem* problem, Anderson* anderson, const Selection* working_set,
    floating* w, floating* r, Residual* res,
) noexcept nogil
