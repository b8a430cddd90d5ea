"""RidgeCV: efficient leave-one-out against explicit refits and scikit-learn.

The leave-one-out residual of sample i at ``alpha`` is ``y_i - f_{-i}(x_i)``,
with ``f_{-i}`` the weighted Ridge fit (intercept included) on the other
samples; scikit-learn's ``cv_results_`` holds ``s_i (y_i - f_{-i}(x_i))^2``
(``scoring=None``) or the predictions ``f_{-i}(x_i)`` (with a scorer).
"""

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from sklearn import linear_model as sklm
from sklearn.metrics import get_scorer, r2_score
from sklearn.model_selection import GroupKFold, KFold
from sklearn.utils._param_validation import InvalidParameterError

from l1l2 import Ridge, RidgeCV

# Relative agreement asked of every leave-one-out quantity.
RTOL = 1e-8


def explicit_loo(X, Y, alphas, sample_weight=None, fit_intercept=True):
    """Leave-one-out predictions by refitting on n - 1 rows, (n, t, k).

    Each refit solves the weighted Ridge problem (intercept unpenalised) as
    the least-squares problem ``[sqrt(S) X, sqrt(S) 1; sqrt(alpha) I, 0]``,
    which is better conditioned than the normal equations.
    """
    X = np.asarray(X.toarray() if sp.issparse(X) else X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64).reshape(X.shape[0], -1)
    n_samples, n_features = X.shape
    s = np.ones(n_samples) if sample_weight is None else np.asarray(sample_weight)
    predictions = np.empty((n_samples, Y.shape[1], len(alphas)))
    for a, alpha in enumerate(alphas):
        for i in range(n_samples):
            rest = np.arange(n_samples) != i
            root = np.sqrt(s[rest])[:, np.newaxis]
            design = root * X[rest]
            if fit_intercept:
                design = np.hstack([design, root])
            penalty = np.sqrt(alpha) * np.eye(n_features, design.shape[1])
            solution = np.linalg.lstsq(
                np.vstack([design, penalty]),
                np.vstack([root * Y[rest], np.zeros((n_features, Y.shape[1]))]),
                rcond=None,
            )[0]
            intercept = solution[n_features] if fit_intercept else 0.0
            predictions[i, :, a] = X[i] @ solution[:n_features] + intercept
    return predictions


def squared_errors(Y, predictions, sample_weight=None):
    """``s_i (y_i - f_{-i}(x_i))^2`` from leave-one-out predictions."""
    Y = np.asarray(Y, dtype=np.float64).reshape(predictions.shape[:2])
    s = np.ones(len(Y)) if sample_weight is None else np.asarray(sample_weight)
    return s[:, None, None] * (Y[:, :, None] - predictions) ** 2


def assert_close(actual, expected, rtol=RTOL):
    """Elementwise agreement to ``rtol`` of the largest value."""
    expected = np.asarray(expected)
    scale = np.max(np.abs(expected))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


def make_problem(shape, n_targets, seed):
    """Correlated columns of unequal scale and a non-zero intercept."""
    n_samples, n_features = shape
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n_samples, 3))
    X = latent @ rng.standard_normal((3, n_features))
    X += 0.3 * rng.standard_normal((n_samples, n_features))
    X *= rng.uniform(0.2, 5.0, n_features)
    X += rng.uniform(-3.0, 3.0, n_features)
    Y = X @ rng.standard_normal((n_features, n_targets)) / np.sqrt(n_features)
    Y += rng.standard_normal((n_samples, n_targets)) + 2.0
    return X, Y[:, 0] if n_targets == 1 else Y


def grid_for(X, n_alphas=6):
    """Alphas from where the fit nearly interpolates to heavy shrinkage."""
    Xc = X - X.mean(axis=0)
    return np.logspace(-6, 1, n_alphas) * np.linalg.norm(Xc, ord=2) ** 2


def weights_with_a_zero(n_samples, seed):
    sample_weight = np.random.default_rng(seed).uniform(0.2, 3.0, n_samples)
    sample_weight[2] = 0.0
    return sample_weight


# --- leave-one-out errors against explicit refits ------------------------------


@pytest.mark.parametrize("shape", [(40, 7), (24, 60)], ids=["n>p", "n<p"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("sparse_X", [False, True], ids=["dense", "sparse"])
@pytest.mark.parametrize("n_targets", [1, 2])
def test_loo_errors_match_explicit_refits(
    shape, fit_intercept, weighted, sparse_X, n_targets
):
    X, Y = make_problem(shape, n_targets, seed=sum(shape) + n_targets)
    alphas = grid_for(X)
    sample_weight = weights_with_a_zero(shape[0], seed=1) if weighted else None
    expected = squared_errors(
        Y, explicit_loo(X, Y, alphas, sample_weight, fit_intercept), sample_weight
    )
    model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept, store_cv_results=True)
    model.fit(sp.csc_matrix(X) if sparse_X else X, Y, sample_weight=sample_weight)

    results = model.cv_results_
    assert results.shape == ((shape[0], len(alphas)) if n_targets == 1
                             else (shape[0], n_targets, len(alphas)))
    assert_close(results.reshape(expected.shape), expected)
    # best_score_ is minus the mean of the errors at alpha_.
    chosen = np.flatnonzero(alphas == model.alpha_)[0]
    assert model.best_score_ == pytest.approx(
        -expected[..., chosen].mean(), rel=RTOL
    )
    assert np.all(-expected.mean(axis=(0, 1)) <= model.best_score_ * (1 - RTOL))


@pytest.mark.parametrize("shape", [(40, 7), (20, 30)], ids=["n>p", "n<p"])
@pytest.mark.parametrize("gcv_mode", [None, "svd"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loo_errors_on_a_rank_deficient_design(shape, gcv_mode, fit_intercept):
    # Duplicated, zero and constant columns: null directions of X^T X and
    # of the kernel must contribute exactly nothing (or everything, to M).
    X, y = make_problem(shape, 1, seed=3)
    X = np.hstack([X, X[:, :2], np.full((shape[0], 1), 3.0)])
    X[:, 1] = 0.0
    alphas = grid_for(X)
    sample_weight = weights_with_a_zero(shape[0], seed=21)
    expected = squared_errors(
        y, explicit_loo(X, y, alphas, sample_weight, fit_intercept), sample_weight
    )[:, 0]
    for X_in in (X, sp.csc_matrix(X)):
        model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept,
                        gcv_mode=gcv_mode, store_cv_results=True)
        model.fit(X_in, y, sample_weight=sample_weight)
        assert_close(model.cv_results_, expected)


def test_loo_predictions_match_refitting_l1l2_ridge(wide):
    # The same check with the estimator itself refitted on n - 1 rows.
    X, y = wide
    X, y = X[:30], y[:30]
    sample_weight = np.random.default_rng(4).uniform(0.5, 2.0, 30)
    alphas = grid_for(X, 3)
    model = RidgeCV(alphas=alphas, scoring="r2", store_cv_results=True)
    model.fit(X, y, sample_weight=sample_weight)
    expected = np.empty((30, 3))
    for a, alpha in enumerate(alphas):
        for i in range(30):
            rest = np.arange(30) != i
            ridge = Ridge(alpha=alpha, solver="svd")
            ridge.fit(X[rest], y[rest], sample_weight=sample_weight[rest])
            expected[i, a] = ridge.predict(X[i : i + 1])[0]
    assert_close(model.cv_results_, expected)


@pytest.mark.parametrize("shape", [(40, 7), (24, 60)], ids=["n>p", "n<p"])
def test_weightless_sample_gets_the_full_fit_prediction(shape):
    # A sample of weight zero does not move the fit, so its leave-one-out
    # prediction is the full model's; removing it changes no other error.
    X, y = make_problem(shape, 1, seed=5)
    alphas = grid_for(X, 4)
    sample_weight = weights_with_a_zero(shape[0], seed=6)
    model = RidgeCV(alphas=alphas, scoring="r2", store_cv_results=True)
    model.fit(X, y, sample_weight=sample_weight)
    assert np.all(np.isfinite(model.cv_results_))
    for a, alpha in enumerate(alphas):
        full = Ridge(alpha=alpha).fit(X, y, sample_weight=sample_weight)
        assert model.cv_results_[2, a] == pytest.approx(full.predict(X[2:3])[0],
                                                        rel=RTOL)
    kept = np.arange(shape[0]) != 2
    dropped = RidgeCV(alphas=alphas, store_cv_results=True).fit(
        X[kept], y[kept], sample_weight=sample_weight[kept]
    )
    weighted = RidgeCV(alphas=alphas, store_cv_results=True).fit(
        X, y, sample_weight=sample_weight
    )
    assert_close(weighted.cv_results_[kept], dropped.cv_results_)
    assert np.all(weighted.cv_results_[2] == 0.0)


def test_sparse_x_is_never_densified(monkeypatch):
    # Only the p x p (n > p) or n x n (n <= p) products may become dense.
    densified = []
    for cls in (sp.csc_matrix, sp.csr_matrix, sp.coo_matrix):
        original = cls.toarray

        def recording(self, *args, _original=original, **kwargs):
            densified.append(self.shape)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "toarray", recording)
    for shape in [(200, 15), (20, 90)]:
        y = make_problem(shape, 1, seed=7)[1]
        Xs = sp.random(*shape, density=0.2, format="csc", random_state=8)
        sample_weight = np.arange(1.0, shape[0] + 1)
        RidgeCV(alphas=[0.1, 1.0]).fit(Xs, y, sample_weight=sample_weight)
    assert densified, "the Gram or kernel matrix should come from a sparse product"
    assert all(shape in [(15, 15), (20, 20)] for shape in densified), densified


# --- against scikit-learn -------------------------------------------------------


@pytest.fixture(params=["diabetes", "tall", "riboflavin", "wide correlated"])
def dataset(request):
    if request.param == "wide correlated":
        # (conftest's `wide` is nearly noise-free: its LOO error falls all
        # the way to alpha -> 0.)
        return make_problem((40, 150), 1, seed=0)
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("scoring", [None, "r2"])
def test_matches_sklearn(dataset, weighted, scoring):
    X, y = dataset
    alphas = grid_for(X, 12)
    sample_weight = (
        np.random.default_rng(9).uniform(0.2, 3.0, X.shape[0]) if weighted else None
    )
    params = {"alphas": alphas, "scoring": scoring, "store_cv_results": True}
    ours = RidgeCV(**params).fit(X, y, sample_weight=sample_weight)
    theirs = sklm.RidgeCV(**params).fit(X, y, sample_weight=sample_weight)

    assert ours.alpha_ == theirs.alpha_
    # The grid brackets the best alpha: the choice is a real one.
    assert alphas[0] < ours.alpha_ < alphas[-1]
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-10)
    assert_close(ours.coef_, theirs.coef_)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=RTOL)
    assert ours.cv_results_.shape == theirs.cv_results_.shape
    assert_close(ours.cv_results_, theirs.cv_results_)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_matches_sklearn(fit_intercept):
    X, y = make_problem((120, 30), 1, seed=10)
    Xs = sp.random(120, 30, density=0.3, format="csr", random_state=11)
    Xs.data *= 3.0
    y = Xs @ np.linspace(-2, 2, 30) + y
    sample_weight = np.random.default_rng(12).uniform(0.2, 3.0, 120)
    for rows in [slice(None), slice(0, 25)]:  # n > p and n <= p
        X_part, y_part, s_part = Xs[rows], y[rows], sample_weight[rows]
        params = {"alphas": grid_for(X_part.toarray(), 8), "store_cv_results": True,
                  "fit_intercept": fit_intercept}
        ours = RidgeCV(**params).fit(X_part, y_part, sample_weight=s_part)
        theirs = sklm.RidgeCV(**params).fit(X_part, y_part, sample_weight=s_part)
        assert ours.alpha_ == theirs.alpha_
        assert_close(ours.coef_, theirs.coef_)
        assert_close(ours.cv_results_, theirs.cv_results_)


@pytest.mark.parametrize("y_shape", ["1d", "column", "3 targets"])
@pytest.mark.parametrize("alpha_per_target", [False, True])
@pytest.mark.parametrize("scoring", [None, "neg_mean_absolute_error"])
def test_target_shapes_and_alpha_per_target_match_sklearn(
    diabetes, y_shape, alpha_per_target, scoring
):
    X, y = diabetes
    rng = np.random.default_rng(13)
    Y = {
        "1d": y,
        "column": y[:, None],
        "3 targets": np.column_stack([y, np.sqrt(y), rng.standard_normal(len(y))]),
    }[y_shape]
    params = {"alphas": grid_for(X, 10), "alpha_per_target": alpha_per_target,
              "scoring": scoring, "store_cv_results": True}
    ours = RidgeCV(**params).fit(X, Y)
    if y_shape == "1d" and scoring is not None and alpha_per_target:
        # scikit-learn 1.9 raises IndexError on this combination; with one
        # target, one alpha per target is the same as one shared alpha.
        params["alpha_per_target"] = False
    theirs = sklm.RidgeCV(**params).fit(X, Y)
    for name in ["alpha_", "best_score_", "coef_", "intercept_", "cv_results_"]:
        assert np.shape(getattr(ours, name)) == np.shape(getattr(theirs, name)), name
    np.testing.assert_array_equal(ours.alpha_, theirs.alpha_)
    np.testing.assert_allclose(ours.best_score_, theirs.best_score_, rtol=1e-10)
    assert_close(ours.coef_, theirs.coef_)
    assert_close(ours.cv_results_, theirs.cv_results_)


def test_alpha_per_target_picks_each_targets_own_alpha(tall):
    # A noise-free target wants the smallest alpha, pure noise the largest.
    X, y = tall
    rng = np.random.default_rng(14)
    Y = np.column_stack([X @ rng.standard_normal(X.shape[1]), y,
                         rng.standard_normal(X.shape[0])])
    alphas = grid_for(X, 8)
    joint = RidgeCV(alphas=alphas, alpha_per_target=True).fit(X, Y)
    assert joint.alpha_[0] == alphas[0]
    assert joint.alpha_[2] >= 1e4 * alphas[0]
    for j in range(3):
        alone = RidgeCV(alphas=alphas).fit(X, Y[:, j])
        assert joint.alpha_[j] == alone.alpha_
        assert joint.best_score_[j] == pytest.approx(alone.best_score_, rel=1e-12)
        assert_close(joint.coef_[j], alone.coef_)
        assert joint.intercept_[j] == pytest.approx(alone.intercept_, rel=1e-10)
    shared = RidgeCV(alphas=alphas).fit(X, Y)
    assert np.ndim(shared.alpha_) == 0 and np.ndim(shared.best_score_) == 0


@pytest.mark.parametrize("cv", [5, KFold(4, shuffle=True, random_state=0)],
                         ids=["cv=5", "shuffled KFold"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error"])
def test_grid_search_path_matches_sklearn(diabetes, cv, weighted, scoring):
    X, y = diabetes
    sample_weight = (
        np.random.default_rng(15).uniform(0.2, 3.0, X.shape[0]) if weighted else None
    )
    params = {"alphas": np.logspace(-4, 1, 12), "cv": cv, "scoring": scoring}
    ours = RidgeCV(**params).fit(X, y, sample_weight=sample_weight)
    theirs = sklm.RidgeCV(**params).fit(X, y, sample_weight=sample_weight)
    assert ours.alpha_ == theirs.alpha_
    assert params["alphas"][0] < ours.alpha_ < params["alphas"][-1]
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-10)
    assert_close(ours.coef_, theirs.coef_)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=RTOL)
    assert not hasattr(ours, "cv_results_")


def test_gcv_modes_agree():
    for shape in [(50, 6), (20, 45)]:
        X, y = make_problem(shape, 2, seed=16)
        sample_weight = np.random.default_rng(17).uniform(0.2, 3.0, shape[0])
        alphas = grid_for(X, 7)
        results = {}
        for mode in [None, "auto", "svd", "eigen"]:
            model = RidgeCV(alphas=alphas, gcv_mode=mode, store_cv_results=True)
            results[mode] = model.fit(X, y, sample_weight=sample_weight)
        for mode in ["auto", "svd", "eigen"]:
            assert results[mode].alpha_ == results[None].alpha_
            assert_close(results[mode].cv_results_, results[None].cv_results_)
            assert_close(results[mode].coef_, results[None].coef_)


def test_scoring_callable_rates_the_loo_predictions(diabetes):
    X, y = diabetes
    alphas = grid_for(X, 5)
    sample_weight = np.random.default_rng(18).uniform(0.2, 3.0, X.shape[0])
    seen = []

    def scorer(estimator, predictions, y_true, sample_weight=None):
        seen.append(sample_weight)
        return r2_score(y_true, estimator.predict(predictions),
                        sample_weight=sample_weight)

    model = RidgeCV(alphas=alphas, scoring=scorer, store_cv_results=True)
    model.fit(X, y, sample_weight=sample_weight)
    named = RidgeCV(alphas=alphas, scoring="r2").fit(X, y, sample_weight=sample_weight)
    assert len(seen) == len(alphas)
    assert all(weights is not None for weights in seen)
    expected = explicit_loo(X, y, alphas, sample_weight)[:, 0]
    assert_close(model.cv_results_, expected)
    scores = [r2_score(y, expected[:, a], sample_weight=sample_weight)
              for a in range(len(alphas))]
    assert model.best_score_ == pytest.approx(max(scores), rel=1e-10)
    assert model.alpha_ == alphas[int(np.argmax(scores))] == named.alpha_


def test_float32_input(diabetes):
    X, y = diabetes
    m64 = RidgeCV(alphas=grid_for(X, 6)).fit(X, y)
    m32 = RidgeCV(alphas=grid_for(X, 6)).fit(X.astype(np.float32), y.astype(np.float32))
    assert m32.coef_.dtype == np.float32
    assert m32.predict(X.astype(np.float32)).dtype == np.float32
    assert m32.alpha_ == m64.alpha_
    np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=1e-4,
                               atol=1e-5 * np.abs(m64.coef_).max())


def test_scalar_sample_weight_is_a_constant_weight(diabetes):
    # As in scikit-learn: the scalar weights the fit and the errors
    # s_i e_i^2, like an array of that value.
    X, y = diabetes
    alphas = grid_for(X, 6)
    scalar = RidgeCV(alphas=alphas, store_cv_results=True).fit(X, y, sample_weight=2.0)
    array = RidgeCV(alphas=alphas, store_cv_results=True).fit(
        X, y, sample_weight=np.full(len(y), 2.0)
    )
    theirs = sklm.RidgeCV(alphas=alphas, store_cv_results=True).fit(
        X, y, sample_weight=2.0
    )
    unweighted = RidgeCV(alphas=alphas, store_cv_results=True).fit(X, y)
    for other in (array, theirs):
        assert scalar.alpha_ == other.alpha_
        assert scalar.best_score_ == pytest.approx(other.best_score_, rel=1e-10)
        assert_close(scalar.cv_results_, other.cv_results_)
    assert not np.allclose(scalar.cv_results_, unweighted.cv_results_, rtol=0.1)


def test_metadata_routing(diabetes):
    X, y = diabetes
    groups = np.arange(len(y)) % 6
    sample_weight = np.random.default_rng(19).uniform(0.2, 3.0, len(y))
    alphas = np.logspace(-4, 1, 8)
    with pytest.raises(ValueError, match="enable_metadata_routing"):
        RidgeCV(alphas=alphas, cv=GroupKFold(3)).fit(X, y, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        for cv in [GroupKFold(3), None]:
            scorer = get_scorer("r2").set_score_request(sample_weight=True)
            params = {"alphas": alphas, "cv": cv, "scoring": scorer}
            extra = {"groups": groups} if cv is not None else {}
            ours = RidgeCV(**params).fit(X, y, sample_weight=sample_weight, **extra)
            theirs = sklm.RidgeCV(**params).fit(X, y, sample_weight=sample_weight,
                                                **extra)
            assert ours.alpha_ == theirs.alpha_
            assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-10)
            assert_close(ours.coef_, theirs.coef_)



@pytest.mark.parametrize("routing", [False, True])
@pytest.mark.parametrize("cv", [5, GroupKFold(3)])
def test_grid_search_routes_sample_weight_as_sklearn(diabetes, routing, cv):
    # With routing on and scoring=None, scikit-learn's grid search weighs the
    # fits and the default R^2 scorer; with it off, only the fits. Either
    # way the choice, the score and the refit are scikit-learn's.
    X, y = diabetes
    sample_weight = np.random.default_rng(23).uniform(0.1, 5.0, len(y))
    extra = {"groups": np.arange(len(y)) % 6} if not isinstance(cv, int) else {}
    if extra and not routing:
        pytest.skip("groups need metadata routing")
    alphas = np.logspace(-3, 2, 11)
    with sklearn.config_context(enable_metadata_routing=routing):
        ours = RidgeCV(alphas=alphas, cv=cv).fit(
            X, y, sample_weight=sample_weight, **extra
        )
        theirs = sklm.RidgeCV(alphas=alphas, cv=cv).fit(
            X, y, sample_weight=sample_weight, **extra
        )
        unweighted = RidgeCV(alphas=alphas, cv=cv).fit(X, y, **extra)
    assert ours.alpha_ == theirs.alpha_
    assert isinstance(ours.best_score_, float)
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-10)
    assert_close(ours.coef_, theirs.coef_)
    # The weights are used: the scores differ from the unweighted search's.
    assert abs(ours.best_score_ - unweighted.best_score_) > 1e-6

# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"alphas": [1.0, 0.0]}, ValueError, r"alphas\[1\] == 0.0, must be > 0"),
        ({"alphas": [-1.0, 2.0]}, ValueError, r"alphas\[0\] == -1.0, must be > 0"),
        ({"alphas": [1.0, np.nan]}, ValueError, r"alphas\[1\] == nan"),
        ({"alphas": -1.0}, InvalidParameterError, "'alphas' parameter"),
        ({"alphas": 0.0}, InvalidParameterError, "'alphas' parameter"),
        ({"alphas": []}, ValueError, "alphas is empty"),
        ({"alphas": [[1.0, 2.0]]}, ValueError, "1-D array-like"),
        ({"alphas": ["a"]}, TypeError, "alphas must be an instance of float, not str"),
        ({"gcv_mode": "cholesky"}, InvalidParameterError, "'gcv_mode' parameter"),
        ({"scoring": "not a scorer"}, InvalidParameterError, "'scoring' parameter"),
        ({"cv": 3, "store_cv_results": True}, ValueError,
         "cv!=None and store_cv_results=True are incompatible"),
        ({"cv": 3, "alpha_per_target": True}, ValueError,
         "cv!=None and alpha_per_target=True are incompatible"),
    ],
)
def test_bad_parameters(diabetes, params, error, match):
    X, y = diabetes
    with pytest.raises(error, match=match):
        RidgeCV(**params).fit(X, y)


def test_one_weighted_sample_cannot_be_left_out():
    X, y = make_problem((5, 3), 1, seed=20)
    with pytest.raises(ValueError, match="at least 2 samples with a positive weight"):
        RidgeCV().fit(X, y, sample_weight=[0.0, 0.0, 1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="1 sample"):
        RidgeCV().fit(X[:1], y[:1])
    # Without an intercept the model left with no data predicts 0.
    model = RidgeCV(fit_intercept=False, store_cv_results=True).fit(X[:1], y[:1])
    np.testing.assert_allclose(model.cv_results_, y[0] ** 2 * np.ones((1, 3)))


def test_bad_sample_weight(diabetes):
    X, y = diabetes
    with pytest.raises(ValueError, match="non-negative"):
        RidgeCV().fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError, match="shape"):
        RidgeCV().fit(X, y, sample_weight=np.ones(3))
