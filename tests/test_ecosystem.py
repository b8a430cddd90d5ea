"""l1l2's estimators inside scikit-learn's model selection, and on dask.

What is compared, exactly:

- GridSearchCV over ``alpha`` (and ``l1_ratio``) of l1l2's Lasso/ElasticNet
  on already standardised X, against LassoCV/ElasticNetCV on the same X, the
  same grid and the same folds: both compute the same per-fold test errors
  (cold fits against warm-started paths, equal up to the solver tolerance),
  so they pick the same parameters.
- GridSearchCV over ``Pipeline([("scale", StandardScaler()), ("model",
  Lasso())])`` on raw X. The pipeline refits the scaler on each fold's
  training rows, which ``make_pipeline(StandardScaler(), LassoCV())`` (one
  scaling on all the data) does not; so the reference is LassoCV run fold by
  fold on the data scaled by that fold's own scaler (``cv=[(train,
  test)]``), which is what the pipeline computes.
- ``sample_weight`` routed by scikit-learn's metadata routing to l1l2's
  Lasso in GridSearchCV and cross_validate, against fits and weighted errors
  computed by hand; and to LassoCV itself inside cross_validate.
- LassoCV with its folds spread by joblib's dask backend over an
  in-process ``distributed`` cluster, against the serial run.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.metrics import make_scorer, mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from l1l2 import ElasticNet, ElasticNetCV, Lasso, LassoCV

TOL = 1e-12
MAX_ITER = 100_000
FOLDS = KFold(5, shuffle=True, random_state=0)
L1_RATIOS = [0.2, 0.6, 1.0]


@pytest.fixture(scope="module")
def standardised(diabetes):
    X, y = diabetes
    return StandardScaler().fit_transform(X), y


def grid_errors(search, n_splits):
    """GridSearchCV's per-split test MSE, shape (n_candidates, n_splits)."""
    results = search.cv_results_
    return -np.column_stack([results[f"split{k}_test_score"] for k in range(n_splits)])


# --- GridSearchCV against the CV estimators -----------------------------------


def test_gridsearch_lasso_equals_lassocv(standardised):
    X, y = standardised
    lasso_cv = LassoCV(cv=FOLDS, alphas=30, tol=TOL, max_iter=MAX_ITER).fit(X, y)
    search = GridSearchCV(Lasso(tol=TOL, max_iter=MAX_ITER),
                          {"alpha": lasso_cv.alphas_}, cv=FOLDS,
                          scoring="neg_mean_squared_error").fit(X, y)
    # Candidates are in the order of the grid, as mse_path_'s rows.
    assert_allclose(grid_errors(search, 5), lasso_cv.mse_path_, rtol=1e-8)
    assert search.best_params_["alpha"] == lasso_cv.alpha_
    assert_allclose(search.best_estimator_.coef_, lasso_cv.coef_, rtol=1e-8)


def test_gridsearch_elasticnet_equals_elasticnetcv(standardised):
    X, y = standardised
    alphas = np.geomspace(20.0, 0.02, 25)
    enet_cv = ElasticNetCV(l1_ratio=L1_RATIOS, alphas=alphas, cv=FOLDS, tol=TOL,
                           max_iter=MAX_ITER).fit(X, y)
    search = GridSearchCV(ElasticNet(tol=TOL, max_iter=MAX_ITER),
                          {"alpha": enet_cv.alphas_, "l1_ratio": L1_RATIOS},
                          cv=FOLDS, scoring="neg_mean_squared_error").fit(X, y)
    errors = grid_errors(search, 5)
    for row, params in enumerate(search.cv_results_["params"]):
        i = L1_RATIOS.index(params["l1_ratio"])
        j = int(np.flatnonzero(enet_cv.alphas_ == params["alpha"])[0])
        assert_allclose(errors[row], enet_cv.mse_path_[i, j], rtol=1e-8)
    assert search.best_params_ == {"alpha": enet_cv.alpha_,
                                   "l1_ratio": enet_cv.l1_ratio_}


@pytest.mark.parametrize("l1_ratios", [None, L1_RATIOS], ids=["lasso", "enet"])
def test_gridsearch_pipeline_equals_lassocv_fold_by_fold(diabetes, l1_ratios):
    X, y = diabetes
    alphas = np.geomspace(20.0, 0.02, 20)
    if l1_ratios is None:
        model, grid = Lasso(tol=TOL, max_iter=MAX_ITER), {"model__alpha": alphas}
    else:
        model = ElasticNet(tol=TOL, max_iter=MAX_ITER)
        grid = {"model__alpha": alphas, "model__l1_ratio": l1_ratios}
    pipeline = Pipeline([("scale", StandardScaler()), ("model", model)])
    search = GridSearchCV(pipeline, grid, cv=FOLDS,
                          scoring="neg_mean_squared_error").fit(X, y)

    splits = list(FOLDS.split(X))
    ratios = [1.0] if l1_ratios is None else l1_ratios
    reference = np.empty((len(ratios), len(alphas), len(splits)))
    for k, (train, test) in enumerate(splits):
        X_k = StandardScaler().fit(X[train]).transform(X)  # this fold's scaling
        one_fold = ElasticNetCV(l1_ratio=ratios, alphas=alphas, cv=[(train, test)],
                                tol=TOL, max_iter=MAX_ITER).fit(X_k, y)
        reference[:, :, k] = one_fold.mse_path_.reshape(len(ratios), len(alphas))

    errors = grid_errors(search, len(splits))
    for row, params in enumerate(search.cv_results_["params"]):
        i = ratios.index(params.get("model__l1_ratio", 1.0))
        j = int(np.flatnonzero(alphas == params["model__alpha"])[0])
        assert_allclose(errors[row], reference[i, j], rtol=1e-8)
    mean = reference.mean(axis=2)
    i, j = np.unravel_index(np.argmin(mean), mean.shape)
    assert search.best_params_["model__alpha"] == alphas[j]
    assert search.best_params_.get("model__l1_ratio", 1.0) == ratios[i]


# --- sample_weight through metadata routing -----------------------------------


def weighted_fold_errors(X, y, weights, alphas):
    """Per-(alpha, fold) weighted test MSE of Lasso fits with weights."""
    errors = np.empty((len(alphas), FOLDS.get_n_splits()))
    coefs = {}
    for k, (train, test) in enumerate(FOLDS.split(X)):
        for i, alpha in enumerate(alphas):
            model = Lasso(alpha=alpha, tol=TOL, max_iter=MAX_ITER)
            model.fit(X[train], y[train], sample_weight=weights[train])
            errors[i, k] = mean_squared_error(y[test], model.predict(X[test]),
                                              sample_weight=weights[test])
            coefs[i, k] = model.coef_
    return errors, coefs


@pytest.fixture(scope="module")
def weighted(standardised):
    X, y = standardised
    weights = np.random.default_rng(0).uniform(0.1, 5.0, size=len(y))
    return X, y, weights


def weighted_scorer():
    scorer = make_scorer(mean_squared_error, greater_is_better=False)
    return scorer.set_score_request(sample_weight=True)


def test_sample_weight_routed_through_gridsearch(weighted):
    X, y, weights = weighted
    alphas = np.geomspace(10.0, 0.05, 12)
    by_hand, _ = weighted_fold_errors(X, y, weights, alphas)
    unweighted, _ = weighted_fold_errors(X, y, np.ones_like(weights), alphas)
    assert np.max(np.abs(by_hand / unweighted - 1)) > 1e-2  # weights matter here

    with config_context(enable_metadata_routing=True):
        lasso = Lasso(tol=TOL, max_iter=MAX_ITER).set_fit_request(sample_weight=True)
        search = GridSearchCV(lasso, {"alpha": alphas}, cv=FOLDS,
                              scoring=weighted_scorer())
        search.fit(X, y, sample_weight=weights)
        lasso_cv = LassoCV(alphas=alphas, cv=FOLDS, tol=TOL, max_iter=MAX_ITER)
        lasso_cv.fit(X, y, sample_weight=weights)
    assert_allclose(grid_errors(search, 5), by_hand, rtol=1e-9)
    assert_allclose(lasso_cv.mse_path_, by_hand, rtol=1e-8)
    assert search.best_params_["alpha"] == lasso_cv.alpha_


def test_sample_weight_routed_through_cross_validate(weighted):
    X, y, weights = weighted
    alpha = 0.5
    by_hand, coefs = weighted_fold_errors(X, y, weights, [alpha])
    with config_context(enable_metadata_routing=True):
        lasso = Lasso(alpha=alpha, tol=TOL, max_iter=MAX_ITER)
        result = cross_validate(lasso.set_fit_request(sample_weight=True), X, y,
                                cv=FOLDS, params={"sample_weight": weights},
                                scoring=weighted_scorer(), return_estimator=True)
    assert_allclose(-result["test_score"], by_hand[0], rtol=1e-9)
    for k, estimator in enumerate(result["estimator"]):
        assert_allclose(estimator.coef_, coefs[0, k], rtol=1e-9)


def test_sample_weight_routed_to_lassocv_in_cross_validate(weighted):
    X, y, weights = weighted
    params = dict(cv=3, alphas=15, tol=1e-10, max_iter=MAX_ITER)
    with config_context(enable_metadata_routing=True):
        inner = LassoCV(**params).set_fit_request(sample_weight=True)
        inner.set_score_request(sample_weight=True)
        result = cross_validate(inner, X, y, cv=FOLDS, return_estimator=True,
                                params={"sample_weight": weights})
    splits = FOLDS.split(X)
    for k, ((train, test), estimator) in enumerate(
        zip(splits, result["estimator"], strict=True)
    ):
        by_hand = LassoCV(**params).fit(X[train], y[train],
                                        sample_weight=weights[train])
        assert estimator.alpha_ == by_hand.alpha_
        assert_array_equal(estimator.mse_path_, by_hand.mse_path_)
        # The weighted R^2 on the test rows: the weights reached score too.
        assert result["test_score"][k] == pytest.approx(
            by_hand.score(X[test], y[test], sample_weight=weights[test]), rel=1e-12)


# --- dask ------------------------------------------------------------------------


def test_lassocv_on_a_dask_cluster(wide):
    distributed = pytest.importorskip("distributed")
    import joblib

    X, y = wide
    params = dict(cv=FOLDS, alphas=30, eps=1e-2, tol=1e-8)
    serial = LassoCV(**params).fit(X, y)
    with (
        distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_backend("dask"),
    ):
        on_dask = LassoCV(**params).fit(X, y)
    assert len(tasks.data) >= 5  # the folds really ran on the cluster
    assert on_dask.alpha_ == serial.alpha_
    assert_allclose(on_dask.mse_path_, serial.mse_path_, rtol=1e-12)
    assert_allclose(on_dask.coef_, serial.coef_, rtol=1e-12)
