"""Time LassoCV, l1l2 against scikit-learn, on the same folds.

For each data set (riboflavin, 71 x 4088, found as in bench_single_fit.py;
diabetes, 442 x 10) both libraries run ``LassoCV(cv=KFold(5, shuffle=True,
random_state=0), alphas=100, tol=TOL)`` on the same data, interleaved
(alternating which goes first) so that drifts in machine load hit both. The
median of ``--repeat`` runs is reported with the ratio of the medians, next to
what the two selected (``alpha_``), the largest relative difference of their
``mse_path_`` and the number of ConvergenceWarnings each raised per fit.

Run from the repository root after building the extension in place::

    PYTHONPATH=src python benchmarks/bench_cv.py --repeat 3 --tol 1e-6
"""

import argparse
import time
import warnings

import numpy as np
from bench_single_fit import load_case  # benchmarks/, next to this script
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LassoCV as SklearnLassoCV
from sklearn.model_selection import KFold

from l1l2 import LassoCV as L1l2LassoCV

SOLVERS = {"sklearn": SklearnLassoCV, "l1l2": L1l2LassoCV}


def timed_fit(estimator_class, X, y, tol, n_jobs):
    """Fit once; return (model, seconds, ConvergenceWarnings raised)."""
    model = estimator_class(cv=KFold(5, shuffle=True, random_state=0), alphas=100,
                            tol=tol, n_jobs=n_jobs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X, y)
        seconds = time.perf_counter() - start
    n_warnings = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    return model, seconds, n_warnings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--cases", nargs="+", default=["riboflavin", "diabetes"])
    args = parser.parse_args()

    print(f"LassoCV, 5 folds x 100 alphas, tol={args.tol:g}, n_jobs={args.n_jobs}, "
          f"median of {args.repeat}")
    print("| case | l1l2 | scikit-learn | ratio | alpha_ equal | max rel. "
          "mse_path_ diff | warnings l1l2 / sklearn |")
    print("|---|---:|---:|---:|---|---:|---|")
    for name in args.cases:
        X, y, note = load_case(name)
        if X is None:
            print(f"| {name} | skipped: {note} |")
            continue
        X = np.asfortranarray(X)
        times = {solver: [] for solver in SOLVERS}
        models, n_warnings = {}, {}
        for run in range(args.repeat):
            order = list(SOLVERS) if run % 2 == 0 else list(SOLVERS)[::-1]
            for solver in order:
                model, seconds, count = timed_fit(SOLVERS[solver], X, y, args.tol,
                                                  args.n_jobs)
                times[solver].append(seconds)
                models[solver], n_warnings[solver] = model, count
        ours, theirs = models["l1l2"], models["sklearn"]
        median = {solver: float(np.median(t)) for solver, t in times.items()}
        difference = np.max(np.abs(ours.mse_path_ / theirs.mse_path_ - 1))
        print(f"| {name} | {median['l1l2']:.3f} s | {median['sklearn']:.3f} s | "
              f"{median['sklearn'] / median['l1l2']:.1f}x | "
              f"{ours.alpha_ == theirs.alpha_} | {difference:.2e} | "
              f"{n_warnings['l1l2']} / {n_warnings['sklearn']} |")


if __name__ == "__main__":
    main()
