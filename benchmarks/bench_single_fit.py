"""Time single Lasso fits and warm-started Lasso paths, l1l2 against scikit-learn.

For each data set (diabetes, 442 x 10, bundled with scikit-learn; riboflavin,
71 x 4088, read from ``../shared/data/riboflavin.npz`` relative to the
repository or from the directory or file named by the ``L1L2_DATA``
environment variable) two tasks are timed:

single
    One ``Lasso(alpha=alpha_max / 10)`` fit from zero.
path
    100 warm-started fits (``warm_start=True``; ``set_params(alpha=...)`` then
    ``fit``) along a geometric grid from ``alpha_max`` down to
    ``1e-3 * alpha_max``.

Both libraries run at the same ``tol``; the runs of the two are interleaved
(alternating which goes first) so that drifts in machine load hit both, and
the median of ``--repeat`` runs is reported with the ratio sklearn / l1l2 of
the medians, and the range of the ratios of the runs made back to back.
The Lasso objective reached at the (last) alpha is printed for both, so that
accuracy can be compared next to speed. ConvergenceWarnings are silenced for
both libraries in the same way, and counted.

Run from the repository root after building the extension in place::

    PYTHONPATH=src python benchmarks/bench_single_fit.py --repeat 7

This is a quick check at each solver's own tolerance, not the full protocol of
``bench_path.py`` (time to a fixed suboptimality against a reference).
"""

import argparse
import gc
import os
import platform
import shlex
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import sklearn
from datasets import riboflavin_file  # benchmarks/, next to this script
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso as SklearnLasso

import l1l2
from l1l2 import Lasso as L1l2Lasso

CASES = ("diabetes", "riboflavin")
N_ALPHAS = 100
EPS = 1e-3
SOLVERS = {"sklearn": SklearnLasso, "l1l2": L1l2Lasso}


def load_case(name):
    """Load one benchmark data set.

    Parameters
    ----------
    name : {"diabetes", "riboflavin"}
        The data set.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features) or None
        Design matrix, float64, C-contiguous; None if the data are missing.
    y : ndarray of shape (n_samples,) or None
        Target; None if the data are missing.
    note : str
        Where the data came from, or why they are missing.
    """
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True)
        return X, y, "sklearn.datasets.load_diabetes"
    path = riboflavin_file()
    if not path.is_file():
        return None, None, f"{path} not found (set L1L2_DATA to its directory)"
    with np.load(path) as data:
        X = np.ascontiguousarray(data["X"], dtype=np.float64)
        y = np.ascontiguousarray(data["y"], dtype=np.float64)
    return X, y, str(path)


def lasso_alpha_max(X, y):
    """Smallest alpha at which the Lasso with intercept has all coefficients zero.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Design matrix.
    y : ndarray of shape (n_samples,)
        Target.

    Returns
    -------
    alpha_max : float
        ``max_j |x_j^T (y - mean(y))| / n_samples`` with ``x_j`` centred.
    """
    Xc = X - X.mean(axis=0)
    yc = y - y.mean()
    return float(np.max(np.abs(Xc.T @ yc)) / X.shape[0])


def lasso_objective(X, y, coef, intercept, alpha):
    """Lasso objective in scikit-learn's scaling, computed in float64.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Design matrix.
    y : ndarray of shape (n_samples,)
        Target.
    coef : ndarray of shape (n_features,)
        Coefficients.
    intercept : float
        Intercept.
    alpha : float
        Regularisation strength.

    Returns
    -------
    objective : float
        ``||y - X coef - intercept||^2 / (2 n) + alpha * ||coef||_1``.
    """
    coef = np.asarray(coef, dtype=np.float64).ravel()
    residual = y - X @ coef - float(intercept)
    return float(residual @ residual / (2 * X.shape[0]) + alpha * np.abs(coef).sum())


def run_single(estimator_class, X, y, alphas, tol):
    """Fit once at the first alpha of ``alphas``.

    Parameters
    ----------
    estimator_class : type
        A Lasso class with scikit-learn's constructor.
    X, y : ndarray
        Data.
    alphas : ndarray of shape (1,)
        The single alpha.
    tol : float
        Tolerance passed to the estimator.

    Returns
    -------
    model : estimator
        The fitted estimator.
    n_iter : int
        Its ``n_iter_``.
    """
    model = estimator_class(alpha=alphas[0], tol=tol)
    model.fit(X, y)
    return model, int(np.sum(model.n_iter_))


def run_path(estimator_class, X, y, alphas, tol):
    """Fit along ``alphas`` with warm starts, through ``set_params`` and ``fit``.

    Parameters
    ----------
    estimator_class : type
        A Lasso class with scikit-learn's constructor.
    X, y : ndarray
        Data.
    alphas : ndarray of shape (n_alphas,)
        Decreasing regularisation strengths.
    tol : float
        Tolerance passed to the estimator.

    Returns
    -------
    model : estimator
        The estimator, fitted at the last alpha.
    n_iter : int
        Sum of ``n_iter_`` over the path.
    """
    model = estimator_class(alpha=alphas[0], tol=tol, warm_start=True)
    n_iter = 0
    for alpha in alphas:
        model.set_params(alpha=alpha)
        model.fit(X, y)
        n_iter += int(np.sum(model.n_iter_))
    return model, n_iter


TASKS = {"single": run_single, "path": run_path}


def task_alphas(task, alpha_max):
    """Alphas fitted by a task.

    Parameters
    ----------
    task : {"single", "path"}
        The task.
    alpha_max : float
        Smallest alpha giving the all-zero solution.

    Returns
    -------
    alphas : ndarray
        ``[alpha_max / 10]`` for "single"; 100 geometrically spaced values from
        ``alpha_max`` to ``1e-3 * alpha_max`` for "path".
    """
    if task == "single":
        return np.array([alpha_max / 10])
    return np.geomspace(alpha_max, EPS * alpha_max, N_ALPHAS)


def timed_run(run, estimator_class, X, y, alphas, tol):
    """Run one task once, timing it and recording the warnings it raises.

    Parameters
    ----------
    run : callable
        :func:`run_single` or :func:`run_path`.
    estimator_class : type
        The Lasso class.
    X, y : ndarray
        Data.
    alphas : ndarray
        Alphas of the task.
    tol : float
        Tolerance.

    Returns
    -------
    seconds : float
        Wall-clock time of ``run``.
    model : estimator
        The estimator fitted at the last alpha.
    n_iter : int
        Total iterations reported by the estimator.
    n_convergence : int
        Number of ConvergenceWarnings raised.
    others : list of str
        Other warnings raised, as text.
    """
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        model, n_iter = run(estimator_class, X, y, alphas, tol)
        seconds = time.perf_counter() - start
    n_convergence = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    others = [
        f"{w.category.__name__}: {w.message}"
        for w in caught
        if not issubclass(w.category, ConvergenceWarning)
    ]
    return seconds, model, n_iter, n_convergence, others


def bench_task(X, y, task, tol, repeat):
    """Time one task for both libraries, interleaved.

    Parameters
    ----------
    X, y : ndarray
        Data.
    task : {"single", "path"}
        The task.
    tol : float
        Tolerance given to both libraries.
    repeat : int
        Number of timed runs of each library.

    Returns
    -------
    result : dict
        For each library name, a dict with the median time ``seconds``, the
        final ``objective``, ``n_iter``, the ConvergenceWarnings per run
        ``n_convergence`` and the set of ``other_warnings``; and under
        ``"ratio_range"`` the smallest and largest sklearn / l1l2 time ratio
        of one run of each made back to back.
    """
    alphas = task_alphas(task, lasso_alpha_max(X, y))
    run = TASKS[task]
    names = list(SOLVERS)
    times = {name: [] for name in names}
    result = {name: {"n_convergence": [], "other_warnings": set()} for name in names}
    for i in range(repeat + 1):  # run 0 is an untimed warm-up
        order = names if i % 2 == 0 else names[::-1]
        for name in order:
            seconds, model, n_iter, n_conv, others = timed_run(
                run, SOLVERS[name], X, y, alphas, tol
            )
            res = result[name]
            res["n_convergence"].append(n_conv)
            res["other_warnings"].update(others)
            if i > 0:
                times[name].append(seconds)
            res["n_iter"] = n_iter
            res["objective"] = lasso_objective(
                X, y, model.coef_, model.intercept_, alphas[-1]
            )
    for name in names:
        result[name]["seconds"] = float(np.median(times[name]))
    paired = np.divide(times["sklearn"], times["l1l2"])
    result["ratio_range"] = (float(paired.min()), float(paired.max()))
    return result


def format_seconds(seconds):
    """Format a duration with a unit suited to its size.

    Parameters
    ----------
    seconds : float
        The duration.

    Returns
    -------
    text : str
        E.g. ``"812 us"``, ``"3.40 ms"`` or ``"1.25 s"``.
    """
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if seconds >= scale or unit == "us":
            value = seconds / scale
            digits = 2 if value < 10 else 1 if value < 100 else 0
            return f"{value:.{digits}f} {unit}"


def format_warnings(counts):
    """Summarise ConvergenceWarnings per run.

    Parameters
    ----------
    counts : list of int
        ConvergenceWarnings raised in each run (warm-up included).

    Returns
    -------
    text : str
        The count if it was the same in every run, else ``"min-max"``.
    """
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}-{high}"


def table_row(case, shape, task, result):
    """Format one markdown table row.

    Parameters
    ----------
    case : str
        Data set name.
    shape : tuple of int
        Shape of X.
    task : str
        Task name.
    result : dict
        Output of :func:`bench_task`.

    Returns
    -------
    row : str
        A markdown table row.
    """
    sk, ours = result["sklearn"], result["l1l2"]
    ratio = sk["seconds"] / ours["seconds"]
    rel = (ours["objective"] - sk["objective"]) / abs(sk["objective"])
    cells = [
        f"{case} ({shape[0]}x{shape[1]})",
        task,
        format_seconds(sk["seconds"]),
        format_seconds(ours["seconds"]),
        f"{ratio:.2f}",
        "{:.2f}-{:.2f}".format(*result["ratio_range"]),
        f"{sk['objective']:.10g}",
        f"{ours['objective']:.10g}",
        f"{rel:+.1e}",
        f"{sk['n_iter']} / {ours['n_iter']}",
        f"{format_warnings(sk['n_convergence'])} / "
        f"{format_warnings(ours['n_convergence'])}",
    ]
    return "| " + " | ".join(cells) + " |"


TABLE_HEADER = [
    "case",
    "task",
    "sklearn",
    "l1l2",
    "sklearn/l1l2",
    "paired range",
    "objective sklearn",
    "objective l1l2",
    "(l1l2-sk)/sk",
    "n_iter sk / l1l2",
    "ConvergenceWarnings sk / l1l2",
]


def git_revision():
    """Describe the revision of the repository holding the imported l1l2.

    Returns
    -------
    revision : str
        Short commit hash, with ``+ uncommitted changes`` when ``src/`` or
        ``setup.py`` differ from it (untracked files included), or
        ``"unknown"`` outside a git checkout.
    """
    repo = Path(l1l2.__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "setup.py"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} + uncommitted changes" if dirty else commit


def print_preamble(args):
    """Print the command line, the versions and the settings.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed options.
    """
    command = shlex.join(["python", *sys.argv])
    pythonpath = os.environ.get("PYTHONPATH")
    if pythonpath:
        command = f"PYTHONPATH={shlex.quote(pythonpath)} {command}"
    print(f"Command: `{command}`\n")
    print(
        f"Versions: python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, l1l2 {l1l2.__version__} "
        f"({Path(l1l2.__file__).parent}, git {git_revision()})\n"
    )
    print(
        f"Settings: tol={args.tol:g} for both, median of {args.repeat} interleaved "
        f"runs after one untimed warm-up (paired range: smallest and largest "
        f"ratio of two runs made back to back); single = one fit at alpha_max/10; "
        f"path = {N_ALPHAS} warm-started fits, alpha_max to {EPS:g}*alpha_max. "
        f"Objective = ||y - Xw - b||^2/(2n) + alpha*||w||_1 at the (last) alpha. "
        f"n_iter = total over the task; ConvergenceWarnings per run.\n"
    )


def parse_args(argv=None):
    """Parse the command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` if None.

    Returns
    -------
    args : argparse.Namespace
        With ``tol``, ``repeat`` and ``cases``.
    """
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--tol", type=float, default=1e-4, help="tolerance for both (default 1e-4)"
    )
    parser.add_argument(
        "--repeat", type=int, default=7, help="timed runs per library (default 7)"
    )
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=CASES,
        default=list(CASES),
        help="data sets to run (default: all)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.tol > 0:
        parser.error("--tol must be positive")
    return args


def main(argv=None):
    """Run the benchmark and print a markdown table.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` if None.

    Returns
    -------
    status : int
        Exit status, 0 on success.
    """
    args = parse_args(argv)
    print_preamble(args)
    rows, notes = [], []
    for case in args.cases:
        X, y, source = load_case(case)
        if X is None:
            notes.append(f"Skipped {case}: {source}.")
            print(f"Skipping {case}: {source}.", file=sys.stderr)
            continue
        for task in TASKS:
            result = bench_task(X, y, task, args.tol, args.repeat)
            rows.append(table_row(case, X.shape, task, result))
            for name in SOLVERS:
                for text in sorted(result[name]["other_warnings"]):
                    notes.append(f"{case}/{task}: {name} warned {text}")
            print(rows[-1], file=sys.stderr, flush=True)
    if rows:
        print("| " + " | ".join(TABLE_HEADER) + " |")
        print("|" + "|".join(["---"] * 2 + ["---:"] * (len(TABLE_HEADER) - 2)) + "|")
        for row in rows:
            print(row)
    else:
        print("No case was run.")
    for note in notes:
        print(f"\n{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
