"""Build the Cython extensions of l1l2.

Everything else (metadata, dependencies) lives in pyproject.toml. Set
``L1L2_DEBUG=1`` in the environment to compile with bounds checking and
wrap-around on, which turns an out-of-bounds access into an IndexError, or
``L1L2_DEBUG=asan`` to add AddressSanitizer (see COMPILE_ARGS below).
"""

import os

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

DEBUG = os.environ.get("L1L2_DEBUG", "0") not in ("", "0")

directives = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "cdivision": True,
    "initializedcheck": DEBUG,
}

# Release builds carry no debug information (Python's own CFLAGS ask for
# -g): it was four fifths of the extensions' size. Debug builds also run
# under AddressSanitizer when L1L2_DEBUG=asan: the kernel reads its arrays
# through C pointers, which Cython's bounds checks do not see, and the
# sanitizer turns a read or write past an array's end into an error (run
# Python with the sanitizer's runtime preloaded, as .ci/run does).
SANITIZE = os.environ.get("L1L2_DEBUG", "") == "asan"
COMPILE_ARGS = ["-O3", "-g0"] if not DEBUG else ["-O1", "-g"]
LINK_ARGS = []
if SANITIZE:
    COMPILE_ARGS += ["-fsanitize=address", "-fno-omit-frame-pointer"]
    LINK_ARGS += ["-fsanitize=address"]

# The kernel's compiled modules (docs/architecture.md says what each holds).
MODULES = (
    "_blas", "_dual", "_path_state", "_working_set", "_anderson",
    "_exact_step", "_columns", "_workspace", "_covariance_solver", "_testing",
    "_multi_task", "_cd_fast",
)

extensions = [
    Extension(
        f"l1l2.{name}",
        [f"src/l1l2/{name}.pyx"],
        include_dirs=[np.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")],
        extra_compile_args=COMPILE_ARGS,
        extra_link_args=LINK_ARGS,
    )
    for name in MODULES
]
# One copy of Cython's own support code (memoryviews, fused dispatch) for
# all the modules above, instead of one in each.
SHARED_UTILITY = "l1l2._cyutility"
extensions.append(Extension(SHARED_UTILITY, ["src/l1l2/_cyutility.c"],
                            extra_compile_args=COMPILE_ARGS,
                            extra_link_args=LINK_ARGS))

# cythonize skips a .pyx whose .c is newer, whatever the directives: a debug
# build writes its C files elsewhere, always regenerated, so that it never
# compiles (or leaves behind) C generated without bounds checking.
setup(ext_modules=cythonize(
    extensions,
    compiler_directives=directives,
    build_dir="build/cython-debug" if DEBUG else None,
    force=DEBUG,
    shared_utility_qualified_name=SHARED_UTILITY,
))
