"""Time to a 1e-6-accurate Lasso path: l1l2 against scikit-learn, celer, skglm, glmnet.

The protocol: for each case of ``datasets.py`` and its grid of 100 alphas
(geometric from ``alpha_max = max|X^T y| / n`` down to ``eps * alpha_max``):

1. A reference: celer (n <= p) or scikit-learn (n > p, Gram matrix) at tol
   1e-13. The duality gap of every reference point is computed here, from
   celer's dual points or the residuals, so the optimum P* of each alpha is
   known to lie in [D, P_ref]; the width of that interval is printed. A better
   objective reached by any later run replaces the reference's.
2. The tolerance ladder: each solver runs the whole path at tol = 1e-2,
   1e-3, ..., 1e-14 (in its own convention, see ``competitors.TOL_MEANING``)
   until the relative suboptimality ``(P(w) - P*) / P*`` is at most 1e-6 at
   every alpha. The objective ``P(w) = ||y - X w||^2 / (2 n) + alpha ||w||_1``
   is computed here from the returned coefficients, the same for everyone.
   A ladder whose runs add up to more than ``--max-seconds`` stops there
   ("not reached").
3. Timing: ``--repeat`` rounds in which every solver runs once at the tol it
   needed, the order of the solvers rotating from round to round; the table
   shows the median, and its ratio to scikit-learn's median and to the
   fastest competitor's (every solver except l1l2) from the same run. A
   solver whose timed runs exceed ``--max-seconds`` in total is not run
   again (the table then says from how many runs its median is).

On a dense case, l1l2 also runs on a C-ordered copy of X (numpy's default
order, the one users pass; the copy is made once, before the runs) at the
tol its ladder needed, in adjacent pairs of an F-ordered and a C-ordered
run after the rounds (``ORDER_PAIRS``, more on a fast path), which of the two goes first
alternating: the row "l1l2, C-ordered X" shows the median of its runs and,
in the last column, the median of the pairs' C / F ratios (a ratio of
medians from the rounds, where other solvers run in between, moved by up
to 15 % between runs on a path of 20 ms).

With ``--tol T`` step 2 is replaced by one run of every solver at tol T
(equal tol instead of equal accuracy: scikit-learn's default is 1e-4), and
the table shows the accuracy each one reached there.

Every solver runs with one BLAS/OpenMP thread (``--threads``), so the times
compare single-core efficiency and do not depend on what else the machine
runs. Before any timing, each solver runs once untimed on the first two alphas of
the case (numba compilation for skglm, caches and page faults for all).
A picture per case, ``path_<case>.png``, draws each solver's ladder: the
largest relative suboptimality over the alphas against the time of the run.

Run from the repository root after building l1l2 in place::

    PYTHONPATH=src python benchmarks/bench_path.py            # all cases, ~12 min
    PYTHONPATH=src python benchmarks/bench_path.py --quick    # smaller, ~1.5 min
"""

import argparse
import dataclasses
import gc
import os
import platform
import shlex
import subprocess
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import scipy
from competitors import (
    SOLVER_NAMES,
    TOL_MEANING,
    celer_dual_path,
    load_sklearn,
    load_solvers,
)
from datasets import CASES, MissingData, make_case
from threadpoolctl import threadpool_limits

TARGET = 1e-6
TOLS = [10.0**-k for k in range(2, 15)]
REFERENCE_TOL = 1e-13
REFERENCE_MAX_ITER = 20_000
MAX_ITER = 100_000
PLOT_FLOOR = 1e-16
STARTED = time.perf_counter()
STYLES = {  # l1l2 drawn thick and black, the others in distinct colours
    "l1l2": {"color": "black", "marker": "o", "linewidth": 2.5},
    "sklearn": {"color": "tab:blue", "marker": "^"},
    "celer": {"color": "tab:orange", "marker": "s"},
    "skglm": {"color": "tab:green", "marker": "D"},
    "glmnet": {"color": "tab:red", "marker": "v"},
}


def dual_objective(X, y, alphas, points):
    """Lower bounds on the optimal objectives from candidate dual points.

    Each candidate ``nu`` is scaled by the factor ``c`` maximising
    ``D(c nu) = (c nu^T y - c^2 ||nu||^2 / 2) / n`` subject to dual
    feasibility ``||X^T c nu||_inf <= n alpha``; weak duality then makes
    ``D(c nu)`` a lower bound on the optimum whatever ``nu`` is.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Design.
    y : ndarray of shape (n_samples,)
        Target.
    alphas : ndarray of shape (n_alphas,)
        Regularisation strengths.
    points : ndarray of shape (n_samples, n_alphas)
        One candidate per alpha (residuals ``y - X w``, or a solver's dual
        points on that scale).

    Returns
    -------
    dual : ndarray of shape (n_alphas,)
        The bounds (-inf where a candidate is zero or not finite).
    """
    n_samples = X.shape[0]
    correlation = np.abs(np.asarray(X.T @ points)).max(axis=0)
    along_y, squared = y @ points, (points**2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.clip(
            np.minimum(along_y / squared, n_samples * alphas / correlation), 0, None
        )
        dual = (scale * along_y - scale**2 * squared / 2) / n_samples
    return np.where(np.isfinite(dual), dual, -np.inf)


def objectives(X, y, alphas, coefs, dual_points=None):
    """Primal objective of every path point, and a dual bound below it.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Design.
    y : ndarray of shape (n_samples,)
        Target.
    alphas : ndarray of shape (n_alphas,)
        Regularisation strengths.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients, one column per alpha.
    dual_points : ndarray of shape (n_samples, n_alphas), default=None
        Dual points a solver returned, tried besides the residuals.

    Returns
    -------
    primal : ndarray of shape (n_alphas,)
        ``||y - X w||^2 / (2 n) + alpha * ||w||_1`` (NaN where ``w`` is not
        finite).
    dual : ndarray of shape (n_alphas,)
        The best bound of :func:`dual_objective`; the optimum lies in
        ``[dual, primal]``.
    """
    coefs = np.asarray(coefs, dtype=np.float64)
    residuals = y[:, None] - np.asarray(X @ coefs)
    primal = (residuals**2).sum(axis=0) / (2 * X.shape[0]) + alphas * np.abs(coefs).sum(
        axis=0
    )
    dual = dual_objective(X, y, alphas, residuals)
    if dual_points is not None:
        dual = np.fmax(dual, dual_objective(X, y, alphas, dual_points))
    return primal, dual


def run(solver, case, alphas, tol):
    """Run one solver on a path once, timed, with its warnings silenced.

    Parameters
    ----------
    solver : competitors.Solver
        The solver.
    case : datasets.Case
        The problem.
    alphas : ndarray of shape (n_alphas,)
        Alpha grid.
    tol : float
        Tolerance, in the solver's convention.

    Returns
    -------
    seconds : float
        Wall-clock time of ``solver.solve_path``.
    primal : ndarray of shape (n_alphas,)
        Objective reached at each alpha.
    dual : ndarray of shape (n_alphas,)
        Dual objective certified by that point.
    """
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        coefs = solver.solve_path(case.X, case.y, alphas, tol, MAX_ITER)
        seconds = time.perf_counter() - start
    coefs = np.asarray(coefs)
    if coefs.shape != (case.shape[1], len(alphas)):
        raise ValueError(
            f"coefs of shape {coefs.shape}, expected {(case.shape[1], len(alphas))}"
        )
    return seconds, *objectives(case.X, case.y, alphas, coefs)


def suboptimality(primal, best):
    """Largest relative suboptimality over the alphas.

    Parameters
    ----------
    primal, best : ndarray of shape (n_alphas,)
        Objectives reached and best known objectives.

    Returns
    -------
    subopt : float
        ``max((primal - best) / best)``; inf if any objective is not finite.
    """
    if not np.all(np.isfinite(primal)):
        return np.inf
    return float(np.max((primal - best) / best))


class CaseResult:
    """Everything measured on one case.

    Parameters
    ----------
    case : datasets.Case
        The problem.
    n_alphas : int
        Length of the alpha grid.

    Attributes
    ----------
    alphas : ndarray
        The grid.
    best : ndarray
        Best objective known at each alpha (reference and every run).
    dual : ndarray
        Best dual objective known at each alpha: a lower bound on P*.
    ladder : dict of str to list of (tol, seconds, primal)
        Each solver's runs along the tol ladder.
    tol : dict of str to float or None
        The first tol at which each solver reached the target (None if never).
    times, primals : dict of str to list
        Seconds and objectives of the timed runs.
    failures : dict of str to str
        Solvers that raised, with the error.
    order_ratios : ndarray
        C / F time ratios of the paired l1l2 runs (``time_order_pairs``).
    reference : str
        How the reference was obtained.
    """

    def __init__(self, case, n_alphas):
        self.case = case
        self.alphas = case.alphas(n_alphas)
        self.best = np.full(n_alphas, np.inf)
        self.dual = np.full(n_alphas, -np.inf)
        self.ladder, self.tol, self.times, self.primals = {}, {}, {}, {}
        self.failures = {}
        self.order_ratios = np.array([])  # C / F ratios of paired l1l2 runs
        self.reference = "none"

    def record(self, primal, dual):
        """Fold one run's objectives into the best known bounds."""
        self.best = np.fmin(self.best, primal)
        self.dual = np.fmax(self.dual, dual)

    def certificate(self):
        """Largest relative width ``(best - dual) / best`` of the bounds on P*."""
        return float(np.max((self.best - self.dual) / self.best))

    def subopt(self, primal):
        """Largest relative suboptimality of ``primal`` against the best known."""
        return suboptimality(primal, self.best)


def sklearn_reference(X, y, alphas):
    """scikit-learn's path at ``REFERENCE_TOL``, residuals as dual points."""
    coefs = load_sklearn().solve_path(X, y, alphas, REFERENCE_TOL, REFERENCE_MAX_ITER)
    return coefs, None


def celer_reference(X, y, alphas):
    """celer's path at ``REFERENCE_TOL`` with celer's own dual points."""
    return celer_dual_path(X, y, alphas, REFERENCE_TOL, REFERENCE_MAX_ITER)


def compute_reference(result):
    """Solve the case tightly and certify every alpha with a duality gap.

    scikit-learn (Gram-matrix coordinate descent) first when
    ``n_samples > n_features``, celer (with its dual points) first otherwise;
    the other one only when the first leaves a relative gap above
    ``TARGET / 1000`` at some alpha (or celer is not installed). The gaps are
    computed here from the returned points, not taken from the solvers.

    Parameters
    ----------
    result : CaseResult
        Updated in place (``best``, ``dual``, ``reference``).
    """
    case, alphas = result.case, result.alphas
    candidates = {"celer": celer_reference, "scikit-learn": sklearn_reference}
    if case.shape[0] > case.shape[1]:
        candidates = dict(reversed(candidates.items()))
    used = []
    for name, solve in candidates.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                coefs, points = solve(case.X, case.y, alphas)
            except ImportError:
                continue
        used.append(f"{name} ({time.perf_counter() - start:.1f} s)")
        result.record(*objectives(case.X, case.y, alphas, coefs, points))
        if result.certificate() <= TARGET / 1000:
            break
    result.reference = (
        f"{' then '.join(used)} at tol {power(REFERENCE_TOL)}, certified to "
        f"max (P_ref - D) / P_ref = {result.certificate():.1e}"
    )


def climb_ladder(result, solver, max_seconds):
    """Lower a solver's tol until it reaches the target at every alpha.

    Parameters
    ----------
    result : CaseResult
        Updated in place (``ladder``, ``tol``, ``best``, ``dual``).
    solver : competitors.Solver
        The solver.
    max_seconds : float
        Give up once the ladder's runs have taken this long in total.
    """
    points = result.ladder[solver.name] = []
    result.tol[solver.name] = None
    for tol in TOLS:
        seconds, primal, dual = run(solver, result.case, result.alphas, tol)
        result.record(primal, dual)
        points.append((tol, seconds, primal))
        if result.subopt(primal) <= TARGET:
            result.tol[solver.name] = tol
            return
        if sum(point[1] for point in points) > max_seconds:
            return


def bench_case(case, solvers, args):
    """Run the whole protocol on one case.

    Parameters
    ----------
    case : datasets.Case
        The problem.
    solvers : dict of str to competitors.Solver
        Solvers to time.
    args : argparse.Namespace
        Options (``repeat``, ``max_seconds``, ``n_alphas``).

    Returns
    -------
    result : CaseResult
        The measurements.
    """
    result = CaseResult(case, args.n_alphas)
    for name, solver in solvers.items():
        try:  # untimed warm-up on the head of the path
            run(solver, case, result.alphas[:2], TOLS[0])
        except Exception as error:  # noqa: BLE001 - a solver's bug is a result
            result.failures[name] = f"{type(error).__name__}: {error}"
    log(f"{case.name}: warm-up done")
    compute_reference(result)
    log(f"{case.name}: reference {result.reference}")
    for name, solver in solvers.items():
        if name in result.failures:
            continue
        try:
            if args.tol is None:
                climb_ladder(result, solver, args.max_seconds)
            else:
                run_at_tol(result, solver, args.tol)
        except Exception as error:  # noqa: BLE001
            result.failures[name] = f"{type(error).__name__}: {error}"
            continue
        tol, seconds, primal = result.ladder[name][-1]
        log(
            f"{case.name}: {solver.label} ladder ends at tol {power(tol)}, "
            f"{seconds:.2f} s, subopt {result.subopt(primal):.1e}"
        )
    entries = timed_entries(result, solvers)
    timed = [name for name in entries if name != C_ORDER]
    for name in timed:
        result.times[name], result.primals[name] = [], []
    for i in range(args.repeat * bool(timed)):
        for name in timed[i % len(timed) :] + timed[: i % len(timed)]:
            if sum(result.times[name]) > args.max_seconds:
                continue  # one slow solver must not hold up the whole run
            solver, timed_case = entries[name]
            seconds, primal, dual = run(
                solver, timed_case, result.alphas, result.tol[name]
            )
            result.record(primal, dual)
            result.times[name].append(seconds)
            result.primals[name].append(primal)
    time_order_pairs(result, entries, args)
    log(f"{case.name}: timed runs done")
    return result


C_ORDER = "l1l2-C"  # the timed runs' key of l1l2 on a C-ordered X
# Paired F- and C-ordered runs behind the C / F ratio: at least
# ORDER_PAIRS, more on a fast path (up to ORDER_SECONDS of F-ordered runs,
# at most ORDER_MAX_PAIRS), where one pair's ratio is the noisiest.
ORDER_PAIRS = 15
ORDER_SECONDS = 1.0
ORDER_MAX_PAIRS = 200


def time_order_pairs(result, entries, args):
    """Time l1l2 on F- and C-ordered X in adjacent pairs, the first of each
    pair alternating, so that both orders see the same machine.

    Fills ``result.times[C_ORDER]`` (and its objectives) and
    ``result.order_ratios``, each pair's C / F ratio. Stops early once the
    C-ordered runs exceed ``args.max_seconds`` in total.
    """
    if C_ORDER not in entries:
        return
    seconds_of = {"l1l2": [], C_ORDER: []}
    result.primals[C_ORDER] = []
    typical = float(np.median(result.times["l1l2"]))
    fast_pairs = int(ORDER_SECONDS / max(typical, 1e-9))
    n_pairs = max(args.repeat, ORDER_PAIRS, min(ORDER_MAX_PAIRS, fast_pairs))
    for i in range(n_pairs):
        if sum(seconds_of[C_ORDER]) > args.max_seconds:
            break
        for key in ("l1l2", C_ORDER)[:: 1 - 2 * (i % 2)]:
            solver, timed_case = entries[key]
            seconds, primal, dual = run(
                solver, timed_case, result.alphas, result.tol[key]
            )
            result.record(primal, dual)
            seconds_of[key].append(seconds)
            if key == C_ORDER:
                result.primals[C_ORDER].append(primal)
    result.times[C_ORDER] = seconds_of[C_ORDER]
    result.order_ratios = np.divide(seconds_of[C_ORDER], seconds_of["l1l2"])


def timed_entries(result, solvers):
    """What is timed: ``{key: (solver, case)}`` for every solver whose
    ladder reached the target (the rounds), and on a dense case l1l2 again
    on a C-ordered copy of X (key ``C_ORDER``, at l1l2's tol; the pairs of
    ``time_order_pairs``).
    """
    case = result.case
    entries = {
        name: (solver, case)
        for name, solver in solvers.items()
        if result.tol.get(name) and name not in result.failures
    }
    if "l1l2" in entries and isinstance(case.X, np.ndarray):
        c_case = dataclasses.replace(case, X=np.ascontiguousarray(case.X))
        entries[C_ORDER] = (solvers["l1l2"], c_case)
        result.tol[C_ORDER] = result.tol["l1l2"]
    return entries


def log(message):
    """Print progress to stderr, after the seconds elapsed since the start."""
    print(
        f"[{time.perf_counter() - STARTED:6.1f} s] {message}",
        file=sys.stderr,
        flush=True,
    )


def power(value):
    """Format a power of ten, e.g. ``power(0.001) == "1e-3"``."""
    return f"{value:.0e}".replace("e-0", "e-").replace("e+0", "e")


def format_seconds(seconds):
    """Format a duration, e.g. ``"812 us"``, ``"3.40 ms"``, ``"1.25 s"``."""
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "us")):
        if seconds >= scale or unit == "us":
            value = seconds / scale
            digits = 2 if value < 10 else 1 if value < 100 else 0
            return f"{value:.{digits}f} {unit}"


def run_at_tol(result, solver, tol):
    """``--tol``: one untimed run at the given tol, whatever its accuracy
    (equal tol instead of equal accuracy).

    Parameters
    ----------
    result : CaseResult
        Updated in place (``ladder``, ``tol``, ``best``, ``dual``).
    solver : competitors.Solver
        The solver.
    tol : float
        The tol every solver runs at.
    """
    seconds, primal, dual = run(solver, result.case, result.alphas, tol)
    result.record(primal, dual)
    result.ladder[solver.name] = [(tol, seconds, primal)]
    result.tol[solver.name] = tol


HEADER = (
    "case",
    "solver",
    "time (median)",
    "tol needed",
    "max rel. subopt",
    "time / sklearn",
    "time / fastest competitor",
)


def not_reached_cells(result, name):
    """Time, tol, suboptimality and ratio cells of a solver whose ladder
    stopped before the target: its last run, and the ladder's total time."""
    tol, _, primal = result.ladder[name][-1]
    spent = format_seconds(sum(point[1] for point in result.ladder[name]))
    return [
        f"not reached (stopped at tol {power(tol)} after {spent})",
        "-",
        f"{result.subopt(primal):.1e}",
        "-",
    ]


def table_rows(result, solvers, repeat):
    """Markdown rows of one case.

    Parameters
    ----------
    result : CaseResult
        The measurements.
    solvers : dict of str to competitors.Solver
        The solvers, for their labels.
    repeat : int
        Timed runs asked for; a time from fewer runs says how many.

    Returns
    -------
    rows : list of str
        One row per solver. A solver that never reached the target shows
        its last ladder run, marked "not reached"; one that failed, its error.
    """
    case = result.case
    median = {n: float(np.median(t)) for n, t in result.times.items()}
    competitors = [median[n] for n in median if n not in ("l1l2", C_ORDER)]
    fastest = min(competitors) if competitors else None
    sk = median.get("sklearn")
    shape = "x".join(map(str, case.shape))
    rows = []
    for name, solver in solvers.items():
        cells = [f"{case.name} ({shape}, eps {power(case.eps)})", solver.label]
        if name in result.failures:
            cells += [f"failed: {result.failures[name]}"] + [""] * 4
        elif name in median:
            subopt = max(result.subopt(p) for p in result.primals[name])
            runs = len(result.times[name])
            cells += [
                format_seconds(median[name])
                + (f" ({runs} run{'s' * (runs > 1)})" if runs < repeat else ""),
                f"{power(result.tol[name])}",
                f"{subopt:.1e}",
                f"{median[name] / sk:.2f}" if sk else "-",
                f"{median[name] / fastest:.2f}" if fastest else "-",
            ]
        else:
            cells += not_reached_cells(result, name) + ["-"]
        rows.append("| " + " | ".join(cells) + " |")
    if C_ORDER in median and "l1l2" in median:
        subopt = max(result.subopt(p) for p in result.primals[C_ORDER])
        cells = [
            f"{case.name} ({shape}, eps {power(case.eps)})",
            "l1l2, C-ordered X",
            format_seconds(median[C_ORDER]),
            power(result.tol[C_ORDER]),
            f"{subopt:.1e}",
            f"{median[C_ORDER] / sk:.2f}" if sk else "-",
            f"C / F order: {np.median(result.order_ratios):.2f}"
            f" ({len(result.order_ratios)} pairs)",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def plot_case(result, solvers, directory):
    """Draw the ladders of one case: suboptimality against time.

    Parameters
    ----------
    result : CaseResult
        The measurements.
    solvers : dict of str to competitors.Solver
        The solvers, for their labels.
    directory : pathlib.Path
        Where ``path_<case>.png`` is written.

    Returns
    -------
    path : pathlib.Path
        The file written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    case = result.case
    fig, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
    for name, points in result.ladder.items():
        if not points:
            continue
        tols, seconds, primals = zip(*points, strict=True)
        subopts = [max(result.subopt(p), PLOT_FLOOR) for p in primals]
        ax.plot(seconds, subopts, label=solvers[name].label, **STYLES[name])
        ax.annotate(
            f"{power(tols[-1])}",
            (seconds[-1], subopts[-1]),
            fontsize=7,
            color=STYLES[name]["color"],
            xytext=(4, -10),
            textcoords="offset points",
        )
    ax.axhline(
        TARGET,
        color="black",
        linestyle="--",
        linewidth=1,
        label=f"target {power(TARGET)}",
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    # ticks at 1, 2 and 5 times powers of ten, written as plain seconds
    ax.xaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("time of the whole path (s), one run per tol")
    ax.set_ylabel("max over alphas of (P - P*) / P*")
    shape = " x ".join(map(str, case.shape))
    ax.set_title(
        f"{case.name} ({shape}), {len(result.alphas)} alphas down to "
        f"{power(case.eps)} alpha_max\n"
        f"each marker: one tol of the ladder 1e-2, 1e-3, ...; "
        f"last tol written; values < {power(PLOT_FLOOR)} drawn at it",
        fontsize=9,
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"path_{case.name}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def git_revision(module_file):
    """Short commit of the checkout holding ``module_file``; says if src/ is dirty.

    Parameters
    ----------
    module_file : str
        A file of the package (``l1l2.__file__``).

    Returns
    -------
    revision : str
        E.g. ``"8e2c021"`` or ``"8e2c021 + uncommitted changes"``; ``"unknown"``
        outside a git checkout.
    """
    repo = Path(module_file).resolve().parents[2]

    def git(*command):
        return subprocess.run(
            ["git", *command], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "src", "setup.py")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} + uncommitted changes" if dirty else commit


def print_preamble(solvers, missing):
    """Print the command, the date, the machine and the versions."""
    command = shlex.join(["python", *sys.argv])
    if os.environ.get("PYTHONPATH"):
        command = f"PYTHONPATH={shlex.quote(os.environ['PYTHONPATH'])} {command}"
    print(f"Command: `{command}`\n")
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"Date: {now}; machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"load average at start {load}\n"
    )
    print(
        f"Versions: python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}"
    )
    for solver in solvers.values():
        revision = ""
        if solver.name == "l1l2":
            import l1l2

            revision = f", git {git_revision(l1l2.__file__)}"
        print(
            f"- {solver.label}: {solver.version}{revision}; tol: "
            f"{TOL_MEANING[solver.name]}"
        )
    for name, reason in missing.items():
        print(f"- {name}: not available ({reason})")
    print()


def parse_args(argv=None):
    """Parse the command line.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` if None.

    Returns
    -------
    args : argparse.Namespace
        The options.
    """
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument(
        "--solvers",
        nargs="+",
        choices=SOLVER_NAMES,
        default=list(SOLVER_NAMES),
        help="solvers to time, when installed (default: all)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per solver (default 3)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="small generated cases, for a smoke run"
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=60.0,
        help="time budget of one solver on one case, for its "
        "ladder and again for its timed runs (default 60)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads for every solver; 0 leaves "
        "the libraries' default (default 1: on a shared "
        "machine, threaded BLAS calls of celer and skglm on "
        "the tall case slowed down 30-fold when a core was busy)",
    )
    parser.add_argument(
        "--tol",
        type=float,
        default=None,
        help="time every solver at this tol instead of at the tol it needs "
        "for the target accuracy (equal tol, e.g. scikit-learn's default "
        "1e-4); the table then shows the accuracy each one reached",
    )
    parser.add_argument("--n-alphas", type=int, default=100, help=argparse.SUPPRESS)
    parser.add_argument(
        "--plot-dir",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="where path_<case>.png go (default: benchmarks/)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv=None):
    """Run the benchmark, print the markdown report, draw the pictures.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` if None.

    Returns
    -------
    status : int
        0 on success.
    """
    args = parse_args(argv)
    solvers, missing = load_solvers(args.solvers)
    print_preamble(solvers, missing)
    accuracy = (
        f"target max relative suboptimality {power(TARGET)}; tol ladder "
        f"{power(TOLS[0])}, {power(TOLS[1])}, ... {power(TOLS[-1])}"
        if args.tol is None
        else f"every solver at tol {power(args.tol)} (equal tol)"
    )
    print(
        f"Protocol: {args.n_alphas} alphas per path; {accuracy}; "
        f"max_iter {MAX_ITER} epochs per alpha; time = median of "
        f"{args.repeat} interleaved runs at that tol; BLAS/OpenMP "
        f"threads: {args.threads or 'library default'}"
        f"{'; --quick sizes' if args.quick else ''}.\n"
    )
    rows, notes = [], [s.note for s in solvers.values() if s.note]
    for name in args.cases:
        try:
            case = make_case(name, quick=args.quick)
        except MissingData as error:
            notes.append(f"Skipped {name}: {error}.")
            continue
        with threadpool_limits(args.threads or None):
            result = bench_case(case, solvers, args)
        rows += table_rows(result, solvers, args.repeat)
        notes.append(f"{name}: {case.source}; reference: {result.reference}.")
        if args.tol is None:  # the pictures draw the ladders
            picture = plot_case(result, solvers, args.plot_dir)
            notes.append(f"{name}: picture {picture.name}")
    print("| " + " | ".join(HEADER) + " |")
    print("|---|---|" + "---:|" * (len(HEADER) - 2))
    print("\n".join(rows))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    notes.append(f"Load average at the end (1, 5, 15 min): {load}.")
    print()
    for note in notes:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
