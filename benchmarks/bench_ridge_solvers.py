"""Ridge's solvers and its 'auto' rule, l1l2 against scikit-learn.

Three modes (run from the repository root after building the extension in
place):

``PYTHONPATH=src python benchmarks/bench_ridge_solvers.py``
    The 'auto' table: for dense, sparse, tall, wide, weighted and unweighted
    problems (``alpha=1``, ``fit_intercept=True``, default ``tol``), the
    time of ``Ridge(solver='auto')`` in l1l2 and in scikit-learn (median
    of ``--repeat`` runs, the two libraries alternating), the solver each
    chose, and the relative excess of each answer's objective over the
    exact minimum, ``(f - f*) / f*`` with
    ``f = sum_i s_i (y_i - x_i w - b)^2 + alpha ||w||^2``; ``f*`` comes from
    an LSQR solve at ``tol=1e-14``.

``... bench_ridge_solvers.py --calibrate``
    The measurements behind the rule for sparse X: the time of the direct
    solve (l1l2's normal equations on the dense ``min(n, p)^2`` matrix)
    and of conjugate gradients at default ``tol``, against
    ``min(n, p)^3 / nnz``.

``... bench_ridge_solvers.py --positive``
    ``Ridge(alpha=0.1, positive=True)`` (scikit-learn's 'auto' is L-BFGS-B,
    l1l2's coordinate descent finished by Newton steps) on dense problems
    from tall to wide: times and the objective's excess over the lower of
    the two answers.

``... bench_ridge_solvers.py --large``
    The 1000000 x 100000 sparse case (10 stored values per row, CSR,
    ``fit_intercept=True``), unweighted and weighted: 'lsqr' and
    'sparse_cg' of both libraries, each fit in its own process: its time,
    the peak of the memory allocated during the fit (tracemalloc, which
    sees numpy's and scipy's arrays), and the process's peak resident size
    (building X included).
"""

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.datasets import make_regression
from sklearn.feature_extraction.text import HashingVectorizer

import l1l2
from l1l2._base import Design
from l1l2._ridge_solvers import solve_cg, solve_cholesky

ALPHA = 1.0


def sparse_problem(n, p, density, seed, weighted=False):
    """A random sparse CSR problem with an offset (the intercept matters)."""
    rng = np.random.default_rng(seed)
    X = sparse.random(n, p, density=density, format="csr", random_state=seed)
    X.data = rng.uniform(0.5, 2.0, X.nnz)
    coef = rng.standard_normal(p)
    y = X @ coef + 5.0 + rng.standard_normal(n)
    weights = rng.uniform(0.5, 2.0, n) if weighted else None
    return X, y, weights


def text_problem(n_documents, seed, weighted=False):
    """HashingVectorizer (2^20 columns) over Zipf-distributed words."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array([f"w{k}" for k in range(20000)])
    lengths = rng.integers(50, 300, n_documents)
    ranks = np.minimum(rng.zipf(1.3, lengths.sum()) - 1, len(vocabulary) - 1)
    words = vocabulary[ranks]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    documents = [
        " ".join(words[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    X = HashingVectorizer(alternate_sign=False).fit_transform(documents)
    y = X @ rng.standard_normal(X.shape[1]) + rng.standard_normal(n_documents)
    weights = rng.uniform(0.5, 2.0, n_documents) if weighted else None
    return X.tocsr(), y, weights


def dense_problem(n, p, seed, weighted=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + 5.0 + rng.standard_normal(n)
    weights = rng.uniform(0.5, 2.0, n) if weighted else None
    return X, y, weights


CASES = {
    "dense tall 5000x200": lambda w: dense_problem(5000, 200, 0, w),
    "dense wide 200x5000": lambda w: dense_problem(200, 5000, 1, w),
    "sparse 2000x2000 0.1%": lambda w: sparse_problem(2000, 2000, 1e-3, 2, w),
    "sparse tall 20000x500 1%": lambda w: sparse_problem(20000, 500, 1e-2, 3, w),
    "sparse 5000x20000 0.1%": lambda w: sparse_problem(5000, 20000, 1e-3, 4, w),
    "sparse 20000x20000 0.05%": lambda w: sparse_problem(20000, 20000, 5e-4, 5, w),
    "text 4000 docs x 2^20": lambda w: text_problem(4000, 6, w),
}


def objective(X, y, weights, coef, intercept):
    residual = y - X @ coef - intercept
    s = np.ones_like(y) if weights is None else weights
    return float(s @ residual**2 + ALPHA * coef @ coef)


def timed(make_model, X, y, weights):
    start = time.perf_counter()
    model = make_model().fit(X, y, sample_weight=weights)
    return time.perf_counter() - start, model


def auto_table(repeat, names):
    print(
        "| case | weights | l1l2 auto | chose | excess | scikit-learn auto "
        "| chose | excess | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in names:
        for weighted in (False, True):
            X, y, weights = CASES[name](weighted)
            exact = l1l2.Ridge(ALPHA, solver="lsqr", tol=1e-14, max_iter=100000)
            exact.fit(X, y, sample_weight=weights)
            best = objective(X, y, weights, exact.coef_, exact.intercept_)
            makers = {
                "l1l2": lambda: l1l2.Ridge(ALPHA),
                "sklearn": lambda: sklm.Ridge(ALPHA),
            }
            times = {key: [] for key in makers}
            models = {}
            for r in range(repeat):
                order = list(makers) if r % 2 == 0 else list(makers)[::-1]
                for key in order:
                    seconds, models[key] = timed(makers[key], X, y, weights)
                    times[key].append(seconds)
            cells = []
            for key in makers:
                model = models[key]
                f = objective(X, y, weights, model.coef_, model.intercept_)
                cells += [
                    f"{1e3 * np.median(times[key]):.1f} ms",
                    model.solver_,
                    f"{max(f - best, 0.0) / best:.1e}",
                ]
            ratio = np.median(times["sklearn"]) / np.median(times["l1l2"])
            print(
                f"| {name} | {'yes' if weighted else 'no'} | "
                + " | ".join(cells)
                + f" | {ratio:.2f} |",
                flush=True,
            )


def calibrate(repeat):
    """Direct solve against conjugate gradients on sparse X."""
    print("| case | nnz | min(n,p)^3 / nnz | direct | CG (tol 1e-4) | direct / CG |")
    print("|---|---|---|---|---|---|")
    sizes = [
        (2000, 500, 1e-2),
        (500, 5000, 1e-2),
        (1000, 1000, 1e-2),
        (2000, 2000, 1e-3),
        (2000, 2000, 1e-2),
        (3000, 3000, 5e-3),
        (4000, 4000, 1e-2),
        (5000, 5000, 2e-2),
        (5000, 20000, 1e-3),
        (10000, 1000, 5e-2),
        (2000, 20000, 1e-2),
        (100000, 100, 0.1),
        (20000, 200, 0.05),
    ]
    for n, p, density in sizes:
        X, y, _ = sparse_problem(n, p, density, 7)
        X_offset = np.asarray(X.mean(axis=0)).ravel()
        design = Design(
            X, None, X_offset, np.ones(p), np.full(p, -np.inf), np.full(p, np.inf)
        )
        Yc = (y - y.mean())[:, np.newaxis]
        alphas = np.array([ALPHA])
        direct, iterative = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            solve_cholesky(design, Yc, alphas)
            direct.append(time.perf_counter() - start)
            start = time.perf_counter()
            solve_cg(design, Yc, alphas, tol=1e-4, max_iter=None)
            iterative.append(time.perf_counter() - start)
        ratio = min(n, p) ** 3 / X.nnz
        print(
            f"| {n}x{p} {100 * density:g}% | {X.nnz} | {ratio:.0f} | "
            f"{1e3 * np.median(direct):.1f} ms | "
            f"{1e3 * np.median(iterative):.1f} ms | "
            f"{np.median(direct) / np.median(iterative):.2f} |",
            flush=True,
        )


def positive_table(repeat):
    print("| case | l1l2 | excess | scikit-learn | excess |")
    print("|---|---|---|---|---|")
    for n, p in [(2000, 100), (300, 300), (1000, 1000), (200, 2000), (50, 5000)]:
        X, y = make_regression(n, p, noise=5.0, random_state=42)
        makers = {
            "l1l2": lambda: l1l2.Ridge(0.1, positive=True),
            "sklearn": lambda: sklm.Ridge(0.1, positive=True),
        }
        times, values = {key: [] for key in makers}, {}
        for r in range(repeat):
            for key in list(makers) if r % 2 == 0 else list(makers)[::-1]:
                seconds, model = timed(makers[key], X, y, None)
                times[key].append(seconds)
                residual = y - X @ model.coef_ - model.intercept_
                values[key] = residual @ residual + 0.1 * model.coef_ @ model.coef_
        best = min(values.values())
        cells = [
            f"{1e3 * np.median(times[key]):.1f} ms | {(values[key] - best) / best:.1e}"
            for key in makers
        ]
        print(f"| {n}x{p} | " + " | ".join(cells) + " |", flush=True)


def large_problem(weighted):
    """1e6 x 1e5 CSR, 10 values per row, built without scipy's sampler;
    the columns' frequencies are skewed as words' are (column j is drawn
    with density proportional to j^(-2/3)), which makes the problem harder
    to iterate on than uniform sparsity."""
    n, p, per_row = 1_000_000, 100_000, 10
    rng = np.random.default_rng(0)
    columns = (p * rng.random((n, per_row)) ** 3).astype(np.int64)
    indices = np.sort(columns, axis=1)
    X = sparse.csr_matrix(
        (
            rng.uniform(0.5, 2.0, n * per_row),
            indices.ravel(),
            np.arange(0, n * per_row + 1, per_row),
        ),
        shape=(n, p),
    )
    X.sum_duplicates()
    y = X @ rng.standard_normal(p) + 5.0 + rng.standard_normal(n)
    weights = rng.uniform(0.5, 2.0, n) if weighted else None
    return X, y, weights


def large_one(library, solver, weighted):
    """One fit of the large case, in this process; prints a JSON line."""
    X, y, weights = large_problem(weighted)
    module = l1l2 if library == "l1l2" else sklm
    model = module.Ridge(ALPHA, solver=solver)
    tracemalloc.start()
    start = time.perf_counter()
    model.fit(X, y, sample_weight=weights)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak / 2**20,
                "rss_mb": process_peak / 1024,
                "objective": objective(X, y, weights, model.coef_, model.intercept_),
                "n_iter": None if model.n_iter_ is None else int(np.max(model.n_iter_)),
                "x_mb": (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20,
            }
        )
    )


def large_table():
    print(
        "| weights | library | solver | time | peak allocated (tracemalloc) "
        "| process peak RSS | iterations | objective |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for weighted in (False, True):
        for solver in ("lsqr", "sparse_cg"):
            for library in ("l1l2", "sklearn"):
                command = [
                    sys.executable,
                    __file__,
                    "--large-one",
                    library,
                    solver,
                    str(int(weighted)),
                ]
                output = (
                    subprocess.run(command, capture_output=True, text=True, check=True)
                    .stdout.strip()
                    .splitlines()[-1]
                )
                r = json.loads(output)
                print(
                    f"| {'yes' if weighted else 'no'} | {library} | {solver} | "
                    f"{r['seconds']:.1f} s | {r['peak_mb']:.0f} MB | "
                    f"{r['rss_mb']:.0f} MB | {r['n_iter']} | "
                    f"{r['objective']:.6e} |",
                    flush=True,
                )
    print(f"(X itself: {r['x_mb']:.0f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", nargs="+", default=list(CASES))
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--positive", action="store_true")
    parser.add_argument("--large-one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.large_one:
        library, solver, weighted = args.large_one
        large_one(library, solver, bool(int(weighted)))
    elif args.large:
        large_table()
    elif args.positive:
        positive_table(args.repeat)
    elif args.calibrate:
        calibrate(args.repeat)
    else:
        auto_table(args.repeat, args.cases)


if __name__ == "__main__":
    main()
