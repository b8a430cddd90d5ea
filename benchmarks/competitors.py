"""Lasso-path solvers behind one interface, for the path benchmark.

Every adapter computes the path of the Lasso without intercept,

    min_w ||y - X w||^2 / (2 n) + alpha * ||w||_1,

on a given decreasing grid of alphas, warm-starting each alpha from the
previous solution as the library does natively, and returns the coefficients
as an array of shape ``(n_features, n_alphas)``. ``tol`` is passed in each
library's own convention (stated in :data:`TOL_MEANING`); ``max_iter`` bounds
the coordinate-descent epochs per alpha. Adapters only translate arguments:
they never copy or convert X (dense designs arrive Fortran-ordered, sparse
ones as CSC), so the time measured is the library's own.

A library that cannot be imported is left out with the reason;
:func:`load_solvers` reports both.
"""

from collections.abc import Callable
from dataclasses import dataclass

SOLVER_NAMES = ("l1l2", "sklearn", "celer", "skglm", "glmnet")

TOL_MEANING = {
    "l1l2": "duality gap <= tol * ||y||^2 / n (scikit-learn's)",
    "sklearn": "duality gap <= tol * ||y||^2 / n",
    "celer": "duality gap <= tol * ||y||^2 / n",
    "skglm": "max distance of -grad to the subdifferential (KKT violation) <= tol",
    "glmnet": "max objective change of a coordinate update <= tol * null deviance",
}


@dataclass(frozen=True)
class Solver:
    """A Lasso-path solver.

    Attributes
    ----------
    name : str
        Short name used on the command line and in tables.
    label : str
        Name shown in tables and legends (differs from ``name`` for a
        stand-in).
    version : str
        What was imported: package name and version.
    solve_path : callable
        ``solve_path(X, y, alphas, tol, max_iter) -> coefs`` of shape
        ``(n_features, n_alphas)``.
    note : str
        Anything a reader of the results must know, or ``""``.
    """

    name: str
    label: str
    version: str
    solve_path: Callable
    note: str = ""


def sklearn_style(lasso_path):
    """Adapter for a ``lasso_path`` with scikit-learn's signature.

    Parameters
    ----------
    lasso_path : callable
        ``lasso_path(X, y, *, alphas, copy_X, tol, max_iter)`` returning
        ``(alphas, coefs, dual_gaps)``.

    Returns
    -------
    solve_path : callable
        The benchmark interface. ``copy_X=False``: the path does not modify
        X when there is no intercept, so a copy would only time memcpy.
    """

    def solve_path(X, y, alphas, tol, max_iter):
        return lasso_path(
            X, y, alphas=alphas, copy_X=False, tol=tol, max_iter=max_iter
        )[1]

    return solve_path


def load_sklearn():
    """scikit-learn's ``lasso_path`` (gap-safe screening, Gram when n > p)."""
    import sklearn
    from sklearn.linear_model import lasso_path

    return Solver(
        "sklearn",
        "sklearn",
        f"scikit-learn {sklearn.__version__}",
        sklearn_style(lasso_path),
    )


def load_l1l2():
    """``l1l2.lasso_path``, or scikit-learn's standing in while it is missing."""
    import l1l2

    version = f"l1l2 {l1l2.__version__} ({l1l2.__file__})"
    if hasattr(l1l2, "lasso_path"):
        return Solver("l1l2", "l1l2", version, sklearn_style(l1l2.lasso_path))
    import sklearn
    from sklearn.linear_model import lasso_path

    return Solver(
        "l1l2",
        "l1l2 (sklearn stand-in)",
        f"{version}, which has no lasso_path yet",
        sklearn_style(lasso_path),
        note=(
            "l1l2.lasso_path does not exist yet: the row 'l1l2 (sklearn "
            f"stand-in)' runs sklearn.linear_model.lasso_path "
            f"(scikit-learn {sklearn.__version__}) in its place."
        ),
    )


def load_celer():
    """celer's ``celer_path`` with the settings of ``celer.Lasso``."""
    import celer
    from celer import celer_path

    def solve_path(X, y, alphas, tol, max_iter):
        # max_iter=100 outer working-set iterations and prune=True are the
        # defaults of celer.Lasso; max_epochs bounds the inner epochs.
        return celer_path(
            X,
            y,
            "lasso",
            alphas=alphas,
            tol=tol,
            max_iter=100,
            max_epochs=max_iter,
            prune=True,
        )[1]

    return Solver("celer", "celer", f"celer {celer.__version__}", solve_path)


def load_skglm():
    """skglm's ``Lasso.path`` (Anderson-accelerated working-set CD)."""
    import skglm
    from skglm import Lasso

    def solve_path(X, y, alphas, tol, max_iter):
        model = Lasso(fit_intercept=False, tol=tol, max_epochs=max_iter)
        return model.path(X, y, alphas)[1]

    return Solver(
        "skglm",
        "skglm",
        f"skglm {skglm.__version__}",
        solve_path,
        note="skglm compiles with numba on first use; an untimed warm-up run "
        "on each case precedes its timings.",
    )


def load_glmnet():
    """python-glmnet's ``ElasticNet`` (Fortran glmnet) on an explicit lambda path.

    glmnet minimises ``1/2 sum_i v_i (y_i - x_i w)^2 + lambda * ||w||_1`` with
    observation weights ``v`` summing to one, i.e. scikit-learn's objective
    with ``lambda = alpha`` for unit weights; ``standardize=False`` and
    ``fit_intercept=False`` make it solve exactly the benchmark's problem.
    """
    import glmnet
    from glmnet import ElasticNet

    def solve_path(X, y, alphas, tol, max_iter):
        # max_iter is a budget of passes for the whole path in glmnet;
        # n_splits=0 turns off its built-in cross-validation.
        model = ElasticNet(**glmnet_path_options(alphas, tol, max_iter)).fit(X, y)
        if model.n_lambda_ != len(alphas):
            raise RuntimeError(f"glmnet stopped after {model.n_lambda_} alphas")
        return model.coef_path_

    return Solver(
        "glmnet",
        "glmnet",
        f"python-glmnet {glmnet.__version__}",
        solve_path,
        note="python-glmnet copies X on every fit (to Fortran order, or for "
        "sparse X through CSR back to CSC); that copy is inside its time.",
    )


def glmnet_path_options(alphas, tol, max_iter):
    """python-glmnet's arguments for the benchmarks' path: the explicit
    lambdas, no standardisation, no intercept, no built-in CV, and
    ``max_iter`` passes per alpha (its budget is for the whole path)."""
    return {"alpha": 1.0, "lambda_path": alphas, "standardize": False,
            "fit_intercept": False, "tol": tol,
            "max_iter": max_iter * len(alphas), "n_splits": 0}


def celer_dual_path(X, y, alphas, tol, max_iter):
    """celer's Lasso path together with its dual points, for certification.

    Parameters
    ----------
    X : ndarray or scipy.sparse.csc_matrix of shape (n_samples, n_features)
        Design.
    y : ndarray of shape (n_samples,)
        Target.
    alphas : ndarray of shape (n_alphas,)
        Decreasing alphas.
    tol : float
        celer's tolerance on the duality gap, relative to ``||y||^2 / n``.
    max_iter : int
        Epochs per alpha.

    Returns
    -------
    coefs : ndarray of shape (n_features, n_alphas)
        Solutions.
    dual_points : ndarray of shape (n_samples, n_alphas)
        celer's (extrapolated) dual points ``theta`` times ``n``, on the scale
        of residuals ``y - X w``. Any non-zero vector gives a lower bound on
        the optimum once scaled into the dual feasible set, so the caller can
        check celer's claimed gaps instead of trusting them.

    Raises
    ------
    ImportError
        If celer is not installed.
    """
    from celer import celer_path

    _, coefs, _, thetas = celer_path(
        X,
        y,
        "lasso",
        alphas=alphas,
        tol=tol,
        max_iter=100,
        max_epochs=max_iter,
        prune=True,
        return_thetas=True,
    )
    return coefs, X.shape[0] * thetas.T


LOADERS = {
    "l1l2": load_l1l2,
    "sklearn": load_sklearn,
    "celer": load_celer,
    "skglm": load_skglm,
    "glmnet": load_glmnet,
}
PIP_NAMES = {"celer": "celer", "skglm": "skglm", "glmnet": "python-glmnet"}


def load_solvers(names=SOLVER_NAMES):
    """Import the requested solvers that are installed.

    Parameters
    ----------
    names : sequence of str, default=SOLVER_NAMES
        Solvers wanted, among :data:`SOLVER_NAMES`.

    Returns
    -------
    solvers : dict of str to Solver
        The importable ones, in the order of ``names``.
    missing : dict of str to str
        For each one that could not be imported, why.
    """
    solvers, missing = {}, {}
    for name in names:
        try:
            solvers[name] = LOADERS[name]()
        except ImportError as error:
            hint = f" (pip install {PIP_NAMES[name]})" if name in PIP_NAMES else ""
            missing[name] = f"{type(error).__name__}: {error}{hint}"
    return solvers, missing
