"""Time to a 1e-6-accurate L1 logistic path: l1l2 against scikit-learn
(liblinear, saga), celer, skglm and glmnet; and LogisticRegressionCV.

The protocol of bench_path.py, for the objective

    P(W) = (1/n) sum_i loss(y_i, W x_i) + alpha * sum |W|

(logistic loss for two classes, multinomial for more; no intercept) on the
cases of ``logistic_datasets.py`` and their 100-alpha grids:

1. A reference: l1l2 at tol 1e-13. Its dual objective is computed here,
   independently of l1l2, from the dual point ``c (Y - P) / n`` scaled into
   the feasible set (``c`` the largest scale at which ``|X^T theta|`` stays
   within alpha): the optimum lies in [D, P_best], whose width is printed.
2. The tolerance ladder: each solver runs the whole path at tol 1e-2, 1e-3,
   ... (its own convention, ``logistic_competitors.TOL_MEANING``) until the
   relative suboptimality ``(P - P*) / P*`` is at most 1e-6 at every alpha
   (``not reached`` when the ladder's time exceeds ``--max-seconds``).
3. Timing: ``--repeat`` rounds, the solvers' order rotating; the table
   shows the median and its ratio to the fastest competitor's.

The multinomial case (srbct) runs l1l2, saga and glmnet. A last section
times ``LogisticRegressionCV`` on leukemia against scikit-learn's on the
same Cs, folds and scoring. Every solver runs with one BLAS thread.

Run from the repository root after building l1l2 in place::

    PYTHONPATH=src python benchmarks/bench_logistic.py           # ~10 min
    PYTHONPATH=src python benchmarks/bench_logistic.py --quick   # smoke run
"""

import argparse
import sys
import time
import warnings

import numpy as np
from bench_path import (
    REFERENCE_TOL,
    TARGET,
    TOLS,
    format_seconds,
    log,
    not_reached_cells,
    power,
)
from datasets import MissingData
from logistic_competitors import (
    LOGISTIC_SOLVERS,
    MULTINOMIAL,
    TOL_MEANING,
    load_logistic_solvers,
)
from logistic_datasets import LOGISTIC_CASES, make_logistic_case
from scipy.special import log_softmax, softmax, xlogy
from threadpoolctl import threadpool_limits


def primal_and_dual(case, alphas, coefs):
    """Objective of each path point, and the dual objective of the scaled
    dual point built from it (a lower bound on the optimum).

    Parameters
    ----------
    case : LogisticCase
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_columns, n_features, n_alphas)

    Returns
    -------
    primal, dual : ndarray of shape (n_alphas,)
    """
    n = case.X.shape[0]
    Y = np.eye(case.n_classes)[case.y]
    primal, dual = np.empty(alphas.size), np.empty(alphas.size)
    for i, alpha in enumerate(alphas):
        W = coefs[..., i]
        eta = np.asarray(case.X @ W.T)
        if case.n_classes == 2:  # one column: the second class's logit
            eta = np.column_stack([np.zeros(n), eta[:, 0]])
        log_p = log_softmax(eta, axis=1)
        primal[i] = -np.sum(Y * log_p) / n + alpha * np.abs(W).sum()
        residual = (Y - softmax(eta, axis=1)) / n
        gradient = np.asarray(case.X.T @ residual)
        if case.n_classes == 2:
            gradient = gradient[:, 1:]
        scale = min(1.0, alpha / max(np.max(np.abs(gradient)), 1e-300))
        Q = Y - scale * n * residual  # probabilities of the dual point
        dual[i] = -np.sum(xlogy(Q, Q)) / n
    return primal, dual


class Result:
    """Everything measured on one case (see bench_path.CaseResult)."""

    def __init__(self, case, n_alphas):
        self.case = case
        self.alphas = case.alphas(n_alphas)
        self.best = np.full(n_alphas, np.inf)
        self.dual = np.full(n_alphas, -np.inf)
        self.ladder, self.tol, self.times, self.failures = {}, {}, {}, {}

    def run(self, solver, tol, max_iter=100_000):
        """One timed path; folds its objectives into the bounds. Returns
        ``(seconds, primal)``."""
        start = time.perf_counter()
        coefs = solver.solve_path(self.case.X, self.case.y, self.alphas, tol, max_iter)
        seconds = time.perf_counter() - start
        primal, dual = primal_and_dual(self.case, self.alphas, coefs)
        self.best = np.fmin(self.best, primal)
        self.dual = np.fmax(self.dual, dual)
        return seconds, primal

    def subopt(self, primal):
        return float(np.max((primal - self.best) / self.best))

    def certificate(self):
        return float(np.max((self.best - self.dual) / self.best))


def climb_ladder(result, name, solver, max_seconds):
    """Run ``solver`` at each tol of ``TOLS`` until the target is met."""
    points = result.ladder.setdefault(name, [])
    for tol in TOLS:
        seconds, primal = result.run(solver, tol)
        points.append((tol, seconds, primal))
        if result.subopt(primal) <= TARGET:
            result.tol[name] = tol
            return
        if sum(point[1] for point in points) > max_seconds:
            return


def bench_case(case, solvers, args):
    """Reference, ladders and timed rounds on one case."""
    result = Result(case, args.n_alphas)
    for name, solver in solvers.items():
        try:  # untimed warm-up on the head of the path
            solver.solve_path(case.X, case.y, result.alphas[:2], TOLS[0], 100)
        except Exception as error:  # noqa: BLE001 - a solver's bug is a result
            result.failures[name] = f"{type(error).__name__}: {error}"
    if "l1l2" in solvers:
        result.run(solvers["l1l2"], REFERENCE_TOL)
    log(f"{case.name}: reference certified to {result.certificate():.1e}")
    for name, solver in solvers.items():
        if name not in result.failures:
            try:
                climb_ladder(result, name, solver, args.max_seconds)
            except Exception as error:  # noqa: BLE001
                result.failures[name] = f"{type(error).__name__}: {error}"
    timed = [name for name in solvers if result.tol.get(name)]
    for name in timed:
        result.times[name] = []
    for i in range(args.repeat * bool(timed)):
        for name in timed[i % len(timed) :] + timed[: i % len(timed)]:
            if sum(result.times[name]) <= args.max_seconds:
                result.times[name].append(
                    result.run(solvers[name], result.tol[name])[0]
                )
    log(f"{case.name}: timed runs done")
    return result


def table_rows(result, solvers):
    """Markdown rows of one case."""
    case = result.case
    median = {name: float(np.median(times)) for name, times in result.times.items()}
    competitors = [value for name, value in median.items() if name != "l1l2"]
    fastest = min(competitors) if competitors else None
    shape = "x".join(map(str, case.X.shape))
    label = f"{case.name} ({shape}, {case.n_classes} classes, eps {power(case.eps)})"
    rows = []
    for name, solver in solvers.items():
        cells = [label, solver.label]
        if name in result.failures:
            cells += [f"failed: {result.failures[name]}", "", "", ""]
        elif name in median:
            subopt = result.subopt(result.ladder[name][-1][2])
            cells += [
                format_seconds(median[name]),
                power(result.tol[name]),
                f"{subopt:.1e}",
                f"{median[name] / fastest:.2f}" if fastest else "-",
            ]
        else:
            cells += not_reached_cells(result, name)
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def bench_cv(args):
    """LogisticRegressionCV on leukemia, l1l2 against scikit-learn, on the
    same Cs (the path's grid), stratified folds and log-loss scoring."""
    from sklearn.linear_model import LogisticRegressionCV as SkCV
    from sklearn.model_selection import StratifiedKFold

    from l1l2 import LogisticRegressionCV

    case = make_logistic_case("leukemia")
    Cs = 1.0 / (case.X.shape[0] * case.alphas(args.n_alphas))
    options = {
        "Cs": Cs,
        "l1_ratios": (1.0,),
        "cv": StratifiedKFold(5),
        "scoring": "neg_log_loss",
        "use_legacy_attributes": False,
        "fit_intercept": False,
    }
    rows = []
    for label, model in (
        ("l1l2", LogisticRegressionCV(**options)),
        ("sklearn saga", SkCV(**options, solver="saga")),
        ("sklearn liblinear", SkCV(**options, solver="liblinear")),
    ):
        seconds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(case.X, case.y)
            seconds.append(time.perf_counter() - start)
        rows.append(
            (
                label,
                float(np.median(seconds)),
                float(model.C_),
                float(model.scores_.mean(axis=0).max()),
            )
        )
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", nargs="+", choices=LOGISTIC_CASES, default=list(LOGISTIC_CASES)
    )
    parser.add_argument(
        "--solvers", nargs="+", choices=LOGISTIC_SOLVERS, default=list(LOGISTIC_SOLVERS)
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=60.0,
        help="time budget of one solver's ladder (default 60)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small generated cases, for a smoke run"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the CV section")
    parser.add_argument("--n-alphas", type=int, default=100, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    solvers, missing = load_logistic_solvers(args.solvers)
    print("# bench_logistic.py\n")
    print(f"Command: `{' '.join(sys.argv)}`\n")
    for name, solver in solvers.items():
        print(f"- {solver.label}: {solver.version}; tol: {TOL_MEANING[name]}")
    for name, reason in missing.items():
        print(f"- {name}: not installed ({reason})")
    print(
        "\n| case | solver | time (median) | tol needed | max rel. subopt "
        "| time / fastest competitor |\n|---|---|---:|---:|---:|---:|"
    )
    notes = []
    with threadpool_limits(1):
        for name in args.cases:
            try:
                case = make_logistic_case(name, quick=args.quick)
            except MissingData as error:
                notes.append(f"- {name}: skipped ({error})")
                continue
            chosen = {
                key: solver
                for key, solver in solvers.items()
                if case.n_classes == 2 or key in MULTINOMIAL
            }
            result = bench_case(case, chosen, args)
            print("\n".join(table_rows(result, chosen)), flush=True)
            notes.append(
                f"- {name}: {case.source}; optimum certified to "
                f"(P_best - D) / P_best = {result.certificate():.1e}"
            )
            notes += [f"- {s.label}: {s.note}" for s in chosen.values() if s.note]
        if not args.no_cv:
            print(
                "\n| LogisticRegressionCV on leukemia | time (median) | C_ "
                "| best mean score |\n|---|---:|---:|---:|"
            )
            for label, seconds, C, score in bench_cv(args):
                print(
                    f"| {label} | {format_seconds(seconds)} | {C:.4g} | {score:.4f} |"
                )
    print("\n" + "\n".join(dict.fromkeys(notes)))


if __name__ == "__main__":
    main()
