"""Fused float32/float64 wrappers of scipy's BLAS and LAPACK for the kernel.

The kernel calls ``_dot`` and ``_axpy`` with C pointers and never needs to
know which precision it works in; these wrappers pick ``sdot``/``ddot`` and
``saxpy``/``daxpy`` at compile time. ``_cholesky_solve`` solves the exact
step's small symmetric systems with LAPACK's blocked Cholesky
(``_cholesky_factor`` also tells which column is dependent when it fails).
"""
from scipy.linalg.cython_blas cimport ddot, sdot, daxpy, saxpy
from scipy.linalg.cython_lapack cimport dpotrf, dpotrs


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


cdef bint _cholesky_solve(double* M, double* z, int k) noexcept nogil:
    """Solve M z = z in place for a symmetric positive definite k x k M.

    M is overwritten by its Cholesky factor (row or column major alike, M
    being symmetric). Returns False, leaving z unchanged, when M is not
    numerically positive definite.
    """
    if _cholesky_factor(M, k, k) != 0:
        return False
    return _factored_solve(M, z, k, k)


cdef int _cholesky_factor(double* M, int k, int stride) noexcept nogil:
    """Factor the symmetric k x k matrix whose column j starts at
    ``M + j * stride``, in place.

    Only the triangle of the entries at ``M[i + j * stride]`` with i >= j is
    read and overwritten (the diagonal with it): the other keeps its values.
    Returns 0, or the order i of the first leading minor that is not
    numerically positive definite; column i - 1 (from 0) then depends on
    the columns before it.
    """
    cdef char lower = b"L"
    cdef int info = 0
    if k == 0:
        return 0
    dpotrf(&lower, &k, M, &stride, &info)
    return info


cdef bint _factored_solve(const double* factor, double* z, int k,
                          int stride) noexcept nogil:
    """Solve M z = z in place with the factor from ``_cholesky_factor``."""
    cdef char lower = b"L"
    cdef int info = 0, one = 1
    if k == 0:
        return True
    dpotrs(&lower, &k, &one, <double*> factor, &stride, z, &k, &info)
    return info == 0
