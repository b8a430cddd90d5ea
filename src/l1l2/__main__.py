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
import os
import sys

from ._cli_common import (
    EXIT_BAD_INPUT,
    EXIT_FIT_FAILED,
    EXIT_OK,
    FitError,
    InputError,
    _one_line,
)
from ._demo import run_demo
from ._fit_command import DEFAULT_L1_RATIOS, run_fit

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


# --- the fit command -----------------------------------------------------------


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
