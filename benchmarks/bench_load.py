"""Fit times on a busy machine: quiet, beside a busy process, and nested.

The case is scikit-learn's "Lasso on dense and sparse data" example: a
200 x 5000 dense regression (``make_regression``, seed 0), ``Lasso(alpha=0.1)``.
Each scenario fits it ``--repeat`` times and reports the median, the fastest
and the slowest fit, and the median's ratio to the quiet median:

- **quiet**: nothing else runs (besides whatever the machine already runs);
- **one busy process**: a second Python process spins on one core for the
  whole scenario, as a user's other work would;
- **nested**: ``GridSearchCV(n_jobs=2)`` over ``LassoCV(n_jobs=2)`` on the
  same data, timed against the same search with ``n_jobs=1`` at both levels.

Nothing limits the BLAS threads here: the library's own defaults are what
is measured (``threadpoolctl`` reports them in the preamble). Run from the
repository root after building l1l2 in place::

    PYTHONPATH=src python benchmarks/bench_load.py            # ~1 min
    PYTHONPATH=src python benchmarks/bench_load.py --repeat 15
"""

import argparse
import os
import subprocess
import sys
import time
from contextlib import contextmanager

import numpy as np
from sklearn.datasets import make_regression
from sklearn.model_selection import GridSearchCV
from threadpoolctl import threadpool_info

import l1l2

BUSY_LOOP = "while True: pass"


@contextmanager
def busy_process():
    """A second process spinning on one core while the block runs."""
    process = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        time.sleep(0.5)  # let it start spinning
        yield
    finally:
        process.kill()
        process.wait()


def fit_times(fit, repeat):
    """Seconds of ``repeat`` calls of ``fit()``, after one untimed call."""
    fit()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fit()
        times.append(time.perf_counter() - start)
    return np.array(times)


def lasso_fit(X, y):
    """The example's fit."""
    return lambda: l1l2.Lasso(alpha=0.1).fit(X, y)


def nested_search(X, y, n_jobs):
    """GridSearchCV over LassoCV, both with ``n_jobs``."""
    search = GridSearchCV(
        l1l2.LassoCV(cv=3, alphas=30, n_jobs=n_jobs),
        {"eps": [1e-3, 1e-2]},
        cv=2,
        n_jobs=n_jobs,
    )
    return lambda: search.fit(X, y)


def row(name, times, reference):
    """A markdown row: median, min, max, and the median over ``reference``."""
    median = np.median(times)
    return (f"| {name} | {median * 1e3:.0f} ms | {times.min() * 1e3:.0f} ms | "
            f"{times.max() * 1e3:.0f} ms | {median / reference:.2f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9,
                        help="timed fits per scenario (default 9)")
    args = parser.parse_args(argv)
    X, y = make_regression(n_samples=200, n_features=5000, random_state=0)
    blas = ", ".join(f"{lib['internal_api']} {lib['version']} "
                     f"({lib['num_threads']} threads)"
                     for lib in threadpool_info() if lib["user_api"] == "blas")
    print(f"l1l2 {l1l2.__version__}; BLAS: {blas}; {os.cpu_count()} cores; "
          f"load average before: {os.getloadavg()[0]:.2f}.\n")
    print("| scenario | median | fastest | slowest | median / quiet |")
    print("|---|---:|---:|---:|---:|")
    quiet = fit_times(lasso_fit(X, y), args.repeat)
    print(row("Lasso(alpha=0.1).fit, quiet", quiet, np.median(quiet)))
    with busy_process():
        loaded = fit_times(lasso_fit(X, y), args.repeat)
    print(row("Lasso(alpha=0.1).fit, one busy process", loaded, np.median(quiet)))
    repeat = max(3, args.repeat // 3)
    sequential = fit_times(nested_search(X, y, 1), repeat)
    print(row("GridSearchCV(LassoCV), n_jobs=1 at both levels", sequential,
              np.median(sequential)))
    nested = fit_times(nested_search(X, y, 2), repeat)
    print(row("GridSearchCV(n_jobs=2) over LassoCV(n_jobs=2)", nested,
              np.median(sequential)))
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
