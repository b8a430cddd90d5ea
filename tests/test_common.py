"""scikit-learn's estimator checks over every public estimator, none xfailed."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from l1l2 import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    RidgeClassifier,
    RidgeClassifierCV,
    RidgeCV,
)

# The CV estimators run with a tight tol: the sample-weight equivalence checks
# compare predictions to rtol=1e-7, which the default tol=1e-4 of the refit
# does not promise (the CV errors and alpha_ agree at any tol).
CV_ESTIMATORS = [LassoCV(tol=1e-10), ElasticNetCV(l1_ratio=[0.5, 1.0], tol=1e-10)]


@parametrize_with_checks(
    [
        Lasso(),
        ElasticNet(),
        Ridge(),
        RidgeCV(),
        RidgeClassifier(),
        RidgeClassifierCV(),
        *CV_ESTIMATORS,
    ]
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
