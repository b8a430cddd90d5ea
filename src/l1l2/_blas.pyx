"""Fused float32/float64 wrappers of scipy's BLAS for the kernel.

The kernel calls ``_dot`` and ``_axpy`` with C pointers and never needs to
know which precision it works in; these wrappers pick ``sdot``/``ddot`` and
``saxpy``/``daxpy`` at compile time.
"""
from scipy.linalg.cython_blas cimport ddot, sdot, daxpy, saxpy


cdef floating _dot(int n, const floating* x, int incx,
                   const floating* y, int incy) noexcept nogil:
    """Return x.y for vectors of length n with strides incx, incy."""
    if floating is float:
        return sdot(&n, <float*> x, &incx, <float*> y, &incy)
    else:
        return ddot(&n, <double*> x, &incx, <double*> y, &incy)


cdef void _axpy(int n, floating alpha, const floating* x, int incx,
                floating* y, int incy) noexcept nogil:
    """Set y <- y + alpha * x for vectors of length n."""
    if floating is float:
        saxpy(&n, &alpha, <float*> x, &incx, y, &incy)
    else:
        daxpy(&n, &alpha, <double*> x, &incx, y, &incy)
