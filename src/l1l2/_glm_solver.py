"""Penalised logistic regression by proximal Newton steps around the engine.

The objective, for coefficients W (one row per column of linear predictor)
and intercepts b, is

    loss(X W^T + b) + penalty(W)

with a loss of ``_logistic_loss`` and the penalty of ``_glm_penalty``. Each
outer step replaces the loss, in one column k of the predictor, by its
quadratic model at the current point: a weighted least-squares problem
with weights ``h_i = a_i P_ik (1 - P_ik)`` and working response
``z_i = eta_ik - a_i (P_ik - Y_ik) / h_i``. That weighted elastic net is
solved on a working set by the engine's inner solver
(``weighted_enet_working_set``), the intercept of the model solved jointly
through the engine's implicit centring. A backtracking line search on the
true objective makes the step a descent step. Several classes are stepped
one column at a time (glmnet's partial Newton steps).

After each sweep, a full Newton step on the smooth variables (the
intercepts, the free features, and the non-zero coefficients with their
signs held: ``_glm_support_step``) couples what the partial steps cannot:
the classes through the softmax, free features with penalised ones. It
also makes the intercepts and free features optimal to rounding, which is
what lets the dual point ``theta = a (Y - P)`` satisfy its equality
constraints. The solve stops on the duality gap of the whole problem
(``duality_gap``), relative to the loss of the zero model, so that
``dual_gap_`` certifies it.
"""

from dataclasses import dataclass, field

import numpy as np

from ._cd_fast import weighted_enet_working_set
from ._glm_support_step import MAX_HALVINGS, ROUNDING_SLACK, support_newton
from ._workspace import Workspace

# Share of the current gap to which the working set's problem is solved
# before the whole problem's gap is computed again.
INNER_GAP_SHARE = 0.3
# Smallest working set, and its growth: the support times this.
MIN_WORKING_SET = 10
WORKING_SET_GROWTH = 2
# Newton steps on one working set before the whole problem is looked at.
STEPS_PER_WORKING_SET = 20
# Floor of P (1 - P) in the Newton weights: a confidently classified sample
# keeps a small weight, so the working response stays finite.
CURVATURE_FLOOR = 1e-5
# Armijo's sufficient-decrease constant (the halvings and the rounding
# allowance are the support step's).
SUFFICIENT_DECREASE = 1e-3
# Finest model target (relative to the working set's goal) before a sweep
# that does not decrease the objective ends the solve.
MODEL_FLOOR = 1e-6


@dataclass
class GLMData:
    """The data side of a logistic problem.

    Attributes
    ----------
    X : F-ordered ndarray or CSC matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_columns)
        Targets encoded for the loss (``encode_targets``).
    a : ndarray of shape (n_samples,)
        Sample weights, divided by n_samples.
    loss : BinomialLoss or MultinomialLoss
    fit_intercept : bool
    """

    X: object
    Y: np.ndarray
    a: np.ndarray
    loss: object
    fit_intercept: bool

    @property
    def n_columns(self):
        return self.Y.shape[1]

    @property
    def dtype(self):
        return self.X.dtype

    def columns(self, features):
        """X restricted to ``features`` (a copy of those columns)."""
        return self.X[:, features]

    def gradient(self, P, features=None):
        """``X^T a (P - Y)`` of shape (n_features, n_columns), or of its
        ``features``."""
        G = self.a[:, None] * (P - self.Y)
        X = self.X if features is None else self.columns(features)
        return np.asarray(X.T @ G)


@dataclass
class GLMFit:
    """An iterate: coefficients, intercepts and their linear predictor.

    Attributes
    ----------
    W : ndarray of shape (n_columns, n_features)
    b : ndarray of shape (n_columns,)
    eta : ndarray of shape (n_samples, n_columns)
        ``X W^T + b``, kept up to date by every step.
    n_iter : int
        Newton steps taken.
    gradient : ndarray of shape (n_features, n_columns)
        ``X^T a (P - Y)`` at the end of the last solve.
    workspace : Workspace
        The engine's work arrays, kept from one call to the next.
    """

    W: np.ndarray
    b: np.ndarray
    eta: np.ndarray = None
    n_iter: int = 0
    gradient: np.ndarray = None
    workspace: Workspace = field(default_factory=Workspace)

    def refresh(self, data):
        """Recompute eta from W and b."""
        self.eta = np.asarray(data.X @ self.W.T, dtype=np.float64) + self.b
        return self

    def support(self):
        """Features with a non-zero coefficient in some column."""
        return np.flatnonzero(np.any(self.W != 0, axis=0))


@dataclass(frozen=True)
class GLMSettings:
    """``tol``: the gap relative to the zero model's loss; ``max_iter``:
    Newton steps at most; ``inner_max_iter``: epochs of one inner solve."""

    tol: float = 1e-4
    max_iter: int = 100
    inner_max_iter: int = 1000


def objective(data, penalty, fit):
    """The primal objective at ``fit``."""
    return data.loss.value(fit.eta, data.Y, data.a) + penalty.value(fit.W)


def duality_gap(data, penalty, fit, features=None):
    """Duality gap at ``fit``, and the gradient ``X^T a (P - Y)`` (rows of
    ``features`` only when given: the gap of the problem restricted to
    them, the other coefficients held at 0).

    The dual point is ``theta = c a (Y - P)``, with c the largest scale in
    [0, 1] at which the penalty's conjugate is finite; its probabilities
    ``Y - theta / a`` stay in the simplex.
    """
    P = data.loss.probabilities(fit.eta)
    V = data.gradient(P, features)
    rows = slice(None) if features is None else features
    scale = penalty.feasible_scale(-V, rows)
    Q = (1.0 - scale) * data.Y + scale * P
    dual = (-data.loss.negative_entropy(Q, data.a)
            - penalty.conjugate(-scale * V, rows))
    return max(objective(data, penalty, fit) - dual, 0.0), V


def _step_column(data, penalty, fit, k, working_set, settings, target):
    """One proximal Newton step in column k on the working set, its model
    solved to an absolute gap of about ``target``, then the line search.
    Returns whether the objective decreased."""
    P = data.loss.probabilities(fit.eta)
    gradient = data.a * (P[:, k] - data.Y[:, k])
    h = data.a * np.maximum(P[:, k] * (1.0 - P[:, k]), CURVATURE_FLOOR)
    # Samples of weight 0 have h = 0 and no say in the model: any z will do.
    z = fit.eta[:, k] - np.divide(gradient, h, out=np.zeros_like(h), where=h > 0)
    free = np.flatnonzero(penalty.free)
    if free.size:  # held here, stepped by support_newton: the engine sees no f_j = 0
        z = z - np.asarray(data.columns(free) @ fit.W[k, free]).ravel()
    columns = data.columns(working_set)
    offset = np.zeros(fit.W.shape[1], dtype=fit.W.dtype)
    z_mean = 0.0
    if data.fit_intercept:  # the model's intercept, solved by centring
        z_mean = float(h @ z) / h.sum()
        offset[working_set] = np.asarray(columns.T @ h).ravel() / h.sum()
    w_new = fit.W[k].copy()
    _solve_model(w_new, data, penalty, z - z_mean, h, offset, working_set,
                 settings, target, fit.workspace)
    direction = w_new[working_set] - fit.W[k, working_set]
    intercept_step = z_mean - offset @ w_new - fit.b[k] if data.fit_intercept else 0.0
    change = np.asarray(columns @ direction).ravel() + intercept_step
    return _line_search(data, penalty, fit, k, working_set, direction,
                        intercept_step, change, gradient)


def _solve_model(w, data, penalty, z, h, offset, working_set, settings, target,
                 workspace):
    """The weighted elastic net of one Newton step, by the engine."""
    dtype = w.dtype
    weighted_enet_working_set(
        w, data.X, z.astype(dtype), h.astype(dtype),
        penalty.alpha * penalty.l1_ratio, penalty.alpha * (1 - penalty.l1_ratio),
        penalty.factor, penalty.lower, penalty.upper, working_set,
        X_offset=offset if data.fit_intercept else None,
        max_iter=settings.inner_max_iter,
        tol=target / max(float(h @ z**2), np.finfo(float).tiny),
        workspace=workspace)


def _line_search(data, penalty, fit, k, working_set, direction, intercept_step,
                 change, gradient):
    """Backtrack along the step until Armijo's condition holds on the true
    objective, up to its rounding; apply it. Returns False when no step
    is taken, or the step does not move.

    Near the solution a step's decrease is second order in its length and
    falls below the rounding of the objective, while the duality gap is
    first order: such a step is taken as it is (the model is accurate
    there), so that the gap keeps closing.
    """
    old = fit.W[k, working_set].copy()

    def penalty_of(w):
        return penalty.value(w, working_set)

    start = data.loss.value(fit.eta, data.Y, data.a) + penalty_of(old)
    decrease = float(gradient @ change) + penalty_of(old + direction) - penalty_of(old)
    rounding = ROUNDING_SLACK * np.finfo(float).eps * abs(start)
    eta = fit.eta.copy()
    t = 1.0
    for _ in range(MAX_HALVINGS):
        eta[:, k] = fit.eta[:, k] + t * change
        trial = old + t * direction
        value = data.loss.value(eta, data.Y, data.a) + penalty_of(trial)
        if value <= start + SUFFICIENT_DECREASE * t * min(decrease, 0.0) + rounding:
            fit.W[k, working_set] = trial
            fit.b[k] += t * intercept_step
            fit.eta = eta
            return bool(np.any(trial != old) or t * intercept_step != 0)
        t *= 0.5
    return False


def solve(data, penalty, fit, settings, candidates=()):
    """Solve to ``settings.tol``, from the warm start ``fit`` (updated in
    place; ``fit.eta`` must be current).

    ``candidates`` (features a screening rule expects to be active) are
    kept in every working set beside the support. Several classes' intercepts
    end centred (the softmax does not see a common shift). Returns the
    duality gap; ``fit.gradient`` holds ``X^T a (P - Y)`` at the solution.
    """
    support_newton(data, penalty, fit)
    target = settings.tol * data.loss.null_value(data.a)
    while True:
        gap, V = duality_gap(data, penalty, fit)
        if gap <= target or fit.n_iter >= settings.max_iter:
            break
        working_set = _grown_working_set(penalty, fit, V, candidates)
        goal = max(INNER_GAP_SHARE * gap, 0.5 * target)
        if not _solve_working_set(data, penalty, fit, working_set, settings, goal):
            gap, V = duality_gap(data, penalty, fit)
            break
    fit.gradient = V
    if data.n_columns > 1:
        shift = fit.b.mean()
        fit.b -= shift
        fit.eta -= shift
    return gap


def _solve_working_set(data, penalty, fit, working_set, settings, goal):
    """Newton steps restricted to ``working_set`` until the restricted gap is
    at most ``goal``. Returns False when the steps stopped decreasing the
    objective even with the models solved to ``MODEL_FLOOR * goal``.

    Each column's model is solved to a share of ``goal`` divided among the
    columns, and ten times finer after a sweep that did not decrease the
    objective: with several classes the sum of the columns' model gaps can
    stay below a coarse target while the whole gap does not.
    """
    model_target = INNER_GAP_SHARE * goal / data.n_columns
    for _ in range(STEPS_PER_WORKING_SET):
        if fit.n_iter >= settings.max_iter:
            return True
        progressed = False
        for k in range(data.n_columns):
            progressed |= _step_column(data, penalty, fit, k, working_set,
                                       settings, model_target)
        fit.n_iter += 1
        support_newton(data, penalty, fit)
        if duality_gap(data, penalty, fit, working_set)[0] <= goal:
            return True
        if not progressed:
            if model_target < MODEL_FLOOR * goal:
                return False
            model_target *= 0.1
    return True


def violation_scores(penalty, V):
    """How far each feature's zero coefficients are from optimal: the
    largest ``-v`` or ``v`` of its columns (in the directions its box
    allows) over its l1 constant; above 1, it violates its optimality
    condition at 0. Infinite for penalised features without l1 part and for
    free ones, 0 for excluded ones."""
    pull = np.maximum(np.where(penalty.upper[:, None] > 0, -V, 0.0),
                      np.where(penalty.lower[:, None] < 0, V, 0.0)).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(penalty.l1 > 0, pull / penalty.l1, np.inf)
    scores[penalty.excluded] = 0.0
    return scores


def _grown_working_set(penalty, fit, V, candidates):
    """The support, the candidates, the features without an l1 part, and
    the largest violators outside them: as many as those, at least
    ``MIN_WORKING_SET``. Free features are left to
    ``support_newton``."""
    scores = violation_scores(penalty, V)
    kept = np.union1d(np.union1d(fit.support(), candidates),
                      np.flatnonzero(np.isinf(scores)))
    kept = np.setdiff1d(kept, np.flatnonzero(penalty.free)).astype(np.intp)
    scores[kept] = 0.0
    room = max(MIN_WORKING_SET, WORKING_SET_GROWTH * kept.size - kept.size)
    violators = np.flatnonzero(scores > 1.0)
    if violators.size > room:
        violators = violators[np.argpartition(-scores[violators], room - 1)[:room]]
    return np.union1d(kept, violators).astype(np.intc)
