"""The classification cases of bench_logistic.py.

- ``leukemia``: 38 x 3051, two classes (``leukemia.npz``);
- ``sparse``: 10000 x 20000 CSC with 0.2 % standard-normal entries, two
  classes drawn from a logistic model on 100 true features;
- ``tall``: 50000 x 200 AR(1)-correlated columns (rho 0.7), two classes
  from a logistic model on 20 true features;
- ``srbct``: 83 x 2308, four classes (``srbct.npz``), multinomial.

Dense designs are standardised (zero mean, unit variance), the problems
have no intercept, and y holds class indices 0, 1, ...: the protocol the
issue's calibration used.
"""

from dataclasses import dataclass

import numpy as np
from datasets import MissingData, ar1_design, riboflavin_file, sparse_design

LOGISTIC_CASES = ("leukemia", "sparse", "tall", "srbct")
SIZES = {
    "sparse": ((10000, 20000, 100), (1000, 2000, 10)),
    "tall": ((50000, 200, 20), (5000, 100, 10)),
}
DENSITY = 2e-3
SEED = 0


@dataclass
class LogisticCase:
    """One problem: X, class indices y, the path's eps, its source."""

    name: str
    X: object
    y: np.ndarray
    eps: float
    source: str

    @property
    def n_classes(self):
        return int(self.y.max()) + 1

    def alphas(self, n_alphas=100):
        """Geometric grid from alpha_max (the smallest alpha with W = 0:
        the largest gradient of the loss at 0) down to ``eps`` times it."""
        n = self.X.shape[0]
        Y = np.eye(self.n_classes)[self.y]
        P0 = np.full_like(Y, 1.0 / self.n_classes)
        if self.n_classes == 2:
            Y, P0 = Y[:, 1:], P0[:, 1:]
        alpha_max = np.max(np.abs(self.X.T @ (P0 - Y))) / n
        return np.geomspace(alpha_max, self.eps * alpha_max, n_alphas)


def data_file(name):
    """``<data directory>/<name>.npz`` (see ``datasets.riboflavin_file``)."""
    return riboflavin_file().with_name(f"{name}.npz")


def standardised(X):
    """Columns of zero mean and unit variance, Fortran-ordered."""
    X = np.asarray(X, dtype=np.float64)
    scale = X.std(axis=0)
    return np.asfortranarray((X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0))


def _from_file(name):
    path = data_file(name)
    if not path.exists():
        raise MissingData(f"{path} is not there")
    data = np.load(path)
    y = np.unique(data["y"], return_inverse=True)[1]
    return standardised(data["X"]), y, path.name


def _logistic_labels(X, n_informative, rng):
    """Two classes drawn from a logistic model with ``n_informative`` true
    coefficients, scaled so that the linear predictor has unit spread
    times 3 (a classifier well above chance, not separable)."""
    w = np.zeros(X.shape[1])
    w[rng.choice(X.shape[1], n_informative, replace=False)] = rng.standard_normal(
        n_informative
    )
    eta = np.asarray(X @ w).ravel()
    eta *= 3.0 / max(eta.std(), 1e-12)
    return (rng.random(eta.size) < 1.0 / (1.0 + np.exp(-eta))).astype(int)


def make_logistic_case(name, quick=False):
    """Build one case (``quick``: the small generated sizes)."""
    rng = np.random.default_rng(SEED)
    if name in ("leukemia", "srbct"):
        X, y, source = _from_file(name)
        return LogisticCase(name, X, y, 1e-2, source + ", standardised")
    n_samples, n_features, n_informative = SIZES[name][quick]
    if name == "sparse":
        X = sparse_design(n_samples, n_features, rng, "normal", DENSITY)
        source = f"CSC, {100 * DENSITY:g}% normal non-zeros, seed {SEED}"
    else:
        X = standardised(ar1_design(n_samples, n_features, rng))
        source = f"AR(1) rho=0.7, standardised, seed {SEED}"
    y = _logistic_labels(X, n_informative, rng)
    eps = 1e-2 if n_features > n_samples else 1e-3
    return LogisticCase(name, X, y, eps, source)
