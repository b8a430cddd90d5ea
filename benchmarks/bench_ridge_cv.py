"""Time RidgeCV's efficient leave-one-out, l1l2 against scikit-learn.

Cases (``cv=None``, the default leave-one-out, 50 alphas on a geometric grid
spanning 1e-6 to 10 times the largest eigenvalue of the centred ``X^T X``):

riboflavin
    71 x 4088 (p >> n), read from ``../shared/data/riboflavin.npz`` relative
    to the repository or from ``$L1L2_DATA``; skipped when absent.
tall
    A seeded dense 20000 x 100 Gaussian problem.

Each is timed unweighted and with random sample weights. The runs of the two
libraries are interleaved (alternating which goes first) so that drifts in
machine load hit both; the median of ``--repeat`` runs is reported with the
ratio sklearn / l1l2. Agreement is printed next to speed: equal ``alpha_``,
the relative difference of ``best_score_`` and of ``coef_``.

Run from the repository root after building the extension in place::

    PYTHONPATH=src python benchmarks/bench_ridge_cv.py --repeat 3
"""

import argparse
import time

import numpy as np
import sklearn
from datasets import riboflavin_file  # benchmarks/, next to this script
from sklearn.linear_model import RidgeCV as SklearnRidgeCV

import l1l2
from l1l2 import RidgeCV as L1l2RidgeCV

N_ALPHAS = 50
SOLVERS = {"sklearn": SklearnRidgeCV, "l1l2": L1l2RidgeCV}


def load_cases():
    """Yield ``(name, X, y)`` for every available case."""
    path = riboflavin_file()
    if path.exists():
        with np.load(path) as data:
            yield "riboflavin 71x4088", np.asarray(data["X"]), np.asarray(data["y"])
    else:
        print(f"(riboflavin skipped: {path} not found)")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20000, 100))
    y = X @ rng.standard_normal(100) + 10.0 * rng.standard_normal(20000)
    yield "tall 20000x100", X, y


def alpha_grid(X):
    """50 alphas from 1e-6 to 10 times the top eigenvalue of X_c^T X_c."""
    top = np.linalg.norm(X - X.mean(axis=0), ord=2) ** 2
    return np.logspace(-6, 1, N_ALPHAS) * top


def timed_fit(solver, X, y, alphas, sample_weight):
    start = time.perf_counter()
    model = SOLVERS[solver](alphas=alphas).fit(X, y, sample_weight=sample_weight)
    return time.perf_counter() - start, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"l1l2 {l1l2.__version__}, scikit-learn {sklearn.__version__}, "
          f"numpy {np.__version__}; median of {args.repeat} runs")
    print(f"{'case':<22} {'weights':<8} {'sklearn':>10} {'l1l2':>10} {'ratio':>6}"
          f"  same alpha_  best_score_ diff  coef_ diff")
    for name, X, y in load_cases():
        alphas = alpha_grid(X)
        rng = np.random.default_rng(1)
        for sample_weight in (None, rng.uniform(0.5, 2.0, X.shape[0])):
            times = {solver: [] for solver in SOLVERS}
            models = {}
            for run in range(args.repeat):
                order = list(SOLVERS) if run % 2 == 0 else list(SOLVERS)[::-1]
                for solver in order:
                    seconds, models[solver] = timed_fit(solver, X, y, alphas,
                                                        sample_weight)
                    times[solver].append(seconds)
            ours, theirs = models["l1l2"], models["sklearn"]
            median = {solver: np.median(t) for solver, t in times.items()}
            score_diff = abs(ours.best_score_ - theirs.best_score_) / abs(
                theirs.best_score_
            )
            coef_diff = np.abs(ours.coef_ - theirs.coef_).max() / np.abs(
                theirs.coef_
            ).max()
            print(f"{name:<22} {'yes' if sample_weight is not None else 'no':<8} "
                  f"{median['sklearn'] * 1e3:>8.1f}ms {median['l1l2'] * 1e3:>8.1f}ms "
                  f"{median['sklearn'] / median['l1l2']:>6.2f}  "
                  f"{str(ours.alpha_ == theirs.alpha_):<11}  {score_diff:>16.1e}  "
                  f"{coef_diff:>10.1e}")


if __name__ == "__main__":
    main()
