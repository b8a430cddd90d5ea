"""LogisticRegression: answers against scikit-learn, optimality, invariances,
certificates and bad input."""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.linear_model import LogisticRegressionCV as SkLogisticRegressionCV
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from l1l2 import LogisticRegression, LogisticRegressionCV, logistic_path
from l1l2._glm_data import GLMProblemInput
from l1l2._glm_solver import GLMFit, duality_gap, objective

TIGHT = 1e-12


def scaled(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def binary():
    return scaled(load_breast_cancer)


@pytest.fixture(scope="module")
def three_classes():
    return scaled(load_iris)


def sklearn_fit(X, y, C, l1_ratio, **kwargs):
    """scikit-learn's answer at its tightest: saga for an l1 part, lbfgs
    otherwise."""
    solver = "saga" if l1_ratio > 0 else "lbfgs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SkLogisticRegression(
            C=C, l1_ratio=l1_ratio, solver=solver, tol=1e-13, max_iter=200_000, **kwargs
        ).fit(X, y)


def objective_of(model, X, y, C, l1_ratio, sample_weight=None, **options):
    """Our objective (scikit-learn's divided by n C) at a model's coefficients."""
    options = {
        "class_weight": None,
        "penalty_factor": None,
        "lower_bounds": None,
        "upper_bounds": None,
        "fit_intercept": True,
        **options,
    }
    estimator = LogisticRegression(**options)
    problem = GLMProblemInput.from_estimator(estimator, X, y, sample_weight)
    data = problem.data()
    penalty = problem.penalty(problem.alpha_of(C), l1_ratio)
    fit = GLMFit(
        np.array(model.coef_, dtype=float), np.array(model.intercept_, dtype=float)
    ).refresh(data)
    return objective(data, penalty, fit), data, penalty, fit


@pytest.mark.parametrize(
    "l1_ratio, C", [(0.0, 1.0), (1.0, 0.5), (0.5, 2.0), (1.0, 20.0)]
)
def test_binary_matches_sklearn(binary, l1_ratio, C):
    X, y = binary
    ours = LogisticRegression(C=C, l1_ratio=l1_ratio, tol=TIGHT, max_iter=500).fit(X, y)
    theirs = sklearn_fit(X, y, C, l1_ratio)
    ours_value = objective_of(ours, X, y, C, l1_ratio)[0]
    theirs_value = objective_of(theirs, X, y, C, l1_ratio)[0]
    # The certificate: no one's objective is below ours minus our gap.
    assert ours_value - ours.dual_gap_ <= theirs_value + 1e-13
    assert ours.dual_gap_ <= TIGHT * np.log(2.0)
    assert ours_value <= theirs_value + 1e-13
    if theirs_value - ours_value < 1e-10:  # saga got there too (not at C=20)
        np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=2e-4)
        np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=2e-4)
    assert ours.coef_.shape == (1, X.shape[1]) and ours.intercept_.shape == (1,)


@pytest.mark.parametrize("l1_ratio, C", [(0.0, 1.0), (1.0, 0.5), (0.5, 0.5)])
def test_multinomial_matches_sklearn(three_classes, l1_ratio, C):
    X, y = three_classes
    ours = LogisticRegression(C=C, l1_ratio=l1_ratio, tol=1e-11, max_iter=1000).fit(
        X, y
    )
    theirs = sklearn_fit(X, y, C, l1_ratio)
    ours_value = objective_of(ours, X, y, C, l1_ratio)[0]
    theirs_value = objective_of(theirs, X, y, C, l1_ratio)[0]
    assert ours_value - ours.dual_gap_ <= theirs_value + 1e-13
    assert ours_value <= theirs_value + 1e-9
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-3)
    assert abs(ours.intercept_.sum()) < 1e-10


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_optimality_conditions(binary, three_classes, l1_ratio):
    for X, y in (binary, three_classes):
        C = 0.3
        model = LogisticRegression(
            C=C, l1_ratio=l1_ratio, tol=1e-12, max_iter=1000
        ).fit(X, y)
        _, data, penalty, fit = objective_of(model, X, y, C, l1_ratio)
        gap, V = duality_gap(data, penalty, fit)
        W = fit.W.T  # (n_features, n_columns) like V
        l1, l2 = penalty.l1[:, None], penalty.l2[:, None]
        active = W != 0
        stationarity = V + l1 * np.sign(W) + l2 * W
        assert np.max(np.abs(stationarity[active])) < 1e-5
        assert np.all(np.abs(V[~active]) <= l1.repeat(W.shape[1], 1)[~active] + 1e-5)
        assert gap == pytest.approx(model.dual_gap_, rel=1e-3, abs=1e-14)


def test_sparse_equals_dense(binary):
    X, y = binary
    X = np.where(np.abs(X) > 1.0, X, 0.0)
    dense = LogisticRegression(C=0.5, l1_ratio=0.7, tol=1e-12).fit(X, y)
    for matrix in (sparse.csr_matrix(X), sparse.csc_matrix(X)):
        fitted = LogisticRegression(C=0.5, l1_ratio=0.7, tol=1e-12).fit(matrix, y)
        np.testing.assert_allclose(fitted.coef_, dense.coef_, atol=1e-7)
        np.testing.assert_allclose(fitted.intercept_, dense.intercept_, atol=1e-7)


def test_integer_weights_equal_repeated_rows(three_classes):
    X, y = three_classes
    weights = np.random.default_rng(0).integers(0, 4, size=y.size)
    weighted = LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-12, max_iter=1000).fit(
        X, y, sample_weight=weights
    )
    rows = np.repeat(np.arange(y.size), weights)
    repeated = LogisticRegression(C=0.5, l1_ratio=1.0, tol=1e-12, max_iter=1000).fit(
        X[rows], y[rows]
    )
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-6)
    np.testing.assert_allclose(weighted.intercept_, repeated.intercept_, atol=1e-6)


@pytest.mark.parametrize("class_weight", ["balanced", {0: 3.0, 1: 0.5}])
def test_class_weight_agrees_with_sklearn(binary, class_weight):
    X, y = binary
    ours = LogisticRegression(C=0.5, class_weight=class_weight, tol=1e-12).fit(X, y)
    theirs = sklearn_fit(X, y, 0.5, 0.0, class_weight=class_weight)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)


def test_probabilities(binary, three_classes):
    for X, y in (binary, three_classes):
        model = LogisticRegression(C=0.5, l1_ratio=0.5).fit(X, y)
        proba = model.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        np.testing.assert_allclose(
            model.predict_log_proba(X), np.log(proba), atol=1e-10
        )
        np.testing.assert_array_equal(
            model.classes_[proba.argmax(axis=1)], model.predict(X)
        )


def test_float32_and_string_labels(binary):
    X, y = binary
    labels = np.array(["benign", "malignant"])[y]
    model = LogisticRegression(C=0.5, l1_ratio=1.0).fit(X.astype(np.float32), labels)
    assert model.coef_.dtype == np.float32
    assert set(model.predict(X.astype(np.float32))) <= set(labels)
    reference = LogisticRegression(C=0.5, l1_ratio=1.0).fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, atol=1e-3)


def test_penalty_factor_and_bounds(binary):
    X, y = binary
    factor = np.ones(X.shape[1])
    factor[:3] = 0.0
    factor[3] = np.inf
    model = LogisticRegression(
        C=0.05, l1_ratio=1.0, penalty_factor=factor, tol=1e-10, max_iter=500
    ).fit(X, y)
    assert np.all(model.coef_[0, :3] != 0) and model.coef_[0, 3] == 0
    assert model.dual_gap_ <= 1e-10 * np.log(2)
    bounded = LogisticRegression(C=1.0, l1_ratio=0.5, lower_bounds=0.0, tol=1e-10).fit(
        X, y
    )
    assert np.all(bounded.coef_ >= 0)
    assert bounded.dual_gap_ <= 1e-10 * np.log(2)


def test_warm_start_continues(binary):
    X, y = binary
    model = LogisticRegression(C=0.5, l1_ratio=1.0, warm_start=True, tol=1e-10).fit(
        X, y
    )
    again = model.fit(X, y)
    assert again.n_iter_[0] <= 1


@pytest.mark.parametrize(
    "bad_y, message",
    [
        (np.zeros(10), "only one class"),
        (np.r_[np.zeros(5), np.ones(4), np.nan], "NaN"),
        (np.linspace(0, 1, 10), "continuous"),
    ],
)
def test_bad_targets(bad_y, message):
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match=message):
        LogisticRegression().fit(X, bad_y)


def test_bad_weights():
    X = np.random.default_rng(0).standard_normal((10, 3))
    y = np.r_[np.zeros(5), np.ones(5)]
    with pytest.raises(ValueError, match="class_weight"):
        LogisticRegression(class_weight={0: -1.0, 1: 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        LogisticRegression().fit(X, y, sample_weight=-np.ones(10))
    with pytest.raises(ValueError, match="penalty_factor 0"):
        LogisticRegression(penalty_factor=[0, 1, 1], lower_bounds=0.0).fit(X, y)


def test_input_left_unchanged(binary):
    X, y = binary
    X_before, y_before = X.copy(), y.copy()
    LogisticRegression(C=0.5, l1_ratio=1.0).fit(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_check_estimator():
    check_estimator(LogisticRegression())


@pytest.mark.parametrize("which", ["binary", "three_classes"])
def test_path_matches_single_fits(which, request):
    X, y = request.getfixturevalue(which)
    alphas, coefs, intercepts, gaps = logistic_path(
        X, y, eps=1e-2, n_alphas=20, tol=1e-12, max_iter=500
    )
    coefs = coefs if coefs.ndim == 3 else coefs[np.newaxis]
    intercepts = intercepts if intercepts.ndim == 2 else intercepts[np.newaxis]
    assert np.all(coefs[..., 0] == 0)
    assert np.all(gaps <= 1e-12 * np.log(3))
    for i in (1, 10, 19):
        C = 1.0 / (X.shape[0] * alphas[i])
        model = LogisticRegression(C=C, l1_ratio=1.0, tol=1e-12, max_iter=500).fit(X, y)
        np.testing.assert_allclose(coefs[..., i], model.coef_, atol=1e-5)
        np.testing.assert_allclose(intercepts[:, i], model.intercept_, atol=1e-5)


def test_alpha_max_is_where_the_path_starts(binary):
    X, y = binary
    alphas, coefs, _, _ = logistic_path(X, y, n_alphas=2, eps=0.999, tol=1e-12)
    assert np.all(coefs[:, 0] == 0) and np.any(coefs[:, 1] != 0)
    with pytest.raises(ValueError, match="l1_ratio=0"):
        logistic_path(X, y, l1_ratio=0.0)
    _, ridge, _, _ = logistic_path(X, y, l1_ratio=0.0, alphas=[1.0, 0.1])
    assert np.all(ridge != 0)


def explicit_cv(**options):
    """A LogisticRegressionCV without scikit-learn 1.9's transition warnings."""
    settings = {
        "Cs": 4,
        "l1_ratios": (1.0,),
        "scoring": "accuracy",
        "use_legacy_attributes": False,
        "tol": 1e-10,
        "cv": 3,
    }
    return LogisticRegressionCV(**{**settings, **options})


@pytest.mark.parametrize("which", ["binary", "three_classes"])
def test_cv_scores_are_the_folds_fits(which, request):
    X, y = request.getfixturevalue(which)
    cv = StratifiedKFold(3)
    # Cs where the iris classes are not yet separated (C = 1e4 leaves the
    # multinomial coefficients barely determined).
    Cs = np.logspace(-2, 1, 4)
    model = explicit_cv(Cs=Cs, cv=cv, scoring="neg_log_loss").fit(X, y)
    scorer = get_scorer("neg_log_loss")
    for f, (train, test) in enumerate(cv.split(X, y)):
        for i, C in enumerate(model.Cs_):
            single = LogisticRegression(C=C, l1_ratio=1.0, tol=1e-10, max_iter=500).fit(
                X[train], y[train]
            )
            assert model.scores_[f, 0, i] == pytest.approx(
                scorer(single, X[test], y[test]), rel=1e-6
            )
    best = np.argmax(model.scores_.mean(axis=0)[0])
    assert model.C_ == model.Cs_[best]
    refit = LogisticRegression(C=model.C_, l1_ratio=1.0, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(model.coef_, refit.coef_, atol=1e-6)


@pytest.mark.parametrize("legacy", [True, False])
@pytest.mark.parametrize("l1_ratios", [(0.0,), (0.0, 0.5), "warn"])
def test_cv_attribute_layout_is_sklearns(three_classes, legacy, l1_ratios):
    X, y = three_classes
    options = {
        "Cs": 3,
        "l1_ratios": l1_ratios,
        "cv": 3,
        "scoring": "accuracy",
        "use_legacy_attributes": legacy,
        "solver": "saga",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = LogisticRegressionCV(**options).fit(X, y)
        theirs = SkLogisticRegressionCV(**options, max_iter=20).fit(X, y)
    for name in (
        "C_",
        "l1_ratio_",
        "l1_ratios_",
        "coefs_paths_",
        "scores_",
        "n_iter_",
        "coef_",
        "intercept_",
    ):
        ours_value, theirs_value = getattr(ours, name), getattr(theirs, name)
        if isinstance(theirs_value, dict):
            assert ours_value.keys() == theirs_value.keys()
            ours_value, theirs_value = (
                list(ours_value.values()),
                list(theirs_value.values()),
            )
        assert np.shape(ours_value) == np.shape(theirs_value), name


def test_cv_one_standard_error_rule(binary):
    X, y = binary
    best = explicit_cv(Cs=8).fit(X, y)
    sparse_model = explicit_cv(Cs=8, selection_rule="1se").fit(X, y)
    assert sparse_model.C_ <= best.C_
    mean = best.scores_.mean(axis=0)[0]
    spread = best.scores_[:, 0].std(axis=0, ddof=1) / np.sqrt(3)
    top = np.argmax(mean)
    assert mean[list(best.Cs_).index(sparse_model.C_)] >= mean[top] - spread[top]


def test_cv_without_refit_averages_the_folds(binary):
    X, y = binary
    model = explicit_cv(refit=False).fit(X, y)
    flat = model.scores_.reshape(3, -1).argmax(axis=1)
    chosen = model.coefs_paths_[np.arange(3), 0, flat].mean(axis=0)
    np.testing.assert_allclose(model.coef_, chosen[:, :-1])
    assert model.C_ == pytest.approx(model.Cs_[flat].mean())


def test_cv_check_estimator():
    # The sample-weight checks compare predictions at rtol 1e-7, which a
    # solution at tol 1e-4 does not pin down (scikit-learn's own instances
    # for such checks set tight tolerances too); Cs of 1e4 on the checks'
    # separable data would ask for an L1 fit at almost no penalty.
    check_estimator(explicit_cv(Cs=[0.1, 1.0], tol=1e-13))


def test_objective_within_the_gap_of_glmnets(binary):
    glmnet = pytest.importorskip("glmnet")
    X, y = binary
    n = X.shape[0]
    alphas = np.geomspace(0.05, 0.002, 5)
    theirs = glmnet.LogitNet(alpha=1.0, lambda_path=alphas, standardize=False,
                             tol=1e-12, n_splits=0).fit(X, y)
    for i, alpha in enumerate(alphas):
        ours = LogisticRegression(C=1.0 / (n * alpha), l1_ratio=1.0,
                                  tol=1e-12).fit(X, y)
        ours_value = objective_of(ours, X, y, 1.0 / (n * alpha), 1.0)[0]
        fitted = type("Fitted", (), {})()
        fitted.coef_ = theirs.coef_path_[..., i]
        fitted.intercept_ = np.atleast_1d(theirs.intercept_path_[..., i])
        theirs_value = objective_of(fitted, X, y, 1.0 / (n * alpha), 1.0)[0]
        # glmnet's answer cannot beat the optimum, which is within our gap.
        assert ours_value - ours.dual_gap_ <= theirs_value + 1e-14
        assert ours_value <= theirs_value + 1e-9
