"""Accuracy at equal ``tol``: l1l2 against scikit-learn on whole paths.

Both libraries solve the same path (the same alphas, no intercept, the
centred benchmark cases of ``datasets.py`` plus two Elastic-Net paths) at
the same ``tol``. Each answer is compared with the exact path: l1l2's path
at tol 1e-13, whose duality gaps certify it. The table gives, per library:

- ``worst subopt``: the largest ``(P(w) - P*) / P*`` over the alphas, where
  P is the objective and ``P*`` the exact path's objective (the best of
  the three when a path is even lower);
- ``wrong support``: the number of (feature, alpha) pairs whose zero /
  non-zero status differs from the exact path's, twice: a coefficient
  counts as non-zero when it is above 1e-10 times the largest coefficient
  of its alpha (so that rounding noise in the exact path is not counted),
  and, in ``at tol/10``, above tol/10 of it: the step l1l2's stopping rule
  resolves (scikit-learn's resolves tol), below which which side of 0 a
  coefficient lands is rounding for either rule;
- ``max coef error``: the largest ``|w - w*|`` relative to ``max |w*|``.

Usage::

    python benchmarks/bench_accuracy.py [--cases ...] [--tols 1e-4 1e-6]
"""

import argparse
import time

import numpy as np
import sklearn.linear_model as sk
from datasets import CASES, centred, make_case
from sklearn.datasets import load_diabetes
from threadpoolctl import threadpool_limits

import l1l2

EXACT_TOL = 1e-13
SUPPORT_THRESHOLD = 1e-10
# name: (loader of (X, y, eps), l1_ratio)
ENET_CASES = {
    "diabetes-enet": ("diabetes", 0.7),
    "riboflavin-enet": ("riboflavin", 0.5),
}


def enet_case(name):
    """The Elastic-Net path cases: (X, y, eps, l1_ratio)."""
    data, l1_ratio = ENET_CASES[name]
    if data == "diabetes":
        X, y = centred(*load_diabetes(return_X_y=True))
        return X, y, 1e-3, l1_ratio
    case = make_case(data)
    return case.X, case.y, 1e-2, l1_ratio


def load(name):
    """(X, y, alphas, l1_ratio) of a case."""
    if name in ENET_CASES:
        X, y, eps, l1_ratio = enet_case(name)
    else:
        case = make_case(name)
        X, y, eps, l1_ratio = case.X, case.y, case.eps, 1.0
    alpha_max = np.max(np.abs(X.T @ y)) / (X.shape[0] * l1_ratio)
    return X, y, np.geomspace(alpha_max, eps * alpha_max, 100), l1_ratio


def objective(X, y, alphas, coefs, l1_ratio):
    """Elastic-Net objective of every path point."""
    residuals = y[:, None] - np.asarray(X @ coefs)
    penalty = l1_ratio * np.abs(coefs).sum(axis=0) + (1 - l1_ratio) / 2 * (
        coefs**2
    ).sum(axis=0)
    return (residuals**2).sum(axis=0) / (2 * X.shape[0]) + alphas * penalty


def support(coefs, threshold=SUPPORT_THRESHOLD):
    """Non-zero pattern, ignoring entries below ``threshold`` times the
    largest coefficient of their alpha."""
    scale = np.abs(coefs).max(axis=0, keepdims=True)
    return np.abs(coefs) > threshold * np.where(scale > 0, scale, 1)


def wrong_support(coefs, exact, threshold=SUPPORT_THRESHOLD):
    """Number of (feature, alpha) pairs whose zero / non-zero status differs."""
    return int((support(coefs, threshold) != support(exact, threshold)).sum())


def solve(library, X, y, alphas, l1_ratio, tol):
    """One library's path and its time in seconds."""
    path = l1l2.enet_path if library == "l1l2" else sk.enet_path
    start = time.perf_counter()
    _, coefs, _ = path(
        X, y, l1_ratio=l1_ratio, alphas=alphas, tol=tol, max_iter=100_000
    )
    return coefs, time.perf_counter() - start


def compare(name, tols):
    """Rows of the table for one case."""
    X, y, alphas, l1_ratio = load(name)
    exact, _ = solve("l1l2", X, y, alphas, l1_ratio, EXACT_TOL)
    answers = {
        (library, tol): solve(library, X, y, alphas, l1_ratio, tol)
        for tol in tols
        for library in ("l1l2", "sklearn")
    }
    primal = {
        key: objective(X, y, alphas, c, l1_ratio) for key, (c, _) in answers.items()
    }
    best = np.min([objective(X, y, alphas, exact, l1_ratio), *primal.values()], axis=0)
    rows = []
    for (library, tol), (coefs, seconds) in answers.items():
        scale = np.abs(exact).max(axis=0)
        error = np.abs(coefs - exact).max(axis=0) / np.where(scale > 0, scale, 1)
        rows.append(
            (
                name,
                f"{tol:.0e}",
                library,
                f"{np.max((primal[library, tol] - best) / best):.1e}",
                str(wrong_support(coefs, exact)),
                str(wrong_support(coefs, exact, float(tol) / 10)),
                f"{error.max():.1e}",
                f"{seconds:.3g}",
            )
        )
    return rows


def print_table(rows):
    """Markdown table of all rows."""
    header = (
        "case",
        "tol",
        "library",
        "worst subopt",
        "wrong support",
        "at tol/10",
        "max coef error",
        "seconds",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    names = [*CASES, *ENET_CASES]
    parser.add_argument("--cases", nargs="+", default=names, choices=names)
    parser.add_argument("--tols", nargs="+", type=float, default=[1e-4, 1e-6])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    rows = []
    with threadpool_limits(args.threads):
        for name in args.cases:
            rows.extend(compare(name, args.tols))
    print_table(rows)


if __name__ == "__main__":
    main()
