"""The bias-variance trade-off, measured: training, CV and test error.

Regularisation trades bias for variance. With a large alpha the model is
too simple: it misses real effects, and both its training and its test
errors are high (under-fitting, high bias). With a small alpha it follows
the noise of its training set: its training error keeps falling while its
error on new data rises again (over-fitting, high variance). In between,
the test error is lowest.

This script makes that real on a problem with 60 training samples, 50
features of which 8 matter, and 2000 held-out test samples. For the Lasso
(``LassoCV``) and for Ridge (``RidgeCV`` with its efficient leave-one-out),
it draws against alpha the training error, the cross-validated error (what
a user can see) and the test error (what matters, unseen in practice), and
prints how close the CV choices (``alpha_min_`` and the sparser
``alpha_1se_``) come to the best test error. The CV error is itself an
estimate from 60 samples: change the seed and it can miss by more, which
is what its standard-error band warns about::

    model = LassoCV(cv=5).fit(X_train, y_train)
    CVCurveDisplay.from_estimator(model, X_train, y_train, train_error=True)

Run with ``python examples/plot_bias_variance.py [--out DIR]``.
"""

import argparse
from pathlib import Path

import numpy as np

from l1l2 import LassoCV, Ridge, RidgeCV, lasso_path


def make_problem(n_train=60, n_test=2000, n_features=50, n_informative=8,
                 noise=2.0, seed=2):
    """Correlated Gaussian features, a sparse truth, and a big test set."""
    rng = np.random.default_rng(seed)
    covariance = 0.5 ** np.abs(np.subtract.outer(np.arange(n_features),
                                                 np.arange(n_features)))
    X = rng.multivariate_normal(np.zeros(n_features), covariance,
                                size=n_train + n_test)
    true_coef = np.zeros(n_features)
    true_coef[rng.choice(n_features, n_informative, replace=False)] = (
        rng.choice([-1, 1], n_informative) * rng.uniform(1, 2, n_informative))
    y = X @ true_coef + noise * rng.standard_normal(n_train + n_test)
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]


def mse(y, prediction):
    return float(np.mean((y - prediction) ** 2))


def lasso_test_errors(X_train, y_train, X_test, y_test, alphas):
    """Test error of the Lasso fitted on the training set at each alpha."""
    alphas, coefs, _ = lasso_path(X_train, y_train, alphas=alphas,
                                  fit_intercept=True)
    intercepts = y_train.mean() - X_train.mean(axis=0) @ coefs
    errors = np.mean((y_test[:, None] - X_test @ coefs - intercepts) ** 2, axis=0)
    return alphas, errors


def ridge_test_errors(X_train, y_train, X_test, y_test, alphas):
    """Test error of Ridge fitted on the training set at each alpha."""
    return alphas, np.array([
        mse(y_test, Ridge(alpha=a).fit(X_train, y_train).predict(X_test))
        for a in alphas])


def report(name, model, alphas, test_errors, X_test, y_test):
    """Test error at the CV choices against the best possible on the grid."""
    best = int(np.argmin(test_errors))
    print(f"{name}: best test MSE {test_errors[best]:.3f} at alpha "
          f"{alphas[best]:.3g}; CV choice alpha_={model.alpha_:.3g} gives test "
          f"MSE {mse(y_test, model.predict(X_test)):.3f}")


def main(out_dir="."):
    X_train, X_test, y_train, y_test = make_problem()
    print(f"{len(y_train)} training and {len(y_test)} test samples, "
          f"{X_train.shape[1]} features")

    lasso = LassoCV(cv=5, alphas=50).fit(X_train, y_train)
    lasso_alphas, lasso_test = lasso_test_errors(X_train, y_train, X_test, y_test,
                                                 lasso.alphas_)
    report("Lasso", lasso, lasso_alphas, lasso_test, X_test, y_test)
    sparse = LassoCV(cv=5, alphas=50, selection_rule="1se").fit(X_train, y_train)
    print(f"  1-SE rule: alpha_1se_={sparse.alpha_:.3g}, "
          f"{np.count_nonzero(sparse.coef_)} features instead of "
          f"{np.count_nonzero(lasso.coef_)}, test MSE "
          f"{mse(y_test, sparse.predict(X_test)):.3f}")

    ridge_grid = np.geomspace(1e4, 1e-2, 50)
    ridge = RidgeCV(alphas=ridge_grid, store_cv_results=True).fit(X_train, y_train)
    ridge_alphas, ridge_test = ridge_test_errors(X_train, y_train, X_test, y_test,
                                                 ridge_grid)
    report("Ridge", ridge, ridge_alphas, ridge_test, X_test, y_test)

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no picture (pip install 'l1l2[plot]').")
        return
    from l1l2.plotting import CVCurveDisplay

    figure, axes = plt.subplots(2, 1, figsize=(9, 9), layout="constrained")
    panels = [("Lasso (LassoCV, 5 folds)", lasso, lasso_alphas, lasso_test),
              ("Ridge (RidgeCV, leave-one-out)", ridge, ridge_alphas, ridge_test)]
    for ax, (title, model, alphas, test_errors) in zip(axes, panels, strict=True):
        ax.plot(alphas, test_errors, color="black", linewidth=1.6,
                label="test error (2000 held-out samples)")
        CVCurveDisplay.from_estimator(model, X_train, y_train, train_error=True,
                                      ax=ax)
        ax.set_title(title)
    figure.suptitle("Under-fitting at large alpha, over-fitting at small alpha")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = Path(out_dir) / "bias_variance.png"
    figure.savefig(path, dpi=110)
    print(f"saved {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=".", help="directory of the picture")
    main(parser.parse_args().out)
