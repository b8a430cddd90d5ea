"""l1l2: Lasso, Elastic-Net and Ridge for scikit-learn, with a Cython kernel.

Switch from scikit-learn by changing one import::

    from l1l2 import Lasso  # instead of: from sklearn.linear_model import Lasso
"""

from ._cv import ElasticNetCV, LassoCV
from ._estimators import ElasticNet, Lasso
from ._logistic import LogisticRegression
from ._logistic_cv import LogisticRegressionCV
from ._logistic_path import logistic_path
from ._path import enet_path, lasso_path
from ._ridge import Ridge, ridge_regression
from ._ridge_classifier import RidgeClassifier, RidgeClassifierCV
from ._ridge_cv import RidgeCV

__version__ = "0.1.0"

__all__ = [
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "LogisticRegression",
    "LogisticRegressionCV",
    "Ridge",
    "RidgeCV",
    "RidgeClassifier",
    "RidgeClassifierCV",
    "__version__",
    "enet_path",
    "lasso_path",
    "logistic_path",
    "ridge_regression",
]
