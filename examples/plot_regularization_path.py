"""Regularisation paths of the Lasso and the Elastic-Net on gene expression.

A regularisation path shows every coefficient as alpha decreases: at the
largest alpha all are zero, and features enter one after another. On the
riboflavin data (71 samples, 4088 genes, Bühlmann et al. 2014) the Lasso
keeps a few genes out of groups of correlated ones, while the Elastic-Net
(``l1_ratio=0.5``) lets correlated genes enter together, so its paths are
smoother and its model larger. Both alphas are chosen by 5-fold
cross-validation (``LassoCV``, ``ElasticNetCV``) and marked on the paths::

    model = LassoCV(cv=5).fit(X, y)
    RegularizationPathDisplay.from_estimator(model, X, y)

The riboflavin data are read from ``../shared/data/riboflavin.npz`` next to
the repository (or from ``$L1L2_RIBOFLAVIN``); without them the script
generates a wide correlated design of the same kind. Run with
``python examples/plot_regularization_path.py [--out DIR]``.
"""

import argparse
import os
import time
from pathlib import Path

import numpy as np

from l1l2 import ElasticNetCV, LassoCV

RIBOFLAVIN = Path(os.environ.get(
    "L1L2_RIBOFLAVIN",
    Path(__file__).resolve().parents[2] / "shared" / "data" / "riboflavin.npz"))


def load_data():
    """Riboflavin when it is there, else a generated p >> n problem."""
    if RIBOFLAVIN.is_file():
        data = np.load(RIBOFLAVIN)
        X, y = data["X"], data["y"]
        return X, y, [f"gene {j}" for j in range(X.shape[1])], "riboflavin"
    rng = np.random.default_rng(0)
    n_samples, n_features = 80, 1000
    # Blocks of 10 features sharing a latent factor: correlated groups.
    factors = rng.standard_normal((n_samples, n_features // 10))
    X = np.repeat(factors, 10, axis=1) + 0.5 * rng.standard_normal(
        (n_samples, n_features))
    true_coef = np.zeros(n_features)
    true_coef[:30] = rng.choice([-1.0, 1.0], 30) * rng.uniform(0.3, 1.0, 30)
    y = X @ true_coef + rng.standard_normal(n_samples)
    return X, y, [f"x{j}" for j in range(n_features)], "generated (80 x 1000)"


def main(out_dir="."):
    X, y, names, source = load_data()
    print(f"data: {source}, {X.shape[0]} samples, {X.shape[1]} features")
    models = {
        "Lasso": LassoCV(cv=5, alphas=60),
        "Elastic-Net (l1_ratio=0.5)": ElasticNetCV(l1_ratio=0.5, cv=5, alphas=60),
    }
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(X, y)
        print(f"{name:<28} alpha_={model.alpha_:.4g}  non-zero "
              f"{np.count_nonzero(model.coef_):4d}  "
              f"({time.perf_counter() - start:.2f} s with 5-fold CV)")

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no picture (pip install 'l1l2[plot]').")
        return
    from l1l2.plotting import RegularizationPathDisplay

    figure, axes = plt.subplots(1, 2, figsize=(14, 5), layout="constrained",
                                sharey=True)
    for ax, (name, model) in zip(axes, models.items(), strict=True):
        RegularizationPathDisplay.from_estimator(
            model, X, y, feature_names=names, ax=ax, n_labels=6)
        kept = np.count_nonzero(model.coef_)
        ax.set_title(f"{name}: {kept} features at the CV alpha")
    axes[1].set_ylabel("")
    figure.suptitle(f"Regularisation paths, {source} data")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / "regularization_path.png"
    figure.savefig(path, dpi=110)
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="directory of the picture")
    main(parser.parse_args().out)
