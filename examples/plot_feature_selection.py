"""Feature selection with the Lasso inside a scikit-learn Pipeline.

With thousands of features and a few dozen samples, a first Lasso can pick
the features and a second model fit only those. scikit-learn's
``SelectFromModel`` does the picking with any estimator that has a
``coef_``, and l1l2's Lasso drops into it unchanged::

    pipeline = Pipeline([
        ("scale", StandardScaler()),
        ("select", SelectFromModel(Lasso(alpha=0.1), threshold=1e-10)),
        ("model", Ridge(alpha=1.0)),
    ])

The selector's alpha sets how many features survive: this script lets
``GridSearchCV`` choose it by 5-fold cross-validation and draws the CV R^2
of the pipeline against that alpha, next to the number of features kept and
to Ridge on all features. On the riboflavin data (71 samples, 4088 genes;
read from ``../shared/data/riboflavin.npz`` next to the repository or from
``$L1L2_RIBOFLAVIN``, else a generated problem of the same kind) a few dozen
genes predict about as well as all of them. Run with
``python examples/plot_feature_selection.py [--out DIR]``.
"""

import argparse
import os
from pathlib import Path

import numpy as np
from sklearn.feature_selection import SelectFromModel
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from l1l2 import Lasso, Ridge, lasso_path

RIBOFLAVIN = Path(os.environ.get(
    "L1L2_RIBOFLAVIN",
    Path(__file__).resolve().parents[2] / "shared" / "data" / "riboflavin.npz"))


def load_data():
    """Riboflavin when it is there, else a generated p >> n problem."""
    if RIBOFLAVIN.is_file():
        data = np.load(RIBOFLAVIN)
        return data["X"], data["y"], "riboflavin (71 x 4088)"
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 1000))
    true_coef = np.zeros(1000)
    true_coef[:10] = rng.uniform(1.0, 2.0, 10) * rng.choice([-1, 1], 10)
    y = X @ true_coef + rng.standard_normal(100)
    return X, y, "generated (100 x 1000, 10 informative)"


def main(out_dir="."):
    X, y, source = load_data()
    print(f"data: {source}")
    folds = KFold(5, shuffle=True, random_state=0)
    pipeline = Pipeline([
        ("scale", StandardScaler()),
        # Keep every feature the Lasso did not set exactly to zero.
        ("select", SelectFromModel(Lasso(alpha=0.1), threshold=1e-10)),
        ("model", Ridge(alpha=1.0)),
    ])
    # Selector alphas from the empty model down, on the scaled data.
    Xs = StandardScaler().fit_transform(X)
    alphas, coefs, _ = lasso_path(Xs, y, alphas=12, eps=0.02, fit_intercept=True)
    alphas, coefs = alphas[1:], coefs[:, 1:]  # the first keeps nothing
    kept = np.count_nonzero(coefs, axis=0)

    search = GridSearchCV(pipeline, {"select__estimator__alpha": alphas}, cv=folds,
                          scoring="r2").fit(X, y)
    mean = search.cv_results_["mean_test_score"]
    se = search.cv_results_["std_test_score"] / np.sqrt(folds.get_n_splits())
    best_alpha = search.best_params_["select__estimator__alpha"]
    support = search.best_estimator_.named_steps["select"].get_support()
    all_features = cross_val_score(Ridge(alpha=1.0), Xs, y, cv=folds, scoring="r2")
    print(f"best selector alpha {best_alpha:.3g}: {support.sum()} of {X.shape[1]} "
          f"features kept, CV R^2 {search.best_score_:.3f}")
    print(f"Ridge on all {X.shape[1]} features: CV R^2 {all_features.mean():.3f}")
    print("kept features:", ", ".join(str(j) for j in np.flatnonzero(support)[:20]),
          "..." if support.sum() > 20 else "")

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no picture (pip install 'l1l2[plot]').")
        return
    figure, ax = plt.subplots(figsize=(9, 4.8), layout="constrained")
    ax.errorbar(alphas, mean, yerr=se, marker="o", capsize=3,
                label="Lasso selection + Ridge: CV R² (± 1 SE)")
    ax.axhline(all_features.mean(), color="tab:red", linestyle="--",
               label=f"Ridge on all {X.shape[1]} features")
    ax.axvline(best_alpha, color="black", linestyle=":",
               label=f"best selector alpha = {best_alpha:.3g}")
    ax.set_xscale("log")
    ax.invert_xaxis()  # as in l1l2.plotting: weaker regularisation to the right
    ax.set_xlabel("alpha of the selecting Lasso (log scale; decreasing to the "
                  "right: more features kept)")
    ax.set_ylabel("cross-validated R²")
    counts = ax.twinx()
    counts.plot(alphas, kept, color="0.5", marker=".", linewidth=1,
                label="features kept (right axis)")
    counts.set_ylabel("features kept by the Lasso")
    handles = ax.get_legend_handles_labels()
    more = counts.get_legend_handles_labels()
    ax.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left",
              bbox_to_anchor=(1.12, 1.0), borderaxespad=0, fontsize="small")
    ax.set_title(f"SelectFromModel(Lasso) then Ridge, in a Pipeline\n{source} data")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / "feature_selection.png"
    figure.savefig(path, dpi=110)
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="directory of the picture")
    main(parser.parse_args().out)
