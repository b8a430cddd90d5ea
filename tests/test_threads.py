"""The kernels' BLAS runs on one thread, and the caller's setting returns."""

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from l1l2 import Lasso, LassoCV
from l1l2._threads import (
    THREADED_FLOPS,
    _state,
    blas_threads_for,
    single_threaded_blas,
)


def blas_threads():
    return [lib["num_threads"] for lib in threadpool_info()
            if lib["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    if not blas_threads():
        pytest.skip("no BLAS library that threadpoolctl can see")
    with threadpool_limits(limits=2, user_api="blas"):
        yield blas_threads()


def test_one_thread_inside_and_the_callers_setting_after(two_blas_threads):
    with single_threaded_blas():
        assert set(blas_threads()) == {1}
        with single_threaded_blas():  # nested: still one, still limited after
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {1}
    assert blas_threads() == two_blas_threads


def test_concurrent_solves_restore_the_setting_when_the_last_leaves(
        two_blas_threads):
    # The first thread leaves while the second is still inside: the count
    # of fitting threads keeps the limit, and the last one out restores the
    # setting.
    inside, first_left = threading.Event(), threading.Event()
    depths = []

    def first():
        with single_threaded_blas():
            inside.set()
        first_left.set()

    def second():
        with single_threaded_blas():
            inside.wait()
            first_left.wait()
            depths.append(dict(_state["nesting"]))

    threads = [threading.Thread(target=second), threading.Thread(target=first)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(depths[0].values()) == [1] and not _state["nesting"]
    assert blas_threads() == two_blas_threads


def test_fits_restore_the_setting_even_when_they_fail(two_blas_threads):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 8)), rng.standard_normal(50)
    Lasso(alpha=0.1).fit(X, y)
    LassoCV(cv=3, alphas=5, n_jobs=2).fit(X, y)
    assert blas_threads() == two_blas_threads
    with pytest.raises(ValueError):
        Lasso(alpha=0.1).fit(X, y[:-1])
    assert blas_threads() == two_blas_threads


def test_a_large_product_gets_the_threads_back_when_alone(two_blas_threads):
    with single_threaded_blas():
        with blas_threads_for(THREADED_FLOPS):
            assert blas_threads() == two_blas_threads
        assert set(blas_threads()) == {1}
        with blas_threads_for(THREADED_FLOPS / 2):
            assert set(blas_threads()) == {1}
    assert blas_threads() == two_blas_threads
