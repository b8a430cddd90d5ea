"""Time LassoCV and ElasticNetCV: l1l2 against scikit-learn, celer and glmnet.

Protocol (issue 5, item 4). For each case of ``datasets.py`` (default:
riboflavin 71 x 4088, the sparse 20000 x 50000 CSC case, diabetes 442 x 10)
and each estimator (``LassoCV``, and ``ElasticNetCV`` with
``l1_ratio=[.1, .5, .9, 1]``), every library cross-validates

- on the folds of ``KFold(5, shuffle=True, random_state=0)``;
- on 100 alphas (20 with ``--quick``) per ``l1_ratio``, geometric from
  ``alpha_max`` (computed on all the data) down to ``eps * alpha_max``, with
  the case's ``eps`` of ``datasets.EPS`` (1e-3; 1e-2 for sparse), as in
  ``bench_path.py``;
- with an intercept on the dense cases and without one on the sparse case
  (which ``datasets.py`` leaves uncentred, as ``bench_path.py`` does), the
  same for every library;
- at ``--tol`` (default 1e-6), each library in its own convention (printed
  with the results, see ``competitors.TOL_MEANING``), everything else at the
  library's defaults, and selects the alpha (and l1_ratio) of smallest mean
  test MSE.

What differs between libraries:

- l1l2, scikit-learn: ``LassoCV`` / ``ElasticNetCV(cv=KFold(...), alphas=100,
  eps=eps, tol=tol, fit_intercept=...)``, max_iter 1000 epochs per alpha; the
  chosen model is refitted on all the data.
- celer: its ``LassoCV`` / ``ElasticNetCV`` with the same arguments (celer's
  defaults max_iter=100 working-set iterations, max_epochs=50000, prune). celer
  0.7.4's constructors pass ``n_alphas`` to scikit-learn's ``LinearModelCV``,
  which scikit-learn 1.9 no longer accepts; when that fails the estimator is
  built without its ``__init__`` (same attributes set directly). Its fit is
  scikit-learn's ``LinearModelCV.fit`` with celer's path and celer's refit.
- glmnet (python-glmnet): its built-in CV, ``glmnet.ElasticNet(alpha=l1_ratio,
  n_splits=5, random_state=0)``, which splits with exactly
  ``KFold(5, shuffle=True, random_state=0)``; ``standardize=False`` so that
  X is not rescaled; the lambda path passed explicitly (scikit-learn's grid,
  computed inside the timed region), so that glmnet neither chooses its own
  grid nor stops the path early. glmnet scales y to unit norm (``s`` =
  standard deviation of y, root mean square without intercept) before solving,
  which divides its ridge term by ``s``: for ``l1_ratio = r < 1`` it is given
  the mixing ``r / c`` and the lambdas ``c * alpha``, ``c = r + (1 - r) s``,
  which is exactly scikit-learn's ``(alpha, r)`` problem with ``s`` of all the
  data; on each fold glmnet uses that fold's ``s``, so the folds' ridge weights
  differ from scikit-learn's by the factor ``s / s_fold`` (the Lasso,
  ``r = 1``, is exact: ``lambda = alpha``);
  ``scoring="mean_squared_error"`` and ``cut_point=0`` (the minimum, not
  glmnet's default 1-SE rule and R^2); ``max_iter`` = 1000 passes per alpha,
  glmnet's budget being for the whole path. One fit per l1_ratio, the best
  mean MSE wins. glmnet fits the full-data path before the folds and reads the
  chosen model off it instead of refitting; it keeps only the fold means of
  the MSE, so its MSE difference compares those; it copies X on every fit.

Timing: ``--repeat`` rounds in which every library fits once, the order
rotating from round to round; the median is reported, and its ratio
``scikit-learn time / library time`` (above 1: faster than scikit-learn). A
library whose timed fits on a (case, estimator) exceed ``--max-seconds`` in
total is not run again there (the table then says from how many runs).
An untimed warm-up fit (two large alphas) precedes the timings on each case.
One BLAS/OpenMP thread (``--threads``) and one fold at a time for everyone.

The table also shows the selected alpha (and l1_ratio), whether it is
scikit-learn's (relative tolerance 1e-9), the largest relative difference of
the per-fold test MSEs (``mse_path_``) from scikit-learn's on the same grid,
and the convergence warnings of the last fit (scikit-learn and celer warn
once per unconverged solve, l1l2 once per fit with the count of unconverged
solves, glmnet with a RuntimeWarning per path that stopped early).

Run from the repository root after building l1l2 in place (the first command
is the full run, all defaults spelled out; estimated 10-20 min on 2 cores,
most of it scikit-learn's and celer's ElasticNetCV; the second a smoke run of
a few seconds)::

    PYTHONPATH=src python benchmarks/bench_cv.py --cases riboflavin sparse \
        diabetes --estimators lasso enet --repeat 3 --tol 1e-6 --threads 1 \
        --max-seconds 60
    PYTHONPATH=src python benchmarks/bench_cv.py --quick --repeat 1 --cases sparse
"""

import argparse
import gc
import inspect
import os
import platform
import re
import shlex
import sys
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy
import scipy.sparse as sp
from bench_path import format_seconds, git_revision, log, power
from competitors import TOL_MEANING, load_solvers
from datasets import CASES, MissingData, make_case
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

LIBRARIES = ("l1l2", "sklearn", "celer", "glmnet")
ESTIMATORS = {  # name: (class name, l1_ratios)
    "lasso": ("LassoCV", (1.0,)),
    "enet": ("ElasticNetCV", (0.1, 0.5, 0.9, 1.0)),
}
DEFAULT_CASES = ("riboflavin", "sparse", "diabetes")
N_FOLDS = 5
SEED = 0
MAX_ITER = 1000  # epochs per alpha: scikit-learn's and l1l2's default
SAME_ALPHA_RTOL = 1e-9
NOTES = []  # things a reader of the results must know, filled while running


@dataclass(frozen=True)
class Setup:
    """What every library is asked to do on one (case, estimator).

    Attributes
    ----------
    estimator : str
        A key of :data:`ESTIMATORS`.
    n_alphas : int
        Alphas per l1_ratio.
    eps : float
        ``alpha_min / alpha_max``.
    tol : float
        Tolerance, in each library's convention.
    fit_intercept : bool
        Fit an intercept.
    """

    estimator: str
    n_alphas: int
    eps: float
    tol: float
    fit_intercept: bool

    @property
    def class_name(self):
        """``"LassoCV"`` or ``"ElasticNetCV"``."""
        return ESTIMATORS[self.estimator][0]

    @property
    def l1_ratios(self):
        """The l1_ratios searched."""
        return ESTIMATORS[self.estimator][1]

    def folds(self):
        """The splitter everyone uses."""
        return KFold(N_FOLDS, shuffle=True, random_state=SEED)

    def sklearn_kwargs(self):
        """Constructor arguments of a scikit-learn-style CV estimator."""
        kwargs = {
            "alphas": self.n_alphas,
            "eps": self.eps,
            "tol": self.tol,
            "fit_intercept": self.fit_intercept,
            "cv": self.folds(),
        }
        if self.estimator != "lasso":
            kwargs["l1_ratio"] = list(self.l1_ratios)
        return kwargs


def alpha_grids(X, y, setup):
    """scikit-learn's alpha grid of every l1_ratio, shape (n_l1_ratio, n_alphas).

    ``alpha_max = max_j |x_j^T (y - mean(y))| / (n * l1_ratio)`` (``y`` not
    centred without intercept); centring X as well would change nothing, as
    the centred y sums to zero.
    """
    target = y - y.mean() if setup.fit_intercept else y
    alpha_max = np.max(np.abs(np.asarray(X.T @ target))) / X.shape[0]
    return np.array(
        [
            np.geomspace(alpha_max / r, setup.eps * alpha_max / r, setup.n_alphas)
            for r in setup.l1_ratios
        ]
    )


def build_sklearn(setup):
    """scikit-learn's LassoCV or ElasticNetCV."""
    import sklearn.linear_model

    return getattr(sklearn.linear_model, setup.class_name)(**setup.sklearn_kwargs())


def build_l1l2(setup):
    """l1l2's LassoCV or ElasticNetCV (same signature as scikit-learn's)."""
    import l1l2

    return getattr(l1l2, setup.class_name)(**setup.sklearn_kwargs())


def build_celer(setup):
    """celer's LassoCV or ElasticNetCV, built around its broken constructor.

    celer's own arguments are ``n_alphas`` and ``alphas=None``; scikit-learn
    1.9's ``LinearModelCV.fit`` reads ``alphas`` (an int there) and ``copy_X``,
    so both are set as well.
    """
    import celer

    cls = getattr(celer, setup.class_name)
    kwargs = setup.sklearn_kwargs()
    kwargs["n_alphas"] = kwargs.pop("alphas")
    try:
        return cls(**kwargs)
    except TypeError:  # celer 0.7.4 under scikit-learn >= 1.8
        pass
    params = {
        name: parameter.default
        for name, parameter in inspect.signature(cls).parameters.items()
    }
    params.update(kwargs, alphas=setup.n_alphas, copy_X=True)
    model = cls.__new__(cls)
    model.__dict__.update(params)
    note = (
        "celer: its CV constructors fail under this scikit-learn (they pass "
        "n_alphas to LinearModelCV); built without __init__, fitted by celer's "
        "own (scikit-learn-derived) code."
    )
    if note not in NOTES:
        NOTES.append(note)
    return model


class GlmnetCV:
    """python-glmnet's built-in CV, once per l1_ratio, on our folds and grid.

    Parameters
    ----------
    setup : Setup
        What to fit.

    Attributes
    ----------
    alpha_, l1_ratio_ : float
        The selection (smallest mean test MSE over all l1_ratios).
    alphas_ : ndarray of shape (n_l1_ratio, n_alphas)
        The grids (scikit-learn's).
    mean_mse_ : ndarray of shape (n_l1_ratio, n_alphas)
        Mean over the folds of the test MSE (glmnet keeps no per-fold MSE).
    coef_, intercept_ :
        glmnet's full-data path at the selection.
    """

    def __init__(self, setup):
        self.setup = setup

    def fit(self, X, y):
        """Cross-validate every l1_ratio, keep the best."""
        from glmnet import ElasticNet

        setup = self.setup
        self.alphas_ = alpha_grids(X, y, setup)
        # glmnet scales y to unit norm (weights 1/n) before solving, which
        # divides its ridge term by that norm: glmnet's (lambda, mixing a)
        # below solve scikit-learn's (alpha, l1_ratio) problem on all the data.
        target = y - y.mean() if setup.fit_intercept else y
        y_scale = np.sqrt(np.mean(target**2))
        models = []
        for l1_ratio, grid in zip(setup.l1_ratios, self.alphas_, strict=True):
            factor = l1_ratio + (1 - l1_ratio) * y_scale
            model = ElasticNet(
                alpha=l1_ratio / factor,
                lambda_path=grid * factor,
                standardize=False,
                fit_intercept=setup.fit_intercept,
                tol=setup.tol,
                max_iter=MAX_ITER * setup.n_alphas,
                n_splits=N_FOLDS,
                random_state=SEED,  # glmnet splits with KFold(5, shuffle=True, 0)
                scoring="mean_squared_error",
                cut_point=0.0,
            )
            models.append(model.fit(X, y))
        self.mean_mse_ = -np.array([model.cv_mean_score_ for model in models])
        if self.mean_mse_.shape != self.alphas_.shape:
            raise RuntimeError(f"glmnet scored {self.mean_mse_.shape[1]} alphas")
        best = int(np.argmin(self.mean_mse_.min(axis=1)))
        index = int(np.argmin(self.mean_mse_[best]))
        self.l1_ratio_ = setup.l1_ratios[best]
        self.alpha_ = self.alphas_[best, index]
        self.coef_ = models[best].coef_path_[:, index]
        self.intercept_ = models[best].intercept_path_[index]
        return self


def build_glmnet(setup):
    """glmnet's CV (see :class:`GlmnetCV`)."""
    return GlmnetCV(setup)


BUILDERS = {
    "l1l2": build_l1l2,
    "sklearn": build_sklearn,
    "celer": build_celer,
    "glmnet": build_glmnet,
}


def convergence_warnings(caught):
    """Summarise the convergence warnings of one fit.

    Returns
    -------
    summary : str
        Their number; with the number of unconverged solves when a warning
        states it (l1l2's "did not converge for N of ...").
    """
    messages = [
        str(w.message)
        for w in caught
        if issubclass(w.category, ConvergenceWarning)
        or "converge" in str(w.message).lower()
    ]
    counts = [re.search(r"converge for (\d+) of", m) for m in messages]
    solves = sum(int(c.group(1)) for c in counts if c)
    return f"{len(messages)}" + (f" ({solves} solves)" if solves else "")


def timed_fit(library, setup, case):
    """Build and fit one CV estimator.

    Returns
    -------
    seconds : float
        Wall-clock time of ``fit``.
    model : object
        The fitted estimator.
    warned : str
        :func:`convergence_warnings` of the fit.
    """
    model = BUILDERS[library](setup)
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        model.fit(case.X, case.y)
        seconds = time.perf_counter() - start
    return seconds, model, convergence_warnings(caught)


@dataclass
class Outcome:
    """One library's runs on one (case, estimator)."""

    times: list = field(default_factory=list)
    model: object = None
    warned: str = ""
    failure: str = ""


def warm_up(libraries, case, setup):
    """One untimed fit per library on the two largest alphas; failures noted."""
    small = Setup(setup.estimator, 2, 0.5, setup.tol, setup.fit_intercept)
    failures = {}
    for library in libraries:
        try:
            timed_fit(library, small, case)
        except Exception as error:  # noqa: BLE001 - a library's bug is a result
            failures[library] = f"{type(error).__name__}: {error}"
    return failures


def bench(libraries, case, setup, args):
    """Time every library on one (case, estimator), in rotating order.

    Returns
    -------
    outcomes : dict of str to Outcome
    """
    outcomes = {library: Outcome() for library in libraries}
    for library, failure in warm_up(libraries, case, setup).items():
        outcomes[library].failure = failure
    for i in range(args.repeat):
        shift = i % len(libraries)
        for library in libraries[shift:] + libraries[:shift]:
            outcome = outcomes[library]
            if outcome.failure or sum(outcome.times) > args.max_seconds:
                continue  # one slow library must not hold up the whole run
            try:
                seconds, outcome.model, outcome.warned = timed_fit(library, setup, case)
            except Exception as error:  # noqa: BLE001
                outcome.failure = f"{type(error).__name__}: {error}"
                continue
            outcome.times.append(seconds)
            log(f"{case.name} {setup.class_name}: {library} {format_seconds(seconds)}")
    return outcomes


def cv_curves(model, n_l1_ratios):
    """The grid and test MSEs of a fitted CV estimator, in one layout.

    Returns
    -------
    alphas : ndarray of shape (n_l1_ratio, n_alphas)
    mse : ndarray of shape (n_l1_ratio, n_alphas, n_folds)
        Per-fold test MSEs; for glmnet, whose CV keeps only their mean,
        shape (n_l1_ratio, n_alphas, 1).
    """
    alphas = np.reshape(model.alphas_, (n_l1_ratios, -1))
    if hasattr(model, "mse_path_"):
        return alphas, np.reshape(model.mse_path_, (*alphas.shape, -1))
    return alphas, model.mean_mse_[..., np.newaxis]


def compare(model, reference, setup):
    """How a library's CV agrees with scikit-learn's.

    Returns
    -------
    same_choice : str
        "yes" if alpha_ (and l1_ratio_) equal scikit-learn's, else "no".
    mse_difference : str
        ``max |mse / mse_sklearn - 1|`` over l1_ratios, alphas and folds
        (fold means for glmnet), or why it is not comparable.
    """
    n_l1 = len(setup.l1_ratios)
    same = np.isclose(model.alpha_, reference.alpha_, rtol=SAME_ALPHA_RTOL, atol=0)
    same &= getattr(model, "l1_ratio_", 1.0) == getattr(reference, "l1_ratio_", 1.0)
    alphas, mse = cv_curves(model, n_l1)
    ref_alphas, ref_mse = cv_curves(reference, n_l1)
    if alphas.shape != ref_alphas.shape or not np.allclose(
        alphas, ref_alphas, rtol=SAME_ALPHA_RTOL, atol=0
    ):
        return ("yes" if same else "no"), "grids differ"
    suffix = ""
    if mse.shape != ref_mse.shape:
        ref_mse, suffix = ref_mse.mean(axis=-1, keepdims=True), " (fold means)"
    difference = np.max(np.abs(mse / ref_mse - 1))
    return ("yes" if same else "no"), f"{difference:.1e}{suffix}"


def selection(model, setup):
    """The chosen alpha, with the l1_ratio for ElasticNetCV."""
    text = f"{model.alpha_:.4g}"
    if setup.estimator != "lasso":
        text += f" ({getattr(model, 'l1_ratio_', 1.0):g})"
    return text


HEADER = (
    "case",
    "estimator",
    "library",
    "time (median)",
    "sklearn / library",
    "alpha_ (l1_ratio_)",
    "= sklearn's",
    "max rel. mse_path_ diff",
    "convergence warnings",
)


def table_rows(case, setup, outcomes, repeat):
    """Markdown rows of one (case, estimator), one per library."""
    shape = "x".join(map(str, case.shape))
    intercept = "intercept" if setup.fit_intercept else "no intercept"
    label = f"{case.name} ({shape}, eps {power(case.eps)}, {intercept})"
    reference = outcomes.get("sklearn")
    sk_time = float(np.median(reference.times)) if reference.times else None
    rows = []
    for library, outcome in outcomes.items():
        cells = [label, setup.class_name, library]
        if outcome.failure:
            cells += [f"failed: {outcome.failure}"] + [""] * 5
        elif not outcome.times:
            cells += ["not run"] + [""] * 5
        else:
            median, runs = float(np.median(outcome.times)), len(outcome.times)
            time_cell = format_seconds(median)
            if runs < repeat:
                time_cell += f" ({runs} run{'s' * (runs > 1)})"
            if library == "sklearn":
                same, difference = "-", "-"
            elif reference.model is not None:
                same, difference = compare(outcome.model, reference.model, setup)
            else:
                same, difference = "?", "?"
            cells += [
                time_cell,
                f"{sk_time / median:.2f}" if sk_time else "-",
                selection(outcome.model, setup),
                same,
                difference,
                outcome.warned,
            ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def print_preamble(versions, missing, args):
    """Print the command, the date, the machine, the versions and the protocol."""
    command = shlex.join(["python", *sys.argv])
    if os.environ.get("PYTHONPATH"):
        command = f"PYTHONPATH={shlex.quote(os.environ['PYTHONPATH'])} {command}"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Command: `{command}`\n")
    print(
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, load average at start "
        f"{load}\n"
    )
    print(
        f"Versions: python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}"
    )
    for library, version in versions.items():
        print(f"- {library}: {version}; tol: {TOL_MEANING[library]}")
    for library, reason in missing.items():
        print(f"- {library}: not available ({reason})")
    n_alphas = 20 if args.quick else 100
    print(
        f"\nProtocol: KFold({N_FOLDS}, shuffle=True, random_state={SEED}) for all; "
        f"{n_alphas} alphas per l1_ratio from alpha_max down to eps * alpha_max "
        f"(scikit-learn's grid; glmnet is given it); tol {power(args.tol)} in "
        "each library's convention (y centred on each fold's training rows "
        "when an intercept is fitted); intercept on dense cases, none on "
        f"sparse; max_iter {MAX_ITER} epochs per alpha (glmnet: "
        f"{MAX_ITER} x n_alphas passes per path; celer: its defaults); "
        f"ElasticNetCV l1_ratio={list(ESTIMATORS['enet'][1])}; time = median "
        f"of {args.repeat} run(s) in rotating order, a library stopping once its "
        f"runs exceed {args.max_seconds:g} s; BLAS/OpenMP threads: "
        f"{args.threads or 'library default'}, one fold at a time"
        f"{'; --quick sizes' if args.quick else ''}.\n"
    )


def parse_args(argv=None):
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--cases", nargs="+", choices=CASES, default=list(DEFAULT_CASES)
    )
    parser.add_argument(
        "--estimators", nargs="+", choices=list(ESTIMATORS), default=list(ESTIMATORS)
    )
    parser.add_argument(
        "--libraries",
        nargs="+",
        choices=LIBRARIES,
        default=list(LIBRARIES),
        help="libraries to time, when installed (default: all; sklearn is "
        "always run, as the reference)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs per library (default 3)"
    )
    parser.add_argument(
        "--tol", type=float, default=1e-6, help="every library's tol (default 1e-6)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS/OpenMP threads for every library; 0 leaves the libraries' "
        "default (default 1, as bench_path.py)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small generated cases (datasets.py quick sizes) and 20 alphas",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=60.0,
        help="a library whose timed runs on a (case, estimator) add up to more "
        "than this is not run again there (default 60)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if "sklearn" not in args.libraries:
        args.libraries.append("sklearn")
    return args


def main(argv=None):
    """Run the benchmark and print the markdown report."""
    args = parse_args(argv)
    solvers, missing = load_solvers(
        [name for name in LIBRARIES if name in args.libraries]
    )
    versions = {name: solver.version for name, solver in solvers.items()}
    if "l1l2" in versions:
        import l1l2

        versions["l1l2"] += f", git {git_revision(l1l2.__file__)}"
    libraries = list(versions)
    print_preamble(versions, missing, args)
    rows = []
    for name in args.cases:
        try:
            case = make_case(name, quick=args.quick)
        except MissingData as error:
            NOTES.append(f"Skipped {name}: {error}.")
            continue
        NOTES.append(f"{name}: {case.source}.")
        for estimator in args.estimators:
            setup = Setup(
                estimator,
                n_alphas=20 if args.quick else 100,
                eps=case.eps,
                tol=args.tol,
                fit_intercept=not sp.issparse(case.X),
            )
            with threadpool_limits(args.threads or None):
                outcomes = bench(libraries, case, setup, args)
            rows += table_rows(case, setup, outcomes, args.repeat)
    print("| " + " | ".join(HEADER) + " |")
    print("|---|---|---|" + "---:|" * 2 + "---|" * (len(HEADER) - 5))
    print("\n".join(rows))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    NOTES.append(f"Load average at the end (1, 5, 15 min): {load}.")
    print()
    for note in NOTES:
        print(f"- {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
