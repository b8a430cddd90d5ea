"""The solve driver: one Elastic-Net problem at one alpha, for one target.

Estimators call :func:`solve_enet`; it turns ``alpha`` and ``l1_ratio`` into
the kernel's regularisation constants, picks the dense, sparse or covariance
kernel from the :class:`~l1l2._base.Design` and keeps the kernel's contract
(dtypes, contiguity) in one place. The regularisation path is built on it.
"""

import numpy as np

from ._cd_fast import (
    enet_coordinate_descent,
    enet_coordinate_descent_gram,
    sparse_enet_coordinate_descent,
)


def solve_enet(design, y, alpha, l1_ratio, coef, *, max_iter, tol, seed=0,
               random=False):
    """Minimise the Elastic-Net objective for one target, in place.

    Parameters
    ----------
    design : Design
        The prepared data (X, weights, offsets, penalty factors, bounds).
    y : ndarray of shape (n_samples,)
        Target, centred with the same weights as ``design.X_offset``.
    alpha, l1_ratio : float
        Regularisation strength and mix, as in :class:`l1l2.ElasticNet`.
    coef : ndarray of shape (n_features,)
        Initial coefficients (a warm start), overwritten with the solution.
    max_iter : int
        Maximum number of coordinate-descent epochs.
    tol : float
        Stop once the duality gap is below ``tol * y^T S y / sum(S)``.
    seed : int, default=0
        Seed of the coordinate sampler when ``random`` is true.
    random : bool, default=False
        Visit the coordinates in random order.

    Returns
    -------
    gap : float
        Duality gap reached, on the scale of the estimator's objective.
    tolerance : float
        The gap the solver had to reach, on the same scale.
    n_iter : int
        Number of epochs run.
    """
    dtype = design.dtype
    scale = design.weight_sum
    l1_reg = dtype.type(alpha * l1_ratio * scale)
    l2_reg = dtype.type(alpha * (1.0 - l1_ratio) * scale)
    np.clip(coef, design.lower, design.upper, out=coef)
    y = np.ascontiguousarray(y, dtype=dtype)
    y_norm2 = design.weighted_norm2(y)
    settings = (max_iter, dtype.type(tol), seed, random)
    common = (design.penalty_factor, design.lower, design.upper, *settings)
    if design.gram is not None:
        q = np.ascontiguousarray(design.correlation(y), dtype=dtype)
        _, gap, n_iter = enet_coordinate_descent_gram(
            coef, l1_reg, l2_reg, design.gram, q, dtype.type(y_norm2),
            dtype.type(scale), *common, projection=design.projection,
        )
    elif design.is_sparse:
        X = design.X
        _, gap, n_iter = sparse_enet_coordinate_descent(
            coef, l1_reg, l2_reg, X.data, X.indices, X.indptr, y,
            design.kernel_weights, design.kernel_offset, *common,
            projection=design.projection,
        )
    else:
        _, gap, n_iter = enet_coordinate_descent(
            coef, l1_reg, l2_reg, design.X, y,
            design.kernel_weights, design.kernel_offset, *common,
            projection=design.projection,
        )
    return gap, tol * y_norm2 / scale, n_iter
