"""Optimality checks for the general problem l1l2's Elastic-Net solves.

A plain module (not a conftest): tests import it as ``from optimality import
...``. Everything here is computed in float64 from dense copies of the data,
independently of the library.

The problem (scikit-learn's Elastic-Net objective with per-feature penalty
factors, and the box of the bounds; docs/architecture.md, "The objective and
its scaling"):

    P(w, b) = 1/(2 n) sum_i s_i (y_i - x_i.w - b)^2
              + alpha * sum_j f_j (l1_ratio |w_j| + (1 - l1_ratio)/2 w_j^2)
    subject to lower_j <= w_j <= upper_j,

with ``s`` rescaled to sum to ``n``, ``f_j = 0`` unpenalised and
``f_j = inf`` meaning ``w_j = 0``.

Optimality (b profiled out, so the residual has weighted mean zero): with
``g_j = x_j^T S r / n`` and ``h_j = g_j - alpha (1 - l1_ratio) f_j w_j``
(minus the gradient of the smooth part), ``h_j`` must lie in
``alpha l1_ratio f_j d|w_j| + N_[lower_j, upper_j](w_j)``:

- inside the box and ``w_j != 0``: ``h_j = alpha l1_ratio f_j sign(w_j)``;
- at an upper bound ``w_j = upper_j > 0``: ``h_j >= alpha l1_ratio f_j`` (the
  gradient pushes outward, the bound holds it); symmetrically at a lower one;
- at ``w_j = 0``: ``|h_j| <= alpha l1_ratio f_j``, one side lifted when the
  bound there is 0 (``lower_j = 0`` allows any ``h_j <= alpha l1_ratio f_j``).
"""

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso


def dense(X):
    """A float64 ndarray copy of X, dense or sparse."""
    if sparse.issparse(X):
        return np.asarray(X.toarray(), dtype=np.float64)
    return np.array(X, dtype=np.float64)


def normalized_weights(sample_weight, n_samples):
    """Weights rescaled to sum to ``n_samples`` (ones when None or a scalar)."""
    if sample_weight is None or np.ndim(sample_weight) == 0:
        return np.ones(n_samples)
    weights = np.asarray(sample_weight, dtype=np.float64)
    return weights * (n_samples / weights.sum())


def _per_feature(value, n_features, default):
    if value is None:
        return np.full(n_features, default, dtype=np.float64)
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return np.full(n_features, float(array))
    return array.copy()


def on_bound(coef, bound, ulps=4):
    """Where ``coef`` equals a finite ``bound`` up to a few ulps."""
    coef = np.asarray(coef, dtype=np.float64)
    bound = np.asarray(bound, dtype=np.float64)
    finite = np.isfinite(bound)
    slack = ulps * np.finfo(np.float64).eps * np.abs(np.where(finite, bound, 0.0))
    return finite & (np.abs(coef - np.where(finite, bound, 0.0)) <= slack)


@dataclass
class Problem:
    """One instance of the bounded, weighted, penalty-factor problem."""

    X: object
    y: object
    alpha: float
    l1_ratio: float = 1.0
    sample_weight: object = None
    penalty_factor: object = None
    lower: object = None
    upper: object = None
    positive: bool = False
    fit_intercept: bool = True

    def __post_init__(self):
        self.X = dense(self.X)
        self.y = np.array(self.y, dtype=np.float64)
        n_samples, n_features = self.X.shape
        self.s = normalized_weights(self.sample_weight, n_samples)
        self.f = _per_feature(self.penalty_factor, n_features, 1.0)
        self.lo = _per_feature(self.lower, n_features, -np.inf)
        self.hi = _per_feature(self.upper, n_features, np.inf)
        if self.positive:
            self.lo = np.maximum(self.lo, 0.0)
        if self.fit_intercept:
            self.x_mean = self.s @ self.X / self.s.sum()
            self.y_mean = float(self.s @ self.y / self.s.sum())
        else:
            self.x_mean = np.zeros(n_features)
            self.y_mean = 0.0
        self.Xc = self.X - self.x_mean
        self.yc = self.y - self.y_mean

    @classmethod
    def of(cls, model, X, y, sample_weight=None):
        """The problem a fitted (or unfitted) l1l2 estimator solves."""
        return cls(
            X,
            y,
            alpha=model.alpha,
            l1_ratio=model.l1_ratio,
            sample_weight=sample_weight,
            penalty_factor=model.penalty_factor,
            lower=model.lower_bounds,
            upper=model.upper_bounds,
            positive=model.positive,
            fit_intercept=model.fit_intercept,
        )

    @property
    def n_samples(self):
        return self.X.shape[0]

    @property
    def l1(self):
        """Per-feature L1 weight ``alpha l1_ratio f_j`` (0 where f_j = inf)."""
        return self.alpha * self.l1_ratio * np.where(np.isinf(self.f), 0.0, self.f)

    @property
    def l2(self):
        """Per-feature L2 weight ``alpha (1 - l1_ratio) f_j`` (0 where f_j = inf)."""
        factors = np.where(np.isinf(self.f), 0.0, self.f)
        return self.alpha * (1.0 - self.l1_ratio) * factors

    def intercept_of(self, coef):
        """The optimal intercept for ``coef``."""
        if not self.fit_intercept:
            return 0.0
        return self.y_mean - float(self.x_mean @ coef)

    # --- values ---------------------------------------------------------

    def objective(self, coef, intercept):
        """P(w, b); infinite outside the feasible set."""
        coef = np.asarray(coef, dtype=np.float64)
        if np.any(coef < self.lo) or np.any(coef > self.hi):
            return np.inf
        excluded = np.isinf(self.f)
        if np.any(coef[excluded] != 0):
            return np.inf
        kept = ~excluded
        residual = self.y - self.X @ coef - float(intercept)
        datafit = 0.5 * float(self.s @ residual**2) / self.n_samples
        c = coef[kept]
        penalty = float(
            np.sum(self.l1[kept] * np.abs(c)) + 0.5 * np.sum(self.l2[kept] * c**2)
        )
        return datafit + penalty

    def gradient_terms(self, coef, intercept):
        """``h_j = x_j^T S r / n - alpha (1 - l1_ratio) f_j w_j``."""
        coef = np.asarray(coef, dtype=np.float64)
        residual = self.y - self.X @ coef - float(intercept)
        g = self.X.T @ (self.s * residual) / self.n_samples
        return g - self.l2 * coef

    def kkt_violation(self, coef, intercept):
        """Per-feature distance of ``h_j`` from its allowed set.

        Infinite for a coefficient outside its box, or non-zero with an
        infinite penalty factor. In the units of alpha.
        """
        coef = np.asarray(coef, dtype=np.float64)
        h = self.gradient_terms(coef, intercept)
        l1 = self.l1
        low = np.empty_like(coef)
        high = np.empty_like(coef)
        positive = coef > 0
        negative = coef < 0
        zero = coef == 0
        low[positive] = high[positive] = l1[positive]
        low[negative] = high[negative] = -l1[negative]
        low[zero], high[zero] = -l1[zero], l1[zero]
        # The normal cone of the box where a coefficient sits on a bound.
        high[coef == self.hi] = np.inf
        low[coef == self.lo] = -np.inf
        violation = np.maximum(np.maximum(low - h, h - high), 0.0)
        violation[(coef < self.lo) | (coef > self.hi)] = np.inf
        excluded = np.isinf(self.f)
        violation[excluded] = np.where(coef[excluded] == 0, 0.0, np.inf)
        return violation

    def intercept_violation(self, coef, intercept):
        """Weighted mean of the residual (zero at the optimal intercept)."""
        residual = self.y - self.X @ np.asarray(coef, np.float64) - float(intercept)
        return float(abs(self.s @ residual) / self.s.sum())

    def gradient_scale(self):
        """``max_j |xc_j^T S yc| / n``: the size of the gradients at w = 0."""
        return float(np.max(np.abs(self.Xc.T @ (self.s * self.yc)))) / self.n_samples

    # --- solutions --------------------------------------------------------

    def polish(self, coef):
        """The exact minimiser on the pattern (signs, bounds, zeros) of coef.

        Coefficients that are 0, at a bound, or excluded are held where they
        are; the others, the free set F, solve the linear stationarity
        equations with their signs fixed:

            (Xc_F^T S Xc_F / n + diag(l2_F)) w_F
                = Xc_F^T S (yc - Xc_H w_H) / n - l1_F sign(w_F)

        If the pattern is that of the optimum, the result is the optimum to
        rounding, which :meth:`kkt_violation` then confirms. A coefficient
        within a few ulps of a bound counts as on it (and is put on it): that
        it should be exactly on it is tested separately.
        """
        coef = np.asarray(coef, dtype=np.float64)
        at_lower = on_bound(coef, self.lo)
        at_upper = on_bound(coef, self.hi)
        held = (coef == 0) | at_lower | at_upper | np.isinf(self.f)
        free = ~held
        result = np.where(held, coef, 0.0)
        result[at_lower] = self.lo[at_lower]
        result[at_upper] = self.hi[at_upper]
        result[np.isinf(self.f)] = 0.0
        if free.any():
            Xf = self.Xc[:, free]
            rhs_residual = self.yc - self.Xc[:, held] @ result[held]
            system = Xf.T @ (self.s[:, None] * Xf) / self.n_samples
            system += np.diag(self.l2[free])
            rhs = Xf.T @ (self.s * rhs_residual) / self.n_samples
            rhs -= self.l1[free] * np.sign(coef[free])
            result[free] = np.linalg.solve(system, rhs)
        return result, self.intercept_of(result)

    def reference(self):
        """An independent solution by L-BFGS-B on the split ``w = u - v``.

        ``u, v >= 0`` make the L1 term linear and the problem smooth with
        simple bounds: ``0 <= u <= upper``, ``0 <= v <= -lower`` (both 0 for
        an excluded feature). The intercept is profiled out by centring.
        """
        n_features = self.X.shape[1]
        excluded = np.isinf(self.f)
        l1, l2 = self.l1, self.l2
        u_max = np.where(excluded, 0.0, self.hi)
        v_max = np.where(excluded, 0.0, -self.lo)
        bounds = [(0.0, None if np.isinf(b) else b) for b in u_max] + [
            (0.0, None if np.isinf(b) else b) for b in v_max
        ]
        XtSX = self.Xc.T @ (self.s[:, None] * self.Xc) / self.n_samples
        XtSy = self.Xc.T @ (self.s * self.yc) / self.n_samples
        constant = 0.5 * float(self.s @ self.yc**2) / self.n_samples

        def value_and_gradient(z):
            u, v = z[:n_features], z[n_features:]
            w = u - v
            Hw = XtSX @ w
            smooth = 0.5 * w @ Hw - XtSy @ w + constant + 0.5 * np.sum(l2 * w**2)
            grad_w = Hw - XtSy + l2 * w
            value = smooth + np.sum(l1 * (u + v))
            return value, np.concatenate([grad_w + l1, -grad_w + l1])

        solution = optimize.minimize(
            value_and_gradient,
            np.zeros(2 * n_features),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={
                "maxiter": 100_000,
                "maxfun": 200_000,
                "ftol": 0.0,
                "gtol": 1e-14,
                "maxcor": 50,
            },
        )
        w = solution.x[:n_features] - solution.x[n_features:]
        return w, self.intercept_of(w)


def relative_distance(a, b):
    """``||a - b|| / max(||b||, tiny)``, in float64."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def shuffled_csc(X, seed=0):
    """CSC copy of X whose row indices are unsorted within every column."""
    X = sparse.csc_matrix(X)
    X.sort_indices()
    rng = np.random.default_rng(seed)
    data = X.data.copy()
    indices = X.indices.copy()
    for j in range(X.shape[1]):
        start, end = X.indptr[j], X.indptr[j + 1]
        order = rng.permutation(end - start)
        # Reverse first so that every column with 2+ entries is out of order.
        order = order[::-1] if np.all(np.diff(order) > 0) else order
        data[start:end] = data[start:end][order]
        indices[start:end] = indices[start:end][order]
    shuffled = sparse.csc_matrix((data, indices, X.indptr.copy()), shape=X.shape)
    return shuffled


def duplicated_csc(X, seed=0):
    """Non-canonical CSC copy of X: every stored entry split in two.

    Each value ``x`` becomes the two entries ``a`` and ``x - a`` at the same
    position, in place of the original; the matrix they sum to is X.
    """
    X = sparse.csc_matrix(X)
    X.sort_indices()
    rng = np.random.default_rng(seed)
    data, indices, indptr = [], [], [0]
    for j in range(X.shape[1]):
        start, end = X.indptr[j], X.indptr[j + 1]
        values = X.data[start:end]
        rows = X.indices[start:end]
        part = rng.uniform(-1.0, 2.0, values.size) * values
        data.extend([part, values - part])
        indices.extend([rows, rows])
        indptr.append(indptr[-1] + 2 * values.size)
    duplicated = sparse.csc_matrix(
        (np.concatenate(data), np.concatenate(indices), np.array(indptr)),
        shape=X.shape,
    )
    return duplicated


def with_explicit_zeros(X, fraction=0.3, seed=0):
    """CSC copy of X that also stores zeros at a fraction of its empty places."""
    dense_X = dense(X)
    rng = np.random.default_rng(seed)
    stored = (dense_X != 0) | (rng.uniform(size=dense_X.shape) < fraction)
    columns = range(dense_X.shape[1])
    indptr = np.concatenate([[0], np.cumsum(stored.sum(axis=0))])
    indices = np.concatenate([np.flatnonzero(stored[:, j]) for j in columns])
    data = np.concatenate([dense_X[stored[:, j], j] for j in columns])
    return sparse.csc_matrix((data, indices, indptr), shape=dense_X.shape)


# --- accuracy that a reported duality gap allows ----------------------------


def gap_slack(problem, dtype=np.float64):
    """Rounding noise of a duality gap: a few hundred ulps of ``yc^T S yc / n``."""
    scale = float(problem.s @ problem.yc**2) / problem.n_samples
    return 256 * np.finfo(dtype).eps * scale


def allowed_gap(problem, tol):
    """The gap a fit with tolerance ``tol`` promises: ``tol yc^T S yc / n``."""
    return tol * float(problem.s @ problem.yc**2) / problem.n_samples


def strong_convexity(problem, support=None):
    """Smallest eigenvalue of the Hessian over the features not excluded.

    ``Xc^T S Xc / n + diag(alpha (1 - l1_ratio) f)``; positive for the
    Elastic-Net (l1_ratio < 1, finite positive factors) and for a Lasso on
    full-column-rank data. With ``support`` (a boolean mask), over those
    features only.
    """
    kept = ~np.isinf(problem.f)
    if support is not None:
        kept &= np.asarray(support, dtype=bool)
    if not kept.any():
        return np.inf
    Xk = problem.Xc[:, kept]
    hessian = Xk.T @ (problem.s[:, None] * Xk) / problem.n_samples
    hessian += np.diag(problem.l2[kept])
    return float(np.linalg.eigvalsh(hessian)[0])


def distance_bound(problem, *gaps, dtype=np.float64, support=None):
    """Largest ``||w_a - w_b||`` between points whose gaps are ``gaps``.

    A point ``G`` above the minimum of a ``mu``-strongly convex function is
    within ``sqrt(2 G / mu)`` of the minimiser; the bounds add up. Infinite
    when the problem is not strongly convex. With ``support``, ``mu`` is
    taken over those features only, which bounds the distance when the
    points and the optimum all live on that support.
    """
    mu = strong_convexity(problem, support)
    if mu <= 1e-12 * max(problem.gradient_scale(), 1.0):
        return np.inf
    slack = gap_slack(problem, dtype)
    return float(sum(np.sqrt(2.0 * (max(float(g), 0.0) + slack) / mu) for g in gaps))


def check_optimal(problem, coef, intercept, coef_atol, kkt_rtol=1e-9, gap=None):
    """Assert that ``(coef, intercept)`` solves ``problem``.

    The exact minimiser on the pattern of ``coef`` (:meth:`Problem.polish`)
    must satisfy every optimality condition to ``kkt_rtol`` times the size of
    the gradients, which certifies it as the optimum; ``coef`` must then be
    within ``coef_atol`` of it and the intercept consistent with it. With
    ``gap`` (a reported duality gap), check that it is honest: ``coef`` is
    at most ``gap`` (plus rounding) above the optimum. Returns the polished
    coefficients.
    """
    coef = np.asarray(coef, dtype=np.float64)
    polished, polished_intercept = problem.polish(coef)
    scale = problem.gradient_scale()
    violation = problem.kkt_violation(polished, polished_intercept)
    worst = int(np.argmax(violation))
    assert violation[worst] <= kkt_rtol * scale, (
        f"the pattern of coef is not optimal: feature {worst} violates its "
        f"condition by {violation[worst]:.3e} (gradient scale {scale:.3e})"
    )
    assert np.all(coef >= problem.lo) and np.all(coef <= problem.hi)
    np.testing.assert_allclose(coef, polished, rtol=0, atol=coef_atol)
    intercept_atol = coef_atol * (np.linalg.norm(problem.x_mean) + 1.0)
    assert abs(float(intercept) - polished_intercept) <= intercept_atol
    if gap is not None:
        excess = problem.objective(coef, intercept) - problem.objective(
            polished, polished_intercept
        )
        assert excess <= float(gap) + gap_slack(problem), (
            f"the duality gap {float(gap):.3e} is below the suboptimality {excess:.3e}"
        )
    return polished


# --- optimality within what a reported gap allows --------------------------


def kkt_bound(problem, coef, gap, dtype=np.float64):
    """Per-feature KKT violation allowed at a point at most ``gap`` above the
    optimum (plus rounding).

    Moving coordinate j alone, with curvature ``a_j``, lowers the objective
    by at least ``v^2 / (2 a_j)`` for a violation ``v``, unless the move is
    cut short by crossing zero or meeting a bound at distance ``d``, where it
    still gains ``v d / 2``: so ``v <= max(sqrt(2 a_j G), 2 G / d)``.
    """
    coef = np.asarray(coef, dtype=np.float64)
    G = max(float(gap), 0.0) + gap_slack(problem, dtype)
    curvature = np.einsum("ij,ij,i->j", problem.Xc, problem.Xc, problem.s)
    curvature = curvature / problem.n_samples + problem.l2
    bound = np.sqrt(2.0 * curvature) * np.sqrt(G)  # no overflow at 1e100
    for distance in (np.abs(coef), coef - problem.lo, problem.hi - coef):
        with np.errstate(divide="ignore", invalid="ignore"):
            cut = np.where(distance > 0, 2.0 * G / distance, 0.0)
        bound = np.maximum(bound, np.where(np.isfinite(cut), cut, 0.0))
    rounding = 64 * np.finfo(dtype).eps * max(problem.gradient_scale(), 1e-300)
    return bound + rounding


def assert_optimal_on(problem, coef, intercept, gap, tol, dtype=np.float64):
    """:func:`assert_optimal` for a solution of ``problem``."""
    coef = np.asarray(coef, dtype=np.float64)
    assert np.all(np.isfinite(coef)) and np.isfinite(intercept)
    slack = gap_slack(problem, dtype)
    assert -slack <= gap <= allowed_gap(problem, tol) + slack
    violation = problem.kkt_violation(coef, intercept)
    bound = kkt_bound(problem, coef, gap, dtype)
    worst = int(np.argmax(violation - bound))
    assert violation[worst] <= bound[worst], (
        f"feature {worst} violates its condition by {violation[worst]:.3e} > "
        f"{bound[worst]:.3e}"
    )
    intercept_scale = abs(problem.y_mean) + np.abs(problem.x_mean) @ np.abs(coef)
    assert abs(intercept - problem.intercept_of(coef)) <= (
        64 * np.finfo(dtype).eps * max(intercept_scale, 1e-300))


# --- data -----------------------------------------------------------------------


def sparse_problem(n_samples, n_features, density=0.2, n_informative=8, seed=0):
    """A CSC X with non-centred stored values, and y with an intercept.

    The stored values are ``1 + N(0, 1)`` so that the column means are far
    from 0 and implicit centring matters.
    """
    rng = np.random.default_rng(seed)
    X = sparse.random(
        n_samples,
        n_features,
        density=density,
        format="csc",
        random_state=seed,
        data_rvs=lambda k: 1.0 + rng.standard_normal(k),
    )
    coef = np.zeros(n_features)
    coef[:n_informative] = 3.0 * rng.standard_normal(n_informative)
    y = X @ coef + 0.3 * rng.standard_normal(n_samples) + 2.0
    return X, y


def dense_problem(n_samples, n_features, n_informative=8, seed=0):
    """Correlated, shifted dense X, and y with an intercept."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n_samples, 3))
    X = rng.standard_normal((n_samples, n_features))
    X += 0.5 * latent @ rng.standard_normal((3, n_features))
    X += rng.uniform(-1.0, 1.0, n_features)
    coef = np.zeros(n_features)
    coef[:n_informative] = rng.uniform(1.0, 3.0, n_informative) * rng.choice(
        [-1.0, 1.0], n_informative
    )
    y = X @ coef + 0.5 * rng.standard_normal(n_samples) - 1.0
    return X, y


def positive_weights(n_samples, seed=0):
    """Non-uniform positive sample weights (ratio up to 15)."""
    return np.random.default_rng(seed).uniform(0.2, 3.0, n_samples)


def alpha_max(X, y, l1_ratio=1.0, sample_weight=None, fit_intercept=True):
    """Smallest alpha whose solution (unit factors, no bounds) is zero."""
    problem = Problem(
        X, y, 1.0, sample_weight=sample_weight, fit_intercept=fit_intercept
    )
    return problem.gradient_scale() / l1_ratio


def coef_tolerance(problem, model, rtol=1e-8):
    """How far a fit may be from the optimum.

    A Lasso whose features are all penalised must be within ``rtol`` times
    its largest coefficient: at tol=1e-12 its iterates settle on the support
    to rounding level. Otherwise (the Elastic-Net, or unpenalised features,
    whose least-squares part converges only linearly) what the reported
    duality gap allows, if more: iterates stop as soon as the gap is below
    the tolerance, which can leave them ~1e-6 away at tol=1e-12. The gap
    bound uses the strong convexity over all features when there is any,
    else over the fit's support.
    """
    scale = max(1.0, float(np.max(np.abs(model.coef_))))
    if model.l1_ratio == 1.0 and not np.any(problem.f == 0):
        return rtol * scale
    bound = distance_bound(problem, model.dual_gap_)
    if not np.isfinite(bound):
        bound = distance_bound(problem, model.dual_gap_, support=model.coef_ != 0)
    return max(rtol * scale, bound)


def kkt_tolerance(problem, model, rtol=1e-9):
    """How far a fit's optimality conditions may be violated, per feature.

    ``rtol`` times the size of the gradients; for the Elastic-Net at least
    what its duality gap ``G`` allows: a violation ``v`` of feature j lets a
    move of ``w_j`` alone lower the objective by ``v^2 / (2 a_j)``, with
    ``a_j = ||xc_j||_S^2 / n + l2_j`` its curvature, so ``v <= sqrt(2 a_j G)``.
    """
    tolerance = np.full(problem.X.shape[1], rtol * problem.gradient_scale())
    if model.l1_ratio < 1.0:
        curvature = np.einsum("ij,ij,i->j", problem.Xc, problem.Xc, problem.s)
        curvature = curvature / problem.n_samples + problem.l2
        gap = max(float(model.dual_gap_), 0.0) + gap_slack(problem)
        tolerance = np.maximum(tolerance, np.sqrt(2.0 * curvature * gap))
    return tolerance


# --- an independent solution through scikit-learn's Lasso -------------------


def sklearn_reference(problem, tol=1e-14):
    """The optimum of an unbounded problem, from ``sklearn.linear_model.Lasso``.

    Three exact reductions turn the problem into a plain Lasso without
    intercept, weights or factors:

    - weights and intercept: centre with the weights, multiply rows by
      ``sqrt(s)``;
    - unpenalised features U (``f = 0``): project the data onto the
      orthogonal complement of their columns (Frisch-Waugh-Lovell), solve
      for the others, then least squares for ``w_U``;
    - per-feature L2 terms: append the rows ``sqrt(n alpha (1 - l1_ratio)
      f_j) e_j^T`` with target 0 (the Lasso then has ``m = n + p`` rows, so
      its alpha is ``alpha l1_ratio n / m``); per-feature L1 weights: divide
      column j by ``f_j`` and the fitted coefficient by ``f_j`` again.

    Excluded features (``f = inf``) are dropped. Returns ``(coef,
    intercept)``.
    """
    if np.any(np.isfinite(problem.lo)) or np.any(np.isfinite(problem.hi)):
        raise ValueError("sklearn_reference solves unbounded problems only")
    if problem.l1_ratio <= 0:
        raise ValueError("sklearn_reference needs an L1 term")
    n_samples, n_features = problem.X.shape
    root = np.sqrt(problem.s)
    Z = root[:, None] * problem.Xc
    t = root * problem.yc
    unpenalised = problem.f == 0
    penalised = np.isfinite(problem.f) & ~unpenalised
    Zp = Z[:, penalised]
    tp = t
    if unpenalised.any():
        Q = linalg.orth(Z[:, unpenalised])
        Zp = Zp - Q @ (Q.T @ Zp)
        tp = t - Q @ (Q.T @ t)
    factors = problem.f[penalised]
    if problem.l1_ratio < 1.0:
        ridge_rows = np.diag(
            np.sqrt(n_samples * problem.alpha * (1.0 - problem.l1_ratio) * factors)
        )
        Zp = np.vstack([Zp, ridge_rows])
        tp = np.concatenate([tp, np.zeros(ridge_rows.shape[0])])
    n_rows = Zp.shape[0]
    lasso = Lasso(
        alpha=problem.alpha * problem.l1_ratio * n_samples / n_rows,
        fit_intercept=False,
        tol=tol,
        max_iter=1_000_000,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        lasso.fit(Zp / factors, tp)
    coef = np.zeros(n_features)
    coef[penalised] = lasso.coef_ / factors
    if unpenalised.any():
        rest = t - Z[:, penalised] @ coef[penalised]
        coef[unpenalised] = np.linalg.lstsq(Z[:, unpenalised], rest, rcond=None)[0]
    return coef, problem.intercept_of(coef)
