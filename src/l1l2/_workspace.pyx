"""The solvers' work arrays and the binding of the caller's arrays.

``Workspace`` keeps a solver's buffers from one solve to the next (a path
allocates them once); ``_bind_design`` points a ``Design`` struct
(``_design.pxd``) at the caller's design, given as a :class:`KernelDesign`.
Every solver that reads X through ``_design.pxd`` binds it here.
"""

from libc.stdint cimport int64_t
from cython cimport floating

from collections import namedtuple

import numpy as np

cimport numpy as cnp

from ._design cimport Design
from ._dual cimport _weighted_sum

cnp.import_array()


class Workspace:
    """Work arrays of the residual solver, reused from one solve to the next.

    A path hands the same workspace to each of its solves, so the solver's
    twenty-odd buffers (several of length n_features) are allocated once per
    path instead of once per alpha. A solve without one gets a fresh
    workspace. The solver keeps pointers into these arrays while it runs:
    the workspace holds them alive.
    """

    def __init__(self):
        self._arrays = {}

    def empty(self, name, shape, dtype):
        """The array called ``name``, of that shape and dtype, contents left
        from its last use."""
        dtype = np.dtype(dtype)
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        array = self._arrays.get(name)
        if array is None or array.shape != shape or array.dtype != dtype:
            array = np.empty(shape, dtype=dtype)
            self._arrays[name] = array
        return array

    def constant(self, name, shape, dtype, value):
        """Like :meth:`empty`, filled with ``value`` when allocated only: for
        arrays that every solve leaves as it found them."""
        previous = self._arrays.get(name)
        array = self.empty(name, shape, dtype)
        if array is not previous:
            array.fill(value)
        return array


cdef void* _buffer(work, name, shape, dtype):
    """Data pointer of the workspace array ``name`` (which keeps it alive).
    Arrays of size 0 give NULL."""
    cdef cnp.ndarray array = work.empty(name, shape, dtype)
    return cnp.PyArray_DATA(array) if array.size else NULL


cdef void* _constant_buffer(work, name, shape, dtype, value):
    """Like ``_buffer``, for an array filled with ``value`` when allocated
    (every solve leaves it as it found it)."""
    cdef cnp.ndarray array = work.constant(name, shape, dtype, value)
    return cnp.PyArray_DATA(array) if array.size else NULL


cdef void _bind_design(
    Design* D, arrays, const floating[::1] y, const floating[::1] colsum,
    work,
):
    """Point ``D`` at the caller's design (``arrays``, a
    :class:`KernelDesign`; its typed views check dtypes and layouts)."""
    cdef const floating[::1, :] X = arrays.X
    cdef const floating[::1] data = arrays.data
    cdef const int[::1] indices = arrays.indices
    cdef const int64_t[::1] indptr = arrays.indptr
    cdef const floating[::1] weights = arrays.sample_weight
    cdef const floating[::1] offset = arrays.offset
    dtype = np.float32 if floating is float else np.float64
    D.n_samples = y.shape[0]
    D.n_features = colsum.shape[0]
    D.is_sparse = arrays.is_sparse
    D.weighted = weights.shape[0] > 0
    D.centred = offset.shape[0] > 0
    D.values = &X[0, 0] if not D.is_sparse else (&data[0] if data.shape[0] else NULL)
    D.indices = &indices[0] if D.is_sparse and indices.shape[0] else NULL
    D.indptr = &indptr[0] if D.is_sparse else NULL
    D.weights = &weights[0] if D.weighted else _constant_buffer(
        work, "ones", D.n_samples, dtype, 1)
    D.offset = &offset[0] if D.centred else _constant_buffer(
        work, "offset", D.n_features, dtype, 0)
    D.colsum = &colsum[0] if D.n_features else NULL
    D.column_length = max(1.0, data.shape[0] / max(D.n_features, 1)
                          if D.is_sparse else D.n_samples)
    D.sum_s = (_weighted_sum(<const floating*> D.weights, <const floating*> NULL,
                             D.n_samples) if D.weighted else D.n_samples)




KernelDesign = namedtuple(
    "KernelDesign", "X data indices indptr is_sparse sample_weight offset")
KernelDesign.__doc__ = """The design as the kernels take it.

X : F-ordered ndarray of shape (n_samples, n_features), or (0, 0) for CSC
data, indices, indptr : the CSC arrays (values, int32 rows, int64 starts),
    empty for dense X
is_sparse : bool
sample_weight : ndarray of shape (n_samples,) or (0,) for all ones
offset : ndarray of shape (n_features,) or (0,) for no centring
"""
