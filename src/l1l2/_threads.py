"""One BLAS thread while l1l2 fits, except for products that pay for more.

A fit calls BLAS for level-1 operations on one column (a dot product, an
axpy), for the exact step's small matrices and for ``X^T y``: products far
too small to pay for waking threads. With OpenBLAS's default of one thread
per core, each such call still hands work to threads that then spin
waiting for more, and on a machine where another process (or another fit,
in a grid search or in cross-validation's fold threads) keeps the cores
busy those threads fight it for them: a fit then takes several times
longer, and the slowest calls far more (``benchmarks/bench_load.py``
measures it).

:func:`single_threaded_blas` limits every BLAS library the process has
loaded to one thread for as long as any fit runs in any thread; the last
one out restores the caller's setting. Inside it, :func:`blas_threads_for`
gives a single product the caller's threads back when it is large enough
(``THREADED_FLOPS``) and no other thread is fitting: a Gram matrix of a
tall X is the one such product. threadpoolctl comes with scikit-learn.
"""

import functools
import threading
from contextlib import contextmanager

# Floating-point operations from which a product gets the caller's BLAS
# threads: about 30 ms on one core, where waking threads costs well under 1 %.
THREADED_FLOPS = 1e8

_lock = threading.Lock()
_state = {"nesting": {}, "limiter": None, "controller": None}


def _blas_controller():
    """threadpoolctl's controller of the loaded BLAS libraries, made once
    (it inspects every loaded library: milliseconds)."""
    if _state["controller"] is None:
        from threadpoolctl import ThreadpoolController

        _state["controller"] = ThreadpoolController().select(user_api="blas")
    return _state["controller"]


@contextmanager
def single_threaded_blas():
    """Run the block with BLAS on one thread; reentrant and thread-safe.

    The first thread to enter sets the limit and the last to leave restores
    the previous setting; nested entries in between cost a lock.
    """
    me = threading.get_ident()
    with _lock:
        nesting = _state["nesting"]
        if not nesting:
            _state["limiter"] = _blas_controller().limit(limits=1)
        nesting[me] = nesting.get(me, 0) + 1
    try:
        yield
    finally:
        with _lock:
            nesting[me] -= 1
            if nesting[me] == 0:
                del nesting[me]
            if not nesting:
                _state["limiter"].restore_original_limits()
                _state["limiter"] = None


@contextmanager
def blas_threads_for(flops):
    """Inside :func:`single_threaded_blas`, lift the limit for one product
    of ``flops`` floating-point operations when that is at least
    ``THREADED_FLOPS`` and this thread is the only one fitting (fold
    threads already share the cores); otherwise change nothing."""
    me = threading.get_ident()
    with _lock:
        lift = flops >= THREADED_FLOPS and list(_state["nesting"]) == [me]
        if lift:
            _state["limiter"].restore_original_limits()
    try:
        yield
    finally:
        if lift:
            with _lock:
                _state["limiter"] = _blas_controller().limit(limits=1)


def fits_single_threaded(function):
    """Decorate a fit or a path: its whole body runs inside
    :func:`single_threaded_blas`."""

    @functools.wraps(function)
    def single_threaded(*args, **kwargs):
        with single_threaded_blas():
            return function(*args, **kwargs)

    return single_threaded
