"""Peak memory of ``l1l2.lasso_path`` on every case of the path benchmark.

For each case of ``datasets.py`` (and, for a dense X, in both memory
orders) a subprocess builds the data, then ``tracemalloc`` records the peak
of what the 100-alpha path allocates on top of them (numpy and scipy report
their buffers to tracemalloc). The budget is the coefficients the path
returns plus one copy of the working data (X and y): the table shows the
peak over that budget, which should stay at most 1.10.

Run from the repository root after building l1l2 in place::

    PYTHONPATH=src python benchmarks/bench_path_memory.py            # ~5 min
    PYTHONPATH=src python benchmarks/bench_path_memory.py --cases wide tall
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from datasets import CASES

CHILD = r"""
import json, sys, tracemalloc, warnings
sys.path.insert(0, sys.argv[1])
import numpy as np
from scipy import sparse
from datasets import make_case
import l1l2

case = make_case(sys.argv[2])
X = case.X
if sys.argv[3] == "C":
    X = np.ascontiguousarray(X)
alphas = case.alphas(100)
if sparse.issparse(X):
    data_bytes = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
else:
    data_bytes = X.nbytes
data_bytes += case.y.nbytes
tracemalloc.start()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _, coefs, _ = l1l2.lasso_path(X, case.y, alphas=alphas, tol=1e-4)
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"peak": peak, "coefs": coefs.nbytes, "data": data_bytes,
                  "shape": list(X.shape)}))
"""


def measure(case, order):
    """The child's measurements of one case in one memory order."""
    here = str(Path(__file__).resolve().parent)
    output = subprocess.run(
        [sys.executable, "-c", CHILD, here, case, order],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    args = parser.parse_args(argv)
    print("| case | X order | coefficients | X and y | path peak | "
          "peak / (coefficients + X and y) |")
    print("|---|---|---:|---:|---:|---:|")
    for case in args.cases:
        orders = ["F", "C"] if case not in ("sparse", "sparse_normal",
                                            "sparse_exp") else ["CSC"]
        for order in orders:
            try:
                m = measure(case, order)
            except subprocess.CalledProcessError as error:
                print(f"| {case} | {order} | failed: "
                      f"{error.stderr.strip().splitlines()[-1]} | | | |")
                continue
            budget = m["coefs"] + m["data"]
            shape = "x".join(map(str, m["shape"]))
            print(f"| {case} ({shape}) | {order} | {m['coefs'] / 1e6:.1f} MB | "
                  f"{m['data'] / 1e6:.1f} MB | {m['peak'] / 1e6:.1f} MB | "
                  f"{m['peak'] / budget:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
