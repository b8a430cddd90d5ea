# Gap-safe screening and the choice of the working set (see _working_set.pyx).

from cython cimport floating

from ._design cimport Residual, Selection
from ._dual cimport Problem
from ._path_state cimport Move, Parking


cdef struct Ranked:
    double priority
    int index


cdef void _screen(
    const Problem* problem, Parking* parking, Selection* candidates,
    floating* w, floating* r, Residual* res, const floating* XtSr,
    floating scale, double gap, const Move* moved,
) noexcept nogil

cdef bint _choose_working_set(
    const Problem* problem, const Parking* parking,
    const Selection* candidates, Selection* working_set, Ranked* ranked,
    const floating* w, const floating* XtSr, floating scale,
    floating strong_l1, int previous_size,
) noexcept nogil
