"""The problems of the path benchmark (``bench_path.py``).

Every case is a Lasso problem without intercept: dense designs and their
targets are centred here, once, so that no solver has to fit an intercept and
all of them minimise the same objective
``||y - X w||^2 / (2 n) + alpha * ||w||_1``. The sparse case is left
uncentred (centring would densify it); every solver is run on it with
``fit_intercept=False`` semantics, the same for all.

Dense designs are returned Fortran-ordered (column-major), the layout that
coordinate descent reads and that scikit-learn, celer and skglm accept
without a copy. Generated cases are seeded and so identical from run to run.

=========== ================ ===== ==========================================
name        shape            eps   what
=========== ================ ===== ==========================================
riboflavin  71 x 4088        1e-3  real gene expression data (Buhlmann et al.)
diabetes    442 x 10         1e-3  scikit-learn's bundled data
wide        500 x 20000      1e-2  AR(1)-correlated Gaussian columns
tall        100000 x 200     1e-3  AR(1)-correlated Gaussian columns
sparse      20000 x 50000    1e-2  CSC, 0.1 % non-zeros, rcv1-shaped
sparse_normal 20000 x 50000  1e-2  CSC, standard-normal entries, dense answer
sparse_exp  20000 x 50000    1e-2  CSC, exponential entries, dense answer
wide_deep   500 x 20000      1e-3  the wide design, path ten times deeper
=========== ================ ===== ==========================================

The last three are the large-support cases: their targets are centred and
scaled to unit variance and carry more noise, so the path ends with
thousands of active features (``sparse_normal`` about 19,000), the regime
that users reach at the small alphas cross-validation picks on text and
genomics data.

``quick=True`` shrinks the generated cases for a smoke run.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.signal import lfilter

CASES = (
    "riboflavin",
    "diabetes",
    "wide",
    "tall",
    "sparse",
    "sparse_normal",
    "sparse_exp",
    "wide_deep",
)
LARGE_SUPPORT = ("sparse_normal", "sparse_exp", "wide_deep")

# name: (n_samples, n_features, n_informative) at full and at quick size.
SIZES = {
    "wide": ((500, 20000, 50), (100, 2000, 10)),
    "tall": ((100000, 200, 20), (5000, 100, 10)),
    "sparse": ((20000, 50000, 500), (2000, 5000, 50)),
    "sparse_normal": ((20000, 50000, 500), (2000, 5000, 50)),
    "sparse_exp": ((20000, 50000, 500), (2000, 5000, 50)),
    "wide_deep": ((500, 20000, 50), (100, 2000, 10)),
}
EPS = {
    "riboflavin": 1e-3,
    "diabetes": 1e-3,
    "wide": 1e-2,
    "tall": 1e-3,
    "sparse": 1e-2,
    "sparse_normal": 1e-2,
    "sparse_exp": 1e-2,
    "wide_deep": 1e-3,
}
RHO = 0.7  # correlation of neighbouring columns in the AR(1) designs
SNR = 10.0  # ||X w_true|| / ||noise|| of the generated targets
DENSITY = 1e-3  # fraction of stored entries in the sparse design
NOISE = 0.5  # noise standard deviation of the large-support sparse targets
SEED = 0


class MissingData(Exception):
    """Raised when a case needs a data file that is not there."""


@dataclass
class Case:
    """One benchmark problem.

    Attributes
    ----------
    name : str
        Case name, one of :data:`CASES`.
    X : ndarray or scipy.sparse.csc_matrix of shape (n_samples, n_features)
        Design, float64.
    y : ndarray of shape (n_samples,)
        Target, float64.
    eps : float
        Ratio of the smallest to the largest alpha of the path.
    source : str
        Where the data come from, in a few words.
    """

    name: str
    X: object
    y: np.ndarray
    eps: float
    source: str

    @property
    def shape(self):
        """Tuple ``(n_samples, n_features)`` of the design."""
        return self.X.shape

    def alphas(self, n_alphas=100):
        """Geometric alpha grid from ``alpha_max`` down to ``eps * alpha_max``.

        Parameters
        ----------
        n_alphas : int, default=100
            Number of alphas.

        Returns
        -------
        alphas : ndarray of shape (n_alphas,)
            Decreasing; ``alpha_max = max_j |x_j^T y| / n`` is the smallest
            alpha at which the Lasso solution (without intercept) is zero.
        """
        alpha_max = np.max(np.abs(self.X.T @ self.y)) / self.X.shape[0]
        return np.geomspace(alpha_max, self.eps * alpha_max, n_alphas)


def riboflavin_file():
    """Locate ``riboflavin.npz``.

    Returns
    -------
    path : pathlib.Path
        ``$L1L2_DATA/riboflavin.npz`` (or ``$L1L2_DATA`` itself when it names a
        ``.npz`` file) if the variable is set, else
        ``<repository>/../shared/data/riboflavin.npz``. It may not exist.
    """
    env = os.environ.get("L1L2_DATA")
    if env:
        path = Path(env)
        return path if path.suffix == ".npz" else path / "riboflavin.npz"
    return Path(__file__).resolve().parents[2] / "shared" / "data" / "riboflavin.npz"


def centred(X, y):
    """Centre a dense design and its target; return X Fortran-ordered.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Design.
    y : ndarray of shape (n_samples,)
        Target.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        ``X`` minus its column means, float64, Fortran-ordered.
    y : ndarray of shape (n_samples,)
        ``y`` minus its mean.
    """
    X = np.asfortranarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return np.asfortranarray(X - X.mean(axis=0)), y - y.mean()


def ar1_design(n_samples, n_features, rng):
    """Gaussian design whose columns follow a stationary AR(1) recursion.

    Column ``j`` is ``RHO * column(j - 1) + sqrt(1 - RHO**2) * noise``, so
    ``corr(x_j, x_k) = RHO**|j - k|`` (a Toeplitz covariance) without ever
    forming a covariance matrix.

    Parameters
    ----------
    n_samples, n_features : int
        Shape.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        Columns of unit variance.
    """
    noise = rng.standard_normal((n_samples, n_features))
    noise[:, 0] /= np.sqrt(1 - RHO**2)  # start the recursion at the stationary law
    return lfilter([np.sqrt(1 - RHO**2)], [1.0, -RHO], noise, axis=1)


def noisy_target(X, n_informative, rng):
    """Target from a sparse true coefficient vector plus Gaussian noise.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Design.
    n_informative : int
        Number of non-zero true coefficients, at random positions, of random
        signs and magnitudes in [1, 2].
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        ``X @ w_true + noise`` with ``||X @ w_true|| / ||noise|| = SNR``.
    """
    n_samples, n_features = X.shape
    w_true = np.zeros(n_features)
    support = rng.choice(n_features, n_informative, replace=False)
    w_true[support] = rng.choice([-1.0, 1.0], n_informative) * rng.uniform(
        1, 2, n_informative
    )
    signal = np.asarray(X @ w_true).ravel()
    noise = rng.standard_normal(n_samples)
    return signal + noise * np.linalg.norm(signal) / (SNR * np.linalg.norm(noise))


def standardised_target(X, n_informative, rng):
    """Target of the large-support cases: centred and of unit variance.

    Parameters
    ----------
    X : scipy.sparse matrix of shape (n_samples, n_features)
        Design.
    n_informative : int
        Number of true features, at random positions, with standard-normal
        coefficients.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        ``X @ w_true + NOISE * noise``, centred and scaled to unit variance.
    """
    w_true = np.zeros(X.shape[1])
    w_true[rng.choice(X.shape[1], n_informative, replace=False)] = (
        rng.standard_normal(n_informative)
    )
    y = np.asarray(X @ w_true).ravel() + NOISE * rng.standard_normal(X.shape[0])
    y -= y.mean()
    return y / y.std()


def sparse_design(n_samples, n_features, rng, entries="exponential",
                  density=DENSITY):
    """rcv1-shaped sparse design: ``density`` of the entries at random places.

    Parameters
    ----------
    n_samples, n_features : int
        Shape.
    rng : numpy.random.Generator
        Source of randomness.
    entries : {"exponential", "normal"}, default="exponential"
        Law of the stored entries: standard exponential (non-negative, like
        tf-idf weights) or standard normal.
    density : float, default=DENSITY
        Fraction of the entries stored.

    Returns
    -------
    X : scipy.sparse.csc_matrix of shape (n_samples, n_features)
        float64 with int32 indices.
    """
    law = {"exponential": rng.standard_exponential, "normal": rng.standard_normal}
    X = sp.random(
        n_samples,
        n_features,
        density=density,
        format="csc",
        dtype=np.float64,
        random_state=rng,
        data_rvs=law[entries],
    )
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    return X


def make_case(name, quick=False):
    """Build one benchmark case.

    Parameters
    ----------
    name : str
        One of :data:`CASES`.
    quick : bool, default=False
        Use the small sizes of :data:`SIZES` (real data sets are unchanged).

    Returns
    -------
    case : Case
        The problem.

    Raises
    ------
    MissingData
        For riboflavin when its file cannot be found.
    """
    eps = EPS[name]
    if name == "riboflavin":
        path = riboflavin_file()
        if not path.is_file():
            raise MissingData(f"{path} not found (set L1L2_DATA to its directory)")
        with np.load(path) as data:
            X, y = centred(data["X"], data["y"])
        return Case(name, X, y, eps, f"{path.name}, centred")
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        X, y = centred(*load_diabetes(return_X_y=True))
        return Case(name, X, y, eps, "sklearn load_diabetes, centred")
    n_samples, n_features, n_informative = SIZES[name][bool(quick)]
    rng = np.random.default_rng(SEED)
    if name == "sparse":
        X = sparse_design(n_samples, n_features, rng)
        y = noisy_target(X, n_informative, rng)
        source = f"CSC, {DENSITY:.1%} non-zeros, uncentred, seed {SEED}"
        return Case(name, X, y, eps, source)
    if name in ("sparse_normal", "sparse_exp"):
        entries = "normal" if name == "sparse_normal" else "exponential"
        X = sparse_design(n_samples, n_features, rng, entries)
        y = standardised_target(X, n_informative, rng)
        source = (
            f"CSC, {DENSITY:.1%} {entries} non-zeros, target centred and of "
            f"unit variance, noise {NOISE}, seed {SEED}"
        )
        return Case(name, X, y, eps, source)
    X = ar1_design(n_samples, n_features, rng)
    X, y = centred(X, noisy_target(X, n_informative, rng))
    return Case(name, X, y, eps, f"AR(1) rho={RHO}, centred, seed {SEED}")
