"""Command line for l1l2.

``python -m l1l2`` (or the ``l1l2`` console script) has two commands:

- without a command, a short demo: it fits ordinary least squares, Ridge,
  Lasso and Elastic-Net to scikit-learn's bundled diabetes data, prints a
  table comparing them on held-out data and, when matplotlib is installed,
  saves pictures of a regularisation path, a cross-validation curve and the
  coefficients of the models;
- ``fit DATA.csv --target COLUMN``: cross-validate a Lasso, Elastic-Net or
  Ridge on a CSV file, print the chosen model, and save its pictures and the
  fitted model.

Bad input (a missing or malformed file, an unknown column, a bad option)
ends with exit status 2 and a single line on stderr starting with
``l1l2: error:``; a fit that fails ends with status 1 and such a line.
"""

import argparse
import contextlib
import csv
import math
import os
import sys
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

# Exit statuses.
EXIT_OK = 0
EXIT_FIT_FAILED = 1
EXIT_BAD_INPUT = 2

PLOT_EXTRA = 'pip install "l1l2[plot]"'

DESCRIPTION = """\
l1l2: Lasso, Elastic-Net and Ridge regression with a Cython
coordinate-descent kernel, compatible with scikit-learn.

Without a command, run a demo: fit OLS, Ridge, Lasso and Elastic-Net to
scikit-learn's bundled diabetes data (442 samples, 10 features), print the
test R^2, the number of non-zero coefficients and the fit time of each, and
save pictures (regularisation path, cross-validation curve, coefficients)
into --out when matplotlib is installed.

Fit your own data with: l1l2 fit DATA.csv --target COLUMN
"""

EPILOG = """\
exit status: 0 on success, 2 on bad input (options, data file), 1 when the
fit itself fails; errors are one line on stderr starting with 'l1l2: error:'.
"""

FIT_DESCRIPTION = """\
Cross-validate a regularised linear model on a CSV file and report it.

The file needs a header row; every column but the target is a feature and
must be numeric, with no empty or NaN cells. The alpha (and, for
elasticnet, the l1_ratio) with the lowest mean cross-validated squared
error is kept (or the largest alpha within one standard error of it, with
--rule 1se), the model is refitted on all rows, and its non-zero
coefficients are printed. Into --out go the regularisation path
(path.png) and the CV curve (cv_curve.png) when matplotlib is installed,
and the fitted model (model.joblib, a scikit-learn Pipeline when
standardising: joblib.load it and call predict).
"""

# Spellings of a missing value in a CSV cell.
MISSING = {"", "na", "nan", "n/a", "null", "none"}

# Elastic-Net mixes tried by default (scikit-learn's advice: more near the Lasso).
DEFAULT_L1_RATIOS = (0.1, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0)

# At most this many coefficients are printed, and column names listed.
MAX_PRINTED_COEFS = 30
MAX_LISTED_COLUMNS = 20


class InputError(Exception):
    """Bad input: the command line or the data file (exit status 2)."""


class FitError(Exception):
    """The model could not be fitted (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, raised not printed, so
    that every bad input ends the same way."""

    def error(self, message):
        raise InputError(f"{message} (see '{self.prog} --help')")


def _l1_ratio(text):
    """An --l1-ratio value: a number in (0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--l1-ratio must be a number in (0, 1], got {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            f"--l1-ratio must be in (0, 1] (0 is Ridge: use --penalty l2), "
            f"got {text}")
    return value


def _folds(text):
    """A --cv value: an integer of at least 2."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise argparse.ArgumentTypeError(
            f"--cv must be an integer >= 2 (the number of folds), got {text!r}")
    return value


def build_parser():
    """Build the argument parser of the ``l1l2`` command.

    Returns
    -------
    parser : argparse.ArgumentParser
        The parser: options of the demo, and the ``fit`` command. Its errors
        raise :class:`InputError` instead of exiting.
    """
    from l1l2 import __version__

    parser = _Parser(
        prog="l1l2",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "--out", metavar="DIR", default="l1l2-demo",
        help="where the demo saves its pictures (default: ./l1l2-demo)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    fit = commands.add_parser(
        "fit", help="cross-validate a model on a CSV file",
        description=FIT_DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fit.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    fit.add_argument("--target", required=True, metavar="COLUMN",
                     help="name of the column to predict")
    fit.add_argument("--penalty", choices=["l1", "l2", "elasticnet"], default="l1",
                     help="l1: LassoCV, l2: RidgeCV, elasticnet: ElasticNetCV "
                          "(default: l1)")
    fit.add_argument("--l1-ratio", type=_l1_ratio, nargs="+", metavar="R",
                     help="elasticnet only: the mixes to try, in (0, 1] "
                          f"(default: {' '.join(map(str, DEFAULT_L1_RATIOS))})")
    fit.add_argument("--cv", type=_folds, metavar="K",
                     help="number of folds (default: 5; for l2, efficient "
                          "leave-one-out)")
    fit.add_argument("--rule", choices=["min", "1se"], default="min",
                     help="l1 and elasticnet: keep the alpha of the lowest CV "
                          "error, or the largest within one standard error of "
                          "it (default: min)")
    fit.add_argument("--standardize", action=argparse.BooleanOptionalAction,
                     default=True,
                     help="scale the features to unit variance inside the "
                          "model (default: on)")
    fit.add_argument("--sep", default=",", metavar="CHAR",
                     help="field separator of the CSV file (default: ',')")
    fit.add_argument("--out", metavar="DIR", default="l1l2-fit",
                     help="where to save the pictures and model.joblib "
                          "(default: ./l1l2-fit)")
    fit.add_argument("--verbose", "-v", action="count", default=0,
                     help="show the progress (folds, alphas) on stderr")
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


def make_out_dir(path):
    """Create the output directory (and its parents) if needed.

    Parameters
    ----------
    path : str or Path
        The directory.

    Returns
    -------
    path : Path
        The directory, which exists.

    Raises
    ------
    InputError
        When it cannot be created (a file is in the way, no permission).
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output directory {path}: "
                         f"{exc.strerror}") from None
    return path


def _matplotlib_available():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _use_agg():
    """Draw off-screen: the command line saves pictures, it never shows
    them."""
    import matplotlib

    matplotlib.use("Agg")


def _save(figure, path):
    """Save a figure as a PNG file, close it, and return the path."""
    import matplotlib.pyplot as plt

    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


# --- the fit command -----------------------------------------------------------


def read_csv(path, target, sep=","):
    """Read a numeric CSV file with a header into features and a target.

    Parameters
    ----------
    path : str or Path
        The file; the first row names the columns.
    target : str
        Name of the target column; every other column is a feature.
    sep : str, default=","
        Field separator.

    Returns
    -------
    X : ndarray of shape (n_rows, n_features)
        The feature columns, as floats.
    y : ndarray of shape (n_rows,)
        The target column.
    feature_names : list of str
        Names of the feature columns, in file order.

    Raises
    ------
    InputError
        With a one-line message naming the problem: the file cannot be
        read, the target is not a column (the columns are listed), some
        columns are not numeric (named), some cells are empty or NaN (the
        column is named), or the rows are ragged.
    """
    header, rows = _read_rows(Path(path), sep)
    if target not in header:
        shown = ", ".join(repr(name) for name in header[:MAX_LISTED_COLUMNS])
        more = len(header) - MAX_LISTED_COLUMNS
        shown += f" and {more} more" if more > 0 else ""
        raise InputError(f"no column {target!r} in {path}; the columns are: {shown}")
    if len(header) < 2:
        raise InputError(f"{path} has no feature columns besides {target!r}")
    columns = _numeric_columns(header, rows, path)
    y = columns[header.index(target)]
    feature_names = [name for name in header if name != target]
    X = np.column_stack([columns[header.index(name)] for name in feature_names])
    return X, y, feature_names


def _read_rows(path, sep):
    """The header (names stripped) and the data rows of a CSV file."""
    if len(sep) != 1:
        raise InputError(f"--sep must be one character, got {sep!r}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, delimiter=sep)
            # (line number, fields): a quoted field may span several lines.
            lines = [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a directory") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except UnicodeDecodeError:
        raise InputError(f"cannot read {path}: it is not UTF-8 text") from None
    except csv.Error as exc:
        raise InputError(f"cannot parse {path}: {exc}") from None
    # Blank lines carry no row.
    numbered = [(number, row) for number, row in lines
                if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError(f"{path} is empty")
    header = [name.strip() for name in numbered[0][1]]
    for position, name in enumerate(header, start=1):
        if not name:
            raise InputError(f"column {position} of {path} has no name in the header")
    duplicated = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicated:
        raise InputError(f"{path} has duplicated column names: "
                         + ", ".join(repr(name) for name in duplicated))
    rows = numbered[1:]
    for line_number, row in rows:
        if len(row) != len(header):
            raise InputError(
                f"line {line_number} of {path} has {len(row)} fields, the header "
                f"has {len(header)}"
            )
    return header, rows


def _numeric_columns(header, rows, path):
    """Each column as a float array; every non-numeric column is named, then
    the first column with missing cells."""
    columns = []
    not_numeric = []
    missing = []
    for j, name in enumerate(header):
        values = np.empty(len(rows))
        first_text = first_missing = None
        for i, (line_number, row) in enumerate(rows):
            cell = row[j].strip()
            if cell.lower() in MISSING:
                values[i] = np.nan
                first_missing = first_missing or line_number
                continue
            try:
                values[i] = float(cell)
            except ValueError:
                first_text = first_text or (cell, line_number)
        if first_text is not None:
            not_numeric.append(f"{name!r} ({first_text[0]!r} on line {first_text[1]})")
        elif first_missing is not None:
            missing.append((name, first_missing))
        elif not np.all(np.isfinite(values)):
            missing.append((name, rows[int(np.flatnonzero(
                ~np.isfinite(values))[0])][0]))
        columns.append(values)
    if not_numeric:
        shown = ", ".join(not_numeric[:MAX_LISTED_COLUMNS // 4])
        more = len(not_numeric) - MAX_LISTED_COLUMNS // 4
        shown += f" and {more} more" if more > 0 else ""
        raise InputError(
            f"non-numeric columns in {path}: {shown}; encode them as numbers or "
            "remove them"
        )
    if missing:
        name, line_number = missing[0]
        others = f" (and {len(missing) - 1} more columns)" if len(missing) > 1 else ""
        raise InputError(
            f"column {name!r} of {path} has empty, NaN or infinite cells, first on "
            f"line {line_number}{others}; fill or drop them"
        )
    return columns


def _check_options(args):
    """Option combinations argparse cannot check alone."""
    if args.l1_ratio is not None and args.penalty != "elasticnet":
        raise InputError(
            f"--l1-ratio applies to --penalty elasticnet, not {args.penalty}")
    if args.rule == "1se" and args.penalty == "l2":
        raise InputError("--rule 1se applies to --penalty l1 and elasticnet only")


def _check_rows(n_rows, args, path):
    """Enough rows for the folds: each must train on 2 rows and test on 1."""
    folds = args.cv if args.cv is not None else (5 if args.penalty != "l2" else None)
    needed = 3 if folds is None else max(3, folds + 1)
    if n_rows < needed:
        scheme = "leave-one-out" if folds is None else f"{folds}-fold"
        raise InputError(
            f"{path} has {n_rows} data rows; {scheme} cross-validation needs at "
            f"least {needed}"
        )
    return folds


def make_model(args, X, folds):
    """The CV estimator the options ask for, in a Pipeline with a
    StandardScaler when standardising.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options of the ``fit`` command.
    X : ndarray of shape (n_samples, n_features)
        The features (to size the Ridge grid).
    folds : int or None
        Number of folds; None for Ridge's efficient leave-one-out.

    Returns
    -------
    model : estimator
        LassoCV, ElasticNetCV or RidgeCV, maybe inside a Pipeline.
    """
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from l1l2 import ElasticNetCV, LassoCV, RidgeCV
    from l1l2.plotting import ridge_alphas

    verbose = args.verbose
    if args.penalty == "l1":
        estimator = LassoCV(cv=folds, verbose=verbose, selection_rule=args.rule)
    elif args.penalty == "elasticnet":
        ratios = DEFAULT_L1_RATIOS if args.l1_ratio is None else args.l1_ratio
        l1_ratio = ratios[0] if len(ratios) == 1 else list(ratios)
        estimator = ElasticNetCV(l1_ratio=l1_ratio, cv=folds, verbose=verbose,
                                 selection_rule=args.rule)
    else:
        seen = StandardScaler().fit_transform(X) if args.standardize else X
        estimator = RidgeCV(alphas=ridge_alphas(seen), cv=folds,
                            store_cv_results=folds is None)
    if not args.standardize:
        return estimator
    return Pipeline([("standardize", StandardScaler()), ("model", estimator)])


def run_fit(args, out=None, err=None):
    """Run the ``fit`` command.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options of the ``fit`` command.
    out, err : file-like, default=None
        Where to print the report and the progress; ``sys.stdout`` and
        ``sys.stderr`` if None.

    Returns
    -------
    status : int
        0 on success.

    Raises
    ------
    InputError
        Bad options or data file.
    FitError
        The model could not be fitted.
    """
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    _check_options(args)
    X, y, names = read_csv(args.data, args.target, args.sep)
    folds = _check_rows(X.shape[0], args, args.data)
    out_dir = make_out_dir(args.out)

    model = make_model(args, X, folds)
    estimator = model[-1] if hasattr(model, "steps") else model
    if args.verbose:
        print(f"l1l2: fitting {type(estimator).__name__} to {X.shape[0]} rows and "
              f"{X.shape[1]} features", file=err, flush=True)
    start = time.perf_counter()
    _fit_quietly(model, X, y, err, args.verbose)
    seconds = time.perf_counter() - start

    print(f"Data: {args.data}: {X.shape[0]} rows, {X.shape[1]} features, target "
          f"{args.target!r}", file=out)
    print(describe_model(model, folds, args.standardize, seconds), file=out)
    for line in describe_selection(estimator):
        print(line, file=out)
    print("", file=out)
    print(coefficient_report(model, X, names), file=out)

    written = []
    if _matplotlib_available():
        written += save_fit_pictures(model, X, y, names, out_dir, out)
    else:
        print(f"matplotlib is not installed: no pictures ({PLOT_EXTRA}).", file=out)
    import joblib

    model_path = out_dir / "model.joblib"
    joblib.dump(model, model_path)
    written.append(model_path)
    print("\nWrote:", file=out)
    for path in written:
        print(f"  {path}", file=out)
    return EXIT_OK


def _fit_quietly(model, X, y, err, verbose):
    """Fit, sending any progress to ``err`` and each distinct warning to it
    as one line; a failure becomes a FitError."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Progress goes to stderr, so that stdout holds only the report.
            with contextlib.redirect_stdout(err):
                model.fit(X, y)
        except Exception as exc:
            if verbose:
                traceback.print_exc(file=err)
            raise FitError(f"the fit failed: {type(exc).__name__}: "
                           f"{_one_line(exc)}") from exc
    counts = {}
    for warning in caught:
        key = f"{warning.category.__name__}: {_one_line(warning.message)}"
        counts[key] = counts.get(key, 0) + 1
    for message, count in counts.items():
        times = f" ({count} times)" if count > 1 else ""
        print(f"l1l2: warning: {message}{times}", file=err)


def _one_line(message):
    return " ".join(str(message).split())


def describe_model(model, folds, standardized, seconds):
    """One line: the estimator, its CV scheme and preprocessing."""
    estimator = model[-1] if hasattr(model, "steps") else model
    scheme = "efficient leave-one-out CV" if folds is None else f"{folds}-fold CV"
    scaling = "features standardized" if standardized else "features as given"
    return (f"Model: {type(estimator).__name__}, {scheme}, {scaling}; fitted in "
            f"{seconds:.2f} s")


def describe_selection(estimator):
    """Lines with the chosen alpha (and l1_ratio) and its CV error."""
    alpha = float(np.ravel(estimator.alpha_)[0])
    lines = []
    if hasattr(estimator, "alpha_min_"):
        rule = estimator.get_params().get("selection_rule", "min")
        lines.append(f"alpha = {alpha:.6g} (rule {rule}; alpha_min = "
                     f"{estimator.alpha_min_:.6g}, alpha_1se = "
                     f"{estimator.alpha_1se_:.6g})")
    else:
        lines.append(f"alpha = {alpha:.6g}")
    if hasattr(estimator, "l1_ratio_"):
        lines.append(f"l1_ratio = {float(estimator.l1_ratio_):g}")
    edge = _grid_edge(estimator, alpha)
    if edge:
        lines.append(f"note: alpha is the {edge} alpha tried{EDGE_NOTES[edge]}")
    error = _cv_error_at_alpha(estimator, alpha)
    if error is not None:
        mean, se = error
        spread = "" if not np.isfinite(se) else f" ± {se:.4g} (1 SE)"
        lines.append(f"CV mean squared error at alpha: {mean:.6g}{spread}")
    elif hasattr(estimator, "best_score_"):
        score = float(np.ravel(estimator.best_score_)[0])
        lines.append(f"CV R^2 at alpha: {score:.4g}")
    return lines


EDGE_NOTES = {
    "smallest": ": the data ask for little regularisation, a smaller alpha may "
                "do as well",
    "largest": ": the data ask for strong regularisation, a larger alpha may "
               "do better",
}


def _grid_edge(estimator, alpha):
    """'smallest' or 'largest' when ``alpha`` is at an end of the CV grid
    (for Lasso models the largest is the empty model: that is no edge)."""
    if hasattr(estimator, "alphas_"):
        grid = np.ravel(estimator.alphas_)
        return "smallest" if alpha <= grid.min() else None
    grid = np.atleast_1d(np.asarray(estimator.alphas, dtype=float))
    if grid.size < 2:
        return None
    if alpha <= grid.min():
        return "smallest"
    return "largest" if alpha >= grid.max() else None


def _cv_error_at_alpha(estimator, alpha):
    """(mean, standard error) of the CV squared error at ``alpha``, or None
    when the estimator did not keep them."""
    if hasattr(estimator, "mse_path_"):
        alphas = np.asarray(estimator.alphas_)
        mse = np.asarray(estimator.mse_path_)
        se = np.asarray(estimator.mse_std_path_)
        if mse.ndim == 3:
            ratios = np.atleast_1d(estimator.get_params()["l1_ratio"])
            row = int(np.argmin(np.abs(np.asarray(ratios) - estimator.l1_ratio_)))
            mse, se = mse[row], se[row]
            alphas = alphas[row] if alphas.ndim == 2 else alphas
        index = int(np.argmin(np.abs(alphas - alpha)))
        return float(mse[index].mean()), float(se[index])
    errors = getattr(estimator, "cv_results_", None)
    if errors is None or estimator.get_params().get("scoring") is not None:
        return None
    errors = np.asarray(errors)
    errors = errors.mean(axis=1) if errors.ndim == 3 else errors
    alphas = np.atleast_1d(np.asarray(estimator.alphas, dtype=float))
    column = errors[:, int(np.argmin(np.abs(alphas - alpha)))]
    return float(column.mean()), float(column.std(ddof=1) / math.sqrt(len(column)))


def original_scale_coefficients(model):
    """Coefficients and intercept on the scale of the original features.

    Parameters
    ----------
    model : estimator
        A fitted linear model, or a Pipeline of a StandardScaler and one.

    Returns
    -------
    coef : ndarray of shape (n_features,)
        Change of the prediction per unit of each feature.
    intercept : float
        Prediction at all features zero.
    """
    if not hasattr(model, "steps"):
        return np.ravel(model.coef_).astype(float), float(np.ravel(model.intercept_)[0])
    scaler, estimator = model[0], model[-1]
    coef = np.ravel(estimator.coef_) / scaler.scale_
    intercept = float(np.ravel(estimator.intercept_)[0]) - float(coef @ scaler.mean_)
    return coef, intercept


def coefficient_report(model, X, names):
    """A table of the non-zero coefficients, by decreasing standardized size.

    Parameters
    ----------
    model : estimator
        The fitted model (maybe a Pipeline with a StandardScaler).
    X : ndarray of shape (n_samples, n_features)
        The original features.
    names : list of str
        Their names.

    Returns
    -------
    report : str
        A title line and a table with, for each non-zero coefficient, its
        value per unit of the feature and per standard deviation of it
        (comparable across features, the sort key), then the intercept.
    """
    coef, intercept = original_scale_coefficients(model)
    standardized = coef * X.std(axis=0)
    nonzero = np.flatnonzero(coef)
    order = nonzero[np.argsort(-np.abs(standardized[nonzero]), kind="stable")]
    title = "\n".join([
        f"Non-zero coefficients: {len(nonzero)} of {len(coef)}, largest effect first",
        "  coefficient: change of the prediction per unit of the feature",
        "  per SD: per standard deviation of the feature (comparable across "
        "features)",
    ])
    header = ["feature", "coefficient", "per SD"]
    rows = [[names[j], f"{coef[j]:.6g}", f"{standardized[j]:.6g}"]
            for j in order[:MAX_PRINTED_COEFS]]
    rows.append(["(intercept)", f"{intercept:.6g}", ""])
    lines = [title, format_table(header, rows)]
    if len(order) > MAX_PRINTED_COEFS:
        lines.append(f"... and {len(order) - MAX_PRINTED_COEFS} more non-zero "
                     "coefficients (all are in model.joblib)")
    return "\n".join(lines)


def save_fit_pictures(model, X, y, names, out_dir, out):
    """Save the path and CV-curve pictures of a fitted ``fit`` model.

    Parameters
    ----------
    model : estimator
        The fitted CV estimator, maybe in a Pipeline.
    X : ndarray of shape (n_samples, n_features)
        The original features.
    y : ndarray of shape (n_samples,)
        The target.
    names : list of str
        Feature names.
    out_dir : Path
        Directory to write into.
    out : file-like
        Where to print a note when a picture cannot be drawn.

    Returns
    -------
    paths : list of Path
        The files written.
    """
    from l1l2.plotting import CVCurveDisplay, RegularizationPathDisplay

    _use_agg()
    estimator = model[-1] if hasattr(model, "steps") else model
    scale = " (standardized features)" if hasattr(model, "steps") else ""
    title = f"{type(estimator).__name__}{scale}"
    paths = []
    path = RegularizationPathDisplay.from_estimator(model, X, y, feature_names=names)
    path.ax_.set_title(f"Regularisation path: {title}")
    paths.append(_save(path.figure_, out_dir / "path.png"))
    if getattr(estimator, "cv_results_", None) is None and not hasattr(
            estimator, "mse_path_"):
        print("No CV curve: RidgeCV keeps its errors only with efficient "
              "leave-one-out (omit --cv).", file=out)
        return paths
    curve = CVCurveDisplay.from_estimator(model, X, y, train_error=True)
    curve.ax_.set_title(f"Cross-validation: {title}")
    paths.append(_save(curve.figure_, out_dir / "cv_curve.png"))
    return paths


def _fail(message, err=None):
    err = sys.stderr if err is None else err
    print(f"l1l2: error: {message}", file=err)


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
        Exit status: 0 on success, 2 on bad input (options or data file),
        1 when the fit fails. Errors are printed to stderr as one line
        starting with ``l1l2: error:``.
    """
    try:
        args = build_parser().parse_args(argv)
        if args.command == "fit":
            return run_fit(args)
        run_demo(out_dir=args.out)
        return EXIT_OK
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except InputError as exc:
        _fail(_one_line(exc))
        return EXIT_BAD_INPUT
    except FitError as exc:
        _fail(_one_line(exc))
        return EXIT_FIT_FAILED
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): stop quietly, and
        # keep Python from complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
