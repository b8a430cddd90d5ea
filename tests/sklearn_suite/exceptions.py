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
COORDINATE_DESCENT_EXCEPTIONS = {
    # Test scikit-learn's private helper _set_order (no l1l2 object).
    "test_set_order_dense": PRIVATE,
    "test_set_order_sparse": PRIVATE,
    # Calls scikit-learn's Cython solvers in sklearn.linear_model._cd_fast
    # directly (no l1l2 object).
    "test_cython_solver_equivalence": PRIVATE,
    # Replaces sklearn.linear_model._coordinate_descent.Lasso (a private
    # module) by a mock and counts the refits LassoCV makes through it.
    "test_lassoCV_does_not_set_precompute": PRIVATE,
    # Only scikit-learn's MultiTask* estimators (no l1l2 object).
    "test_multi_task_lasso_vs_skglm": MULTI_TASK,
    "test_multi_task_lasso_and_enet": MULTI_TASK,
    "test_multi_task_lasso_readonly_data": MULTI_TASK,
    "test_multitask_enet_and_lasso_cv": MULTI_TASK,
    "test_warm_start_multitask_lasso": MULTI_TASK,
    "test_convergence_warnings": MULTI_TASK,
    "test_multi_task_lasso_cv_dtype": MULTI_TASK,
}

# test_ridge.py
RIDGE_EXCEPTIONS = {}

EXCEPTIONS = {**COORDINATE_DESCENT_EXCEPTIONS, **RIDGE_EXCEPTIONS}
