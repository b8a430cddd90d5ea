"""L1 selects, L2 shrinks: the Lasso, Ridge and the Elastic-Net on
correlated features.

Take three groups of three strongly correlated features (correlation about
0.98), two of which act on the target through all three of their members,
and eight unrelated features. The three penalties answer differently:

- the Lasso (L1) is sparse: within a group it tends to keep some members
  and set the others exactly to zero, and *which* ones it keeps changes
  from one sample of the data to the next;
- Ridge (L2) shrinks: it keeps every feature, spreads each group's effect
  evenly over its members, and never sets anything to zero;
- the Elastic-Net (here ``l1_ratio=0.5``) does both: it sets coefficients
  to zero but keeps correlated members together (the grouping effect of
  Zou & Hastie, 2005), so its selection of them is stable.

Each model's alpha is chosen by cross-validation, which aims at prediction,
not at recovering the support: both sparse models also let a few unrelated
features in. The picture shows the coefficients next to the truth, and how
often each feature is selected over 50 bootstrap resamples: the stability
of the selection. Run with ``python examples/plot_l1_vs_l2.py [--out DIR]``.
"""

import argparse
from pathlib import Path

import numpy as np

from l1l2 import ElasticNet, ElasticNetCV, Lasso, LassoCV, RidgeCV

GROUPS = 3
GROUP_SIZE = 3
N_NOISE = 8


def make_problem(n_samples=80, correlation=0.98, seed=2):
    """Correlated groups around latent factors, plus unrelated features."""
    rng = np.random.default_rng(seed)
    factors = rng.standard_normal((n_samples, GROUPS))
    spread = np.sqrt(1 / correlation - 1)
    grouped = np.repeat(factors, GROUP_SIZE, axis=1) + spread * rng.standard_normal(
        (n_samples, GROUPS * GROUP_SIZE))
    X = np.hstack([grouped, rng.standard_normal((n_samples, N_NOISE))])
    names = [f"g{g + 1}.{m + 1}" for g in range(GROUPS) for m in range(GROUP_SIZE)]
    names += [f"noise {k + 1}" for k in range(N_NOISE)]
    true_coef = np.zeros(X.shape[1])
    true_coef[:GROUP_SIZE] = 1.0  # group 1 acts through all its members
    true_coef[GROUP_SIZE:2 * GROUP_SIZE] = -0.7  # so does group 2; group 3 is idle
    y = X @ true_coef + 1.5 * rng.standard_normal(n_samples)
    return X, y, true_coef, names


def selection_frequency(model, X, y, n_resamples=50, seed=0):
    """How often each coefficient is non-zero over bootstrap resamples."""
    rng = np.random.default_rng(seed)
    selected = np.zeros(X.shape[1])
    for _ in range(n_resamples):
        rows = rng.integers(0, len(y), len(y))
        selected += model.fit(X[rows], y[rows]).coef_ != 0
    return selected / n_resamples


def main(out_dir="."):
    X, y, true_coef, names = make_problem()
    lasso = LassoCV(cv=5).fit(X, y)
    enet = ElasticNetCV(l1_ratio=0.5, cv=5).fit(X, y)
    ridge = RidgeCV(alphas=np.geomspace(1e-2, 1e3, 40)).fit(X, y)
    coefs = {"truth": true_coef, "Lasso": lasso.coef_,
             "Elastic-Net (l1_ratio=0.5)": enet.coef_, "Ridge": ridge.coef_}
    for name, coef in coefs.items():
        groups = ", ".join(
            f"g{g + 1} {np.count_nonzero(coef[g * GROUP_SIZE:(g + 1) * GROUP_SIZE])}/3"
            for g in range(GROUPS))
        print(f"{name:<27} non-zero {np.count_nonzero(coef):2d} of {len(coef)} "
              f"({groups}, noise {np.count_nonzero(coef[-N_NOISE:])}/{N_NOISE})")

    frequency = {
        "Lasso": selection_frequency(Lasso(alpha=lasso.alpha_), X, y),
        "Elastic-Net (l1_ratio=0.5)": selection_frequency(
            ElasticNet(alpha=enet.alpha_, l1_ratio=0.5), X, y),
    }
    for name, freq in frequency.items():
        members = freq[:2 * GROUP_SIZE]
        print(f"{name:<27} members of the active groups selected in "
              f"{100 * members.mean():.0f}% of 50 resamples (least: "
              f"{100 * members.min():.0f}%)")

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no picture (pip install 'l1l2[plot]').")
        return
    from l1l2.plotting import CoefficientComparisonDisplay

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8), layout="constrained")
    # Colours follow the legend order: truth C0, Lasso C1, Elastic-Net C2.
    CoefficientComparisonDisplay(coefs=coefs, feature_names=names).plot(ax=top)
    top.set_title("Coefficients at the cross-validated alpha: L1 picks members of "
                  "a group, L2 spreads the effect over all of them")
    for k, (name, freq) in enumerate(frequency.items()):
        offset = (k - 0.5) * 0.4
        bottom.bar(np.arange(len(names)) + offset, freq, width=0.4, label=name,
                   color=f"C{k + 1}")
    bottom.set_xticks(np.arange(len(names)), names, rotation=60, ha="right",
                      rotation_mode="anchor")
    bottom.set_xlim(-0.6, len(names) - 0.4)
    bottom.set_ylim(0, 1.05)
    bottom.set_ylabel("fraction of resamples selected")
    bottom.set_xlabel("feature")
    bottom.set_title("Selection stability over 50 bootstrap resamples "
                     "(Ridge keeps everything: always 1)")
    bottom.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
                  fontsize="small")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / "l1_vs_l2.png"
    figure.savefig(path, dpi=110)
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="directory of the picture")
    main(parser.parse_args().out)
