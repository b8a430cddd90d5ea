# The penalty: per feature j,
#
#     g_j(w_j) = f_j * (l1_reg * |w_j| + l2_reg / 2 * w_j^2)
#                + indicator(lower_j <= w_j <= upper_j)
#
# with penalty factors f_j (inf pins w_j at 0). Everything the solvers need
# of it is here: the proximal coordinate update, the penalty's value, its
# conjugate (for the dual objective), the dual constraint a zero-penalty-free
# direction imposes (for the dual scale), and the subdifferential at 0 (for
# gap-safe screening). A new separable penalty replaces these functions and
# the fields of ``Penalty``; nothing else reads l1_reg or l2_reg directly.
#
# As in ``Design``, the per-feature arrays are in the solve's precision and
# stored untyped; ``l1_reg`` and ``l2_reg`` hold values of that precision.

from libc.math cimport fabs, sqrt, INFINITY
from cython cimport floating


cdef struct Penalty:
    double l1_reg
    double l2_reg
    const void* factor  # f_j
    const void* lower
    const void* upper


cdef inline floating _soft_threshold(floating x, floating t) noexcept nogil:
    if x > t:
        return x - t
    if x < -t:
        return x + t
    return 0.0


cdef inline floating _clip(floating x, floating lo, floating hi) noexcept nogil:
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


cdef inline floating _coordinate_minimiser(
    floating grad_plus, floating norm2, floating l1, floating l2,
    floating lo, floating hi,
) noexcept nogil:
    """Minimise 1/2 norm2 w^2 - grad_plus w + l1 |w| + l2/2 w^2 on [lo, hi]."""
    return _clip(_soft_threshold(grad_plus, l1) / (norm2 + l2), lo, hi)


cdef inline floating _prox_update(
    const Penalty* P, int j, floating grad_plus, floating norm2,
) noexcept nogil:
    """The coordinate update of feature j: the minimiser of
    ``1/2 norm2 w^2 - grad_plus w + g_j(w)``."""
    cdef const floating* factor = <const floating*> P.factor
    return _coordinate_minimiser(
        grad_plus, norm2, <floating> P.l1_reg * factor[j],
        <floating> P.l2_reg * factor[j], (<const floating*> P.lower)[j],
        (<const floating*> P.upper)[j])


cdef inline double _penalty_value(const Penalty* P, int j, floating w_j) noexcept nogil:
    """g_j(w_j), for w_j inside its box."""
    cdef floating f = (<const floating*> P.factor)[j]
    cdef floating l1 = <floating> P.l1_reg * f, l2 = <floating> P.l2_reg * f
    return l1 * fabs(w_j) + 0.5 * l2 * w_j * w_j


cdef inline floating _penalty_conjugate(
    floating v, floating l1, floating l2, floating lo, floating hi,
) noexcept nogil:
    """Conjugate of g(w) = l1 |w| + l2/2 w^2 + indicator(lo <= w <= hi) at v.

    The caller guarantees feasibility where g* is infinite (an unbounded
    direction with ``l2 == 0`` and ``|v| > l1``) by rescaling the dual point.
    """
    cdef floating z, value = 0.0
    if l2 > 0.0:
        z = _clip(_soft_threshold(v, l1) / l2, lo, hi)
        return v * z - l1 * fabs(z) - 0.5 * l2 * z * z
    # Piecewise linear: the supremum sits at a finite bound or at 0.
    if v > l1 and hi < INFINITY:
        value += (v - l1) * hi
    if v < -l1 and lo > -INFINITY:
        value += (v + l1) * lo
    return value


cdef inline floating _feature_conjugate(
    const Penalty* P, int j, floating v,
) noexcept nogil:
    """g_j*(v)."""
    cdef floating f = (<const floating*> P.factor)[j]
    return _penalty_conjugate(v, <floating> P.l1_reg * f, <floating> P.l2_reg * f,
                              (<const floating*> P.lower)[j],
                              (<const floating*> P.upper)[j])


cdef inline double _safe_radius(double gap) noexcept nogil:
    """Radius of the gap-safe sphere, in the S-norm.

    The dual objective is 1-strongly concave in the S-norm, so a feasible
    dual point whose duality gap (with any primal point) is ``gap`` lies
    within ``sqrt(2 gap)`` of the optimal dual point.
    """
    return sqrt(2.0 * gap)


cdef inline bint _provably_zero(
    floating v, floating radius, floating l1, floating lo, floating hi,
) noexcept nogil:
    """Gap-safe test: is w_j = 0 at the optimum for every dual point within
    ``radius`` of ``v = x_j^T S theta``?

    w_j* = 0 exactly when x_j^T S theta* lies in the subdifferential of the
    penalty and box at 0: [-l1, l1], extended to +inf when hi == 0 and to
    -inf when lo == 0.
    """
    return (hi == 0.0 or v + radius < l1) and (lo == 0.0 or v - radius > -l1)


cdef inline bint _feature_provably_zero(
    const Penalty* P, int j, floating v, floating radius,
) noexcept nogil:
    """``_provably_zero`` for a penalised feature j (an unpenalised one is
    never screened)."""
    cdef floating f = (<const floating*> P.factor)[j]
    return f != 0.0 and _provably_zero(
        v, radius, <floating> P.l1_reg * f, (<const floating*> P.lower)[j],
        (<const floating*> P.upper)[j])
