"""Covariance mode: coordinate descent on Gram columns, for n_samples >> n_features.

When X is tall, an epoch of the residual kernel costs O(n_samples) per
coordinate while the same update on the Gram matrix ``Q = Xt^T S Xt`` costs
O(n_features). glmnet's covariance updates go further: only the columns of
Q for features that have been active are ever computed. This module does the
same: :class:`GramColumns` computes columns on first use (one BLAS-3
product per batch of new features) and :func:`solve_enet_covariance` grows
an active set by the optimality conditions, solving each restricted problem
with the covariance kernel and certifying the whole problem by its duality
gap.
"""

import warnings

import numpy as np

from ._base import Design
from ._cd_fast import (
    INNER_GAP_SHARE,
    duality_gap,
    enet_coordinate_descent_gram,
    enet_path_gram,
)


class GramColumns:
    """Columns of ``Q = Xt^T S Xt``, computed when first asked for.

    Parameters
    ----------
    design : Design
        The data; X is read, never copied whole (a new batch of columns is
        centred and weighted in an n_samples x batch buffer).
    full : ndarray of shape (n_features, n_features), default=None
        A complete Gram matrix (precompute=True or given by the user): no
        column is ever computed then.
    """

    def __init__(self, design, full=None):
        self.design = design
        n_features = design.n_features
        self.complete = full is not None
        if full is not None:
            self.matrix = full
            self.slot = np.arange(n_features)
            return
        self.matrix = np.empty((n_features, min(n_features, 32)), dtype=design.dtype)
        self.slot = np.full(n_features, -1)
        self.count = 0

    def ensure(self, features):
        """Compute the columns of ``features`` that are not cached yet."""
        missing = features[self.slot[features] < 0]
        if missing.size == 0:
            return
        design = self.design
        block = design.centred_block(columns=missing)
        new = design.transpose_dot(block, np.sqrt(design.weights))
        needed = self.count + missing.size
        if needed > self.matrix.shape[1]:
            capacity = min(design.n_features, max(needed, 2 * self.matrix.shape[1]))
            grown = np.empty((design.n_features, capacity), dtype=design.dtype)
            grown[:, : self.count] = self.matrix[:, : self.count]
            self.matrix = grown
        self.matrix[:, self.count : needed] = new
        self.slot[missing] = np.arange(self.count, needed)
        self.count = needed

    def columns(self, features):
        """``Q[:, features]`` (n_features x k)."""
        self.ensure(features)
        return self.matrix[:, self.slot[features]]

    def block(self, features):
        """``Q[features][:, features]``, C-ordered, for the kernel."""
        self.ensure(features)
        return np.ascontiguousarray(self.matrix[np.ix_(features, self.slot[features])])


def _projection(design, gram, features):
    """The kernel's projection arrays restricted to ``features``.

    Returns None when no unpenalised feature (with an infinite bound) is
    among them; ``features`` must hold all of them.
    """
    projection = design.projection_features()
    if projection.size == 0:
        return None
    local = np.searchsorted(features, projection)
    cross = gram.columns(projection)[features]
    return (local.astype(np.intc), np.ascontiguousarray(cross),
            np.ascontiguousarray(cross[local]))


def _violators(design, XtSr, threshold, active_mask):
    """Inactive features whose correlation exceeds ``threshold * f_j`` in a
    direction their bounds allow."""
    factors = design.penalty_factor
    limit = threshold * factors
    up = (XtSr > limit) & (design.upper > 0)
    down = (XtSr < -limit) & (design.lower < 0)
    usable = np.isfinite(factors) & (design.column_stats[0] > 0)
    return np.flatnonzero((up | down) & usable & ~active_mask)


def solve_enet_covariance(design, target, alpha, l1_ratio, coef, *, max_iter, tol,
                          seed=0, random=False, previous_alpha=None):
    """Minimise the Elastic-Net objective in covariance mode, in place.

    Parameters and return values are those of :func:`l1l2._path.solve_enet`.
    The active set starts from the non-zero coefficients, the unpenalised
    features and, on a path, the features the sequential strong rule keeps;
    after each restricted solve the features violating their optimality
    condition join it, until the duality gap of the full problem is below
    the tolerance.
    """
    gram = design.gram_columns
    dtype = design.dtype
    scale = design.weight_sum
    l1_reg = alpha * l1_ratio * scale
    l2_reg = alpha * (1.0 - l1_ratio) * scale
    q = target.correlation
    y_norm2 = target.norm2
    tol_scaled = tol * y_norm2
    factors = design.penalty_factor
    if gram.complete:
        # The whole Gram matrix is at hand: one kernel call, which also
        # polishes with the exact step.
        _, gap, n_iter = enet_coordinate_descent_gram(
            coef, dtype.type(l1_reg), dtype.type(l2_reg), gram.matrix, q,
            dtype.type(y_norm2), dtype.type(scale), factors, design.lower,
            design.upper, max_iter, dtype.type(tol), seed, random,
            projection=design.projection,
        )
        return gap, tol_scaled / scale, n_iter

    active_mask = (coef != 0) | (factors == 0)
    active_mask &= np.isfinite(factors) & (design.column_stats[0] > 0)
    coef[~active_mask] = 0.0
    problem = (gram, q, y_norm2, l1_reg, l2_reg)
    epochs = 0
    first = True
    while True:
        gap, XtSr = _gap(design, problem, coef, active_mask)
        if gap <= tol_scaled:
            break
        if epochs >= max_iter:
            break
        threshold = l1_reg
        if first and previous_alpha is not None and 2 * alpha > previous_alpha:
            threshold = (2 * alpha - previous_alpha) * l1_ratio * scale
        first = False
        active_mask[_violators(design, XtSr, threshold, active_mask)] = True
        active = np.flatnonzero(active_mask)
        sub_coef = np.ascontiguousarray(coef[active])
        _, _, n_iter = enet_coordinate_descent_gram(
            sub_coef, dtype.type(l1_reg), dtype.type(l2_reg), gram.block(active),
            np.ascontiguousarray(q[active]), dtype.type(y_norm2), dtype.type(scale),
            factors[active], design.lower[active], design.upper[active],
            max_iter - epochs, dtype.type(max(tol, INNER_GAP_SHARE * gap / y_norm2)),
            seed, random, projection=_projection(design, gram, active),
        )
        coef[active] = sub_coef
        epochs += n_iter
    return gap / scale, tol_scaled / scale, epochs


def covariance_path(design, target, alphas, l1_ratio, coef, coefs, *, max_iter,
                    tol, seed=0, random=False):
    """Solve a whole path on the complete Gram matrix in one kernel call.

    Parameters
    ----------
    design, target, l1_ratio, max_iter, tol, seed, random
        As in :func:`solve_enet_covariance`; ``design.gram_columns`` must be
        complete.
    alphas : ndarray of shape (n_alphas,)
        Decreasing regularisation strengths.
    coef : ndarray of shape (n_features,)
        Warm start of the first alpha; the last solution on exit.
    coefs : ndarray of shape (n_features, n_alphas)
        Filled with the solution at each alpha.

    Returns
    -------
    gaps : ndarray of shape (n_alphas,)
        Duality gaps on the estimator's scale.
    n_iters : ndarray of shape (n_alphas,)
        Epochs of each solve.
    """
    dtype = design.dtype
    scale = design.weight_sum
    alphas = np.asarray(alphas, dtype=np.float64)
    l1_regs = (alphas * (l1_ratio * scale)).astype(dtype)
    l2_regs = (alphas * ((1.0 - l1_ratio) * scale)).astype(dtype)
    return enet_path_gram(
        coef, l1_regs, l2_regs, design.gram_columns.matrix, target.correlation,
        dtype.type(target.norm2), dtype.type(scale), design.penalty_factor,
        design.lower, design.upper, max_iter, dtype.type(tol), seed, random,
        coefs, projection=design.projection,
    )


def _gap(design, problem, coef, active_mask):
    """Duality gap of ``coef`` (zero outside the active set) and the
    correlations ``Xt^T S r`` it was computed from."""
    gram, q, y_norm2, l1_reg, l2_reg = problem
    active = np.flatnonzero(active_mask)
    H = gram.columns(active) @ coef[active] if active.size else np.zeros_like(q)
    XtSr = np.ascontiguousarray(q - H, dtype=design.dtype)
    wq = float(coef @ q)
    rSr = y_norm2 - 2.0 * wq + float(coef @ H)
    gap = duality_gap(coef, XtSr.copy(), rSr, y_norm2 - wq, l1_reg, l2_reg,
                      design.penalty_factor, design.lower, design.upper,
                      _projection(design, gram, np.arange(design.n_features)), q)
    return gap, XtSr


# Up to this many features, 'auto' computes the whole Gram matrix at once.
FULL_GRAM_MAX_FEATURES = 500

# Columns per block when a given Gram matrix is checked against X.
CHECK_BLOCK = 256


def resolve_precompute(precompute, n_samples, n_features):
    """Turn 'auto' into a mode: for a tall problem, covariance mode with the
    whole Gram matrix (one BLAS product) when it is small, with lazily
    computed columns ("lazy") up to 2000 features; the residual kernel
    (False) otherwise."""
    if isinstance(precompute, str):
        if n_samples <= 2 * n_features or n_features > 2000:
            return False
        return True if n_features <= FULL_GRAM_MAX_FEATURES else "lazy"
    return precompute


def checked_design(X, sample_weight, X_offset, penalty_factor, bounds, precompute,
                   *, check_gram=True, centred_offset=None, stacklevel=2):
    """The :class:`~l1l2._base.Design` of a fit or a path, with
    ``precompute`` resolved and a given Gram matrix checked.

    A given Gram matrix is ``Xt^T S Xt``: the Gram matrix of X centred (when
    fitting an intercept) and with its rows multiplied by the square roots of
    the sample weights (rescaled to sum to n_samples), as in scikit-learn.
    When X has to be centred (its column means are not all close to 0) it
    cannot be the Gram matrix of the centred X the user holds: it is
    recomputed, with scikit-learn's warning.

    Parameters
    ----------
    X, sample_weight, X_offset, penalty_factor
        As for :class:`~l1l2._base.Design`.
    bounds : tuple of ndarray
        ``(lower, upper)``.
    precompute : 'auto', bool or array-like
        As the estimators' ``precompute``.
    check_gram : bool, default=True
        Check a given Gram matrix against X (:func:`check_gram_matches`).
    centred_offset : ndarray of shape (n_features,), default=None
        The offsets the design centres with, when they are not ``X_offset``
        (X already centred in place: zeros).
    stacklevel : int, default=2
        Of the warning, counted from the caller.

    Returns
    -------
    design : Design
    """
    n_samples, n_features = X.shape
    if isinstance(precompute, str):
        precompute = resolve_precompute(precompute, n_samples, n_features)
    elif isinstance(precompute, (bool, np.bool_)):
        precompute = bool(precompute)
    else:
        precompute = _given_gram(precompute, n_features, X.dtype, X_offset,
                                 stacklevel + 1)
    design = Design(X, sample_weight,
                    X_offset if centred_offset is None else centred_offset,
                    penalty_factor, *bounds, precompute=precompute)
    if check_gram and design.gram is not None and not design.computed_gram:
        check_gram_matches(design)
    return design


def _given_gram(gram, n_features, dtype, X_offset, stacklevel):
    """A user's Gram matrix, as an array of X's dtype; True (recompute it)
    when X gets centred."""
    gram = np.asarray(gram)
    if gram.shape != (n_features, n_features):
        raise ValueError(
            f"The precomputed Gram matrix must have shape ({n_features}, "
            f"{n_features}) to match X, got {gram.shape}."
        )
    if not np.issubdtype(gram.dtype, np.number) or np.iscomplexobj(gram):
        raise ValueError(
            f"The precomputed Gram matrix must be real numbers, got dtype "
            f"{gram.dtype}."
        )
    if not np.allclose(X_offset, 0.0):
        warnings.warn(
            "Gram matrix was provided but X was centered to fit intercept: "
            "recomputing Gram matrix.",
            UserWarning,
            stacklevel=stacklevel + 1,
        )
        return True
    return np.ascontiguousarray(gram, dtype=dtype)


def check_gram_matches(design):
    """Refuse a given Gram matrix that is not ``Xt^T S Xt`` of this design.

    Its diagonal and first superdiagonal (``2 p - 1`` entries) are compared
    with the products of the centred, weighted columns, computed block by
    block of columns (one pass over X, never a copy of it): an entry may
    differ from the computed one by ``rtol * sqrt(Q_jj Q_kk)``, the scale of
    entry (j, k) by Cauchy-Schwarz, with ``rtol`` 1e-4 in float32 and 1e-7
    in float64.

    Raises
    ------
    ValueError
        Naming the first entry that differs, with both values.
    """
    gram = design.gram
    if not np.all(np.isfinite(gram)):
        raise ValueError(
            "The Gram matrix passed in via 'precompute' did not pass "
            "validation: it contains NaN or infinity."
        )
    n_features = design.n_features
    diagonal = np.empty(n_features)
    superdiagonal = np.empty(max(n_features - 1, 0))
    for start in range(0, n_features, CHECK_BLOCK):
        stop = min(start + CHECK_BLOCK + 1, n_features)
        block = design.centred_block(columns=slice(start, stop)).astype(np.float64)
        count = min(CHECK_BLOCK, n_features - start)
        diagonal[start:start + count] = np.einsum("ij,ij->j", block, block)[:count]
        products = np.einsum("ij,ij->j", block[:, :-1], block[:, 1:])
        superdiagonal[start:start + products.size] = products
    rtol = 1e-4 if design.dtype == np.float32 else 1e-7
    scale = np.sqrt(np.abs(diagonal))
    tiny = np.finfo(design.dtype).tiny
    for offset, computed in ((0, diagonal), (1, superdiagonal)):
        given = np.diagonal(gram, offset).astype(np.float64)
        limit = rtol * scale[: scale.size - offset] * scale[offset:] + tiny
        wrong = np.flatnonzero(np.abs(given - computed) > limit)
        if wrong.size:
            j = int(wrong[0])
            raise ValueError(
                "The Gram matrix passed in via 'precompute' did not pass "
                f"validation: its entry ({j}, {j + offset}) is {float(given[j])!r} "
                f"where X gives {float(computed[j])!r}. It must be the Gram matrix "
                "of X as the fit uses it: centred when fitting an intercept, "
                "with rows weighted by the square roots of the sample weights "
                "rescaled to sum to n_samples."
            )
