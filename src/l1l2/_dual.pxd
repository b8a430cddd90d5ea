# The dual point and the duality gap (see _dual.pyx).

from cython cimport floating

from ._design cimport Design, Residual
from ._penalty cimport Penalty


cdef enum:
    # Interleaved partial sums of the reductions over the samples.
    LANES = 4


cdef struct Projection:
    # What keeps the gap a valid certificate when some features are
    # unpenalised (``_project_out_unpenalised``); n_unpen = 0 when none are.
    int n_unpen
    const int* unpenalised      # their indices U
    const void* cross_gram      # Xt^T S Xt_U, (n_features, n_unpen), C order
    const void* unpenalised_gram  # Xt_U^T S Xt_U, (n_unpen, n_unpen)
    const void* unpenalised_y   # Xt_U^T S y
    double* scratch             # n_unpen * (n_unpen + 2) doubles


cdef struct Problem:
    # The objective of a residual solve: the design, the target, the
    # penalty and the projection of the dual point.
    const Design* X
    const void* y
    const Penalty* P
    const Projection* U


cdef void _bind_penalty(
    Penalty* P, floating l1_reg, floating l2_reg, const floating[::1] factor,
    const floating[::1] lower, const floating[::1] upper,
)

cdef void _bind_projection_arrays(
    Projection* U, const int[::1] unpenalised,
    const floating[:, ::1] cross_gram, const floating[:, ::1] unpenalised_gram,
    const floating* unpenalised_y, double* scratch,
)

cdef double _weighted_sum(
    const floating* values, const floating* sw, int n_samples,
) noexcept nogil

cdef void _residual_sums(
    const floating* r, double shift, const floating* y, const floating* sw,
    int n_samples, double* sums,
) noexcept nogil

cdef floating _gap_on(
    const Problem* problem, const int* features, int n_selected,
    const floating* w, floating* XtSr, const floating* r, Residual* res,
    floating* scale, bint reuse_correlations,
) noexcept nogil

cdef floating _gap_from_correlations(
    const Penalty* P, const Projection* U, const int* all_features,
    int n_features, const floating* w, floating* XtSr, double rSr,
    double rSy,
) noexcept nogil

cdef double _objective_on(
    const Problem* problem, const int* features, int n_selected,
    const floating* w, const floating* r, double shift,
) noexcept nogil
