"""What one call of the inner-solver entry point costs inside an outer loop.

An L1-penalised logistic regression (no intercept, standardised columns) is
solved by proximal Newton steps: at each outer step the loss is replaced by
its quadratic model (weights ``p (1 - p)``, working response), and
``weighted_enet_working_set`` solves it on a working set (the support and
the features violating optimality), warm-started. The outer loop stops when
the logistic problem's own optimality conditions hold within ``1e-6``
lambda. For each lambda (a fraction of lambda_max) the table gives the
outer steps, the inner calls' median time and epochs, and the time of the
whole outer loop, against the inner calls' total.

Data: leukemia (38 x 3051, two classes) from ``L1L2_DATA`` or
``../shared/data``, and a generated 500 x 5000 problem. Run::

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src python benchmarks/bench_inner_solver.py
"""

import os
import sys
import time
from pathlib import Path

import numpy as np
from l1l2._cd_fast import Workspace, weighted_enet_working_set

FRACTIONS = (0.5, 0.2, 0.1, 0.05)


def load_cases():
    """``{name: (X, y)}`` with X F-ordered and standardised, y in {0, 1}."""
    cases = {}
    beside = Path(__file__).resolve().parents[2] / "shared" / "data"
    folder = Path(os.environ.get("L1L2_DATA", beside))
    if (folder / "leukemia.npz").exists():
        data = np.load(folder / "leukemia.npz")
        labels = np.unique(data["y"])
        cases["leukemia"] = (data["X"], (data["y"] == labels[1]).astype(float))
    else:
        print(f"leukemia: skipped ({folder / 'leukemia.npz'} is missing)")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 5000))
    w_true = np.zeros(5000)
    w_true[:20] = rng.standard_normal(20)
    y = (rng.uniform(size=500) < 1 / (1 + np.exp(-X @ w_true))).astype(float)
    cases["generated 500 x 5000"] = (X, y)
    return {name: (np.asfortranarray((X - X.mean(0)) / X.std(0)), y)
            for name, (X, y) in cases.items()}


def outer_loop(X, y, lam, max_steps=50):
    """Proximal Newton for the L1 logistic regression; returns the outer
    steps, each inner call's seconds and epochs, and the total seconds."""
    n_features = X.shape[1]
    w = np.zeros(n_features)
    workspace = Workspace()
    box = (np.ones(n_features), np.full(n_features, -np.inf),
           np.full(n_features, np.inf))
    seconds, epochs = [], []
    start = time.perf_counter()
    for step in range(1, max_steps + 1):
        p = 1 / (1 + np.exp(-X @ w))
        gradient = X.T @ (p - y)
        zero = w == 0
        violation = max(
            np.abs(-gradient[~zero] - lam * np.sign(w[~zero])).max(initial=0),
            np.maximum(np.abs(gradient[zero]) - lam, 0).max(initial=0))
        if violation < 1e-6 * lam:
            return step - 1, seconds, epochs, time.perf_counter() - start
        working_set = np.flatnonzero(~zero | (np.abs(gradient) > lam))
        weights = np.maximum(p * (1 - p), 1e-10)
        response = X @ w - (p - y) / weights
        call = time.perf_counter()
        _, n_iter = weighted_enet_working_set(
            w, X, response, weights, lam, 0.0, *box, working_set, tol=1e-10,
            max_iter=10000, workspace=workspace)
        seconds.append(time.perf_counter() - call)
        epochs.append(n_iter)
    return max_steps, seconds, epochs, time.perf_counter() - start


def main():
    print("| data | lambda / lambda_max | outer steps | inner call (median) "
          "| epochs per call (median) | inner calls total | outer loop total |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (X, y) in load_cases().items():
        lam_max = np.abs(X.T @ (y - 0.5)).max()
        for fraction in FRACTIONS:
            steps, seconds, epochs, total = outer_loop(X, y, fraction * lam_max)
            print(f"| {name} | {fraction} | {steps} | "
                  f"{1e3 * np.median(seconds):.2f} ms | {np.median(epochs):.0f} | "
                  f"{1e3 * sum(seconds):.1f} ms | {1e3 * total:.1f} ms |",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
