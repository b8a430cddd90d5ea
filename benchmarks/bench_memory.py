"""Peak memory of a Lasso fit and of a Lasso path on a large sparse matrix.

Each measurement runs in its own subprocess: the data are generated first,
then ``tracemalloc`` records the peak of what ``fit`` (or the 100-alpha
``lasso_path``) allocates on top of them (numpy and scipy report their
buffers to tracemalloc). The size of X and ``(n + p) * 8`` bytes are printed
for scale: l1l2's extra memory should be a small multiple of the latter.

Usage::

    python benchmarks/bench_memory.py [--n-samples 20000] [--n-features 50000]
                                      [--density 0.001]
"""

import argparse
import json
import subprocess
import sys
import time

CHILD = r"""
import json, sys, time, tracemalloc, warnings
import numpy as np
from scipy import sparse

library, task = sys.argv[1], sys.argv[6]
n, p, density = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
with_weights = sys.argv[5] == "1"
rng = np.random.default_rng(0)
X = sparse.random(n, p, density=density, format="csc", random_state=0)
coef = np.zeros(p)
coef[:50] = rng.standard_normal(50)
y = X @ coef + 0.01 * rng.standard_normal(n)
weights = rng.uniform(0.5, 2.0, n) if with_weights else None
# X^T (y - mean(y)) equals the centred X's correlation with y.
alpha = np.abs(X.T @ (y - y.mean())).max() / n / 10
if library == "l1l2":
    from l1l2 import Lasso, lasso_path
else:
    from sklearn.linear_model import Lasso, lasso_path
model = Lasso(alpha=alpha, tol=1e-4, max_iter=1000)
tracemalloc.start()
start = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    if task == "fit":
        model.fit(X, y, sample_weight=weights)
        coef = model.coef_
    else:
        coef = lasso_path(X, y, eps=1e-2, tol=1e-4)[1][:, -1]
elapsed = time.perf_counter() - start
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
x_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
print(json.dumps({"peak": peak, "x_bytes": x_bytes, "seconds": elapsed,
                  "nnz_coef": int(np.count_nonzero(coef))}))
"""


def measure(library, args, with_weights, task):
    """Run one fit or path in a fresh interpreter and return its measurements."""
    output = subprocess.run(
        [sys.executable, "-c", CHILD, library, str(args.n_samples),
         str(args.n_features), str(args.density), "1" if with_weights else "0",
         task],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--n-features", type=int, default=50000)
    parser.add_argument("--density", type=float, default=0.001)
    args = parser.parse_args()

    import numpy
    import sklearn

    import l1l2

    print(f"command: python {' '.join(sys.argv)}")
    print(f"date: {time.strftime('%Y-%m-%d')}; numpy {numpy.__version__}, "
          f"scikit-learn {sklearn.__version__}, l1l2 {l1l2.__version__}")
    vector_mb = (args.n_samples + args.n_features) * 8 / 1e6
    print(f"X: {args.n_samples} x {args.n_features} CSC, density {args.density}; "
          f"(n + p) * 8 bytes = {vector_mb:.2f} MB\n")
    print("| task | library | sample_weight | size of X (MB) | peak extra memory (MB) "
          "| in units of (n + p) * 8 B | time (s) | non-zero coef |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    cases = [("fit", False), ("fit", True), ("path", False)]
    for task, with_weights in cases:
        for library in ("l1l2", "sklearn"):
            result = measure(library, args, with_weights, task)
            peak_mb = result["peak"] / 1e6
            print(f"| {task} | {library} | {'yes' if with_weights else 'no'} "
                  f"| {result['x_bytes'] / 1e6:.1f} | {peak_mb:.1f} "
                  f"| {peak_mb / vector_mb:.1f} | {result['seconds']:.2f} "
                  f"| {result['nnz_coef']} |")


if __name__ == "__main__":
    main()
