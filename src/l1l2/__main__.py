"""Command line for l1l2.

``python -m l1l2`` (or the ``l1l2`` console script) runs a short demo: it fits
ordinary least squares, Ridge, Lasso and Elastic-Net to scikit-learn's bundled
diabetes data and prints a table comparing them on held-out data.
"""

import argparse
import sys
import time

import numpy as np

DESCRIPTION = """\
l1l2: Lasso, Elastic-Net and Ridge regression with a Cython
coordinate-descent kernel, compatible with scikit-learn.

Without arguments, run a demo: fit OLS, Ridge, Lasso and Elastic-Net to
scikit-learn's bundled diabetes data (442 samples, 10 features) and print the
test R^2, the number of non-zero coefficients and the fit time of each.

More commands (fitting your own data, drawing regularisation paths and
cross-validation curves) will come in later versions.
"""


def build_parser():
    """Build the argument parser of the ``l1l2`` command.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser; it currently accepts only the standard options.
    """
    from l1l2 import __version__

    parser = argparse.ArgumentParser(
        prog="l1l2",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    return parser


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


def format_table(header, rows):
    """Format rows as a plain-text table with aligned columns.

    Parameters
    ----------
    header : sequence of str
        Column titles.
    rows : sequence of sequence of str
        Cells, already formatted; the first column is left-aligned, the
        others right-aligned.

    Returns
    -------
    table : str
        The table, one line per row, with a rule under the header.
    """
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def run_demo(out=None):
    """Fit the demo models to the diabetes data and print the comparison.

    Parameters
    ----------
    out : file-like, default=None
        Where to print; ``sys.stdout`` if None.
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
    for name, alpha, model in demo_models():
        r2, n_nonzero, fit_ms = fit_and_score(model, X_train, X_test, y_train, y_test)
        rows.append([name, f"{alpha:g}", f"{r2:.3f}", str(n_nonzero), f"{fit_ms:.2f}"])
    print(format_table(header, rows), file=out)


def main(argv=None):
    """Run the ``l1l2`` command.

    Parameters
    ----------
    argv : list of str, default=None
        Command-line arguments without the program name; ``sys.argv[1:]`` if
        None.

    Returns
    -------
    status : int
        Exit status, 0 on success.
    """
    build_parser().parse_args(argv)
    run_demo()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
