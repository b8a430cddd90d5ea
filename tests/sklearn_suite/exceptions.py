"""scikit-learn tests that do not apply to l1l2, with the reason for each.

Keys are test function names (all their parametrisations are deselected);
the README's "Relation to scikit-learn" lists the same names and reasons.
Only two kinds of reason are accepted: the test reaches scikit-learn's
private modules or asserts on its internals, or it tests an estimator l1l2
does not have yet.
"""

PRIVATE = "reaches scikit-learn's private modules or asserts on its internals"
MULTI_TASK = "tests scikit-learn's multi-task estimators, which l1l2 does not have yet"

# test_coordinate_descent.py and test_sparse_coordinate_descent.py
COORDINATE_DESCENT_EXCEPTIONS = {}

# test_ridge.py
RIDGE_EXCEPTIONS = {}

EXCEPTIONS = {**COORDINATE_DESCENT_EXCEPTIONS, **RIDGE_EXCEPTIONS}
