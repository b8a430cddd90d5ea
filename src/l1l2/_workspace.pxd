# The solvers' work arrays and the binding of the caller's design
# (``_workspace.pyx``).

from cython cimport floating

from ._design cimport Design


cdef void* _buffer(work, name, shape, dtype)
cdef void* _constant_buffer(work, name, shape, dtype, value)
cdef void _bind_design(
    Design* D, arrays, const floating[::1] y, const floating[::1] colsum,
    work,
)
