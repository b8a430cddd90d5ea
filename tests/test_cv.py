"""LassoCV and ElasticNetCV: against scikit-learn, against independent
per-fold fits, and their invariances.

References:

- scikit-learn's LassoCV / ElasticNetCV on the same folds, both sides at a
  tight tolerance: the same grid (``alphas_``), the same test errors
  (``mse_path_``) to a small relative difference, hence the same ``alpha_``
  and ``l1_ratio_``, and close coefficients;
- an independent computation of every fold's test error with one l1l2
  ElasticNet fit per (fold, alpha) and ``sklearn.metrics.mean_squared_error``
  (this is what carries sample weights, penalty factors, bounds and
  ``positive`` into the check);
- exact identities: integer weights are repeated rows when the copies of a
  row stay in the same fold, sparse X equals dense X, the number of jobs and
  the way the folds are given change nothing;
- the one-standard-error rule recomputed by hand from ``mse_path_``.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from optimality import sparse_problem
from scipy import sparse
from sklearn import config_context
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GroupKFold, KFold, PredefinedSplit

from l1l2 import ElasticNet, ElasticNetCV, Lasso, LassoCV, enet_path
from l1l2._cv import one_standard_error_index

TOL = 1e-10
MAX_ITER = 100_000
L1_RATIOS = [0.1, 0.5, 0.9, 1.0]
# Per data set: the grid (alphas, eps) and the tolerance of both sides.
# Riboflavin uses a shorter grid to keep scikit-learn's side to ~20 s.
SETTINGS = {
    "diabetes": dict(alphas=100, eps=1e-3, tol=TOL),
    "wide": dict(alphas=50, eps=1e-2, tol=1e-14),
    "riboflavin": dict(alphas=20, eps=1e-2, tol=TOL),
}
# Largest relative difference allowed between our mse_path_ and
# scikit-learn's (measured: 2.6e-10 diabetes, 4e-12 wide, 4.1e-9 riboflavin).
MSE_RTOL = 1e-7
# Wide ElasticNetCV: at l1_ratio=0.1 and the smallest alphas (p > n) our
# test error is pinned only to ~sqrt(tol) (scikit-learn over-solves);
# measured 1.8e-7 at tol=1e-14 (7e-8 at 1e-15).
WIDE_ENET_MSE_RTOL = 2e-6
# Per data set, the largest coefficient difference allowed, over the largest
# coefficient (measured 7.6e-10, 1.9e-13, 3.7e-9), and the relative
# intercept difference (measured 1.9e-16, 1.4e-13, 1.8e-10).
COEF_ATOL = {"diabetes": 1e-8, "wide": 1e-11, "riboflavin": 3e-8}
INTERCEPT_RTOL = {"diabetes": 1e-14, "wide": 1e-11, "riboflavin": 1e-8}


def folds(n_folds=5):
    return KFold(n_folds, shuffle=True, random_state=0)


def fit_sklearn(cls, X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        # At this tolerance scikit-learn may stop a hair above its target.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cls(max_iter=MAX_ITER, **params).fit(X, y, sample_weight=sample_weight)


def fit_ours(cls, X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return cls(max_iter=MAX_ITER, **params).fit(X, y, sample_weight=sample_weight)


def relative_difference(ours, reference):
    return float(np.max(np.abs(ours - reference) / np.abs(reference)))


def independent_mse(X, y, cv, alphas, l1_ratio, sample_weight=None, **params):
    """Test MSE of every (alpha, fold), one cold ElasticNet fit each."""
    X = X.toarray() if sparse.issparse(X) else np.asarray(X)
    splits = list(cv.split(X, y)) if hasattr(cv, "split") else cv
    mse = np.empty((len(alphas), len(splits)))
    for k, (train, test) in enumerate(splits):
        sw_train = None if sample_weight is None else sample_weight[train]
        sw_test = None if sample_weight is None else sample_weight[test]
        for i, alpha in enumerate(alphas):
            model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-13,
                               max_iter=MAX_ITER, **params)
            model.fit(X[train], y[train], sample_weight=sw_train)
            mse[i, k] = mean_squared_error(y[test], model.predict(X[test]),
                                           sample_weight=sw_test)
    return mse


def one_se_by_hand(alphas, mse_path):
    """glmnet's lambda.1se from a (n_alphas, n_folds) error array."""
    n_folds = mse_path.shape[1]
    mean = mse_path.mean(axis=1)
    standard_error = mse_path.std(axis=1, ddof=1) / np.sqrt(n_folds)
    best = np.argmin(mean)
    threshold = mean[best] + standard_error[best]
    return alphas[mean <= threshold].max(), standard_error


# --- agreement with scikit-learn ---------------------------------------------


@pytest.mark.parametrize("dataset", ["diabetes", "wide", "riboflavin"])
def test_lassocv_matches_sklearn(request, dataset):
    X, y = request.getfixturevalue(dataset)
    params = dict(cv=folds(), **SETTINGS[dataset])
    ours = fit_ours(LassoCV, X, y, **params)
    theirs = fit_sklearn(sklm.LassoCV, X, y, **params)

    assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == theirs.mse_path_.shape
    assert relative_difference(ours.mse_path_, theirs.mse_path_) < MSE_RTOL
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    scale = np.abs(theirs.coef_).max()
    assert_allclose(ours.coef_, theirs.coef_, rtol=0,
                    atol=COEF_ATOL[dataset] * scale)
    assert ours.intercept_ == pytest.approx(theirs.intercept_,
                                            rel=INTERCEPT_RTOL[dataset])
    assert not hasattr(ours, "l1_ratio_")


@pytest.mark.parametrize("dataset", ["diabetes", "wide", "riboflavin"])
def test_elasticnetcv_matches_sklearn(request, dataset):
    X, y = request.getfixturevalue(dataset)
    settings = dict(SETTINGS[dataset])
    if dataset == "riboflavin":
        settings["alphas"] = 10  # scikit-learn is slow at l1_ratio=0.1 here
    params = dict(cv=folds(), l1_ratio=L1_RATIOS, **settings)
    ours = fit_ours(ElasticNetCV, X, y, **params)
    theirs = fit_sklearn(sklm.ElasticNetCV, X, y, **params)

    assert ours.alphas_.shape == (len(L1_RATIOS), settings["alphas"])
    assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (
        len(L1_RATIOS), settings["alphas"], 5)
    mse_rtol = WIDE_ENET_MSE_RTOL if dataset == "wide" else MSE_RTOL
    assert relative_difference(ours.mse_path_, theirs.mse_path_) < mse_rtol
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    scale = np.abs(theirs.coef_).max()
    assert_allclose(ours.coef_, theirs.coef_, rtol=0,
                    atol=COEF_ATOL[dataset] * scale)
    assert ours.intercept_ == pytest.approx(theirs.intercept_,
                                            rel=INTERCEPT_RTOL[dataset])


def test_sample_weight_matches_sklearn(diabetes):
    X, y = diabetes
    weights = np.random.default_rng(0).uniform(0.2, 3.0, size=len(y))
    params = dict(cv=folds(), tol=TOL, alphas=50)
    ours = fit_ours(LassoCV, X, y, sample_weight=weights, **params)
    theirs = fit_sklearn(sklm.LassoCV, X, y, sample_weight=weights, **params)

    assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    # Measured: 2.6e-10 (errors), 1.7e-9 of scale (coefficients), 6.6e-13
    # (intercept).
    assert relative_difference(ours.mse_path_, theirs.mse_path_) < MSE_RTOL
    assert ours.alpha_ == theirs.alpha_
    scale = np.abs(theirs.coef_).max()
    assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=2e-8 * scale)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=5e-11)


# --- independent per-fold fits ----------------------------------------------

OPTIONS = {
    "plain": {},
    "no-intercept": dict(fit_intercept=False),
    "sample_weight": {},
    "penalty_factor": dict(penalty_factor=[0.0, 1.0, 2.0, 0.5, 1.0, np.inf,
                                           1.0, 1.0, 3.0, 1.0]),
    "bounds": dict(lower_bounds=-100.0, upper_bounds=[400.0] * 5 + [np.inf] * 5),
    "positive": dict(positive=True),
}


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_folds_match_independent_fits(diabetes, option, l1_ratio):
    X, y = diabetes
    params = OPTIONS[option]
    weights = None
    if option == "sample_weight":
        weights = np.random.default_rng(1).integers(0, 4, size=len(y)).astype(float)
        weights[::7] += 1.0  # every test fold keeps some weight
    model = ElasticNetCV(l1_ratio=l1_ratio, alphas=8, eps=1e-2, cv=folds(3),
                         tol=1e-12, max_iter=MAX_ITER, **params)
    model.fit(X, y, sample_weight=weights)
    reference = independent_mse(X, y, folds(3), model.alphas_, l1_ratio,
                                sample_weight=weights, **params)
    assert_allclose(model.mse_path_, reference, rtol=1e-7)
    # The refit is the ElasticNet at the chosen alpha, on all the data.
    refit = ElasticNet(alpha=model.alpha_, l1_ratio=l1_ratio, tol=1e-12,
                       max_iter=MAX_ITER, **params).fit(X, y, sample_weight=weights)
    assert_allclose(model.coef_, refit.coef_, rtol=1e-6,
                    atol=1e-8 * np.abs(refit.coef_).max())


def test_penalty_factor_and_bounds_reach_the_refit(wide):
    X, y = wide
    n_features = X.shape[1]
    factors = np.ones(n_features)
    factors[0] = 0.0  # unpenalised: never zero at any alpha
    factors[1] = np.inf  # excluded: always zero
    lower = np.full(n_features, -0.5)
    upper = np.full(n_features, 2.0)
    model = LassoCV(cv=folds(3), alphas=20, eps=1e-2, penalty_factor=factors,
                    lower_bounds=lower, upper_bounds=upper).fit(X, y)
    assert model.coef_[0] != 0
    assert model.coef_[1] == 0
    assert np.all(model.coef_ >= lower) and np.all(model.coef_ <= upper)
    assert np.any(model.coef_ == upper) or np.any(model.coef_ == lower)


def test_grid_starts_where_penalised_coefficients_vanish(wide):
    X, y = wide
    factors = np.ones(X.shape[1])
    factors[:3] = 0.0
    factors[3:10] = 4.0
    model = LassoCV(cv=3, alphas=5, penalty_factor=factors, upper_bounds=1.0)
    model.fit(X, y)
    top = model.alphas_[0]
    at_top = Lasso(alpha=top * (1 + 1e-9), penalty_factor=factors,
                   upper_bounds=1.0, tol=1e-12).fit(X, y)
    below = Lasso(alpha=top * 0.99, penalty_factor=factors, upper_bounds=1.0,
                  tol=1e-12).fit(X, y)
    assert np.all(at_top.coef_[3:] == 0) and np.all(at_top.coef_[:3] != 0)
    assert np.any(below.coef_[3:] != 0)


# --- invariances --------------------------------------------------------------


def test_sparse_equals_dense():
    X, y = sparse_problem(90, 60, density=0.15, seed=4)
    params = dict(cv=folds(3), alphas=30, eps=1e-2, tol=1e-12, max_iter=MAX_ITER)
    on_sparse = LassoCV(**params).fit(X, y)
    on_dense = LassoCV(**params).fit(X.toarray(), y)
    assert_allclose(on_sparse.alphas_, on_dense.alphas_, rtol=1e-12)
    assert_allclose(on_sparse.mse_path_, on_dense.mse_path_, rtol=1e-8)
    assert on_sparse.alpha_ == on_dense.alpha_
    assert_allclose(on_sparse.coef_, on_dense.coef_, rtol=1e-7, atol=1e-9)
    assert on_sparse.intercept_ == pytest.approx(on_dense.intercept_, rel=1e-8)


def test_integer_weights_equal_repeated_rows(diabetes):
    """Each row's copies must test and train together, so the folds are
    given as fold labels that travel with the rows (PredefinedSplit)."""
    X, y = diabetes
    rng = np.random.default_rng(2)
    weights = rng.integers(1, 4, size=len(y))
    fold_of_row = rng.integers(0, 4, size=len(y))
    params = dict(alphas=40, tol=1e-12, max_iter=MAX_ITER)
    weighted = LassoCV(cv=PredefinedSplit(fold_of_row), **params)
    weighted.fit(X, y, sample_weight=weights.astype(float))
    repeated = LassoCV(cv=PredefinedSplit(np.repeat(fold_of_row, weights)), **params)
    repeated.fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))

    assert_allclose(weighted.alphas_, repeated.alphas_, rtol=1e-12)
    assert_allclose(weighted.mse_path_, repeated.mse_path_, rtol=1e-8)
    assert weighted.alpha_ == repeated.alpha_
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-7)


def test_float32_close_to_float64(diabetes):
    X, y = diabetes
    params = dict(cv=folds(), alphas=30, tol=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        single = LassoCV(**params).fit(X.astype(np.float32), y.astype(np.float32))
    double = LassoCV(**params).fit(X, y)
    assert single.coef_.dtype == np.float32
    # Measured: 4.5e-8 (alphas), 1.7e-6 (errors), 2.9e-6 of scale (coef).
    assert_allclose(single.alphas_, double.alphas_, rtol=5e-7)
    assert_allclose(single.mse_path_, double.mse_path_, rtol=2e-5)
    assert single.alpha_ == pytest.approx(double.alpha_, rel=5e-7)
    scale = np.abs(double.coef_).max()
    assert_allclose(single.coef_, double.coef_, rtol=0, atol=3e-5 * scale)


def test_n_jobs_gives_identical_results(wide):
    X, y = wide
    params = dict(l1_ratio=[0.5, 1.0], cv=folds(4), alphas=30, eps=1e-2,
                  selection="random", random_state=0)
    serial = ElasticNetCV(n_jobs=1, **params).fit(X, y)
    threaded = ElasticNetCV(n_jobs=2, **params).fit(X, y)
    assert_array_equal(serial.mse_path_, threaded.mse_path_)
    assert_array_equal(serial.coef_, threaded.coef_)
    assert (serial.alpha_, serial.l1_ratio_) == (threaded.alpha_, threaded.l1_ratio_)


def test_cv_as_int_splitter_or_list(diabetes):
    X, y = diabetes
    params = dict(alphas=20, tol=1e-8)
    as_int = LassoCV(cv=3, **params).fit(X, y)
    as_splitter = LassoCV(cv=KFold(3), **params).fit(X, y)
    as_list = LassoCV(cv=[(tr, te) for tr, te in KFold(3).split(X)], **params)
    as_list.fit(X, y)
    as_masks = [(np.isin(np.arange(len(y)), tr), np.isin(np.arange(len(y)), te))
                for tr, te in KFold(3).split(X)]
    as_masks = LassoCV(cv=as_masks, **params).fit(X, y)
    for other in (as_splitter, as_list, as_masks):
        assert_array_equal(other.mse_path_, as_int.mse_path_)
        assert other.alpha_ == as_int.alpha_
    assert LassoCV(alphas=5).fit(X, y).mse_path_.shape == (5, 5)  # cv=None


def test_groups_are_routed_to_the_splitter(diabetes):
    X, y = diabetes
    groups = np.arange(len(y)) % 11
    params = dict(alphas=15, tol=1e-8)
    explicit = LassoCV(cv=list(GroupKFold(4).split(X, y, groups)), **params)
    explicit.fit(X, y)
    with config_context(enable_metadata_routing=True):
        routed = LassoCV(cv=GroupKFold(4), **params).fit(X, y, groups=groups)
    assert_array_equal(routed.mse_path_, explicit.mse_path_)
    # Without routing, metadata for the splitter is refused (as scikit-learn).
    with pytest.raises(ValueError, match="enable_metadata_routing"):
        LassoCV(cv=GroupKFold(4), **params).fit(X, y, groups=groups)


# --- shapes and the selection rules -------------------------------------------


def test_attribute_shapes(diabetes):
    X, y = diabetes
    lasso = LassoCV(cv=3, alphas=7).fit(X, y)
    assert lasso.mse_path_.shape == (7, 3)
    assert lasso.alphas_.shape == lasso.mse_std_path_.shape == (7,)
    single = ElasticNetCV(l1_ratio=0.7, cv=3, alphas=7).fit(X, y)
    assert single.mse_path_.shape == (7, 3) and single.l1_ratio_ == 0.7
    several = ElasticNetCV(l1_ratio=[0.2, 0.7], cv=3, alphas=7).fit(X, y)
    assert several.mse_path_.shape == (2, 7, 3)
    assert several.alphas_.shape == several.mse_std_path_.shape == (2, 7)
    # The automatic grid of l1_ratio r starts at alpha_max(1) / r.
    assert several.alphas_[0, 0] == pytest.approx(lasso.alphas_[0] / 0.2)
    given = ElasticNetCV(l1_ratio=[0.2, 0.7], cv=3, alphas=[0.1, 1.0, 0.01])
    given.fit(X, y)
    assert_array_equal(given.alphas_, [1.0, 0.1, 0.01])
    assert given.mse_path_.shape == (2, 3, 3)


def test_one_standard_error_rule(riboflavin):
    X, y = riboflavin
    model = LassoCV(cv=folds(), alphas=40, eps=1e-2).fit(X, y)
    expected, standard_error = one_se_by_hand(model.alphas_, model.mse_path_)
    assert_allclose(model.mse_std_path_, standard_error, rtol=1e-12)
    assert model.alpha_1se_ == expected
    mean = model.mse_path_.mean(axis=1)
    assert model.alpha_min_ == model.alphas_[np.argmin(mean)] == model.alpha_
    assert model.alpha_1se_ > model.alpha_min_  # a real difference here

    one_se = LassoCV(cv=folds(), alphas=40, eps=1e-2, selection_rule="1se")
    one_se.fit(X, y)
    assert one_se.alpha_ == one_se.alpha_1se_ == expected
    assert np.count_nonzero(one_se.coef_) < np.count_nonzero(model.coef_)
    refit = Lasso(alpha=expected).fit(X, y)
    assert_allclose(one_se.coef_, refit.coef_)


def test_one_standard_error_index_uses_the_error_at_the_minimum():
    alphas = np.array([10.0, 5.0, 2.0, 1.0, 0.5])
    mean = np.array([5.0, 3.0, 2.2, 2.0, 2.1])
    standard_error = np.array([1.0, 1.0, 0.5, 0.1, 0.3])
    # Threshold 2.0 + 0.1: alphas 1 and 0.5 qualify, the larger is kept (a
    # threshold with any other standard error would reach alpha 2).
    assert one_standard_error_index(alphas, mean, standard_error) == 3
    # A tie in the minimum goes to the larger alpha.
    tie = np.array([3.0, 2.0, 2.0, 4.0, 5.0])
    assert one_standard_error_index(alphas, tie, np.zeros(5)) == 1


def test_one_standard_error_rule_with_several_l1_ratios(wide):
    X, y = wide
    model = ElasticNetCV(l1_ratio=[0.3, 0.6, 1.0], cv=folds(), alphas=30,
                         eps=1e-2, selection_rule="1se").fit(X, y)
    mean = model.mse_path_.mean(axis=2)
    best = np.argmin(mean.min(axis=1))
    assert model.l1_ratio_ == [0.3, 0.6, 1.0][best]
    expected, standard_error = one_se_by_hand(model.alphas_[best],
                                              model.mse_path_[best])
    assert_allclose(model.mse_std_path_[best], standard_error, rtol=1e-12)
    assert model.alpha_ == model.alpha_1se_ == expected >= model.alpha_min_
    assert model.alpha_min_ == model.alphas_[best][np.argmin(mean[best])]


# --- progress and errors ------------------------------------------------------


def test_verbose_prints_progress_to_stderr(diabetes, capsys):
    X, y = diabetes
    LassoCV(cv=3, alphas=10, verbose=1).fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    fold_lines = [line for line in lines if "fold" in line and " s" in line]
    assert len(fold_lines) == 3
    assert all("10 alphas" in line for line in fold_lines)
    assert any("alpha_min_" in line for line in lines)

    ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, alphas=10, verbose=1).fit(X, y)
    err = capsys.readouterr().err
    assert err.count("l1_ratio=0.5") == 3 and err.count("fold 3/3") == 2

    LassoCV(cv=3, alphas=10).fit(X, y)
    assert capsys.readouterr() == ("", "")


def test_bad_parameters_raise_clear_errors(diabetes):
    X, y = diabetes
    with pytest.raises(ValueError, match="selection_rule"):
        LassoCV(selection_rule="median").fit(X, y)
    with pytest.raises(ValueError, match="'cv' parameter"):
        LassoCV(cv="five").fit(X, y)
    with pytest.raises(ValueError, match="'cv' parameter"):
        LassoCV(cv=1).fit(X, y)
    with pytest.raises(ValueError, match="empty test set"):
        LassoCV(cv=[(np.arange(len(y)), np.array([], dtype=int))]).fit(X, y)
    with pytest.raises(ValueError, match="outside"):
        LassoCV(cv=[(np.arange(10), np.array([len(y)]))]).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio=0"):
        ElasticNetCV(l1_ratio=[0.0, 0.5]).fit(X, y)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ElasticNetCV(l1_ratio=[0.5, 1.5]).fit(X, y)
    with pytest.raises(ValueError, match=r"alphas\[1\] == -1.0, must be >= 0.0"):
        LassoCV(alphas=[0.1, -1.0]).fit(X, y)
    with pytest.raises(TypeError, match=r"alphas\[0\] must be an instance of float"):
        LassoCV(alphas=["0.1"]).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 folds"):
        LassoCV(cv=[next(KFold(3).split(X))], selection_rule="1se").fit(X, y)
    with pytest.raises(ValueError, match="penalty_factor"):
        LassoCV(penalty_factor=np.ones(3)).fit(X, y)


def test_two_dimensional_y(diabetes):
    X, y = diabetes
    # scikit-learn's error and warning.
    two = np.column_stack([y, y])
    with pytest.raises(ValueError, match="For multi-task outputs, use MultiTaskLasso"):
        LassoCV().fit(X, two)
    with pytest.raises(ValueError, match="use MultiTaskElasticNetCV"):
        ElasticNetCV().fit(X, two)
    message = "A column-vector y was passed when a 1d array was expected. Please"
    with pytest.warns(DataConversionWarning, match=message):
        column = LassoCV(cv=3, alphas=5).fit(X, y[:, np.newaxis])
    assert_array_equal(column.coef_, LassoCV(cv=3, alphas=5).fit(X, y).coef_)


def test_convergence_warning(wide):
    X, y = wide
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        LassoCV(cv=3, max_iter=1, tol=1e-12).fit(X, y)


def test_explicit_grid_with_zero_l1_ratio(diabetes):
    """l1_ratio=0 (Ridge) is allowed with an explicit grid."""
    X, y = diabetes
    model = ElasticNetCV(l1_ratio=0.0, alphas=[1.0, 0.1, 0.01], cv=3, tol=1e-10)
    model.fit(X, y)
    reference = independent_mse(X, y, KFold(3), model.alphas_, 0.0)
    assert_allclose(model.mse_path_, reference, rtol=1e-6)


def test_l1_ratio_zero_in_scikit_learns_words(diabetes):
    X, y = diabetes
    message = ("Automatic alpha grid generation is not supported for l1_ratio=0. "
               "Please supply a grid by providing your estimator with the "
               "appropriate `alphas=` argument")
    with pytest.raises(ValueError, match=message):
        ElasticNetCV(l1_ratio=0).fit(X, y)
    with pytest.raises(ValueError, match=message):
        enet_path(X, y, l1_ratio=0.0)
    # With alphas given, l1_ratio=0 (Ridge) runs without a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = ElasticNetCV(l1_ratio=[0], alphas=[1.0], cv=3).fit(X, y)
    assert model.alpha_ == 1.0 and model.l1_ratio_ == 0.0
