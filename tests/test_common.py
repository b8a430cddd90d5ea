"""scikit-learn's estimator checks over every public estimator, none xfailed."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from l1l2 import ElasticNet, Lasso, Ridge


@parametrize_with_checks([Lasso(), ElasticNet(), Ridge()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
