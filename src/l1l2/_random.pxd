# The coordinate sampler of ``random=True`` solves.

from libc.stdint cimport uint32_t


cdef inline uint32_t _next_random(uint32_t* state) noexcept nogil:
    """Xorshift32: a generator whose state is the caller's, so the kernels
    hold none."""
    cdef uint32_t x = state[0]
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    state[0] = x
    return x
