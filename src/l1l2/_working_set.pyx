"""Gap-safe screening and the choice of the working set.

Between inner solves the residual solver knows the duality gap over all
candidates and their correlations with the dual point. Screening drops the
features that the gap proves zero at the optimum (the gap-safe sphere);
the working set is then the candidates closest to violating their dual
constraint, grown geometrically from one inner solve to the next, always
holding the non-zero and unpenalised coefficients.
"""

from libc.math cimport fabs, INFINITY

from ._design cimport _step
from ._penalty cimport _feature_provably_zero, _safe_radius
from ._path_state cimport OUT, _drift_bound

# Size of the first working set.
cdef int WORKING_SET_START = 10


cdef void _select_smallest(Ranked* items, int n, int k) noexcept nogil:
    """Partially order ``items`` so that its first k hold the k smallest
    priorities (Hoare's selection, O(n) on average; a full sort of every
    candidate at each outer iteration costs more than an epoch on wide
    problems)."""
    cdef int left = 0, right = n - 1, i, j
    cdef double pivot
    cdef Ranked tmp
    if k <= 0 or k >= n:
        return
    while left < right:
        pivot = items[(left + right) // 2].priority
        i = left
        j = right
        while i <= j:
            while items[i].priority < pivot:
                i += 1
            while items[j].priority > pivot:
                j -= 1
            if i <= j:
                tmp = items[i]
                items[i] = items[j]
                items[j] = tmp
                i += 1
                j -= 1
        if k - 1 <= j:
            right = j
        elif k - 1 >= i:
            left = i
        else:
            return


cdef void _screen(
    const Problem* problem, Parking* parking, Selection* candidates,
    floating* w, floating* r, Residual* res, const floating* XtSr,
    floating scale, double gap, const Move* moved,
) noexcept nogil:
    """Drop from ``candidates`` the features the gap-safe rule proves zero.

    The optimal dual point is within ``sqrt(2 gap)`` of ``scale * theta`` in
    the S-norm (``_safe_radius``). A screened feature is set to 0 and marked
    OUT; with ``moved`` (on a path), its correlation, exact at r, gets the
    bound of r's distance from the start of the solve.
    """
    cdef floating radius = _safe_radius(gap)
    # Locals: the stores below (bytes among them) would otherwise force a
    # reload of the structs' fields at each feature.
    cdef Parking local = parking[0]
    cdef int* listed = candidates.features
    cdef int jj, j, k = 0, count = candidates.count
    for jj in range(count):
        j = listed[jj]
        if _feature_provably_zero(problem.P, j, scale * XtSr[j],
                                  <floating> (radius * local.norm[j])):
            if w[j] != 0.0:
                _step(problem.X, j, -w[j], r, res)
                w[j] = 0.0
            local.state[j] = OUT
            if moved != NULL:
                local.drift[j] = _drift_bound(local.norm[j], local.l1norm[j],
                                              moved[0])
            continue
        listed[k] = j
        k += 1
    candidates.count = k


cdef bint _choose_working_set(
    const Problem* problem, const Parking* parking,
    const Selection* candidates, Selection* working_set, Ranked* ranked,
    const floating* w, const floating* XtSr, floating scale,
    floating strong_l1, int previous_size,
) noexcept nogil:
    """Fill ``working_set`` with the candidates closest to violating their
    dual constraint, ranked by ``(l1 f_j - |xt_j^T S theta|) / ||xt_j||``.

    The non-zero and unpenalised coefficients always belong; so, with
    ``strong_l1`` > 0 (the first inner solve of a path step), do the
    features whose correlation exceeds it times their penalty factor (the
    sequential strong rule of Tibshirani et al. 2012: likely active at this
    alpha). The set holds a quarter more than those plus 10 features, and at
    least twice ``previous_size``. Returns whether a feature left out
    violates its optimality condition at the current point (if none does,
    the working set may be solved to the final tolerance at once).
    """
    cdef const floating* factor = <const floating*> problem.P.factor
    cdef floating l1_reg = <floating> problem.P.l1_reg
    cdef const double* norm = parking.norm
    cdef const int* listed = candidates.features
    cdef int jj, j, size, n_nonzero = 0, count = candidates.count
    for jj in range(count):
        j = listed[jj]
        ranked[jj].index = j
        if w[j] != 0.0 or factor[j] == 0.0:
            n_nonzero += 1
            ranked[jj].priority = -INFINITY
            continue
        ranked[jj].priority = (l1_reg * factor[j] - fabs(scale * XtSr[j])) / norm[j]
        if strong_l1 > 0.0 and fabs(XtSr[j]) >= strong_l1 * factor[j]:
            ranked[jj].priority = -INFINITY
            n_nonzero += 1
    size = max(WORKING_SET_START, n_nonzero + n_nonzero // 4 + 10)
    if size <= previous_size:
        size = 2 * previous_size
    size = min(size, count)
    _select_smallest(ranked, count, size)
    working_set.count = size
    for jj in range(size):
        working_set.features[jj] = ranked[jj].index
    for jj in range(size, count):
        j = ranked[jj].index
        if fabs(XtSr[j]) > l1_reg * factor[j]:
            return True
    return False
