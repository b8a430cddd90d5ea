"""Shared data and numerical helpers for the l1l2 test suite.

The helpers are plain functions, exposed to the tests as session-scoped
fixtures of the same name (so the tests never import this module, which
keeps them independent of pytest's import mode).

Conventions, those of scikit-learn (docs/architecture.md, "The objective
and its scaling"): the Elastic-Net objective is

    P(w, b) = 1/(2 n) sum_i s_i (y_i - x_i.w - b)^2
              + alpha * (l1_ratio ||w||_1 + (1 - l1_ratio)/2 ||w||_2^2)

with the sample weights ``s`` rescaled to sum to ``n``.
"""

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from sklearn.datasets import load_diabetes

# The real data: ``$L1L2_DATA`` or ``../shared/data`` beside the repository.
# Without it the real-data tests skip, unless ``L1L2_REQUIRE_DATA=1`` (as CI
# sets), which turns the skip into a failure.
DATA_DIR = Path(
    os.environ.get("L1L2_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
RIBOFLAVIN_PATH = DATA_DIR / "riboflavin.npz"
REQUIRE_DATA = os.environ.get("L1L2_REQUIRE_DATA", "0") not in ("", "0")

# Every property-based test draws the same examples on every run.
settings.register_profile("l1l2", derandomize=True, deadline=None)
settings.load_profile("l1l2")


# --- plain helpers -----------------------------------------------------------


def normalized_weights(sample_weight, n_samples):
    """Sample weights rescaled to sum to ``n_samples`` (ones when None)."""
    if sample_weight is None:
        return np.ones(n_samples)
    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    return sample_weight * (n_samples / sample_weight.sum())


def weighted_centering(X, y, sample_weight=None):
    """Return (X_c, y_c, X_mean, y_mean) centred with the weighted means."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    s = normalized_weights(sample_weight, X.shape[0])
    X_mean = s @ X / s.sum()
    y_mean = s @ y / s.sum()
    return X - X_mean, y - y_mean, X_mean, y_mean


def enet_objective(X, y, coef, intercept, alpha, l1_ratio, sample_weight=None):
    """Elastic-Net objective (the module docstring's ``P(w, b)``), computed in
    float64."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    coef = np.asarray(coef, dtype=np.float64)
    n_samples = X.shape[0]
    s = normalized_weights(sample_weight, n_samples)
    residual = y - X @ coef - float(intercept)
    datafit = 0.5 * np.sum(s * residual**2) / n_samples
    penalty = alpha * (
        l1_ratio * np.sum(np.abs(coef)) + 0.5 * (1.0 - l1_ratio) * np.sum(coef**2)
    )
    return datafit + penalty


def enet_alpha_max(X, y, l1_ratio=1.0, fit_intercept=True, sample_weight=None):
    """Smallest alpha whose Elastic-Net solution is exactly zero."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    s = normalized_weights(sample_weight, X.shape[0])
    if fit_intercept:
        X, y, _, _ = weighted_centering(X, y, sample_weight)
    return np.max(np.abs(X.T @ (s * y))) / (X.shape[0] * l1_ratio)


def _gradient_terms(X, y, coef, intercept, alpha, l1_ratio, sample_weight):
    X = np.asarray(X, dtype=np.float64)
    coef = np.asarray(coef, dtype=np.float64)
    n_samples = X.shape[0]
    s = normalized_weights(sample_weight, n_samples)
    residual = np.asarray(y, dtype=np.float64) - X @ coef - float(intercept)
    h = X.T @ (s * residual) / n_samples - alpha * (1.0 - l1_ratio) * coef
    return coef, h


def enet_kkt_violation(
    X, y, coef, intercept, alpha, l1_ratio, sample_weight=None, positive=False
):
    """Per-feature violation of the Elastic-Net optimality conditions.

    With ``g_j = x_j^T S r / n`` (``r = y - X w - b``, ``S`` the rescaled
    weights) and ``h_j = g_j - alpha (1 - l1_ratio) w_j``, optimality means
    ``h_j = alpha l1_ratio sign(w_j)`` where ``w_j != 0`` and
    ``|h_j| <= alpha l1_ratio`` where ``w_j == 0`` (only ``h_j <= alpha
    l1_ratio`` under ``positive=True``). Returns, per feature, how far it is
    from satisfying its condition, in the units of a gradient of the
    objective (those of alpha).
    """
    coef, h = _gradient_terms(X, y, coef, intercept, alpha, l1_ratio, sample_weight)
    l1 = alpha * l1_ratio
    active = coef != 0
    violation = np.zeros_like(coef)
    violation[active] = np.abs(h[active] - l1 * np.sign(coef[active]))
    if positive:
        violation[~active] = np.maximum(h[~active] - l1, 0.0)
    else:
        violation[~active] = np.maximum(np.abs(h[~active]) - l1, 0.0)
    return violation


def gap_rounding_slack(y, sample_weight=None, fit_intercept=True, dtype=np.float64):
    """Rounding noise of a duality gap, on the objective's scale.

    The gap is a difference of terms of size ``y^T S y / n``, so it cannot be
    trusted below a few hundred ulps of that.
    """
    y = np.asarray(y, dtype=np.float64)
    s = normalized_weights(sample_weight, y.shape[0])
    if fit_intercept:
        y = y - s @ y / s.sum()
    return 256 * np.finfo(dtype).eps * float(s @ y**2) / y.shape[0]


def enet_kkt_bound(
    X, coef, alpha, l1_ratio, suboptimality, sample_weight=None, fit_intercept=True
):
    """Per-feature KKT violation allowed at a given suboptimality.

    Moving coordinate j alone is a 1-D problem with curvature
    ``a_j = ||x_j - mean||_S^2 / n + alpha (1 - l1_ratio)``. A violation
    ``v`` lets that move lower the objective by at least ``v^2 / (2 a_j)``
    (by at least ``v |w_j| / 2`` if the move is stopped by crossing zero), and
    no move can lower it by more than the suboptimality ``G``. So
    ``v <= sqrt(2 a_j G)``, or ``v <= 2 G / |w_j|`` for a non-zero ``w_j``.
    """
    X = np.asarray(X, dtype=np.float64)
    coef = np.asarray(coef, dtype=np.float64)
    n_samples = X.shape[0]
    s = normalized_weights(sample_weight, n_samples)
    if fit_intercept:
        X = X - s @ X / s.sum()
    curvature = np.einsum("ij,ij,i->j", X, X, s) / n_samples
    curvature += alpha * (1.0 - l1_ratio)
    suboptimality = max(float(suboptimality), 0.0)
    bound = np.sqrt(2.0 * curvature * suboptimality)
    active = coef != 0
    bound[active] = np.maximum(
        bound[active], 2.0 * suboptimality / np.abs(coef[active])
    )
    return bound


def coef_distance_bound(
    X, coefs, suboptimalities, alpha, l1_ratio, sample_weight=None, fit_intercept=True
):
    """Largest ||w_a - w_b||_2 between near-optimal Elastic-Net solutions.

    On the coordinates ``A`` where any of ``coefs`` is non-zero, the
    objective (the intercept profiled out) is ``mu``-strongly convex with
    ``mu`` the smallest eigenvalue of ``X_A^T S X_A / n + alpha (1 -
    l1_ratio) I`` (centred X). If the optimum also lives on ``A``, a point
    ``G`` above it is within ``sqrt(2 G / mu)`` of it.
    """
    X = np.asarray(X, dtype=np.float64)
    n_samples = X.shape[0]
    s = normalized_weights(sample_weight, n_samples)
    if fit_intercept:
        X = X - s @ X / s.sum()
    support = np.zeros(X.shape[1], dtype=bool)
    for coef in coefs:
        support |= np.asarray(coef) != 0
    if not support.any():
        return 0.0
    X_A = X[:, support]
    hessian = X_A.T @ (s[:, None] * X_A) / n_samples
    hessian += alpha * (1.0 - l1_ratio) * np.eye(X_A.shape[1])
    mu = np.linalg.eigvalsh(hessian)[0]
    if mu <= 0:
        return np.inf
    return sum(np.sqrt(2.0 * max(G, 0.0) / mu) for G in suboptimalities)


def certified_coef_distance(
    X, y, model, other, alpha, l1_ratio, sample_weight=None, fit_intercept=True
):
    """Return (||w_model - w_other||_2, the largest distance the gap allows).

    ``model`` is one of our fitted estimators: its ``dual_gap_`` bounds its
    own suboptimality ``G``, hence ``P* >= P(model) - G`` and ``other`` is at
    most ``P(other) - P(model) + G`` above the optimum. Both distances to the
    optimum then follow from :func:`coef_distance_bound`.
    """
    p_model = enet_objective(
        X, y, model.coef_, model.intercept_, alpha, l1_ratio, sample_weight
    )
    p_other = enet_objective(
        X, y, other.coef_, other.intercept_, alpha, l1_ratio, sample_weight
    )
    gap = max(float(model.dual_gap_), 0.0) + gap_rounding_slack(
        y, sample_weight, fit_intercept
    )
    bound = coef_distance_bound(
        X,
        [model.coef_, other.coef_],
        [gap, p_other - p_model + gap],
        alpha,
        l1_ratio,
        sample_weight,
        fit_intercept,
    )
    distance = float(np.linalg.norm(np.asarray(model.coef_) - other.coef_))
    return distance, bound


def intercept_violation(X, y, coef, intercept, sample_weight=None):
    """Weighted mean residual, zero when the intercept is optimal."""
    X = np.asarray(X, dtype=np.float64)
    s = normalized_weights(sample_weight, X.shape[0])
    residual = np.asarray(y, dtype=np.float64) - X @ coef - float(intercept)
    return float(abs(s @ residual) / s.sum())


def make_wide_problem(n_samples=50, n_features=200, n_informative=10, seed=0):
    """A seeded p >> n regression problem with a non-zero intercept."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    coef = np.zeros(n_features)
    support = rng.choice(n_features, n_informative, replace=False)
    coef[support] = rng.uniform(1.0, 3.0, n_informative) * rng.choice(
        [-1.0, 1.0], n_informative
    )
    y = X @ coef + 0.5 * rng.standard_normal(n_samples) + 3.0
    return X, y


def make_tall_problem(n_samples=300, n_features=12, seed=0):
    """A seeded n >> p problem with correlated columns of unequal scale."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n_samples, 3))
    X = latent @ rng.standard_normal((3, n_features)) + 0.5 * rng.standard_normal(
        (n_samples, n_features)
    )
    X *= rng.uniform(0.5, 3.0, n_features)
    X += rng.uniform(-2.0, 2.0, n_features)
    coef = rng.standard_normal(n_features)
    y = X @ coef + rng.standard_normal(n_samples) - 1.5
    return X, y


# --- fixtures ------------------------------------------------------------------


def _read_only(*arrays):
    for array in arrays:
        array.setflags(write=False)
    return arrays


@pytest.fixture(scope="session")
def diabetes():
    """scikit-learn's diabetes data (442 x 10), read-only float64 arrays."""
    X, y = load_diabetes(return_X_y=True)
    return _read_only(np.asarray(X, dtype=np.float64), np.asarray(y, np.float64))


@pytest.fixture(scope="session")
def wide():
    """Generated p >> n problem (50 x 200), read-only."""
    return _read_only(*make_wide_problem())


@pytest.fixture(scope="session")
def tall():
    """Generated n >> p correlated problem (300 x 12), read-only."""
    return _read_only(*make_tall_problem())


@pytest.fixture(scope="session")
def riboflavin():
    """The riboflavin data (71 x 4088); the test is skipped when absent
    (fails under ``L1L2_REQUIRE_DATA=1``)."""
    if not RIBOFLAVIN_PATH.exists():
        message = f"riboflavin data not found at {RIBOFLAVIN_PATH}"
        if REQUIRE_DATA:
            pytest.fail(f"{message}, and L1L2_REQUIRE_DATA=1 requires it "
                        "(set L1L2_DATA to the directory holding riboflavin.npz)")
        pytest.skip(f"{message} (set L1L2_DATA to its directory)")
    with np.load(RIBOFLAVIN_PATH) as data:
        X = np.asarray(data["X"], dtype=np.float64)
        y = np.asarray(data["y"], dtype=np.float64)
    return _read_only(X, y)


# The helpers, as fixtures.


@pytest.fixture(scope="session", name="enet_objective")
def _enet_objective_fixture():
    return enet_objective


@pytest.fixture(scope="session", name="enet_alpha_max")
def _enet_alpha_max_fixture():
    return enet_alpha_max


@pytest.fixture(scope="session", name="enet_kkt_violation")
def _enet_kkt_violation_fixture():
    return enet_kkt_violation


@pytest.fixture(scope="session", name="enet_kkt_bound")
def _enet_kkt_bound_fixture():
    return enet_kkt_bound


@pytest.fixture(scope="session", name="coef_distance_bound")
def _coef_distance_bound_fixture():
    return coef_distance_bound


@pytest.fixture(scope="session", name="gap_rounding_slack")
def _gap_rounding_slack_fixture():
    return gap_rounding_slack


@pytest.fixture(scope="session", name="certified_coef_distance")
def _certified_coef_distance_fixture():
    return certified_coef_distance


@pytest.fixture(scope="session", name="intercept_violation")
def _intercept_violation_fixture():
    return intercept_violation


@pytest.fixture(scope="session", name="weighted_centering")
def _weighted_centering_fixture():
    return weighted_centering
