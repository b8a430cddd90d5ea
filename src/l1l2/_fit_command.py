"""The ``l1l2 fit`` command: cross-validate a model on a CSV file, report
it, and save its pictures and the fitted model."""

import contextlib
import math
import sys
import time
import traceback
import warnings

import numpy as np

from ._cli_common import (
    EXIT_OK,
    PLOT_EXTRA,
    FitError,
    InputError,
    _matplotlib_available,
    _one_line,
    _save,
    _use_agg,
    format_table,
    make_out_dir,
)
from ._csv_input import read_csv

# Elastic-Net mixes tried by default (scikit-learn's advice: more near the Lasso).
DEFAULT_L1_RATIOS = (0.1, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0)

# At most this many coefficients are printed, and column names listed.


# At most this many coefficients are printed, and column names listed.
MAX_PRINTED_COEFS = 30


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

