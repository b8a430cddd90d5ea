"""Degenerate problems crossed with sample weights, sparse X and float32.

test_hardening.py fits degenerate data (zero, constant, duplicated and
collinear columns, constant or zero y, one sample) dense, sparse, through
the Gram matrix and in dense float32, all without weights. Here are the
crossings it leaves out: constant columns (centred to zero with the
*weighted* means), constant y, duplicated columns and duplicated rows (the
same problem as one row of summed weight), each dense and sparse, float64
and float32 (so sparse float32), with and without weights, for the Lasso
and the Elastic-Net, as single fits and as paths.

Every fit is checked for optimality, not for finiteness: its reported gap
is within its tolerance, every feature satisfies its optimality condition
to what that gap allows (conftest's ``enet_kkt_bound``), its objective is no
worse than scikit-learn's (tol=1e-12, float64) beyond the gap, and its
intercept zeroes the weighted mean residual.

Last, the penalty-factor degeneracy: with no penalised feature (every factor
0 or inf) alpha changes nothing, and the automatic alpha grids refuse.
"""

import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path, lasso_path

KINDS = ["constant-column", "constant-y", "duplicated-columns", "duplicated-rows"]
L1_RATIOS = {"lasso": 1.0, "enet": 0.5}
# The tolerance each precision can reach (float32 gaps are noise below ~1e-7).
TOLS = {np.float64: 1e-10, np.float32: 1e-6}
# How far from scikit-learn's float64 solution (tol=1e-12) the coefficients
# may be, relative to the largest: measured at most 5.7e-11 (float64) and
# 2.0e-6 (float32) over the single fits below, worst for the Lasso's
# duplicated columns.
COEF_RTOLS = {np.float64: 5e-9, np.float32: 1e-4}
N_DUPLICATED_ROWS = 5


# --- data ----------------------------------------------------------------------


def base_problem(seed=0):
    """40 x 6, 40 % zeros, non-zero column means, y with an intercept, and
    positive weights (ratio up to 15)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, 6)) + 1.0
    X[rng.uniform(size=X.shape) < 0.4] = 0.0
    y = X @ np.array([2.0, -1.5, 0.0, 1.0, 0.0, 0.5]) + 1.0
    y += 0.3 * rng.standard_normal(40)
    return X, y, rng.uniform(0.2, 3.0, 40)


def degenerate(kind, weighted):
    """(X, y, weights) of a degenerate kind; weights None when unweighted."""
    X, y, weights = base_problem()
    if kind == "constant-column":
        X[:, 2] = 7.3
    elif kind == "constant-y":
        y = np.full_like(y, 3.3)
    elif kind == "duplicated-columns":
        X = np.column_stack([X, X[:, 0], X[:, 0]])
    elif kind == "duplicated-rows":
        X = np.vstack([X, X[:N_DUPLICATED_ROWS]])
        y = np.concatenate([y, y[:N_DUPLICATED_ROWS]])
        weights = np.concatenate([weights, weights[:N_DUPLICATED_ROWS]])
    return X, y, (weights if weighted else None)


def as_input(X, fmt, dtype):
    """X in the dtype, as an array or a CSC matrix."""
    X = np.asarray(X, dtype=dtype)
    return sparse.csc_matrix(X) if fmt == "sparse" else X


def as_solved(values, dtype):
    """The float64 values of what a ``dtype`` solver is given (rounded)."""
    return None if values is None else np.asarray(values, dtype).astype(np.float64)


def make_case(kind, weighted, dtype, l1_ratio, enet_alpha_max, fit_intercept=True):
    """The problem a fit solves, in float64, and its alpha: a tenth of the
    base problem's alpha_max (constant y has none)."""
    X, y, weights = degenerate(kind, weighted)
    X_base, y_base, w_base = base_problem()
    alpha = 0.1 * enet_alpha_max(X_base, y_base, l1_ratio, fit_intercept,
                                 w_base if weighted else None)
    # Duplicated columns share their weight in any proportion (the Lasso's
    # solution is not unique): only their sum is compared.
    tied = [0, X.shape[1] - 2, X.shape[1] - 1] if kind == "duplicated-columns" else []
    return SimpleNamespace(X=as_solved(X, dtype), y=as_solved(y, dtype),
                           weights=as_solved(weights, dtype), alpha=alpha,
                           l1_ratio=l1_ratio, fit_intercept=fit_intercept,
                           dtype=dtype, tol=TOLS[dtype], tied=tied)


def collapsed(coef, tied):
    """Coefficients with the tied (duplicated) ones summed into the first."""
    coef = np.array(coef, dtype=np.float64)
    if tied:
        coef[tied[0]] = coef[tied].sum()
        coef[tied[1:]] = 0.0
    return coef


def sklearn_fit(case, alpha):
    """scikit-learn's solution of ``case`` at ``alpha`` (float64, tol=1e-12)."""
    model = sklm.ElasticNet(alpha=alpha, l1_ratio=case.l1_ratio,
                            fit_intercept=case.fit_intercept, tol=1e-12,
                            max_iter=1_000_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(case.X, case.y, sample_weight=case.weights)


# --- the optimality check ------------------------------------------------------


@pytest.fixture
def assert_certified(enet_kkt_violation, enet_kkt_bound, enet_objective,
                     gap_rounding_slack, intercept_violation, weighted_centering):
    """A check that ``(coef, intercept)`` with reported ``gap`` solves
    ``case`` at ``alpha``, from conftest's helpers."""

    def check(case, alpha, coef, intercept, gap):
        coef = np.asarray(coef, dtype=np.float64)
        intercept = float(intercept)
        assert np.all(np.isfinite(coef)) and np.isfinite(intercept)
        X, y, weights = case.X, case.y, case.weights
        slack = gap_rounding_slack(y, weights, case.fit_intercept, case.dtype)
        # Converged: the gap is within the fit's tolerance (tol times the
        # weighted mean square of the centred y), and not a negative artefact.
        y_c = weighted_centering(X, y, weights)[1] if case.fit_intercept else y
        s = np.ones_like(y) if weights is None else weights * (len(y) / weights.sum())
        assert -slack <= gap <= case.tol * float(s @ y_c**2) / len(y) + slack
        suboptimality = max(float(gap), 0.0) + slack
        # Each feature's optimality condition, to what the gap allows.
        violation = enet_kkt_violation(X, y, coef, intercept, alpha, case.l1_ratio,
                                       weights)
        bound = enet_kkt_bound(X, coef, alpha, case.l1_ratio, suboptimality,
                               weights, case.fit_intercept)
        worst = int(np.argmax(violation - bound))
        assert violation[worst] <= bound[worst], (
            f"feature {worst} violates its condition by {violation[worst]:.3e} > "
            f"{bound[worst]:.3e}"
        )
        # No worse than scikit-learn's solution beyond the certified gap
        # (and the float64 rounding of objectives whose terms are ~ y^2).
        reference = sklearn_fit(case, alpha)
        ours = enet_objective(X, y, coef, intercept, alpha, case.l1_ratio, weights)
        theirs = enet_objective(X, y, reference.coef_, reference.intercept_, alpha,
                                case.l1_ratio, weights)
        rounding = 64 * np.finfo(np.float64).eps * float(s @ y**2) / len(y)
        assert ours <= theirs + suboptimality + rounding
        # The problems have one solution (up to ties): it is scikit-learn's.
        ours, theirs = collapsed(coef, case.tied), collapsed(reference.coef_,
                                                             case.tied)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=COEF_RTOLS[case.dtype]
                                   * max(np.abs(theirs).max(), 1e-300))
        # The intercept zeroes the weighted mean residual, to rounding.
        if not case.fit_intercept:
            assert intercept == 0.0
        else:
            _, _, X_mean, y_mean = weighted_centering(X, y, weights)
            scale = abs(y_mean) + np.abs(X_mean) @ np.abs(coef)
            assert intercept_violation(X, y, coef, intercept, weights) <= (
                64 * np.finfo(case.dtype).eps * scale)

    return check


def fit(name, case, X_in, sample_weight=None):
    """Fit our Lasso or ElasticNet on ``X_in`` (the case's data as given)."""
    params = dict(alpha=case.alpha, fit_intercept=case.fit_intercept, tol=case.tol,
                  max_iter=100_000)
    model = (Lasso(**params) if name == "lasso"
             else ElasticNet(l1_ratio=case.l1_ratio, **params))
    y = case.y.astype(case.dtype)
    return model.fit(X_in, y, sample_weight=sample_weight)


# --- single fits ---------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", L1_RATIOS)
@pytest.mark.parametrize("fmt", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_degenerate_fit_is_optimal(kind, name, fmt, dtype, weighted, fit_intercept,
                                   enet_alpha_max, assert_certified):
    case = make_case(kind, weighted, dtype, L1_RATIOS[name], enet_alpha_max,
                     fit_intercept)
    X, _, weights = degenerate(kind, weighted)
    model = fit(name, case, as_input(X, fmt, dtype), weights)
    assert model.coef_.dtype == dtype
    assert_certified(case, case.alpha, model.coef_, model.intercept_,
                     model.dual_gap_)
    # What each degeneracy forces, beyond the optimality conditions.
    if kind == "constant-y" and fit_intercept:
        assert np.all(model.coef_ == 0) and model.intercept_ == dtype(3.3)
    if kind == "constant-column" and fit_intercept:
        assert model.coef_[2] == 0  # centred, the column is zero
    if kind == "duplicated-columns" and name == "enet":
        # The L2 term splits a duplicated column's weight evenly.
        np.testing.assert_allclose(model.coef_[-2:], model.coef_[0],
                                   rtol=100 * np.finfo(dtype).eps)
    assert np.count_nonzero(model.coef_) >= 2 or kind == "constant-y"


@pytest.mark.parametrize("name", L1_RATIOS)
@pytest.mark.parametrize("fmt", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_duplicated_rows_are_one_row_of_summed_weight(name, fmt, dtype, weighted,
                                                      enet_alpha_max,
                                                      enet_objective,
                                                      gap_rounding_slack):
    # The same objective, so the same solution: each fit is within its gap
    # of the other's objective, and they agree as closely as each agrees
    # with scikit-learn (measured: 4e-16 in float64, 2.2e-7 in float32).
    case = make_case("duplicated-rows", weighted, dtype, L1_RATIOS[name],
                     enet_alpha_max)
    X, _, weights = degenerate("duplicated-rows", weighted)
    duplicated = fit(name, case, as_input(X, fmt, dtype), weights)
    n_rows = X.shape[0] - N_DUPLICATED_ROWS
    summed = np.ones(X.shape[0]) if weights is None else np.array(weights)
    summed[:N_DUPLICATED_ROWS] += summed[n_rows:]
    merged_case = SimpleNamespace(**{**vars(case), "X": case.X[:n_rows],
                                     "y": case.y[:n_rows]})
    merged = fit(name, merged_case, as_input(X[:n_rows], fmt, dtype),
                 summed[:n_rows])
    slack = gap_rounding_slack(case.y, case.weights, True, dtype)
    objectives = [enet_objective(case.X, case.y, model.coef_, model.intercept_,
                                 case.alpha, case.l1_ratio, case.weights)
                  for model in (duplicated, merged)]
    gaps = [max(float(model.dual_gap_), 0.0) + slack for model in (duplicated, merged)]
    assert abs(objectives[0] - objectives[1]) <= max(gaps)
    rtol = COEF_RTOLS[dtype]
    np.testing.assert_allclose(duplicated.coef_, merged.coef_, rtol=0,
                               atol=rtol * np.abs(merged.coef_).max())
    assert float(duplicated.intercept_) == pytest.approx(float(merged.intercept_),
                                                         rel=rtol)


# --- paths ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", L1_RATIOS)
@pytest.mark.parametrize("fmt", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_degenerate_path_is_optimal_at_every_alpha(kind, name, fmt, dtype, weighted,
                                                   enet_alpha_max, weighted_centering,
                                                   assert_certified):
    case = make_case(kind, weighted, dtype, L1_RATIOS[name], enet_alpha_max)
    X, _, weights = degenerate(kind, weighted)
    alphas, coefs, gaps = enet_path(
        as_input(X, fmt, dtype), case.y.astype(dtype), l1_ratio=case.l1_ratio,
        alphas=case.alpha * np.array([5.0, 1.0, 0.2]), tol=case.tol,
        max_iter=100_000, sample_weight=weights, fit_intercept=True)
    assert coefs.dtype == dtype
    # The path's intercept: mean(y) - mean(X) . w, with the weighted means.
    _, _, X_mean, y_mean = weighted_centering(case.X, case.y, case.weights)
    for i, alpha in enumerate(alphas):
        assert_certified(case, alpha, coefs[:, i], y_mean - X_mean @ coefs[:, i],
                         gaps[i])
    if kind == "constant-y":
        np.testing.assert_array_equal(coefs, 0.0)
    else:
        assert np.count_nonzero(coefs[:, -1]) >= 3


@pytest.mark.parametrize("fmt", ["dense", "sparse"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_constant_y_path_has_scikit_learns_constant_grid(fmt, dtype, weighted):
    # alpha_max is 0 because of the data (not of the penalty factors): the
    # constant fallback grid, as scikit-learn's path of the centred data.
    X, y, weights = degenerate("constant-y", weighted)
    alphas, coefs, gaps = lasso_path(as_input(X, fmt, dtype), y.astype(dtype),
                                     alphas=4, sample_weight=weights,
                                     fit_intercept=True)
    sk_alphas = sklm.lasso_path(X - X.mean(axis=0), y - 3.3, alphas=4)[0]
    np.testing.assert_array_equal(alphas, sk_alphas)
    np.testing.assert_array_equal(coefs, 0.0)
    np.testing.assert_array_equal(gaps, 0.0)


# --- no penalised feature ---------------------------------------------------


# Penalty factors that leave no feature penalised: alpha changes nothing.
UNPENALISED = {
    "all-zero": np.zeros(6),
    "all-inf": np.full(6, np.inf),
    "zero-or-inf": np.array([0.0, np.inf, 0.0, np.inf, np.inf, 0.0]),
}
GRID_USERS = {
    "lasso_path": lambda X, y, pf, alphas: lasso_path(
        X, y, penalty_factor=pf, fit_intercept=True, tol=1e-12,
        alphas=alphas),
    "enet_path": lambda X, y, pf, alphas: enet_path(
        X, y, l1_ratio=0.5, penalty_factor=pf, fit_intercept=True, tol=1e-12,
        alphas=alphas),
    "LassoCV": lambda X, y, pf, alphas: LassoCV(
        cv=3, alphas=alphas, penalty_factor=pf, tol=1e-12).fit(X, y),
    "ElasticNetCV": lambda X, y, pf, alphas: ElasticNetCV(
        cv=3, alphas=alphas, l1_ratio=[0.5, 1.0], penalty_factor=pf,
        tol=1e-12).fit(X, y),
}


@pytest.mark.parametrize("user", GRID_USERS)
@pytest.mark.parametrize("factors", UNPENALISED)
@pytest.mark.parametrize("fmt", ["dense", "sparse"])
def test_automatic_grid_without_a_penalised_feature_is_refused(user, factors, fmt):
    # It used to be 100 copies of alpha = 1e-15.
    X, y, _ = base_problem()
    with pytest.raises(ValueError, match="Every feature has penalty_factor 0 or "
                                         "inf.*Pass alphas explicitly"):
        GRID_USERS[user](as_input(X, fmt, np.float64), y, UNPENALISED[factors], 5)


@pytest.mark.parametrize("user", GRID_USERS)
@pytest.mark.parametrize("factors", UNPENALISED)
@pytest.mark.parametrize("fmt", ["dense", "sparse"])
def test_explicit_alphas_without_a_penalised_feature_fit_least_squares(user, factors,
                                                                      fmt):
    # Every alpha solves the same problem: least squares on the unpenalised
    # features (with the intercept), excluded ones at 0.
    X, y, _ = base_problem()
    pf = UNPENALISED[factors]
    free = pf == 0
    design = np.column_stack([np.ones(len(y)), X[:, free]])
    expected = np.zeros(X.shape[1])
    expected[free] = np.linalg.lstsq(design, y, rcond=None)[0][1:]
    given = [1.0, 0.1, 0.01]
    result = GRID_USERS[user](as_input(X, fmt, np.float64), y, pf, given)
    if user.endswith("path"):
        alphas, coefs, _ = result
        np.testing.assert_array_equal(alphas, given)
        solutions = coefs.T
    else:
        assert result.alpha_ in given
        np.testing.assert_array_equal(result.alphas_, given)
        # alpha changes nothing, so neither do the CV errors.
        errors = result.mse_path_.reshape(-1, 3, 3)
        np.testing.assert_allclose(errors, np.broadcast_to(errors[:, :1], errors.shape),
                                   rtol=1e-9)
        solutions = [result.coef_]
    for solution in solutions:
        np.testing.assert_allclose(solution, expected, rtol=0, atol=1e-8)
        assert np.all(solution[~free] == 0)
