"""Time two builds of l1l2 against each other in one process, calls paired.

The baseline is another built source tree (``--baseline DIR``, its ``src``
folder): its package is imported as ``l1l2_baseline`` beside the ``l1l2``
on ``sys.path``. Both builds solve the same problems in alternating calls
(baseline, current, baseline, ...), so that the machine's drift hits both
alike; calls shorter than 50 ms are timed in batches. Each case prints the
median time per call of each build and the median of the paired ratios
current / baseline, with their range. The solutions are
compared too: a change that is meant not to move the results must give the
same coefficients.

The baseline's compiled modules may import ``l1l2._blas`` by its absolute
name; that module must then be the same in both builds (it is, since
issue 21).

Tasks:

- ``path``: ``lasso_path`` on each case of ``bench_path.py`` (100 alphas,
  its eps, no intercept) at ``--tol``;
- ``cv``: ``LassoCV`` and ``ElasticNetCV`` (l1_ratio 0.1, 0.5, 0.9, 1) with
  5 folds and 100 alphas per l1_ratio at ``--tol``, on riboflavin,
  diabetes and sparse, with an intercept on the dense cases.

Run, on a build of the baseline revision in ``/tmp/old``::

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=src python benchmarks/ab_builds.py \
        --baseline /tmp/old/src --rounds 9
"""

import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import CASES, MissingData, make_case  # noqa: E402

import l1l2  # noqa: E402

CV_CASES = ("riboflavin", "diabetes", "sparse")


def import_baseline(src):
    """Import the package in ``src/l1l2`` as ``l1l2_baseline``."""
    folder = Path(tempfile.mkdtemp()) / "l1l2_baseline"
    shutil.copytree(Path(src) / "l1l2", folder,
                    ignore=shutil.ignore_patterns("*.c", "__pycache__"))
    spec = importlib.util.spec_from_file_location(
        "l1l2_baseline", folder / "__init__.py",
        submodule_search_locations=[str(folder)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["l1l2_baseline"] = module
    spec.loader.exec_module(module)
    return module


def path_task(package, case, tol):
    """A callable fitting the Lasso path of ``case`` with ``package``."""
    alphas = case.alphas(100)

    def run():
        return package.lasso_path(case.X, case.y, alphas=alphas, tol=tol,
                                  max_iter=1000, copy_X=False)[1]

    return run


def cv_task(package, case, tol, estimator):
    """A callable fitting ``LassoCV`` or ``ElasticNetCV`` on ``case``."""
    intercept = case.name != "sparse"
    kwargs = dict(cv=KFold(5, shuffle=True, random_state=0), alphas=100,
                  eps=case.eps, tol=tol, max_iter=1000, fit_intercept=intercept)
    if estimator == "ElasticNetCV":
        kwargs["l1_ratio"] = [0.1, 0.5, 0.9, 1.0]

    def run():
        model = getattr(package, estimator)(**kwargs).fit(case.X, case.y)
        return model.mse_path_

    return run


def repetitions(run, target=0.05):
    """How many calls of ``run`` make a sample of at least ``target``
    seconds (one for slow calls): sub-millisecond calls are timed in
    batches, so that a sample is not one timer tick and one interrupt."""
    start = time.perf_counter()
    run()
    once = time.perf_counter() - start
    return max(1, int(np.ceil(target / max(once, 1e-7))))


def paired(label, baseline_run, current_run, rounds):
    """Alternate the two calls ``rounds`` times; print and return a row.

    Each sample is a batch of calls (``repetitions``), the same number for
    both builds; times are per call."""
    times = {"baseline": [], "current": []}
    results = {}
    baseline_run(), current_run()  # warm caches and imports
    batch = repetitions(baseline_run)
    for _ in range(rounds):
        for name, run in (("baseline", baseline_run), ("current", current_run)):
            start = time.perf_counter()
            for _ in range(batch):
                results[name] = run()
            times[name].append((time.perf_counter() - start) / batch)
    base, cur = np.array(times["baseline"]), np.array(times["current"])
    ratios = cur / base
    same = np.array_equal(results["baseline"], results["current"])
    difference = np.max(np.abs(results["baseline"] - results["current"]))
    row = (f"| {label} | {1e3 * np.median(base):.2f} ms "
           f"| {1e3 * np.median(cur):.2f} ms "
           f"| {np.median(ratios):.3f} | {ratios.min():.3f}-{ratios.max():.3f} "
           f"| {'identical' if same else f'max diff {difference:.1e}'} |")
    print(row, flush=True)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True,
                        help="src folder of a built baseline tree")
    parser.add_argument("--tasks", nargs="+", default=["path", "cv"],
                        choices=["path", "cv"])
    parser.add_argument("--cases", nargs="+", default=list(CASES))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--tol", type=float, default=1e-6)
    parser.add_argument("--quick", action="store_true",
                        help="the small versions of the generated cases")
    options = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    baseline = import_baseline(options.baseline)
    print(f"current: {l1l2.__file__}\nbaseline: {baseline.__file__}")
    print(f"tol {options.tol:g}, {options.rounds} paired rounds\n")
    print("| task | baseline | current | current / baseline (median) "
          "| range | results |")
    print("|---|---:|---:|---:|---|---|")
    for name in options.cases:
        try:
            case = make_case(name, quick=options.quick)
        except MissingData as error:
            print(f"| {name} | skipped: {error} |")
            continue
        if "path" in options.tasks:
            paired(f"path {name}", path_task(baseline, case, options.tol),
                   path_task(l1l2, case, options.tol), options.rounds)
        if "cv" in options.tasks and name in CV_CASES:
            for estimator in ("LassoCV", "ElasticNetCV"):
                paired(f"{estimator} {name}",
                       cv_task(baseline, case, options.tol, estimator),
                       cv_task(l1l2, case, options.tol, estimator),
                       options.rounds)


if __name__ == "__main__":
    main()
