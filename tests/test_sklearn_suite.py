"""The scikit-learn test run (tests/sklearn_suite/run.py) and its exceptions."""

import sys
from pathlib import Path

import sklearn.linear_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sklearn_suite"))

from exceptions import EXCEPTIONS, MULTI_TASK, PRIVATE  # noqa: E402

import l1l2  # noqa: E402


def test_every_exception_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in EXCEPTIONS if f"`{name.split('[')[0]}" not in readme]
    assert missing == []


def test_every_reason_is_of_an_accepted_kind():
    # Private modules / internals, or an estimator l1l2 does not have yet.
    for name, reason in EXCEPTIONS.items():
        assert reason in (PRIVATE, MULTI_TASK) or "internals" in reason, name


def test_l1l2_provides_the_names_the_tests_import():
    for name in ("ElasticNet", "ElasticNetCV", "Lasso", "LassoCV", "Ridge",
                 "RidgeCV", "RidgeClassifier", "RidgeClassifierCV",
                 "enet_path", "lasso_path", "ridge_regression"):
        assert hasattr(l1l2, name) and hasattr(sklearn.linear_model, name)
