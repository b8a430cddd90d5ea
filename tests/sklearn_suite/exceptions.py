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
    "test_lbfgs_solver_error": (
        "asserts on the iterations scikit-learn's internal L-BFGS needs; "
        "l1l2's 'lbfgs' converges in the one epoch allowed"
    ),
}

EXCEPTIONS = {**COORDINATE_DESCENT_EXCEPTIONS, **RIDGE_EXCEPTIONS}
