# Helpers of the coordinate loops (the residual solver's ``_epoch`` and the
# covariance solver's ``_gram_epoch``): the sampler of ``random=True`` and the
# tests on each step. The loops keep their step sizes in local scalars,
# which ``_record_step`` updates through pointers once inlined (a struct of
# them, passed by address, stayed in memory).

from libc.float cimport DBL_EPSILON, FLT_EPSILON
from libc.math cimport fabs
from libc.stdint cimport uint32_t
from cython cimport floating


cdef inline uint32_t _next_random(uint32_t* state) noexcept nogil:
    """Xorshift32: a generator whose state is the caller's, so the kernels
    hold none."""
    cdef uint32_t x = state[0]
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    state[0] = x
    return x


cdef inline bint _sign_changed(floating w_old, floating w_new) noexcept nogil:
    """Whether a coordinate update changed the coefficient's sign (or moved
    it to or from 0): the support the exact step relies on changed."""
    return (w_new > 0.0) != (w_old > 0.0) or (w_new < 0.0) != (w_old < 0.0)


cdef inline void _record_step(
    floating w_old, floating w_new, floating* w_max, floating* d_w_max,
    bint* changed,
) noexcept nogil:
    """Account for one coordinate update from w_old to w_new: the largest
    coefficient, the largest step, and whether a sign changed."""
    if w_new != w_old:
        d_w_max[0] = max(d_w_max[0], fabs(w_new - w_old))
        if _sign_changed(w_old, w_new):
            changed[0] = True
    w_max[0] = max(w_max[0], fabs(w_new))


cdef inline bint _settled(floating w_max, floating d_w_max, floating tol) noexcept nogil:
    """Whether an epoch's steps settled: all coefficients 0, or the largest
    step ``d_w_max`` within ``tol`` of the largest coefficient ``w_max``
    (then a gap check is worth its cost)."""
    return w_max == 0.0 or d_w_max <= tol * w_max



cdef inline double _rounding(bint single) noexcept nogil:
    """The relative size of rounding errors in steps and correlations,
    generously: a step or a violation of an optimality condition below it
    (relative to the largest coefficient, or to the threshold) is noise."""
    return 64.0 * (FLT_EPSILON if single else DBL_EPSILON)


cdef inline double _final_step_tol(double tol, bint single) noexcept nogil:
    """The step tolerance of the final check (``_steps_settled`` and
    ``_gram_steps_settled``): a tenth of the gap checks' ``tol``, but no
    less than the rounding level of the precision.

    A solve stops once its gap is within the tolerance and no coordinate
    would move by more than this times the largest coefficient.
    scikit-learn's stopping rule asks ``tol`` there, but it measures steps
    along an epoch and then checks the gap, so it stops well past both
    tests; the tenth is what made l1l2's answers at least as accurate as
    scikit-learn's at the same ``tol`` on the benchmark cases
    (benchmarks/RESULTS.md, "Accuracy at equal tol")."""
    return max(0.1 * tol, _rounding(single))
