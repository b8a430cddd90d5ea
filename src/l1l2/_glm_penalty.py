"""The elastic-net penalty of the GLM solvers: its value and its conjugate.

Each coefficient ``w_jk`` (feature j, class column k) pays

    alpha * f_j * (l1_ratio * |w_jk| + (1 - l1_ratio) / 2 * w_jk^2)

within its box ``[lower_j, upper_j]`` (which holds 0). The duality gap of
a GLM needs the conjugate of this penalty at ``X^T theta``: a sum over the
coefficients of ``sup_w (v w - l1 |w| - l2 / 2 w^2)`` over the box, finite
unless l2 = 0 and the box is open on the side where ``|v| > l1``. The
dual point is then scaled down until it is finite (``feasible_scale``).

Unpenalised, unbounded features (factor 0) are *free*: their dual
constraint is ``v = 0``, which the GLM solver meets to rounding by Newton
steps on them and on the intercepts (``GLMFit.polish``), so they add
nothing here. Features with an infinite factor are left out of the model.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ElasticNetPenalty:
    """Per-feature constants of the penalty at one alpha.

    Attributes
    ----------
    alpha, l1_ratio : float
    factor : ndarray of shape (n_features,)
        The penalty factors as given.
    l1, l2 : ndarray of shape (n_features,)
        ``alpha * l1_ratio * f_j`` and ``alpha * (1 - l1_ratio) * f_j``
        (0 for free and excluded features).
    lower, upper : ndarray of shape (n_features,)
        The boxes.
    free : ndarray of bool, shape (n_features,)
        Unpenalised features without bounds.
    excluded : ndarray of bool, shape (n_features,)
        Features with an infinite factor: always 0.
    """

    alpha: float
    l1_ratio: float
    factor: np.ndarray
    l1: np.ndarray
    l2: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    free: np.ndarray
    excluded: np.ndarray

    @classmethod
    def at(cls, alpha, l1_ratio, factor, lower, upper):
        """The penalty of ``alpha`` and ``l1_ratio`` with per-feature
        ``factor`` (0 unpenalised, inf excluded) and bounds."""
        excluded = np.isinf(factor)
        scaled = np.where(excluded, 0.0, alpha * np.where(excluded, 0.0, factor))
        free = (scaled == 0) & ~excluded
        return cls(alpha, l1_ratio, factor, l1_ratio * scaled,
                   (1.0 - l1_ratio) * scaled, lower, upper, free, excluded)

    def value(self, W, features=slice(None)):
        """The penalty of coefficients W, of shape (n_columns, n_features)
        (or (n_features,)), or of their entries for ``features``."""
        l1, l2 = self.l1[features], self.l2[features]
        return float(np.sum(l1 * np.abs(W) + 0.5 * l2 * W * W))

    def feasible_scale(self, V, features=slice(None)):
        """The largest c in [0, 1] at which the conjugate at ``c V`` is
        finite (V of shape (n_features, n_columns), or its rows of
        ``features``)."""
        l1, l2 = self.l1[features, None], self.l2[features, None]
        open_side = np.where(V > 0, np.isinf(self.upper[features, None]),
                             np.isinf(self.lower[features, None]))
        in_play = ~(self.free | self.excluded)[features, None]
        limited = (l2 == 0) & open_side & in_play & (V != 0)
        if not np.any(limited):
            return 1.0
        return float(min(1.0, np.min(np.broadcast_to(l1, V.shape)[limited]
                                     / np.abs(V[limited]))))

    def conjugate(self, V, features=slice(None)):
        """``sum sup_w (v w - l1 |w| - l2 / 2 w^2)`` over the boxes, for V
        of shape (n_features, n_columns) (or its rows of ``features``),
        which ``feasible_scale`` has made finite."""
        l1, l2 = self.l1[features, None], self.l2[features, None]
        lower, upper = self.lower[features, None], self.upper[features, None]
        shrunk = np.sign(V) * np.maximum(np.abs(V) - l1, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            unbounded = np.where(l2 > 0, shrunk / l2,
                                 np.where(shrunk > 0, upper,
                                          np.where(shrunk < 0, lower, 0.0)))
        best = np.clip(np.nan_to_num(unbounded, nan=0.0, posinf=np.inf,
                                     neginf=-np.inf), lower, upper)
        best[self.free[features] | self.excluded[features]] = 0.0
        # At a clipped maximiser on an open side the value is 0 * inf: the
        # scale has made such a side one where |v| <= l1, whose maximiser is 0.
        best[~np.isfinite(best)] = 0.0
        return float(np.sum(V * best - l1 * np.abs(best) - 0.5 * l2 * best * best))
