"""The demo of ``python -m l1l2``: OLS, Ridge, Lasso and Elastic-Net on
scikit-learn's diabetes data, a comparison table and, with matplotlib, the
pictures of a regularisation path, a CV curve and the coefficients."""

import sys
import time

import numpy as np

from ._cli_common import (
    PLOT_EXTRA,
    _matplotlib_available,
    _save,
    _use_agg,
    format_table,
    make_out_dir,
)


def load_demo_data(test_size=0.25, random_state=0):
    """Load the diabetes data and split it into training and test sets.

    Parameters
    ----------
    test_size : float, default=0.25
        Fraction of the samples held out for testing.
    random_state : int, default=0
        Seed of the shuffle, so that the demo prints the same numbers each run.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarray
        The split data, as returned by
        :func:`sklearn.model_selection.train_test_split`.
    """
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=test_size, random_state=random_state)


def demo_models():
    """List the models the demo fits.

    Returns
    -------
    models : list of (str, float, estimator)
        For each model, a display name, its regularisation strength ``alpha``
        and an unfitted l1l2 estimator.
    """
    from l1l2 import ElasticNet, Lasso, Ridge

    return [
        ("OLS", 0.0, Ridge(alpha=0.0, solver="svd")),
        ("Ridge", 0.1, Ridge(alpha=0.1)),
        ("Lasso", 0.1, Lasso(alpha=0.1)),
        ("ElasticNet (l1_ratio=0.5)", 0.001, ElasticNet(alpha=0.001, l1_ratio=0.5)),
    ]


def fit_and_score(model, X_train, X_test, y_train, y_test):
    """Fit one model and measure it.

    Parameters
    ----------
    model : estimator
        An unfitted regressor with ``fit``, ``score`` and ``coef_``.
    X_train, X_test : ndarray of shape (n_samples, n_features)
        Training and test designs.
    y_train, y_test : ndarray of shape (n_samples,)
        Training and test targets.

    Returns
    -------
    r2 : float
        Coefficient of determination on the test set.
    n_nonzero : int
        Number of non-zero fitted coefficients.
    fit_ms : float
        Wall-clock time of ``fit``, in milliseconds.
    """
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_ms = 1e3 * (time.perf_counter() - start)
    r2 = model.score(X_test, y_test)
    n_nonzero = int(np.count_nonzero(model.coef_))
    return r2, n_nonzero, fit_ms




def demo_feature_names():
    """Names of the diabetes features (age, sex, bmi, bp, s1, ..., s6)."""
    from sklearn.datasets import load_diabetes

    return list(load_diabetes().feature_names)


def run_demo(out=None, out_dir=None):
    """Fit the demo models to the diabetes data and print the comparison.

    Parameters
    ----------
    out : file-like, default=None
        Where to print; ``sys.stdout`` if None.
    out_dir : str or Path, default=None
        Where to save the pictures (created if needed); no pictures when
        None, or when matplotlib is not installed.
    """
    out = sys.stdout if out is None else out
    X_train, X_test, y_train, y_test = load_demo_data()
    n_features = X_train.shape[1]
    print(
        f"Diabetes data: {X_train.shape[0]} training and {X_test.shape[0]} "
        f"test samples, {n_features} features.\n",
        file=out,
    )
    header = ["model", "alpha", "test R^2", f"non-zero (of {n_features})", "fit ms"]
    rows = []
    fitted = {}
    for name, alpha, model in demo_models():
        r2, n_nonzero, fit_ms = fit_and_score(model, X_train, X_test, y_train, y_test)
        rows.append([name, f"{alpha:g}", f"{r2:.3f}", str(n_nonzero), f"{fit_ms:.2f}"])
        fitted[name] = model
    print(format_table(header, rows), file=out)
    if out_dir is None:
        return
    if not _matplotlib_available():
        print(f"\nmatplotlib is not installed: no pictures ({PLOT_EXTRA}).", file=out)
        return
    out_dir = make_out_dir(out_dir)
    print(f"\nPictures in {out_dir}:", file=out)
    for path in save_demo_pictures(fitted, X_train, y_train, out_dir):
        print(f"  {path}", file=out)


def save_demo_pictures(fitted, X_train, y_train, out_dir):
    """Draw the demo's three pictures and save them as PNG files.

    Parameters
    ----------
    fitted : dict of str to estimator
        The demo's fitted models, by name.
    X_train : ndarray of shape (n_samples, n_features)
        Training design.
    y_train : ndarray of shape (n_samples,)
        Training target.
    out_dir : Path
        Directory to write into; it exists.

    Returns
    -------
    paths : list of Path
        The files written: the Lasso path, the LassoCV curve, and the
        coefficients of the models.
    """
    from l1l2 import LassoCV
    from l1l2.plotting import (
        CVCurveDisplay,
        RegularizationPathDisplay,
        plot_coefficient_comparison,
    )

    _use_agg()
    names = demo_feature_names()
    paths = []

    lasso = fitted["Lasso"]
    path = RegularizationPathDisplay.from_estimator(
        lasso, X_train, y_train, feature_names=names)
    path.ax_.set_title("Lasso path on the diabetes data (marked: the demo's "
                       f"alpha={lasso.alpha:g})")
    paths.append(_save(path.figure_, out_dir / "lasso_path.png"))

    cv_model = LassoCV(cv=5).fit(X_train, y_train)
    curve = CVCurveDisplay.from_estimator(cv_model, X_train, y_train,
                                          train_error=True)
    curve.ax_.set_title("LassoCV (5 folds) on the diabetes data")
    paths.append(_save(curve.figure_, out_dir / "lasso_cv_curve.png"))

    comparison = plot_coefficient_comparison(fitted, feature_names=names)
    comparison.ax_.set_title("Coefficients against OLS: Lasso zeroes some, "
                             "Ridge shrinks them")
    paths.append(_save(comparison.figure_, out_dir / "coefficients.png"))
    return paths

