"""Run the Examples sections of the public docstrings as doctests.

They are run on the installed package (not on src/, which holds no compiled
extension in a clean clone).
"""

import doctest
import importlib

import pytest

MODULES = [
    "l1l2._estimators",
    "l1l2._ridge",
    "l1l2._ridge_cv",
    "l1l2._ridge_classifier",
    "l1l2._cv",
    "l1l2.plotting",
]

# Modules whose examples draw pictures (on matplotlib's Agg backend).
NEEDS_MATPLOTLIB = {"l1l2.plotting"}


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name):
    if module_name in NEEDS_MATPLOTLIB:
        pytest.importorskip("matplotlib")
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    if module_name in NEEDS_MATPLOTLIB:
        import matplotlib.pyplot as plt

        plt.close("all")
    assert result.attempted > 0, f"{module_name} has no doctest examples"
    assert result.failed == 0
