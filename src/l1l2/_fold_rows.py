"""The rows each cross-validation fold copies, into memory reused across folds.

Every fold copies its training rows (the paths' kernels need them
contiguous) and its test rows. On a tall X these are tens of megabytes, and
a fresh array of that size is new memory from the operating system each
time: its pages are zeroed on first touch, which on a virtual machine can
cost more than the copy itself (``benchmarks/RESULTS.md``). :class:`FoldRows`
keeps one buffer per name and thread for the whole cross-validation, and
the folds a thread runs one after another write into the same memory.
"""

import threading

import numpy as np
from scipy import sparse


class FoldRows:
    """Per-thread buffers for the rows of dense folds.

    The arrays returned stay valid until the same thread asks for the same
    name again: a fold uses them and returns before its thread starts the
    next one.
    """

    def __init__(self):
        self._local = threading.local()

    def __reduce__(self):
        # Folds sent to other processes (joblib's process or dask
        # backends) start with buffers of their own.
        return (FoldRows, ())

    def _buffer(self, name, size, dtype):
        """A 1-D array of at least ``size`` values of ``dtype``, this
        thread's for ``name``."""
        buffers = self._local.__dict__.setdefault("buffers", {})
        buffer = buffers.get(name)
        if buffer is None or buffer.size < size or buffer.dtype != dtype:
            buffer = buffers[name] = np.empty(size, dtype=dtype)
        return buffer[:size]

    def training(self, X, rows):
        """Rows of X in the layout the path will use (F-ordered, C-ordered
        or CSC).

        A C-ordered X keeps its order when the rows are a tall problem
        (``n_rows > 2 n_features``, where covariance mode reads X only
        through BLAS products): gathering C-ordered rows is a plain copy.
        Otherwise the rows go to Fortran order for the coordinate-descent
        kernels, taken from the transposed (C-ordered) view of X so that
        they land there directly. Sparse X arrives as CSR, which slices
        rows cheaply, and is converted to CSC.
        """
        if sparse.issparse(X):
            return X[rows].tocsc()
        n_rows, n_features = len(rows), X.shape[1]
        flat = self._buffer("training", n_rows * n_features, X.dtype)
        if X.flags.c_contiguous and n_rows > 2 * n_features:
            return np.take(X, rows, axis=0, out=flat.reshape(n_rows, n_features),
                           mode="clip")
        transposed = flat.reshape(n_features, n_rows)
        return np.take(X.T, rows, axis=1, out=transposed, mode="clip").T

    def test(self, X, rows):
        """``X[rows]``, C-ordered (CSR for sparse X)."""
        if sparse.issparse(X):
            return X[rows]
        n_rows, n_features = len(rows), X.shape[1]
        flat = self._buffer("test", n_rows * n_features, X.dtype)
        return np.take(X, rows, axis=0, out=flat.reshape(n_rows, n_features),
                       mode="clip")

    def predictions(self, X_test, coefs):
        """``X_test @ coefs`` in float64: one row per test row, one column
        per alpha."""
        n_rows, n_alphas = X_test.shape[0], coefs.shape[1]
        out = self._buffer("predictions", n_rows * n_alphas, np.float64)
        out = out.reshape(n_rows, n_alphas)
        if sparse.issparse(X_test) or X_test.dtype != np.float64:
            out[...] = X_test @ coefs
            return out
        return np.matmul(X_test, np.asarray(coefs, dtype=np.float64), out=out)
