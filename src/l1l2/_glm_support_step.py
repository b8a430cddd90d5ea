"""Newton steps on the variables where a GLM's objective is smooth.

The intercepts and the free (unpenalised, unbounded) features are smooth
variables; so is a non-zero coefficient as long as it keeps its sign, its
penalty being ``l1 |w| + l2 / 2 w^2`` there. A full Newton step on these
variables, every class at once, converges where the solver's partial steps
(one class, or one block, at a time) crawl: for classes coupled through the
softmax, and for free features collinear with penalised ones. It is the
logistic counterpart of the engine's exact step on the support.

A coefficient whose sign the step would flip, or that the step would take
out of its box, stops at 0 or at the bound; each step is halved until the
objective does not increase beyond its rounding.
"""

import numpy as np
from scipy import sparse

# Newton steps on the intercepts and free features per call, at most.
MAX_STEPS = 50
# The support joins the step while the variables number at most this
# (the Hessian costs n_samples * variables^2).
MAX_VARIABLES = 400
# Halvings of one step, at most, and the rounding allowance of its test.
MAX_HALVINGS = 30
ROUNDING_SLACK = 64


def support_newton(data, penalty, fit, with_support=True):
    """One Newton step on the smooth variables of ``fit`` (updated in
    place), then Newton steps on the intercepts and free features alone
    until their gradient is at rounding level.

    The support's step is one step per call: the solver calls it after each
    sweep, and the duality gap, not the gradient, decides when to stop. The
    intercepts and free features must be optimal to rounding (the dual
    point's equality constraints), and that smaller problem is cheap.
    ``with_support=False`` skips the support's step.
    """
    if with_support:
        support = _variables(data, penalty, fit)
        if support is not None:
            _newton_steps(data, penalty, fit, support, max_steps=1)
    free = [np.flatnonzero(penalty.free)] * data.n_columns
    if free[0].size or data.fit_intercept:
        _newton_steps(data, penalty, fit, free, max_steps=MAX_STEPS)


def _newton_steps(data, penalty, fit, features, max_steps):
    """Up to ``max_steps`` Newton steps on the intercepts and ``features``
    (one list per column), until their gradient is at rounding level."""
    designs = [_design_of(data, chosen) for chosen in features]
    limit = 1e3 * np.finfo(data.dtype).eps * data.a.sum()
    for _ in range(max_steps):
        P = data.loss.probabilities(fit.eta)
        gradient = _gradient(data, penalty, fit, features, designs, P)
        if np.max(np.abs(gradient), initial=0.0) <= limit:
            return
        hessian = _hessian(data, penalty, features, designs, P)
        step = np.linalg.lstsq(hessian, -gradient, rcond=None)[0]
        if not _take_step(data, penalty, fit, features, designs, step):
            return


def _variables(data, penalty, fit):
    """Per column of the predictor, the free features and the non-zero
    coefficients; None when they are more than ``MAX_VARIABLES``."""
    free = np.flatnonzero(penalty.free)
    active = [np.union1d(free, np.flatnonzero(row)) for row in fit.W]
    return active if sum(map(len, active)) <= MAX_VARIABLES else None


def _design_of(data, features):
    """Dense columns of the intercept (ones) and of ``features``."""
    parts = [np.ones((data.Y.shape[0], 1))] if data.fit_intercept else []
    if len(features):
        block = data.columns(features)
        parts.append(block.toarray() if sparse.issparse(block) else block)
    return np.hstack(parts) if parts else np.empty((data.Y.shape[0], 0))


def _gradient(data, penalty, fit, features, designs, P):
    """The objective's gradient in the variables, column after column."""
    G = data.a[:, None] * (P - data.Y)
    parts = []
    for k, (chosen, Z) in enumerate(zip(features, designs, strict=True)):
        g = Z.T @ G[:, k]
        w = fit.W[k, chosen]
        g[data.fit_intercept :] += (
            penalty.l1[chosen] * np.sign(w) + penalty.l2[chosen] * w
        )
        parts.append(g)
    return np.concatenate(parts)


def _hessian(data, penalty, features, designs, P):
    """The loss's Hessian in the variables, plus the l2 part: block (k, l)
    is ``Z_k^T diag(a P_k (delta_kl - P_l)) Z_l`` (``P (1 - P)`` for the
    one column of two classes)."""
    sizes = [Z.shape[1] for Z in designs]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    H = np.zeros((starts[-1], starts[-1]))
    one_column = data.n_columns == 1
    for k, Z_k in enumerate(designs):
        for other, Z_other in enumerate(designs):
            if one_column:
                curvature = P[:, 0] * (1.0 - P[:, 0])
            else:
                curvature = P[:, k] * ((k == other) - P[:, other])
            H[starts[k] : starts[k + 1], starts[other] : starts[other + 1]] = Z_k.T @ (
                (data.a * curvature)[:, None] * Z_other
            )
        diagonal = np.arange(starts[k] + data.fit_intercept, starts[k + 1])
        H[diagonal, diagonal] += penalty.l2[features[k]]
    return H


def _take_step(data, penalty, fit, features, designs, step):
    """Apply ``step``, or its largest halving whose objective is not above
    the current one (up to rounding), each coefficient kept on its side of
    0 and in its box. False when none is."""
    start = data.loss.value(fit.eta, data.Y, data.a) + penalty.value(fit.W)
    slack = ROUNDING_SLACK * np.finfo(float).eps * abs(start)
    sizes = np.cumsum([Z.shape[1] for Z in designs])[:-1]
    for _ in range(MAX_HALVINGS):
        W, b, eta = fit.W.copy(), fit.b.copy(), fit.eta.copy()
        for k, (chosen, Z, part) in enumerate(
            zip(features, designs, np.split(step, sizes), strict=True)
        ):
            if data.fit_intercept:
                b[k] += part[0]
            W[k, chosen] = _kept_in_place(
                penalty, chosen, fit.W[k, chosen], part[data.fit_intercept :]
            )
            moved = np.concatenate(
                [part[: data.fit_intercept], W[k, chosen] - fit.W[k, chosen]]
            )
            eta[:, k] += Z @ moved
        if data.loss.value(eta, data.Y, data.a) + penalty.value(W) <= start + slack:
            moved_any = np.any(W != fit.W) or np.any(b != fit.b)
            fit.W, fit.b, fit.eta = W, b, eta
            return bool(moved_any)
        step = 0.5 * step
    return False


def _kept_in_place(penalty, chosen, old, change):
    """``old + change``, each coefficient with an l1 part stopped at 0
    rather than change sign, and clipped to its box."""
    new = old + change
    kinked = penalty.l1[chosen] > 0  # the others' penalty is smooth at 0
    flipped = kinked & (np.sign(new) != np.sign(old))
    new[flipped] = 0.0
    return np.clip(new, penalty.lower[chosen], penalty.upper[chosen])
