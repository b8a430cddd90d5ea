# Fused float/double wrappers of the BLAS level-1 routines the kernel needs.
# This is the only place where BLAS is named; see _blas.pyx.
from cython cimport floating

cdef floating _dot(int n, const floating* x, int incx,
                   const floating* y, int incy) noexcept nogil

cdef void _axpy(int n, floating alpha, const floating* x, int incx,
                floating* y, int incy) noexcept nogil

cdef bint _cholesky_solve(double* M, double* z, int k) noexcept nogil

cdef int _cholesky_factor(double* M, int k, int stride) noexcept nogil

cdef bint _factored_solve(const double* factor, double* z, int k,
                          int stride) noexcept nogil
