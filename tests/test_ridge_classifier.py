"""RidgeClassifier and RidgeClassifierCV against scikit-learn's, and against
Ridge fitted to the {-1, 1} targets by hand."""

import numpy as np
import pytest
import sklearn
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import NotFittedError
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold

from l1l2 import Ridge, RidgeClassifier, RidgeClassifierCV


def three_classes(seed=0, n=150):
    X, y = make_classification(n, 8, n_informative=5, n_classes=3, random_state=seed)
    return X, np.array(["ant", "bee", "cat"])[y]


def assert_same_classifier(ours, theirs, X, rtol=1e-8):
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    assert np.shape(ours.coef_) == np.shape(theirs.coef_)
    assert np.shape(ours.intercept_) == np.shape(theirs.intercept_)
    scale = np.abs(theirs.coef_).max()
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=rtol * scale)
    np.testing.assert_allclose(
        ours.intercept_, theirs.intercept_, rtol=rtol, atol=rtol * scale
    )
    np.testing.assert_allclose(
        ours.decision_function(X),
        theirs.decision_function(X),
        rtol=rtol,
        atol=rtol * scale,
    )
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_multiclass_is_ridge_on_one_column_per_class():
    X, y = three_classes()
    model = RidgeClassifier(alpha=2.0).fit(X, y)
    targets = np.column_stack([np.where(y == c, 1.0, -1.0) for c in model.classes_])
    ridge = Ridge(alpha=2.0).fit(X, targets)
    np.testing.assert_allclose(model.coef_, ridge.coef_, rtol=1e-12)
    np.testing.assert_allclose(model.intercept_, ridge.intercept_, rtol=1e-12)
    scores = model.decision_function(X)
    assert scores.shape == (150, 3)
    np.testing.assert_array_equal(
        model.predict(X), model.classes_[np.argmax(scores, axis=1)]
    )


@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd", "lsqr", "sparse_cg"])
@pytest.mark.parametrize("class_weight", [None, "balanced", {"ant": 0.2, "cat": 5.0}])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(solver, class_weight, weighted):
    X, y = three_classes(seed=1)
    X[:, 0] += 3.0
    sample_weight = np.linspace(0.2, 3.0, len(y)) if weighted else None
    params = dict(alpha=1.5, solver=solver, class_weight=class_weight, tol=1e-14)
    ours = RidgeClassifier(**params).fit(X, y, sample_weight=sample_weight)
    theirs = sklm.RidgeClassifier(**params).fit(X, y, sample_weight=sample_weight)
    assert_same_classifier(ours, theirs, X, rtol=1e-7)


@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_binary_shapes_and_signs_match_sklearn(layout):
    X, y = make_classification(120, 30, random_state=2)
    X = sparse.csr_matrix(np.where(np.abs(X) > 1, X, 0)) if layout == "sparse" else X
    y = np.array([-3, 7])[y]
    ours = RidgeClassifier(tol=1e-14).fit(X, y)
    theirs = sklm.RidgeClassifier(tol=1e-14).fit(X, y)
    assert ours.coef_.shape == (30,) and ours.intercept_.shape == (1,)
    assert ours.decision_function(X).shape == (120,)
    assert_same_classifier(ours, theirs, X, rtol=1e-6)
    # Positive decision values are the second class.
    scores = ours.decision_function(X)
    np.testing.assert_array_equal(ours.predict(X), np.where(scores > 0, 7, -3))


def test_multilabel():
    X, Y = make_multilabel_classification(80, 10, n_classes=4, random_state=3)
    ours = RidgeClassifier(alpha=0.5).fit(X, Y)
    theirs = sklm.RidgeClassifier(alpha=0.5).fit(X, Y)
    assert_same_classifier(ours, theirs, X)
    prediction = ours.predict(X)
    assert prediction.shape == Y.shape
    np.testing.assert_array_equal(prediction, ours.decision_function(X) > 0)


def test_class_weight_multiplies_sample_weight():
    X, y = three_classes(seed=4)
    sample_weight = np.linspace(0.5, 1.5, len(y))
    class_weight = {"ant": 1.0, "bee": 10.0, "cat": 0.5}
    by_class = RidgeClassifier(class_weight=class_weight).fit(
        X, y, sample_weight=sample_weight
    )
    by_sample = RidgeClassifier().fit(
        X, y, sample_weight=sample_weight * np.vectorize(class_weight.get)(y)
    )
    np.testing.assert_allclose(by_class.coef_, by_sample.coef_, rtol=1e-12)
    unweighted = RidgeClassifier().fit(X, y)
    assert np.abs(by_class.coef_ - unweighted.coef_).max() > 1e-3


@pytest.mark.parametrize("scoring", [None, "accuracy", "balanced_accuracy"])
@pytest.mark.parametrize("cv", [None, 5])
@pytest.mark.parametrize("layout", ["dense", "sparse"])
def test_cv_matches_sklearn(scoring, cv, layout):
    X, y = three_classes(seed=5, n=120)
    X = sparse.csr_matrix(X) if layout == "sparse" else X
    alphas = np.logspace(-3, 3, 9)
    sample_weight = np.linspace(0.5, 2.0, 120)
    params = dict(alphas=alphas, scoring=scoring, cv=cv, class_weight="balanced")
    ours = RidgeClassifierCV(**params).fit(X, y, sample_weight=sample_weight)
    theirs = sklm.RidgeClassifierCV(**params).fit(X, y, sample_weight=sample_weight)
    assert ours.alpha_ == theirs.alpha_
    assert isinstance(ours.best_score_, float)
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-8)
    assert_same_classifier(ours, theirs, X, rtol=1e-6)


@pytest.mark.parametrize("scoring", [None, "accuracy"])
def test_cv_results_are_sklearns(scoring):
    X, y = make_classification(40, 6, random_state=6)
    params = dict(alphas=[0.1, 1.0, 10.0], scoring=scoring, store_cv_results=True)
    ours = RidgeClassifierCV(**params).fit(X, y)
    theirs = sklm.RidgeClassifierCV(**params).fit(X, y)
    assert ours.cv_results_.shape == (40, 1, 3)
    np.testing.assert_allclose(
        ours.cv_results_, theirs.cv_results_, rtol=1e-8, atol=1e-10
    )


def test_cv_leave_one_out_equals_refits():
    # The leave-one-out decision values are those of fits without the sample.
    X, y = three_classes(seed=7, n=30)
    model = RidgeClassifierCV(
        alphas=[2.0], scoring="accuracy", store_cv_results=True
    ).fit(X, y)
    for i in (0, 11, 29):
        keep = np.arange(30) != i
        refit = RidgeClassifier(alpha=2.0).fit(X[keep], y[keep])
        np.testing.assert_allclose(
            model.cv_results_[i, :, 0],
            refit.decision_function(X[i : i + 1])[0],
            rtol=1e-9,
        )


def test_cv_routes_sample_weight_as_sklearn():
    X, y = three_classes(seed=8, n=90)
    sample_weight = np.linspace(0.1, 4.0, 90)
    with sklearn.config_context(enable_metadata_routing=True):
        for cv in (None, KFold(3)):
            ours = RidgeClassifierCV(cv=cv).fit(X, y, sample_weight=sample_weight)
            theirs = sklm.RidgeClassifierCV(cv=cv).fit(
                X, y, sample_weight=sample_weight
            )
            assert ours.alpha_ == theirs.alpha_
            assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-8)
        scorer = get_scorer("accuracy").set_score_request(sample_weight=True)
        ours = RidgeClassifierCV(scoring=scorer).fit(X, y, sample_weight=sample_weight)
        theirs = sklm.RidgeClassifierCV(scoring=scorer).fit(
            X, y, sample_weight=sample_weight
        )
        assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-12)


@pytest.mark.parametrize("Classifier", [RidgeClassifier, RidgeClassifierCV])
def test_bad_input(Classifier):
    X, y = three_classes(seed=9, n=30)
    with pytest.raises(ValueError, match="Unknown label type"):
        Classifier().fit(X, np.linspace(0.0, 1.0, 30))
    with pytest.raises(ValueError, match="'class_weight' parameter"):
        Classifier(class_weight="everything").fit(X, y)
    with pytest.raises(ValueError, match="Sample weights must be 1D"):
        Classifier().fit(X, y, sample_weight=np.ones((30, 2)))
    with pytest.raises(ValueError, match="non-negative"):
        Classifier().fit(X, y, sample_weight=-np.ones(30))
    with pytest.raises(NotFittedError):
        Classifier().predict(X)
    model = Classifier().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X[:, :3])


@pytest.mark.parametrize("Classifier", [RidgeClassifier, RidgeClassifierCV])
def test_the_callers_arrays_are_never_modified(Classifier):
    X, y = three_classes(seed=10, n=40)
    weights = np.linspace(0.5, 2.0, 40)
    copies = [a.copy() for a in (X, y, weights)]
    for array in (X, y, weights):
        array.flags.writeable = False
    Classifier(class_weight="balanced").fit(X, y, sample_weight=weights)
    for array, copy in zip((X, y, weights), copies, strict=True):
        np.testing.assert_array_equal(array, copy)
