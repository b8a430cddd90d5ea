"""The Ridge solvers, one function per method.

Every solver takes the prepared problem, a :class:`~l1l2._base.Design` (X as
given, the sample weights and the centring offsets), the centred targets
``Yc`` of shape (n_samples, n_targets) and one alpha per target, and returns
the coefficients of shape (n_targets, n_features). They minimise

    sum_i s_i (yc_i - (x_i - m)^T w)^2 + alpha ||w||^2,

the centred form of scikit-learn's Ridge objective (the intercept is
recovered afterwards). None copies or densifies X:

- :func:`solve_cholesky`: the normal equations, primal (p x p) or dual
  (n x n), exact;
- :func:`solve_svd`: the thin SVD of the centred X (dense X), exact;
- :func:`solve_lsqr` and :func:`solve_cg`: scipy's LSQR and conjugate
  gradients on :func:`centred_operator`, matrix-free;
- :func:`solve_cd`: l1l2's coordinate-descent kernel (non-negative
  coefficients too), with :func:`polish_positive` to finish it exactly.

:func:`choose_auto` is the rule of ``solver='auto'``.
"""

import warnings

import numpy as np
from scipy import linalg
from scipy.sparse import linalg as sparse_linalg
from sklearn.exceptions import ConvergenceWarning

from ._base import Design
from ._path import solve_enet


def centred_operator(design):
    """``A = S^1/2 (X - 1 m^T)`` as a LinearOperator, without copying X.

    Products with A and A^T use only ``X @ v`` and ``X.T @ u`` (sparse X
    stays sparse, in CSR or CSC) and rank-one corrections for the centring
    ``m`` and the row scaling ``sqrt(s)``; they are computed in float64.

    Parameters
    ----------
    design : Design

    Returns
    -------
    operator : scipy.sparse.linalg.LinearOperator of shape (n_samples, n_features)
    """
    X = design.X
    offset = design.X_offset if np.any(design.X_offset) else None
    root = None if design.sample_weight is None else np.sqrt(design.sample_weight)

    def matvec(v):
        v = np.asarray(v, dtype=np.float64).ravel()
        out = np.asarray(X @ v, dtype=np.float64).ravel()
        if offset is not None:
            out -= offset @ v
        if root is not None:
            out *= root
        return out

    def rmatvec(u):
        u = np.asarray(u, dtype=np.float64).ravel()
        if root is not None:
            u = u * root
        out = np.asarray(X.T @ u, dtype=np.float64).ravel()
        if offset is not None:
            out -= offset * u.sum()
        return out

    return sparse_linalg.LinearOperator(
        X.shape, matvec=matvec, rmatvec=rmatvec, dtype=np.float64
    )


def weighted_targets(design, Yc):
    """``S^1/2 Yc``: the right-hand sides of the least-squares form."""
    if design.sample_weight is None:
        return np.asarray(Yc, dtype=np.float64)
    return np.sqrt(design.sample_weight)[:, np.newaxis] * Yc


def solve_cholesky(design, Yc, alphas):
    """Coefficients from the primal or dual normal equations.

    The primal system ``Xt^T S Xt`` (n_samples >= n_features) or the dual
    ``S^1/2 Xt Xt^T S^1/2`` is built by the Design without copying X.
    Targets sharing an alpha share one factorisation. Raises
    ``LinAlgError`` when a system is not positive definite.
    """
    primal = design.n_samples >= design.n_features
    root = np.sqrt(design.weights)[:, np.newaxis]
    if primal:
        system, rhs = design.gram_matrix(), design.transpose_dot(Yc)
    else:
        system, rhs = design.kernel_matrix(), root * Yc
    solution = np.empty_like(rhs)
    for alpha in np.unique(alphas):
        targets = alphas == alpha
        regularised = system.copy()
        regularised.flat[:: system.shape[0] + 1] += alpha
        factor = linalg.cho_factor(regularised, overwrite_a=True)
        solution[:, targets] = linalg.cho_solve(factor, rhs[:, targets])
    coef = solution if primal else design.transpose_dot(solution, root[:, 0])
    return coef.T


def solve_svd(design, Yc, alphas):
    """Coefficients from the thin SVD of the centred, weighted X (a dense
    copy). Singular values below rounding level are dropped, so
    ``alpha=0`` gives the minimum-norm least-squares solution."""
    Xc = design.centred_block()
    U, singular, Vt = linalg.svd(Xc, full_matrices=False, lapack_driver="gesdd")
    cutoff = singular.max(initial=0.0) * max(Xc.shape) * np.finfo(Xc.dtype).eps
    kept = singular > cutoff
    UtY = U[:, kept].T @ weighted_targets(design, Yc)
    s = singular[kept][:, np.newaxis]
    shrink = s / (s**2 + alphas[np.newaxis, :])
    return (Vt[kept].T @ (shrink * UtY)).T


def solve_lsqr(design, Yc, alphas, *, tol, max_iter, name="lsqr"):
    """Coefficients by scipy's LSQR on ``min ||A w - b||^2 + alpha ||w||^2``
    with A the :func:`centred_operator`, one target at a time.

    LSQR stops when ``||A^T r - alpha w|| <= tol ||[A; sqrt(alpha) I]||
    ||r||`` or ``||r|| <= tol (||A|| ||w|| + ||b||)`` (``atol = btol = tol``,
    as scikit-learn), or after ``max_iter`` iterations (LSQR's default,
    ``2 n_features``, when None). Starting from zero, it converges to the
    minimum-norm solution when ``alpha = 0``.

    Returns
    -------
    coef : ndarray of shape (n_targets, n_features)
    n_iter : ndarray of shape (n_targets,)
        Iterations run per target.
    """
    operator = centred_operator(design)
    rhs = weighted_targets(design, Yc)
    coef = np.empty((len(alphas), design.n_features))
    n_iter = np.empty(len(alphas), dtype=np.int32)
    for k, alpha in enumerate(alphas):
        result = sparse_linalg.lsqr(
            operator,
            rhs[:, k],
            damp=np.sqrt(alpha),
            atol=tol,
            btol=tol,
            iter_lim=max_iter,
        )
        coef[k], stop, n_iter[k] = result[0], result[1], result[2]
        if stop == 7:  # the iteration limit, not a tolerance, stopped it
            _warn_not_converged(name, n_iter[k], tol)
    return coef, n_iter


def solve_cg(design, Yc, alphas, *, tol, max_iter, name="sparse_cg"):
    """Coefficients by scipy's conjugate gradients on the normal equations,
    matrix-free: ``(A^T A + alpha I) w = A^T b`` when n_samples >=
    n_features, else the dual ``(A A^T + alpha I) u = b``, ``w = A^T u``,
    with A the :func:`centred_operator`.

    CG stops when the residual of its system is below ``tol`` times its
    right-hand side (scikit-learn's criterion), or after ``max_iter``
    iterations (scipy's default, ten times the system's size, when None).

    Returns
    -------
    coef : ndarray of shape (n_targets, n_features)
    n_iter : ndarray of shape (n_targets,)
        Iterations run per target.
    """
    operator = centred_operator(design)
    rhs = weighted_targets(design, Yc)
    primal = design.n_samples >= design.n_features
    size = design.n_features if primal else design.n_samples
    coef = np.empty((len(alphas), design.n_features))
    n_iter = np.zeros(len(alphas), dtype=np.int32)
    for k, alpha in enumerate(alphas):
        if primal:
            system = sparse_linalg.LinearOperator(
                (size, size),
                dtype=np.float64,
                matvec=lambda v, a=alpha: operator.rmatvec(operator.matvec(v)) + a * v,
            )
            b = operator.rmatvec(rhs[:, k])
        else:
            system = sparse_linalg.LinearOperator(
                (size, size),
                dtype=np.float64,
                matvec=lambda u, a=alpha: operator.matvec(operator.rmatvec(u)) + a * u,
            )
            b = rhs[:, k]

        last_finite = [None]

        def count(iterate, k=k, last_finite=last_finite):
            n_iter[k] += 1
            if np.all(np.isfinite(iterate)):
                last_finite[0] = iterate.copy()

        solution, info = sparse_linalg.cg(
            system, b, rtol=tol, atol=0.0, maxiter=max_iter, callback=count
        )
        if info < 0:
            raise ValueError(f"Conjugate gradients failed with error code {info}.")
        if info > 0:
            _warn_not_converged(name, n_iter[k], tol)
        if last_finite[0] is not None and not np.all(np.isfinite(solution)):
            # Iterating past an exact solution (tol=0) divides 0 by 0: its
            # last finite iterate is that solution.
            solution = last_finite[0]
        coef[k] = solution if primal else operator.rmatvec(solution)
    return coef, n_iter


def _warn_not_converged(name, n_iter, tol):
    warnings.warn(
        f"{name} did not converge after {n_iter} iterations (tol={tol:g}); "
        "increase max_iter or tol, or use solver='auto'.",
        ConvergenceWarning,
        stacklevel=4,
    )


def solve_cd(design, Yc, alphas, *, tol, max_iter, seed, name="cd", coef=None):
    """Coefficients by l1l2's coordinate descent (``l1_ratio=0``), which
    honours the Design's bounds (``positive=True``).

    The Ridge objective is the Elastic-Net's times ``2 sum(s)``, so alpha
    is divided by ``sum(s)``. Stops when the duality gap is below ``tol``
    times ``y^T S y / sum(s)``, or after ``max_iter`` epochs (1000 when
    None).

    ``coef``, of shape (n_targets, n_features), is a warm start, updated in
    place; zeros when None.

    Returns
    -------
    coef : ndarray of shape (n_targets, n_features)
    n_iter : ndarray of shape (n_targets,)
        Epochs run per target.
    """
    max_iter = 1000 if max_iter is None else max_iter
    if coef is None:
        coef = np.zeros((Yc.shape[1], design.n_features), dtype=design.dtype)
    n_iter = np.empty(Yc.shape[1], dtype=np.int32)
    for k in range(Yc.shape[1]):
        gap, tolerance, n_iter[k] = solve_enet(
            design,
            design.target(Yc[:, k]),
            alphas[k] / design.weight_sum,
            0.0,
            coef[k],
            max_iter=max_iter,
            tol=tol,
            seed=seed,
        )
        if gap > tolerance:
            warnings.warn(
                f"The {name} solver did not converge (l1l2 runs it as "
                f"coordinate descent): after {n_iter[k]} epochs the duality "
                f"gap is {gap:.3e}, above the tolerance {tolerance:.3e}. "
                "Increase max_iter or tol.",
                ConvergenceWarning,
                stacklevel=3,
            )
    return coef, n_iter


def solve_positive(design, Yc, alphas, *, tol, max_iter, seed, name="cd"):
    """Non-negative coefficients: coordinate descent to ``tol``, then exact.

    The coordinate-descent solution (which warns if it falls short of
    ``tol``) starts :func:`polish_positive`, Newton steps that end at the
    exact optimum, certified by the optimality conditions.

    Returns
    -------
    coef : ndarray of shape (n_targets, n_features)
    n_iter : ndarray of shape (n_targets,)
        Coordinate-descent epochs run per target.
    """
    coef, n_iter = solve_cd(
        design, Yc, alphas, tol=tol, max_iter=max_iter, seed=seed, name=name
    )
    polish_positive(design, Yc, alphas, coef)
    return coef, n_iter


# Largest set of free coefficients on which polish_positive solves the normal
# equations, and its number of solves per target.
_POLISH_MAX_FREE = 4000
_POLISH_MAX_SOLVES = 100


def polish_positive(design, Yc, alphas, coef):
    """Finish non-negative solutions exactly, in place, from a feasible
    ``coef[k]`` (the coordinate-descent solution).

    When n_samples >= n_features (or ``alpha = 0``), by projected Newton
    steps on the primal: each round frees the coefficients that are positive
    or whose gradient ``Xt^T S (Xt w - yc) + alpha w`` is negative (of the
    latter only the most negative one after a round without progress),
    solves the Ridge problem on the free ones exactly, and moves along the
    projected path ``max(0, w + t (target - w))`` to the first ``t`` in 1,
    1/2, ... 1/1024 that lowers the objective, or else (Lawson and Hanson's
    step) to where the segment leaves the feasible set. When n_features >
    n_samples, by semismooth Newton steps on the dual, in n dimensions (see
    ``_NonNegativeRidge.solve_dual``). It stops when the optimality
    conditions hold (gradient zero on the support, non-negative off it, to
    1.5e-10 of ``||Xt^T S yc||_inf`` in float64, 3.5e-6 in float32), or
    gives up, keeping its best point, when a free set exceeds 4000
    coefficients, a solve fails or 100 solves are spent.

    Returns
    -------
    exact : ndarray of bool, shape (n_targets,)
        Which targets now hold the exact optimum.
    """
    operator = centred_operator(design)
    rhs = weighted_targets(design, Yc)
    exact = np.zeros(len(alphas), dtype=bool)
    for k, alpha in enumerate(alphas):
        problem = _NonNegativeRidge(design, operator, Yc[:, k], rhs[:, k], alpha)
        coef[k], exact[k] = problem.solve(np.asarray(coef[k], dtype=np.float64))
    return exact


class _NonNegativeRidge:
    """One target's non-negative Ridge problem, for :func:`polish_positive`."""

    def __init__(self, design, operator, yc, rhs, alpha):
        self.design, self.operator = design, operator
        self.yc, self.rhs, self.alpha = yc, rhs, alpha
        scale = np.abs(operator.rmatvec(rhs)).max(initial=0.0)
        # 1.5e-10 of the scale in float64, 3.5e-6 in float32.
        self.tolerance = 0.01 * np.sqrt(np.finfo(design.dtype).eps) * scale
        self.solves = 0

    def objective(self, w):
        residual = self.operator.matvec(w) - self.rhs
        return residual @ residual + self.alpha * (w @ w)

    def gradient(self, w):
        residual = self.operator.matvec(w) - self.rhs
        return self.operator.rmatvec(residual) + self.alpha * w

    def optimal(self, w, gradient):
        """Whether w, with this gradient, meets the optimality conditions
        (to the tolerance)."""
        support = w > 0
        return np.all(gradient[~support] >= -self.tolerance) and np.all(
            np.abs(gradient[support]) <= self.tolerance
        )

    def solve(self, w):
        """``(w, exact)`` from a feasible w: by the dual Newton method when
        p > n (and alpha > 0), by the primal active set otherwise."""
        if self.design.n_features > self.design.n_samples and self.alpha > 0:
            return self.solve_dual(w)
        return self.solve_primal(w)

    def dual_objective(self, r):
        """``D(r) = r.r / 2 - b.r + ||max(0, A^T r)||^2 / (2 alpha)``,
        minimised by the residual ``r = b - A w`` of the optimum."""
        positive = np.maximum(self.operator.rmatvec(r), 0.0)
        return 0.5 * (r @ r) - self.rhs @ r + (positive @ positive) / (2 * self.alpha)

    def solve_dual(self, w):
        """Semismooth Newton on the dual: at the optimum ``w = max(0, A^T
        r) / alpha`` with ``r = b - A w``; each step solves ``(I + A_P
        A_P^T / alpha) d = -F(r)`` (n x n, P the positive correlations)
        and backtracks on D."""
        r = self.rhs - self.operator.matvec(w)
        while self.solves < _POLISH_MAX_SOLVES:
            correlation = self.operator.rmatvec(r)
            w = np.maximum(correlation, 0.0) / self.alpha
            if self.optimal(w, self.gradient(w)):
                return w, True
            residual = r - self.rhs + self.operator.matvec(w)
            columns = np.flatnonzero(correlation > 0)
            system = self.restricted_design(columns).kernel_matrix() / self.alpha
            system.flat[:: system.shape[0] + 1] += 1.0
            self.solves += 1
            try:
                direction = -linalg.cho_solve(linalg.cho_factor(system), residual)
            except linalg.LinAlgError:
                break
            current, slope, t = self.dual_objective(r), residual @ direction, 1.0
            while self.dual_objective(r + t * direction) > current + 1e-4 * t * slope:
                t /= 2.0
                if t < 1e-10:
                    return w, False
            r = r + t * direction
        return np.maximum(self.operator.rmatvec(r), 0.0) / self.alpha, False

    def solve_primal(self, w):
        """The active-set rounds (see :func:`polish_positive`)."""
        one_at_a_time = False
        while self.solves < _POLISH_MAX_SOLVES:
            gradient = self.gradient(w)
            if self.optimal(w, gradient):
                return w, True
            support = w > 0
            violating = ~support & (gradient < -self.tolerance)
            if one_at_a_time and violating.any():
                most = np.argmin(np.where(violating, gradient, 0.0))
                violating = np.zeros_like(violating)
                violating[most] = True
            target = self.restricted_solution(np.flatnonzero(support | violating))
            if target is None:
                break
            moved = self.step(w, target)
            one_at_a_time = np.array_equal(moved, w)
            w = moved
        return w, False

    def step(self, w, target):
        """Along the projected path ``max(0, w + t (target - w))``, the
        first of t = 1, 1/2, ..., 1/1024 that lowers the objective;
        otherwise Lawson and Hanson's step, to where the segment from w to
        the target leaves the feasible set."""
        current = self.objective(w)
        t = 1.0
        while t >= 2.0**-10:
            candidate = np.maximum(w + t * (target - w), 0.0)
            if self.objective(candidate) < current:
                return candidate
            t /= 2.0
        falling = target < 0
        if not falling.any():  # feasible: the best point on its free set
            return target if self.objective(target) <= current else w
        steps = w[falling] / (w[falling] - target[falling])
        moved = w + steps.min() * (target - w)
        moved[falling & (moved <= 0)] = 0.0
        moved[np.flatnonzero(falling)[np.argmin(steps)]] = 0.0
        return moved

    def restricted_solution(self, columns):
        """The Ridge solution with the other coefficients held at zero."""
        if columns.size > _POLISH_MAX_FREE or self.solves >= _POLISH_MAX_SOLVES:
            return None
        self.solves += 1
        sub = self.restricted_design(columns)
        try:
            values = solve_cholesky(sub, self.yc[:, np.newaxis], np.array([self.alpha]))
        except linalg.LinAlgError:
            return None
        full = np.zeros(self.design.n_features)
        full[columns] = values[0]
        return full

    def restricted_design(self, columns):
        """The Design of some columns of X (their copy)."""
        design = self.design
        return Design(
            design.X[:, columns],
            design.sample_weight,
            design.X_offset[columns],
            np.ones(columns.size),
            design.lower[columns],
            design.upper[columns],
        )
