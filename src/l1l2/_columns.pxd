# Statistics of the design's columns (see _columns.pyx).

from cython cimport floating

from ._design cimport Design, Selection


cdef void _column_statistics_on(
    const Design* X, const Selection* features, floating* norm2,
    floating* colsum, double* norm, double* l1norm, floating* scratch,
) noexcept nogil
