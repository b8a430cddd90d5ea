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

        def count(_, k=k):
            n_iter[k] += 1

        solution, info = sparse_linalg.cg(
            system, b, rtol=tol, atol=0.0, maxiter=max_iter, callback=count
        )
        if info < 0:
            raise ValueError(f"Conjugate gradients failed with error code {info}.")
        if info > 0:
            _warn_not_converged(name, n_iter[k], tol)
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


# Refinement of solve_positive: each round divides the tolerance by this, down
# to the last one.
_REFINE_FACTOR = 100.0
_REFINE_LAST_TOL = 1e-14


def solve_positive(design, Yc, alphas, *, tol, max_iter, seed, name="cd"):
    """Non-negative coefficients: coordinate descent to ``tol``, then exact.

    After the solve at ``tol`` (which warns if it falls short),
    :func:`polish_positive` tries the exact solution on the support found;
    where the optimality conditions reject it (the support is not yet the
    optimum's), coordinate descent continues from where it stopped at a
    tolerance 100 times smaller, and so on down to 1e-14. The result is the
    exact optimum whenever the support settles, and never worse than the
    first solve.

    Returns
    -------
    coef : ndarray of shape (n_targets, n_features)
    n_iter : ndarray of shape (n_targets,)
        Epochs run per target, over all rounds.
    """
    coef, n_iter = solve_cd(
        design, Yc, alphas, tol=tol, max_iter=max_iter, seed=seed, name=name
    )
    exact = polish_positive(design, Yc, alphas, coef)
    while not np.all(exact) and tol > _REFINE_LAST_TOL:
        tol = max(tol / _REFINE_FACTOR, _REFINE_LAST_TOL)
        rest = np.flatnonzero(~exact)
        with warnings.catch_warnings():
            # The first solve met (or warned about) the user's tol already.
            warnings.simplefilter("ignore", ConvergenceWarning)
            refined, epochs = solve_cd(
                design,
                Yc[:, rest],
                alphas[rest],
                tol=tol,
                max_iter=max_iter,
                seed=seed,
                name=name,
                coef=np.ascontiguousarray(coef[rest]),
            )
        coef[rest], n_iter[rest] = refined, n_iter[rest] + epochs
        exact[rest] = polish_positive(design, Yc[:, rest], alphas[rest], coef[rest])
    return coef, n_iter


# Largest support on which polish_positive solves the normal equations (their
# matrix has support^2 entries).
_POLISH_MAX_SUPPORT = 4000


def polish_positive(design, Yc, alphas, coef):
    """Replace a non-negative coordinate-descent solution by the exact one
    when its support is right.

    On the support ``P = {j : w_j > 0}`` the solution solves the Ridge
    normal equations of the columns in P; if that solution is positive and
    the gradient ``Xt^T S (Xt w - yc) + alpha w`` is non-negative off P (the
    optimality conditions), it is the exact optimum and replaces ``coef[k]``
    (in place). Otherwise ``coef[k]`` is kept as the solver left it.

    Returns
    -------
    exact : ndarray of bool, shape (n_targets,)
        Which targets now hold the exact optimum.
    """
    exact = np.zeros(len(alphas), dtype=bool)
    operator = centred_operator(design)
    rhs = weighted_targets(design, Yc)
    for k, alpha in enumerate(alphas):
        support = np.flatnonzero(coef[k] > 0)
        if support.size == 0 or support.size > _POLISH_MAX_SUPPORT:
            continue
        sub = Design(
            design.X[:, support],
            design.sample_weight,
            design.X_offset[support],
            np.ones(support.size),
            design.lower[support],
            design.upper[support],
        )
        system = sub.gram_matrix().astype(np.float64)
        system.flat[:: support.size + 1] += alpha
        try:
            values = linalg.cho_solve(
                linalg.cho_factor(system), sub.transpose_dot(Yc[:, k])
            )
        except linalg.LinAlgError:
            continue
        if np.any(values <= 0):
            continue
        candidate = np.zeros(design.n_features)
        candidate[support] = values
        gradient = operator.rmatvec(operator.matvec(candidate) - rhs[:, k])
        gradient += alpha * candidate
        scale = np.abs(operator.rmatvec(rhs[:, k])).max(initial=0.0)
        # Rounding leaves the gradient a little below zero on the support.
        if np.all(gradient >= -1e-10 * scale):
            coef[k] = candidate
            exact[k] = True
    return exact
