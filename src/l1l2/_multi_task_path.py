"""The multi-task path: :func:`~l1l2.enet_path` with a 2-D y.

As in scikit-learn, a y of shape (n_samples, n_targets) makes the paths
solve the multi-task Elastic-Net, whose L2,1 penalty keeps or drops each
feature in every task at once:

    1/(2 n) ||Y - X W^T||_F^2 + alpha * l1_ratio * sum_j ||W_j||_2
    + alpha * (1 - l1_ratio) / 2 * ||W||_F^2

Each alpha is solved by the block coordinate-descent kernel
(``_multi_task.pyx``), warm-started from the previous solution. X may be
dense or sparse (never densified); ``fit_intercept`` centres it implicitly
and ``sample_weight`` weighs the rows, as for one target. Penalty factors,
bounds and ``positive`` apply to one target only.
"""

import numpy as np
from scipy import sparse

from ._base import centring_offsets, check_finite_result, check_sample_weight
from ._multi_task import multi_task_enet_coordinate_descent

NOT_FOR_MULTI_TASK = ("penalty_factor", "lower_bounds", "upper_bounds")


class MultiTaskProblem:
    """The data of a multi-task path, prepared once for all its alphas.

    Parameters
    ----------
    X : ndarray (F order) or kernel-ready CSC matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_targets)
        Of X's dtype.
    positive : bool
        Must be False (scikit-learn's error otherwise).
    settings : dict
        The paths' keyword parameters (``PATH_PARAMS`` filled in).
    """

    def __init__(self, X, Y, positive, settings):
        _check_multi_task_options(positive, settings)
        # The block kernel reads columns: a C-ordered X is copied once.
        self.X = X if sparse.issparse(X) else np.asfortranarray(X)
        self.weights = check_sample_weight(settings["sample_weight"], X.shape[0],
                                           X.dtype, normalize=True)
        self.fit_intercept = settings["fit_intercept"]
        X_offset, Y_offset = centring_offsets(X, Y, self.weights,
                                              self.fit_intercept)
        self.Y = np.asfortranarray(Y - Y_offset)
        self.X_offset = X_offset if self.fit_intercept else X_offset[:0]
        self.scale = X.shape[0] if self.weights is None else self.weights.sum()
        self.max_iter = settings["max_iter"]
        self.tol = settings["tol"]

    def alpha_max(self, l1_ratio, Xy=None):
        """The smallest alpha at which W = 0: ``max_j ||Xt_j^T S Y|| / (n
        l1_ratio)``, from ``Xy`` (``X^T Y``) when the data are neither
        centred nor weighted."""
        return np.sqrt((self._correlation(Xy) ** 2).sum(axis=1)).max() / (
            self.scale * l1_ratio)

    def _correlation(self, Xy):
        """``Xt^T S Y`` of the centred, weighted data."""
        n_features, n_targets = self.X.shape[1], self.Y.shape[1]
        if Xy is not None and not self.fit_intercept and self.weights is None:
            return np.asarray(Xy, dtype=np.float64).reshape(n_features, n_targets)
        SY = self.Y if self.weights is None else self.Y * self.weights[:, None]
        correlation = np.asarray(self.X.T @ SY, dtype=np.float64)
        if self.X_offset.shape[0]:
            correlation -= np.outer(self.X_offset, SY.sum(axis=0))
        return correlation

    def solve_path(self, alphas, l1_ratio, W):
        """Every alpha (decreasing), each warm-started from the last, from
        ``W`` of shape (n_targets, n_features), C-ordered (updated in place).

        Returns
        -------
        coefs : ndarray of shape (n_targets, n_features, n_alphas)
        dual_gaps : ndarray of shape (n_alphas,)
        n_iters : list of int
        """
        X, Y = self.X, self.Y
        design = (*_kernel_design(X), Y,
                  np.empty(0, X.dtype) if self.weights is None else self.weights,
                  self.X_offset)
        coefs = np.empty((*W.shape, len(alphas)), dtype=X.dtype)
        dual_gaps = np.empty(len(alphas))
        n_iters = []
        for i, alpha in enumerate(alphas):
            _, dual_gaps[i], n_iter = multi_task_enet_coordinate_descent(
                W, alpha * l1_ratio * self.scale,
                alpha * (1 - l1_ratio) * self.scale, *design, self.max_iter,
                self.tol,
            )
            check_finite_result(W, "coefficients")
            coefs[:, :, i] = W
            n_iters.append(n_iter)
        return coefs, dual_gaps, n_iters


def _check_multi_task_options(positive, settings):
    """scikit-learn's error for ``positive``; l1l2's for its own extras."""
    if positive:
        raise ValueError("positive=True is not allowed for multi-output (y.ndim != 1)")
    given = [name for name in NOT_FOR_MULTI_TASK if settings[name] is not None]
    if given:
        raise ValueError(
            f"{', '.join(given)} apply to one target: with a 2-D y the path "
            "solves the multi-task problem, which does not take them yet."
        )


def _kernel_design(X):
    """The kernel's (X, data, indices, indptr, is_sparse) for X."""
    if sparse.issparse(X):
        return (np.empty((0, 0), dtype=X.dtype, order="F"), X.data, X.indices,
                X.indptr, True)
    return (X, np.empty(0, dtype=X.dtype), np.empty(0, dtype=np.intc),
            np.zeros(1, dtype=np.int64), False)

