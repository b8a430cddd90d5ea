"""Entry points for the tests: each runs the kernel's own code on one of its
decisions (screening, extrapolation, drift bounds, what a solve left out),
so that the tests check the rules the solver applies, not copies of them."""

from libc.stdint cimport int64_t
from cython cimport floating

import numpy as np

from ._anderson cimport Anderson, _anderson_step
from ._design cimport Design, Residual, Selection, _step
from ._dual cimport Problem, Projection, _bind_penalty
from ._path_state cimport (
    OUT, PARKED, PARKED_FRESH, PARKED_NEXT, Move, _drift_bound, _move,
)
from ._penalty cimport Penalty, _provably_zero, _safe_radius


def bounds_checked():
    """True when this build checks memoryview indices (``L1L2_DEBUG=1``).

    Reads one element past the end of an empty view of a one-element
    array: a debug build raises IndexError, a release build reads the
    element (harmless)."""
    cdef double[::1] empty = np.zeros(1)[:0]
    cdef double value
    try:
        value = empty[0]
    except IndexError:
        return True
    return value != value  # False; uses value so the read is kept


def read_one_past_the_end():
    """Read the element after the last of a one-element array, through a C
    pointer, as the kernel's loops read their arrays (for CI): under
    AddressSanitizer this must stop the process with a heap-buffer-overflow
    report; without it, it reads the allocation's slack and returns."""
    cdef double[::1] one = np.zeros(1)
    cdef double* data = &one[0]
    return data[1]


def gap_safe_discards(
    const double[::1] dual_correlation,
    double gap,
    const double[::1] norm,
    const double[::1] l1,
    const double[::1] lower,
    const double[::1] upper,
):
    """The features the solver's gap-safe rule would discard (for tests).

    Applies the rule the residual solver screens with (``_safe_radius`` and
    ``_provably_zero``) to every feature, on the kernel's scale.

    Parameters
    ----------
    dual_correlation : ndarray of shape (n_features,)
        ``xt_j^T S theta`` at a feasible dual point ``theta``.
    gap : float
        A duality gap of ``theta`` (with some primal point).
    norm : ndarray of shape (n_features,)
        ``||xt_j||_S``.
    l1 : ndarray of shape (n_features,)
        Each feature's L1 threshold, ``l1_reg * penalty_factor[j]``.
    lower, upper : ndarray of shape (n_features,)
        The bounds of the coefficients.

    Returns
    -------
    discarded : ndarray of bool, shape (n_features,)
    """
    cdef Py_ssize_t j, n = dual_correlation.shape[0]
    cdef double radius = _safe_radius(gap)
    discarded = np.zeros(n, dtype=bool)
    cdef unsigned char[::1] out = discarded.view(np.uint8)
    for j in range(n):
        out[j] = _provably_zero(dual_correlation[j], radius * norm[j], l1[j],
                                lower[j], upper[j])
    return discarded


def anderson_trial(w, iterates, X, X_data, X_indices, X_indptr, is_sparse, y,
                   X_offset, l1_reg, l2_reg, penalty_factor, lower, upper):
    """One Anderson trial of the residual solver, on every feature (for tests).

    Sets up the residual of ``w`` as the solver does (implicit centring by
    ``X_offset``, unit weights) and runs the solver's ``_anderson_step`` on
    the ``K + 1`` stored iterates (rows of ``iterates``), which keeps the
    extrapolated point only if it lowers the objective.

    Returns
    -------
    kept : bool
        Whether ``w`` (updated in place) moved to the extrapolated point.
    residual : ndarray of shape (n_samples,)
        The true residual ``y - (X - X_offset) w`` the solver holds after
        the trial.
    """
    n_samples = y.shape[0]
    design = (X, X_data, np.ascontiguousarray(X_indices, dtype=np.intc),
              np.ascontiguousarray(X_indptr, dtype=np.int64), is_sparse,
              np.ones(n_samples, dtype=w.dtype),
              # sum(S r) is not tracked (the trial reads no correlation):
              # zero column sums keep it at its start.
              np.zeros(w.shape[0], dtype=w.dtype), X_offset)
    penalty = (l1_reg, l2_reg, penalty_factor, lower, upper)
    residual = np.array(y, dtype=w.dtype)
    kept, shift = _anderson_trial(w, iterates, residual, design, penalty)
    return kept, residual + shift


def _anderson_trial(floating[::1] w, floating[:, ::1] iterates,
                    floating[::1] r, design, penalty):
    cdef const floating[::1, :] X = design[0]
    cdef const floating[::1] data = design[1]
    cdef const int[::1] indices = design[2]
    cdef const int64_t[::1] indptr = design[3]
    cdef const floating[::1] weights = design[5]
    cdef const floating[::1] colsum = design[6]
    cdef const floating[::1] offset = design[7]
    cdef const floating[::1] factor = penalty[2]
    cdef const floating[::1] lower = penalty[3]
    cdef const floating[::1] upper = penalty[4]
    cdef int n_samples = r.shape[0], n_features = w.shape[0], j
    dtype = np.float32 if floating is float else np.float64
    cdef floating[::1] trial_r = np.empty(n_samples, dtype=dtype)
    cdef floating[::1] extrapolated = np.empty(n_features, dtype=dtype)
    cdef int K = iterates.shape[0] - 1
    cdef double[::1] matrix = np.empty(K * K)
    cdef double[::1] rhs = np.empty(K)
    cdef int[::1] all_features = np.arange(n_features, dtype=np.intc)
    cdef Design D
    cdef Penalty P
    cdef Projection U
    cdef Problem problem
    cdef Anderson A
    cdef Selection features
    cdef Residual res
    D.n_samples = n_samples
    D.n_features = n_features
    D.is_sparse = design[4]
    D.weighted = False
    D.centred = bool(np.any(np.asarray(offset) != 0))
    D.values = &data[0] if D.is_sparse else &X[0, 0]
    D.indices = &indices[0] if D.is_sparse else NULL
    D.indptr = &indptr[0] if D.is_sparse else NULL
    D.weights = &weights[0]
    D.colsum = &colsum[0]
    D.offset = &offset[0]
    D.sum_s = n_samples
    _bind_penalty(&P, <floating> penalty[0], <floating> penalty[1], factor,
                  lower, upper)
    U.n_unpen = 0
    problem.X = &D
    problem.P = &P
    problem.U = &U
    problem.y = NULL
    A.depth = K
    A.n_stored = 0
    A.iterates = &iterates[0, 0]
    A.stride = n_features
    A.extrapolated = &extrapolated[0]
    A.trial_r = &trial_r[0]
    A.matrix = &matrix[0]
    A.rhs = &rhs[0]
    features.features = &all_features[0]
    features.count = n_features
    res.shift = 0.0
    res.sum_sr = 0.0
    for j in range(n_features):
        if w[j] != 0.0:
            _step(&D, j, w[j], &r[0], &res)
    kept = _anderson_step(&problem, &A, &features, &w[0], &r[0], &res)
    return kept, res.shift


def drift_bounds(
    const double[::1] norm,
    const double[::1] l1norm,
    const double[::1] residual,
    const double[::1] start,
    const double[::1] sample_weight,
):
    """The bounds the solver puts on how far each correlation moved (for
    tests).

    Measures how far ``residual`` is from ``start`` as the solver does
    (``_move``) and bounds ``|xt_j^T S (residual - start)|`` with
    ``_drift_bound``, given the column norms of :func:`column_statistics`.

    Returns
    -------
    bounds : ndarray of shape (n_features,)
    """
    cdef Py_ssize_t j
    cdef Move moved = _move(&residual[0], 0.0, &start[0], &sample_weight[0],
                            residual.shape[0])
    bounds = np.empty(norm.shape[0])
    for j in range(norm.shape[0]):
        bounds[j] = _drift_bound(norm[j], l1norm[j], moved)
    return bounds


def discarded_features(correlations):
    """What the last solve given ``correlations`` left out (for tests).

    Parameters
    ----------
    correlations : PathState
        The path state a solve was given (``fresh_correlations``).

    Returns
    -------
    out : ndarray of bool, shape (n_features,)
        Screened by the gap-safe rule, or unusable (a zero column, an
        infinite penalty factor): the solve fixed them at 0.
    parked : ndarray of bool, shape (n_features,)
        Left out on the strength of a bound on their stale correlation, and
        certified feasible at the final dual point by that bound or by a
        fresh correlation.
    """
    state = np.asarray(correlations.feature_state)
    return state == OUT, np.isin(state, (PARKED, PARKED_FRESH, PARKED_NEXT))
