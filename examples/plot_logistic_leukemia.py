"""Sparse logistic regression on leukemia: the genes an L1 path picks.

The leukemia data (Golub et al. 1999: 38 patients, 3051 genes, acute
lymphoblastic against acute myeloid leukemia) have far more genes than
patients: an unpenalised classifier separates them perfectly with any set
of 38 genes. The L1 penalty keeps a handful. ``logistic_path`` computes the
coefficients at 100 alphas (``alpha = 1 / (n C)``) in one warm-started
sweep, and ``LogisticRegressionCV`` chooses C by cross-validated log-loss::

    alphas, coefs, intercepts, gaps = logistic_path(X, y, eps=1e-2)
    model = LogisticRegressionCV(Cs=..., l1_ratios=(1.0,), cv=5,
                                 scoring="neg_log_loss").fit(X, y)

The script prints the genes the chosen model keeps and saves the path and
the CV curve. The data are read from ``../shared/data/leukemia.npz`` next
to the repository (or ``$L1L2_LEUKEMIA``); without them it generates a
problem of the same shape. Run with
``python examples/plot_logistic_leukemia.py [--out DIR]``.
"""

import argparse
import os
import warnings
from pathlib import Path

import numpy as np

from l1l2 import LogisticRegressionCV, logistic_path

LEUKEMIA = Path(os.environ.get(
    "L1L2_LEUKEMIA",
    Path(__file__).resolve().parents[2] / "shared" / "data" / "leukemia.npz"))


def load_data():
    """Leukemia, standardised, when it is there; else a generated 38 x 3051
    problem with 5 informative genes."""
    if LEUKEMIA.is_file():
        data = np.load(LEUKEMIA)
        X, y, name = data["X"], data["y"], "leukemia"
    else:
        rng = np.random.default_rng(0)
        X = rng.standard_normal((38, 3051))
        y = np.where(X[:, :5].sum(axis=1) + rng.standard_normal(38) > 0, 2, 1)
        name = "generated (leukemia.npz not found)"
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y, name


def main(out_dir):
    X, y, name = load_data()
    n = X.shape[0]
    alphas, coefs, _, gaps = logistic_path(X, y, eps=1e-2, tol=1e-8)
    print(f"{name}: {X.shape[0]} samples, {X.shape[1]} genes; the path's largest "
          f"duality gap is {gaps.max():.1e}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the smallest Cs warn of slow convergence
        model = LogisticRegressionCV(
            Cs=1.0 / (n * alphas), l1_ratios=(1.0,), cv=5, scoring="neg_log_loss",
            use_legacy_attributes=False).fit(X, y)
    kept = np.flatnonzero(model.coef_[0])
    print(f"LogisticRegressionCV chose C = {model.C_:.3g} "
          f"(alpha = {1 / (n * model.C_):.3g}) and keeps {kept.size} genes:")
    for j in kept[np.argsort(-np.abs(model.coef_[0, kept]))]:
        print(f"  gene {j:4d}  coefficient {model.coef_[0, j]:+.3f}")
    draw(alphas, coefs, model, n, Path(out_dir))


def draw(alphas, coefs, model, n, out_dir):
    """The path, each gene's coefficient against alpha, and the CV curve."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no picture (pip install 'l1l2[plot]').")
        return
    chosen = 1.0 / (n * model.C_)
    fig, (path_ax, cv_ax) = plt.subplots(1, 2, figsize=(12, 4.5))
    for j in np.flatnonzero(np.any(coefs != 0, axis=1)):
        path_ax.plot(alphas, coefs[j], linewidth=1)
    path_ax.set_title("L1 logistic path: one line per gene that enters")
    cv_alphas = 1.0 / (n * model.Cs_)
    scores = -model.scores_[:, 0, :]  # log-loss per fold and C
    mean = scores.mean(axis=0)
    spread = scores.std(axis=0, ddof=1) / np.sqrt(scores.shape[0])
    cv_ax.plot(cv_alphas, mean, color="black", linewidth=1.2, label="mean")
    cv_ax.fill_between(cv_alphas, mean - spread, mean + spread, color="0.85",
                       label="one standard error")
    cv_ax.set_title("5-fold CV log-loss (mean and its standard error)")
    cv_ax.set_ylabel("log-loss")
    for ax in (path_ax, cv_ax):
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.axvline(chosen, color="tab:red", linestyle="--",
                   label=f"chosen alpha = {chosen:.3g}")
        ax.set_xlabel("alpha = 1 / (n C)  (stronger penalty to the left)")
        ax.legend(loc="best")
    path_ax.set_ylabel("coefficient")
    fig.tight_layout()
    path = out_dir / "logistic_leukemia.png"
    fig.savefig(path, dpi=120)
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="directory for the picture")
    main(parser.parse_args().out)
