"""numpy's default C order against Fortran order, on a tall dense problem.

A 50000 x 100 float64 design (seed 0, ten true features) in C order and a
Fortran-ordered copy of it (made before timing). Each call runs ``--repeat``
times on l1l2 with C order, l1l2 with Fortran order and scikit-learn with
C order, in turn, after one untimed round; the table shows the medians and
the ratios C / F (l1l2) and l1l2 / scikit-learn (both C).

Run from the repository root after building l1l2 in place::

    PYTHONPATH=src python benchmarks/bench_c_order.py            # ~1 min
"""

import argparse
import time
import warnings

import numpy as np
import sklearn.linear_model as sk

import l1l2

CALLS = {
    "lasso_path": lambda lib, X, y: lib.lasso_path(X, y),
    "Lasso(alpha=0.01).fit": lambda lib, X, y: lib.Lasso(alpha=0.01).fit(X, y),
    "LassoCV(cv=5).fit": lambda lib, X, y: lib.LassoCV(cv=5).fit(X, y),
}


def tall_problem():
    """The design in C order, its Fortran-ordered copy, and the target."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50000, 100))
    coef = np.zeros(100)
    coef[:10] = 1.0
    return X, np.asfortranarray(X), X @ coef + rng.standard_normal(50000)


def medians(call, runs, y, repeat):
    """Median seconds of ``call`` for each ``(library, X)`` of ``runs``,
    alternating between them."""
    for library, X in runs:
        call(library, X, y)
    times = [[] for _ in runs]
    for _ in range(repeat):
        for k, (library, X) in enumerate(runs):
            start = time.perf_counter()
            call(library, X, y)
            times[k].append(time.perf_counter() - start)
    return [float(np.median(t)) for t in times]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    X_c, X_f, y = tall_problem()
    runs = [(l1l2, X_c), (l1l2, X_f), (sk, X_c)]
    print("| call | l1l2, C order | l1l2, F order | scikit-learn, C order | "
          "l1l2 C / F | l1l2 C / scikit-learn C |")
    print("|---|---:|---:|---:|---:|---:|")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, call in CALLS.items():
            c, f, s = (1e3 * t for t in medians(call, runs, y, args.repeat))
            print(f"| `{name}` | {c:.0f} ms | {f:.0f} ms | {s:.0f} ms | "
                  f"{c / f:.2f} | {c / s:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
