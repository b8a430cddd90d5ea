# The exact step on the support (see _exact_step.pyx).

from cython cimport floating

from ._design cimport Design, Residual, Selection
from ._penalty cimport Penalty


# Outcomes of the exact step on a support.
cdef enum:
    NEWTON_NONE = 0     # nothing changed
    NEWTON_EXACT = 1    # w is the minimiser of P on its support and signs
    NEWTON_PARTIAL = 2  # w moved and P fell, not to the exact point


cdef struct Quadratic:
    # The smooth part of P, as the exact step sees it: in residual mode the
    # design and the residual; in covariance mode (X NULL) Q = Xt^T S Xt,
    # q = Xt^T S y and H = Q w.
    const Penalty* P
    const Design* X
    void* r             # the residual (solve's precision)
    Residual* res
    const void* Q       # (n_features, n_features), C order
    const void* q
    void* H
    int n_features


cdef struct Newton:
    # Buffers and budget of the exact step.
    double* gram        # max_support * (max_support + 1) doubles, or fewer
    int gram_capacity   # (then no dependent-column steps)
    double* step        # max_support
    int* active         # max_support
    void* column        # n_samples scratch (solve's precision), zero between uses
    int max_support
    bint support_is_rank  # max_support is n_samples and there is no L2 term
    double column_length  # flops of one column product
    double credit       # column operations since the last attempt
    double first_try    # multiplies the cost a first try needs in credit


cdef int _support_newton_step(
    const Quadratic* F, Newton* N, const Selection* support, floating* w,
    bint final,
) noexcept nogil

cdef bint _first_try_affordable(const Newton* N, int k_active) noexcept nogil

cdef bint _polish_affordable(
    const Penalty* P, const Newton* N, const Selection* support,
    const floating* w,
) noexcept nogil
