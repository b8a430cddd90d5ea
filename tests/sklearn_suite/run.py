"""Run scikit-learn's own linear-model tests against l1l2.

The test files are read from the installed scikit-learn at run time, never
copied. Before pytest imports them, every public name that l1l2 provides is
bound in ``sklearn.linear_model`` to l1l2's object, so a test module's
``from sklearn.linear_model import Lasso`` (and the parametrisations that
use it) gets l1l2's Lasso. After collection the run checks that each test
module really holds l1l2's objects: a binding that did not take would make
the run test scikit-learn against itself.

The tests that cannot apply to l1l2 are deselected by name, each with its
reason (``exceptions.py``); the README's "Relation to scikit-learn" lists
the same names.

Usage::

    python tests/sklearn_suite/run.py [pytest options]
"""

import importlib
import sys
from pathlib import Path

import pytest
import sklearn.linear_model

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exceptions import EXCEPTIONS  # noqa: E402

import l1l2  # noqa: E402

TEST_MODULES = (
    "sklearn.linear_model.tests.test_coordinate_descent",
    "sklearn.linear_model.tests.test_sparse_coordinate_descent",
    "sklearn.linear_model.tests.test_ridge",
)


def bound_names():
    """The public names that l1l2 provides under scikit-learn's names."""
    return [name for name in l1l2.__all__ if hasattr(sklearn.linear_model, name)]


def bind():
    """Make ``sklearn.linear_model``'s public names l1l2's objects."""
    for name in bound_names():
        setattr(sklearn.linear_model, name, getattr(l1l2, name))


def exception_reason(test_name):
    """The reason a test is deselected, or None if it runs."""
    return EXCEPTIONS.get(test_name) or EXCEPTIONS.get(test_name.split("[")[0])


class BindingCheck:
    """Deselect the listed exceptions and verify the binding took."""

    def pytest_collection_modifyitems(self, config, items):
        kept, dropped = [], []
        for item in items:
            (dropped if exception_reason(item.name) else kept).append(item)
        items[:] = kept
        config.hook.pytest_deselected(items=dropped)

    def pytest_collection_finish(self, session):
        for module_name in TEST_MODULES:
            module = importlib.import_module(module_name)
            for name in bound_names():
                if hasattr(module, name) and getattr(module, name) is not getattr(
                    l1l2, name
                ):
                    raise RuntimeError(
                        f"{module_name}.{name} is not l1l2's: the binding failed"
                    )


def main(argv):
    bind()
    args = ["-p", "no:cacheprovider", "--pyargs", *TEST_MODULES, *argv]
    return pytest.main(args, plugins=[BindingCheck()])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
