"""L1 logistic-regression paths behind one interface, for bench_logistic.py.

Every adapter computes, on a decreasing grid of alphas and warm-starting
from one alpha to the next where the library can, the path of

    min_W (1/n) sum_i loss(y_i, W x_i) + alpha * sum |W|

without intercept: the logistic loss for two classes (y in {0, 1} here;
each adapter maps it to the library's convention), the multinomial loss
for more. It returns the coefficients as an array of shape
``(n_columns, n_features, n_alphas)`` (one column for two classes). ``tol``
is passed in each library's own convention (:data:`TOL_MEANING`).
"""

import warnings

import numpy as np
from competitors import Solver, glmnet_path_options

LOGISTIC_SOLVERS = ("l1l2", "liblinear", "saga", "celer", "skglm", "glmnet")

TOL_MEANING = {
    "l1l2": "duality gap <= tol * loss of the zero model",
    "liblinear": "liblinear's own (gradient of the dual) tol",
    "saga": "max coefficient change <= tol * max coefficient",
    "celer": "duality gap <= tol * loss of the zero model (sum scale)",
    "skglm": "max KKT violation <= tol (ProxNewton)",
    "glmnet": "max objective change of a coordinate update <= tol * null deviance",
}
MULTINOMIAL = ("l1l2", "saga", "glmnet")  # libraries with the multinomial loss


def _each_alpha(fit_one):
    """A path from a per-alpha fit ``fit_one(model, alpha) -> coef`` that
    warm-starts through ``model`` (None at the first alpha)."""

    def solve_path(X, y, alphas, tol, max_iter):
        coefs, model = [], None
        for alpha in alphas:
            model, coef = fit_one(X, y, alpha, tol, max_iter, model)
            coefs.append(np.atleast_2d(coef))
        return np.stack(coefs, axis=-1)

    return solve_path


def load_l1l2():
    """``l1l2.logistic_path``."""
    import l1l2

    def solve_path(X, y, alphas, tol, max_iter):
        coefs = l1l2.logistic_path(
            X, y, alphas=alphas, fit_intercept=False, tol=tol, max_iter=max_iter
        )[1]
        return coefs if coefs.ndim == 3 else coefs[np.newaxis]

    return Solver("l1l2", "l1l2", f"l1l2 {l1l2.__version__}", solve_path)


def _sklearn(solver_name):
    """scikit-learn's LogisticRegression with ``solver_name``, one fit per
    alpha (``C = 1 / (n alpha)``), warm-started when the solver can."""
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    def fit_one(X, y, alpha, tol, max_iter, model):
        if model is None:
            model = LogisticRegression(
                l1_ratio=1.0, solver=solver_name, fit_intercept=False, warm_start=True
            )
        model.set_params(C=1.0 / (X.shape[0] * alpha), tol=tol, max_iter=max_iter)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        return model, model.coef_

    note = (
        "liblinear has no warm start: each alpha is a cold fit."
        if solver_name == "liblinear"
        else ""
    )
    return Solver(
        solver_name,
        f"sklearn {solver_name}",
        f"scikit-learn {sklearn.__version__}",
        _each_alpha(fit_one),
        note=note,
    )


def load_celer():
    """celer's ``celer_path(pb='logreg')``, whose loss is a sum: its alpha
    is n times ours, its y in {-1, 1}."""
    import celer
    from celer import celer_path

    def solve_path(X, y, alphas, tol, max_iter):
        coefs = celer_path(
            X,
            2.0 * y - 1.0,
            "logreg",
            alphas=X.shape[0] * alphas,
            tol=tol,
            max_iter=100,
            max_epochs=max_iter,
        )[1]
        return coefs[np.newaxis]

    return Solver("celer", "celer", f"celer {celer.__version__}", solve_path)


def load_skglm():
    """skglm's ``SparseLogisticRegression`` (proximal Newton), warm-started."""
    import skglm
    from skglm import SparseLogisticRegression

    def fit_one(X, y, alpha, tol, max_iter, model):
        if model is None:
            model = SparseLogisticRegression(fit_intercept=False, warm_start=True)
        model.set_params(alpha=alpha, tol=tol, max_epochs=max_iter)
        model.fit(X, y)
        return model, model.coef_

    return Solver(
        "skglm",
        "skglm",
        f"skglm {skglm.__version__}",
        _each_alpha(fit_one),
        note="skglm compiles with numba on first use; an untimed "
        "warm-up run on each case precedes its timings.",
    )


def load_glmnet():
    """python-glmnet's ``LogitNet`` (Fortran glmnet's binomial and
    multinomial families) on an explicit lambda path."""
    import glmnet
    from glmnet import LogitNet

    def solve_path(X, y, alphas, tol, max_iter):
        model = LogitNet(**glmnet_path_options(alphas, tol, max_iter)).fit(X, y)
        if model.coef_path_.shape[-1] != len(alphas):
            raise RuntimeError(
                f"glmnet stopped after {model.coef_path_.shape[-1]} alphas"
            )
        return model.coef_path_

    return Solver(
        "glmnet",
        "glmnet",
        f"python-glmnet {glmnet.__version__}",
        solve_path,
        note="python-glmnet copies X on every fit; that copy is inside its time.",
    )


LOADERS = {
    "l1l2": load_l1l2,
    "liblinear": lambda: _sklearn("liblinear"),
    "saga": lambda: _sklearn("saga"),
    "celer": load_celer,
    "skglm": load_skglm,
    "glmnet": load_glmnet,
}


def load_logistic_solvers(names=LOGISTIC_SOLVERS):
    """The requested solvers that import, and ``{name: reason}`` for the
    others."""
    solvers, missing = {}, {}
    for name in names:
        try:
            solvers[name] = LOADERS[name]()
        except ImportError as error:
            missing[name] = str(error)
    return solvers, missing
