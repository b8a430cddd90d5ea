"""Build the Cython extensions of l1l2.

Everything else (metadata, dependencies) lives in pyproject.toml. Set
``L1L2_DEBUG=1`` in the environment to compile with bounds checking and
wrap-around on, which turns an out-of-bounds access into an IndexError.
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

extensions = [
    Extension(
        f"l1l2.{name}",
        [f"src/l1l2/{name}.pyx"],
        include_dirs=[np.get_include()],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")],
        extra_compile_args=["-O3"] if not DEBUG else ["-O0", "-g"],
    )
    for name in ("_blas", "_cd_fast")
]

# cythonize skips a .pyx whose .c is newer, whatever the directives: a debug
# build writes its C files elsewhere, always regenerated, so that it never
# compiles (or leaves behind) C generated without bounds checking.
setup(ext_modules=cythonize(
    extensions,
    compiler_directives=directives,
    build_dir="build/cython-debug" if DEBUG else None,
    force=DEBUG,
))
