"""scikit-learn tests that do not apply to l1l2, with the reason for each.

Keys are test function names (all their parametrisations are deselected)
or single parametrisations (``name[id]``); the README's "Relation to
scikit-learn" lists the same names and reasons.
Only two kinds of reason are accepted: the test reaches scikit-learn's
private modules or asserts on its internals, or it tests an estimator l1l2
does not have yet.
"""

PRIVATE = "reaches scikit-learn's private modules or asserts on its internals"
MULTI_TASK = "tests scikit-learn's multi-task estimators, which l1l2 does not have yet"
UNCONVERGED = (
    "asserts on scikit-learn's solver internals: how it behaves before it "
    "converges (its iterates after a fixed number of epochs, or that a "
    "given number of epochs is not enough), where l1l2's solver takes other "
    "steps to the same solution"
)
ROUNDING = (
    "asserts on scikit-learn's internals: a duality gap to 7 digits where "
    "l1l2's solution is exact, so that both numbers are rounding errors "
    "(4e-17 and 2e-15 on an objective of 0.2); the scale of dual_gap_ is "
    "tested in tests/test_estimators.py"
)

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
    # Compares LassoCV / ElasticNetCV with scikit-learn's MultiTask*CV on one
    # task to 7 decimals: l1l2's refit is exact (gap 4e-15), scikit-learn's
    # multi-task one stops at its tol (gap 3e-4).
    "test_1d_multioutput_lasso_and_multitask_lasso_cv": MULTI_TASK,
    "test_1d_multioutput_enet_and_multitask_enet_cv": MULTI_TASK,
    # Two warm-started fits of 5 epochs must equal one of 10, unconverged.
    "test_warm_start": UNCONVERGED,
    # Expect a ConvergenceWarning after 1 or 2 epochs from a bad warm start
    # on a 2 x 4 problem, which l1l2's residual solver solves exactly within
    # them (the exact step on the support; gap 1e-26). With
    # precompute=True it does not, and the warning is checked.
    "test_enet_coordinate_descent_raises_convergence[Lasso-kwargs1]": UNCONVERGED,
    "test_sparse_enet_coordinate_descent": UNCONVERGED,
    "test_lasso_dual_gap": ROUNDING,
}

# test_ridge.py
RIDGE_EXCEPTIONS = {
    # scikit-learn's private solver functions and classes, called directly.
    "test_primal_dual_relationship": PRIVATE,  # _solve_cholesky(_kernel)
    "test_X_CenterStackOp": PRIVATE,
    "test_compute_gram": PRIVATE,  # _RidgeGCV
    "test_compute_covariance": PRIVATE,  # _RidgeGCV
    "test_check_gcv_mode_choice": PRIVATE,  # _check_gcv_mode
    "test_lbfgs_solver_consistency": PRIVATE,  # _solve_lbfgs against _solve_svd
    # It asserts that scikit-learn's L-BFGS needs more than one iteration on
    # a 2 x 2 problem with orthogonal columns; l1l2's 'lbfgs' (coordinate
    # descent) solves it exactly in its one epoch and certifies it by the
    # duality gap, so no ConvergenceWarning is due.
    "test_lbfgs_solver_error": UNCONVERGED,
}

EXCEPTIONS = {**COORDINATE_DESCENT_EXCEPTIONS, **RIDGE_EXCEPTIONS}
