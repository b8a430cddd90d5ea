"""Lasso and ElasticNet against scikit-learn, and their invariances.

scikit-learn is the reference: it solves the same objective (written out in
conftest.py and docs/architecture.md), so our solution must be at least as
good as its solution at a tighter tolerance, and close to it. Every tolerance
below is derived from the duality gap the estimator reports (see the helpers
in conftest.py), so a solver whose gap is dishonest fails here even if its
objective looks fine.
"""

import re
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import ElasticNet, Lasso

OUR_TOL = 1e-10
OUR_MAX_ITER = 100_000
SKLEARN_TOL = 1e-12
ALPHA_DIVISORS = [2, 10, 100]
# (name, l1_ratio): Lasso, and ElasticNet at two mixes.
MODELS = [("lasso", 1.0), ("enet-0.5", 0.5), ("enet-0.9", 0.9)]
MODEL_IDS = [name for name, _ in MODELS]


def make_ours(l1_ratio, **params):
    if l1_ratio == 1.0:
        return Lasso(**params)
    return ElasticNet(l1_ratio=l1_ratio, **params)


def make_sklearn(l1_ratio, **params):
    params = {"tol": SKLEARN_TOL, "max_iter": 1_000_000, **params}
    if l1_ratio == 1.0:
        return sklm.Lasso(**params)
    return sklm.ElasticNet(l1_ratio=l1_ratio, **params)


def fit_sklearn(l1_ratio, X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        # At tol=1e-12 scikit-learn may stop a hair above its tolerance; its
        # solution is still a valid (upper) reference for the objective.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return make_sklearn(l1_ratio, **params).fit(X, y, sample_weight=sample_weight)


def allowed_gap(model, y, sample_weight=None):
    """The gap ``fit`` promises: tol * ||y - mean(y)||_S^2 / n."""
    y = np.asarray(y, dtype=np.float64)
    n_samples = y.shape[0]
    s = (
        np.ones(n_samples)
        if sample_weight is None
        else np.asarray(sample_weight, dtype=np.float64)
        * (n_samples / np.sum(sample_weight))
    )
    if model.fit_intercept:
        y = y - s @ y / s.sum()
    return model.tol * float(s @ y**2) / n_samples


_FITS = {}


def comparison(request, dataset, model_name, l1_ratio, divisor, fit_intercept):
    """Fit ours and scikit-learn once per configuration (shared by 3 tests)."""
    key = (dataset, model_name, divisor, fit_intercept)
    if key not in _FITS:
        X, y = request.getfixturevalue(dataset)
        alpha_max = request.getfixturevalue("enet_alpha_max")
        alpha = alpha_max(X, y, l1_ratio, fit_intercept) / divisor
        params = {"alpha": alpha, "fit_intercept": fit_intercept}
        ours = make_ours(l1_ratio, tol=OUR_TOL, max_iter=OUR_MAX_ITER, **params)
        ours.fit(X, y)
        theirs = fit_sklearn(l1_ratio, X, y, **params)
        _FITS[key] = (X, y, alpha, ours, theirs)
    return _FITS[key]


GRID = pytest.mark.parametrize(
    "dataset, model_name, l1_ratio, divisor, fit_intercept",
    [
        (dataset, name, l1_ratio, divisor, fit_intercept)
        for dataset in ["diabetes", "wide"]
        for name, l1_ratio in MODELS
        for divisor in ALPHA_DIVISORS
        for fit_intercept in [True, False]
    ],
)


@GRID
def test_objective_at_most_sklearn(
    request, dataset, model_name, l1_ratio, divisor, fit_intercept, enet_objective
):
    X, y, alpha, ours, theirs = comparison(
        request, dataset, model_name, l1_ratio, divisor, fit_intercept
    )
    ours_value = enet_objective(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio)
    their_value = enet_objective(X, y, theirs.coef_, theirs.intercept_, alpha, l1_ratio)
    assert ours_value <= their_value * (1 + 1e-6)
    # The reported gap certifies the distance to the optimum, which is below
    # scikit-learn's value.
    assert ours.dual_gap_ <= allowed_gap(ours, y)
    assert ours_value - their_value <= max(ours.dual_gap_, 0.0) + 1e-13 * their_value


@GRID
def test_coef_close_to_sklearn(
    request,
    dataset,
    model_name,
    l1_ratio,
    divisor,
    fit_intercept,
    certified_coef_distance,
):
    X, y, alpha, ours, theirs = comparison(
        request, dataset, model_name, l1_ratio, divisor, fit_intercept
    )
    distance, bound = certified_coef_distance(
        X, y, ours, theirs, alpha, l1_ratio, fit_intercept=fit_intercept
    )
    scale = np.max(np.abs(theirs.coef_))
    # At tol=1e-10 the Lasso solutions agree to ~1e-8 relative; the
    # Elastic-Net ones only as far as the gap allows (~1e-4 at alpha_max/100).
    assert distance <= max(bound, 1e-6 * scale)
    if l1_ratio == 1.0:
        np.testing.assert_allclose(
            ours.coef_, theirs.coef_, rtol=1e-6, atol=1e-6 * scale
        )
    # Same support, up to coefficients that are zero within the bound.
    differ = (ours.coef_ != 0) != (theirs.coef_ != 0)
    assert np.all(np.abs(ours.coef_[differ] - theirs.coef_[differ]) <= bound)
    if fit_intercept:
        # b = mean(y) - mean(X) . w, so it moves with w.
        intercept_bound = max(bound, 1e-6 * scale) * np.linalg.norm(X.mean(axis=0))
        assert abs(ours.intercept_ - theirs.intercept_) <= (
            intercept_bound + 1e-10 * max(abs(theirs.intercept_), scale)
        )
    else:
        assert ours.intercept_ == 0.0


@GRID
def test_kkt_conditions(
    request,
    dataset,
    model_name,
    l1_ratio,
    divisor,
    fit_intercept,
    enet_kkt_violation,
    enet_kkt_bound,
    gap_rounding_slack,
    intercept_violation,
):
    X, y, alpha, ours, _ = comparison(
        request, dataset, model_name, l1_ratio, divisor, fit_intercept
    )
    assert ours.dual_gap_ <= allowed_gap(ours, y)
    violation = enet_kkt_violation(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio)
    gap = max(ours.dual_gap_, 0.0) + gap_rounding_slack(y, fit_intercept=fit_intercept)
    bound = enet_kkt_bound(
        X, ours.coef_, alpha, l1_ratio, gap, fit_intercept=fit_intercept
    )
    assert np.all(violation <= bound + 1e-12 * alpha)
    # The gap is small enough for this to mean something: every condition
    # holds to a small fraction of alpha (except for tiny coefficients).
    assert np.median(violation) <= 1e-3 * alpha
    if fit_intercept:
        assert intercept_violation(X, y, ours.coef_, ours.intercept_) <= 1e-10 * (
            np.abs(y).max()
        )


@pytest.mark.parametrize("dataset", ["diabetes", "wide"])
@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
def test_no_feature_enters_above_alpha_max(
    request, dataset, model_name, l1_ratio, enet_alpha_max
):
    X, y = request.getfixturevalue(dataset)
    alpha_max = enet_alpha_max(X, y, l1_ratio)
    above = make_ours(l1_ratio, alpha=alpha_max * (1 + 1e-6)).fit(X, y)
    assert np.all(above.coef_ == 0.0)
    assert above.intercept_ == pytest.approx(np.mean(y), rel=1e-12)
    below = make_ours(l1_ratio, alpha=alpha_max * 0.999, tol=1e-10).fit(X, y)
    assert np.count_nonzero(below.coef_) == 1


@pytest.mark.parametrize("dataset", ["diabetes", "wide"])
@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("divisor", [10, 100])
def test_positive_matches_sklearn(
    request,
    dataset,
    model_name,
    l1_ratio,
    divisor,
    enet_alpha_max,
    enet_objective,
    enet_kkt_violation,
    enet_kkt_bound,
    gap_rounding_slack,
    certified_coef_distance,
):
    X, y = request.getfixturevalue(dataset)
    alpha = enet_alpha_max(X, y, l1_ratio) / divisor
    params = {"alpha": alpha, "tol": OUR_TOL, "max_iter": OUR_MAX_ITER}
    ours = make_ours(l1_ratio, positive=True, **params).fit(X, y)
    theirs = fit_sklearn(l1_ratio, X, y, alpha=alpha, positive=True)
    unconstrained = make_ours(l1_ratio, **params).fit(X, y)

    assert np.all(ours.coef_ >= 0.0)
    assert np.any(unconstrained.coef_ < 0.0)  # the constraint matters
    ours_value = enet_objective(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio)
    their_value = enet_objective(X, y, theirs.coef_, theirs.intercept_, alpha, l1_ratio)
    assert ours_value <= their_value * (1 + 1e-6)
    distance, bound = certified_coef_distance(X, y, ours, theirs, alpha, l1_ratio)
    assert distance <= max(bound, 1e-6 * np.max(np.abs(theirs.coef_)))
    assert ours.dual_gap_ <= allowed_gap(ours, y)
    gap = max(ours.dual_gap_, 0.0) + gap_rounding_slack(y)
    violation = enet_kkt_violation(
        X, y, ours.coef_, ours.intercept_, alpha, l1_ratio, positive=True
    )
    assert np.all(violation <= enet_kkt_bound(X, ours.coef_, alpha, l1_ratio, gap))


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sample_weight_matches_sklearn(
    tall,
    model_name,
    l1_ratio,
    fit_intercept,
    enet_alpha_max,
    enet_objective,
    certified_coef_distance,
):
    X, y = tall
    rng = np.random.default_rng(0)
    sample_weight = rng.uniform(0.1, 3.0, X.shape[0])
    alpha = (
        enet_alpha_max(X, y, l1_ratio, fit_intercept, sample_weight=sample_weight) / 20
    )
    params = {"alpha": alpha, "fit_intercept": fit_intercept}
    ours = make_ours(l1_ratio, tol=OUR_TOL, max_iter=OUR_MAX_ITER, **params)
    ours.fit(X, y, sample_weight=sample_weight)
    theirs = fit_sklearn(l1_ratio, X, y, sample_weight=sample_weight, **params)
    unweighted = make_ours(l1_ratio, tol=OUR_TOL, max_iter=OUR_MAX_ITER, **params)
    unweighted.fit(X, y)

    values = [
        enet_objective(X, y, m.coef_, m.intercept_, alpha, l1_ratio, sample_weight)
        for m in (ours, theirs)
    ]
    assert values[0] <= values[1] * (1 + 1e-6)
    scale = np.max(np.abs(theirs.coef_))
    distance, bound = certified_coef_distance(
        X, y, ours, theirs, alpha, l1_ratio, sample_weight, fit_intercept
    )
    assert distance <= max(bound, 1e-6 * scale)
    x_mean = sample_weight @ X / sample_weight.sum()
    assert abs(ours.intercept_ - theirs.intercept_) <= max(
        bound, 1e-6 * scale
    ) * np.linalg.norm(x_mean) + 1e-10 * abs(theirs.intercept_)
    # The weights change the answer (so the test above could fail).
    assert np.max(np.abs(unweighted.coef_ - theirs.coef_)) > 1e-2 * scale
    assert ours.dual_gap_ <= allowed_gap(ours, y, sample_weight)


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_integer_weights_equal_repeated_rows(
    tall, model_name, l1_ratio, fit_intercept, enet_alpha_max, certified_coef_distance
):
    X, y = tall
    rng = np.random.default_rng(1)
    counts = rng.integers(0, 4, X.shape[0])  # zero weights drop rows
    alpha = enet_alpha_max(X, y, l1_ratio, fit_intercept) / 20
    params = {
        "alpha": alpha,
        "fit_intercept": fit_intercept,
        "tol": OUR_TOL,
        "max_iter": OUR_MAX_ITER,
    }
    weighted = make_ours(l1_ratio, **params).fit(X, y, sample_weight=counts)
    X_rep, y_rep = np.repeat(X, counts, axis=0), np.repeat(y, counts)
    repeated = make_ours(l1_ratio, **params).fit(X_rep, y_rep)
    # Both minimise the same function, so the gap of either certifies both.
    scale = np.max(np.abs(repeated.coef_))
    distance, bound = certified_coef_distance(
        X_rep, y_rep, repeated, weighted, alpha, l1_ratio, None, fit_intercept
    )
    assert distance <= max(bound, 1e-6 * scale)
    assert abs(weighted.intercept_ - repeated.intercept_) <= max(
        bound, 1e-6 * scale
    ) * np.linalg.norm(X_rep.mean(axis=0)) + 1e-10 * abs(repeated.intercept_)
    assert repeated.dual_gap_ <= allowed_gap(repeated, y_rep)
    assert weighted.dual_gap_ <= allowed_gap(weighted, y, counts)
    # Rescaling all weights changes nothing (they are normalised to sum n):
    # the same problem up to rounding, so the same certified distance.
    scaled = make_ours(l1_ratio, **params).fit(X, y, sample_weight=7.5 * counts)
    distance, bound = certified_coef_distance(
        X_rep, y_rep, repeated, scaled, alpha, l1_ratio, None, fit_intercept
    )
    assert distance <= max(bound, 1e-6 * scale)


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_multi_target_equals_per_column_fits(
    wide, model_name, l1_ratio, fit_intercept, enet_alpha_max
):
    X, y = wide
    rng = np.random.default_rng(2)
    Y = np.column_stack([y, -2.0 * y + 5.0, X[:, :3] @ [1.0, -1.0, 2.0] + y / 4])
    Y = Y + 0.1 * rng.standard_normal(Y.shape)
    alpha = enet_alpha_max(X, Y[:, 0], l1_ratio, fit_intercept) / 10
    params = {"alpha": alpha, "fit_intercept": fit_intercept, "tol": 1e-10}
    joint = make_ours(l1_ratio, **params).fit(X, Y)

    assert joint.coef_.shape == (3, X.shape[1])
    assert np.shape(joint.intercept_) == (3,)
    assert np.shape(joint.dual_gap_) == (3,)
    assert len(joint.n_iter_) == 3
    for k in range(3):
        single = make_ours(l1_ratio, **params).fit(X, Y[:, k])
        scale = np.max(np.abs(single.coef_))
        np.testing.assert_allclose(
            joint.coef_[k], single.coef_, rtol=1e-8, atol=1e-8 * scale
        )
        np.testing.assert_allclose(joint.intercept_[k], single.intercept_, rtol=1e-8)
    np.testing.assert_allclose(
        joint.predict(X), X @ joint.coef_.T + joint.intercept_, rtol=1e-12
    )


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
def test_single_column_target_shapes_match_sklearn(diabetes, model_name, l1_ratio):
    X, y = diabetes
    ours = make_ours(l1_ratio, alpha=0.1).fit(X, y[:, None])
    theirs = make_sklearn(l1_ratio, alpha=0.1, tol=1e-4, max_iter=1000)
    theirs.fit(X, y[:, None])
    assert ours.coef_.shape == theirs.coef_.shape
    assert np.shape(ours.intercept_) == np.shape(theirs.intercept_)
    assert ours.predict(X).shape == theirs.predict(X).shape


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
def test_warm_start(
    diabetes, model_name, l1_ratio, enet_alpha_max, certified_coef_distance
):
    X, y = diabetes
    alpha = enet_alpha_max(X, y, l1_ratio) / 100
    params = {"alpha": alpha, "tol": OUR_TOL, "max_iter": OUR_MAX_ITER}
    cold = make_ours(l1_ratio, **params).fit(X, y)
    warm = make_ours(l1_ratio, warm_start=True, **params).fit(X, y)
    first_iter = warm.n_iter_
    np.testing.assert_array_equal(warm.coef_, cold.coef_)  # same first fit
    warm.fit(X, y)  # refit from the solution: little left to do
    scale = np.max(np.abs(cold.coef_))
    distance, bound = certified_coef_distance(X, y, warm, cold, alpha, l1_ratio)
    assert distance <= max(bound, 1e-6 * scale)
    assert warm.n_iter_ < first_iter
    assert warm.n_iter_ < cold.n_iter_

    # Along a path: start at a larger alpha, then move to the target.
    path = make_ours(l1_ratio, warm_start=True, **params)
    path.set_params(alpha=2 * alpha).fit(X, y)
    path.set_params(alpha=alpha).fit(X, y)
    distance, bound = certified_coef_distance(X, y, path, cold, alpha, l1_ratio)
    assert distance <= max(bound, 1e-6 * scale)
    assert path.n_iter_ <= cold.n_iter_
    # Without warm_start, a refit starts from scratch.
    again = make_ours(l1_ratio, **params).fit(X, y)
    again.fit(X, y)
    assert again.n_iter_ == cold.n_iter_
    np.testing.assert_array_equal(again.coef_, cold.coef_)


@pytest.mark.parametrize("dataset", ["diabetes", "tall"])
@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_precompute_equals_no_precompute(
    request,
    dataset,
    model_name,
    l1_ratio,
    fit_intercept,
    weighted,
    enet_alpha_max,
    enet_objective,
    certified_coef_distance,
):
    X, y = request.getfixturevalue(dataset)
    sample_weight = (
        np.random.default_rng(3).uniform(0.2, 2.0, X.shape[0]) if weighted else None
    )
    alpha = enet_alpha_max(X, y, l1_ratio, fit_intercept, sample_weight) / 30
    params = {
        "alpha": alpha,
        "fit_intercept": fit_intercept,
        "tol": OUR_TOL,
        "max_iter": OUR_MAX_ITER,
    }
    plain = make_ours(l1_ratio, precompute=False, **params)
    plain.fit(X, y, sample_weight=sample_weight)
    gram = make_ours(l1_ratio, precompute=True, **params)
    gram.fit(X, y, sample_weight=sample_weight)

    scale = np.max(np.abs(plain.coef_))
    for model, other in [(gram, plain), (plain, gram)]:
        distance, bound = certified_coef_distance(
            X, y, model, other, alpha, l1_ratio, sample_weight, fit_intercept
        )
        assert distance <= max(bound, 1e-6 * scale)
        assert model.dual_gap_ <= allowed_gap(model, y, sample_weight)
    values = [
        enet_objective(X, y, m.coef_, m.intercept_, alpha, l1_ratio, sample_weight)
        for m in (gram, plain)
    ]
    assert values[0] == pytest.approx(values[1], rel=1e-8)


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_precomputed_gram_array(
    diabetes, model_name, l1_ratio, fit_intercept, enet_alpha_max
):
    X, y = diabetes
    alpha = enet_alpha_max(X, y, l1_ratio, fit_intercept) / 30
    params = {"alpha": alpha, "fit_intercept": fit_intercept, "tol": 1e-12}
    # (diabetes is small and well conditioned at this alpha: tol=1e-12 pins
    # the coefficients to ~1e-6.)
    X_used = X - X.mean(axis=0) if fit_intercept else X
    G = X_used.T @ X_used  # scikit-learn's convention: Gram of the centred X
    plain = make_ours(l1_ratio, **params).fit(X, y)
    with warnings.catch_warnings():
        # Recomputing the Gram matrix, with a warning, is allowed.
        warnings.simplefilter("ignore", UserWarning)
        given_gram = make_ours(l1_ratio, precompute=G, **params).fit(X, y)
    scale = np.max(np.abs(plain.coef_))
    np.testing.assert_allclose(given_gram.coef_, plain.coef_, rtol=0, atol=1e-6 * scale)
    np.testing.assert_allclose(
        given_gram.intercept_, plain.intercept_, rtol=1e-8, atol=1e-6 * scale
    )


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("precompute", [False, True])
def test_random_selection(
    wide, model_name, l1_ratio, precompute, enet_alpha_max, certified_coef_distance
):
    X, y = wide
    alpha = enet_alpha_max(X, y, l1_ratio) / 10
    params = {
        "alpha": alpha,
        "tol": OUR_TOL,
        "max_iter": OUR_MAX_ITER,
        "precompute": precompute,
    }
    cyclic = make_ours(l1_ratio, **params).fit(X, y)
    runs = [
        make_ours(l1_ratio, selection="random", random_state=seed, **params).fit(X, y)
        for seed in (0, 0, 1)
    ]
    from_instance = make_ours(
        l1_ratio, selection="random", random_state=np.random.RandomState(0), **params
    ).fit(X, y)

    scale = np.max(np.abs(cyclic.coef_))
    for run in runs + [from_instance]:
        assert run.dual_gap_ <= allowed_gap(run, y)
        distance, bound = certified_coef_distance(X, y, run, cyclic, alpha, l1_ratio)
        assert distance <= max(bound, 1e-6 * scale)
    # A fixed random_state reproduces the run exactly.
    np.testing.assert_array_equal(runs[0].coef_, runs[1].coef_)
    assert runs[0].n_iter_ == runs[1].n_iter_
    assert runs[0].dual_gap_ == runs[1].dual_gap_


@pytest.mark.parametrize("dataset", ["diabetes", "wide"])
@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
@pytest.mark.parametrize("divisor", [10, 100])
def test_float32_stays_float32_and_close_to_float64(
    request, dataset, model_name, l1_ratio, divisor, enet_alpha_max
):
    X, y = request.getfixturevalue(dataset)
    alpha = enet_alpha_max(X, y, l1_ratio) / divisor
    # float32 cannot certify a gap much below 1e-7 relative on every data
    # set; at that tol the fits agree to rounding (see below).
    m64 = make_ours(l1_ratio, alpha=alpha, tol=1e-10).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        m32 = make_ours(l1_ratio, alpha=alpha, tol=1e-7).fit(
            X.astype(np.float32), y.astype(np.float32)
        )
    assert m32.coef_.dtype == np.float32
    assert m32.predict(X.astype(np.float32)).dtype == np.float32
    scale = np.max(np.abs(m64.coef_))
    # Measured: coefficients within 3.3e-7 of scale, intercepts 1.3e-7.
    np.testing.assert_allclose(m32.coef_, m64.coef_, rtol=3e-6, atol=3e-6 * scale)
    np.testing.assert_allclose(
        m32.intercept_, m64.intercept_, rtol=1e-6, atol=1e-6 * scale
    )


def _numbers(text):
    return [float(x) for x in re.findall(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", text)]


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
def test_convergence_warning(wide, model_name, l1_ratio, enet_alpha_max):
    X, y = wide
    alpha = enet_alpha_max(X, y, l1_ratio) / 100
    model = make_ours(l1_ratio, alpha=alpha, max_iter=1, tol=1e-14)
    with pytest.warns(ConvergenceWarning) as record:
        model.fit(X, y)
    messages = [
        str(w.message) for w in record if issubclass(w.category, ConvergenceWarning)
    ]
    assert len(messages) == 1
    message = messages[0]
    assert re.search(r"duality gap", message, re.IGNORECASE)
    assert re.search(r"tol", message, re.IGNORECASE)
    # It reports the gap actually reached, which is above the tolerance.
    assert model.dual_gap_ > allowed_gap(model, y)
    assert any(
        np.isclose(value, model.dual_gap_, rtol=1e-2) for value in _numbers(message)
    )
    # And a converged fit raises no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        make_ours(l1_ratio, alpha=alpha).fit(X, y)


@pytest.mark.parametrize("divisor", ALPHA_DIVISORS)
def test_riboflavin_matches_sklearn(
    riboflavin,
    divisor,
    enet_alpha_max,
    enet_objective,
    enet_kkt_violation,
    enet_kkt_bound,
    gap_rounding_slack,
):
    X, y = riboflavin
    alpha = enet_alpha_max(X, y) / divisor
    ours = Lasso(alpha=alpha, tol=OUR_TOL, max_iter=100_000).fit(X, y)
    theirs = fit_sklearn(1.0, X, y, alpha=alpha)
    ours_value = enet_objective(X, y, ours.coef_, ours.intercept_, alpha, 1.0)
    their_value = enet_objective(X, y, theirs.coef_, theirs.intercept_, alpha, 1.0)
    assert ours_value <= their_value * (1 + 1e-6)
    assert ours.dual_gap_ <= allowed_gap(ours, y)
    gap = max(ours.dual_gap_, 0.0) + gap_rounding_slack(y)
    violation = enet_kkt_violation(X, y, ours.coef_, ours.intercept_, alpha, 1.0)
    assert np.all(violation <= enet_kkt_bound(X, ours.coef_, alpha, 1.0, gap))


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_matches_sklearn_lasso(
    diabetes,
    fit_intercept,
    enet_kkt_violation,
    enet_kkt_bound,
    gap_rounding_slack,
):
    # Lasso is ElasticNet at l1_ratio=1 (the same code): check it against
    # scikit-learn's Lasso and the optimality conditions instead.
    X, y = diabetes
    params = {"alpha": 0.05, "fit_intercept": fit_intercept}
    lasso = Lasso(tol=1e-10, **params).fit(X, y)
    theirs = fit_sklearn(1.0, X, y, **params)
    assert "l1_ratio" not in Lasso().get_params()
    assert 0 < np.count_nonzero(lasso.coef_) < X.shape[1]
    # Both are exact here: measured 1.1e-13 of scale, intercepts 1.9e-16.
    scale = np.max(np.abs(theirs.coef_))
    np.testing.assert_allclose(lasso.coef_, theirs.coef_, rtol=0, atol=1e-11 * scale)
    assert lasso.intercept_ == pytest.approx(theirs.intercept_, rel=1e-14)
    gap = max(lasso.dual_gap_, 0.0) + gap_rounding_slack(y, fit_intercept=fit_intercept)
    violation = enet_kkt_violation(X, y, lasso.coef_, lasso.intercept_, 0.05, 1.0)
    bound = enet_kkt_bound(X, lasso.coef_, 0.05, 1.0, gap, fit_intercept=fit_intercept)
    assert np.all(violation <= bound)


@pytest.mark.parametrize("model_name, l1_ratio", MODELS, ids=MODEL_IDS)
def test_fitted_attributes(diabetes, model_name, l1_ratio):
    X, y = diabetes
    model = make_ours(l1_ratio, alpha=0.5)
    assert not hasattr(model, "coef_")
    model.fit(X, y)
    assert model.n_features_in_ == X.shape[1]
    assert model.coef_.shape == (X.shape[1],)
    assert np.ndim(model.intercept_) == 0
    assert isinstance(model.n_iter_, (int, np.integer)) and model.n_iter_ >= 1
    assert np.ndim(model.dual_gap_) == 0
    assert sparse.issparse(model.sparse_coef_)
    dense = model.sparse_coef_.toarray()
    assert dense.shape == (1, X.shape[1])
    np.testing.assert_array_equal(dense.ravel(), model.coef_)
    assert model.sparse_coef_.nnz == np.count_nonzero(model.coef_)
    assert 0 < np.count_nonzero(model.coef_) < X.shape[1]
    np.testing.assert_allclose(
        model.predict(X), X @ model.coef_ + model.intercept_, rtol=1e-12
    )


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    n_samples=st.integers(2, 25),
    n_features=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
    fraction=st.floats(0.005, 1.5),
    l1_ratio=st.sampled_from([1.0, 0.9, 0.5, 0.1]),
    fit_intercept=st.booleans(),
    positive=st.booleans(),
    weighted=st.booleans(),
)
def test_random_problems_satisfy_optimality(
    n_samples,
    n_features,
    seed,
    fraction,
    l1_ratio,
    fit_intercept,
    positive,
    weighted,
    enet_alpha_max,
    enet_kkt_violation,
    enet_kkt_bound,
    gap_rounding_slack,
):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features)) * rng.uniform(0.1, 10, n_features)
    y = X @ rng.standard_normal(n_features) + rng.standard_normal(n_samples)
    sample_weight = rng.uniform(0.1, 2.0, n_samples) if weighted else None
    alpha_max = enet_alpha_max(X, y, l1_ratio, fit_intercept, sample_weight)
    alpha = max(alpha_max, 1e-3) * fraction
    model = make_ours(
        l1_ratio,
        alpha=alpha,
        fit_intercept=fit_intercept,
        positive=positive,
        tol=1e-8,
        max_iter=100_000,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(X, y, sample_weight=sample_weight)

    assert np.all(np.isfinite(model.coef_))
    if positive:
        assert np.all(model.coef_ >= 0)
    assert model.dual_gap_ <= allowed_gap(model, y, sample_weight) + 1e-300
    gap = max(model.dual_gap_, 0.0) + gap_rounding_slack(
        y, sample_weight, fit_intercept
    )
    violation = enet_kkt_violation(
        X, y, model.coef_, model.intercept_, alpha, l1_ratio, sample_weight, positive
    )
    bound = enet_kkt_bound(
        X, model.coef_, alpha, l1_ratio, gap, sample_weight, fit_intercept
    )
    assert np.all(violation <= bound + 1e-12 * alpha)
    if alpha >= alpha_max * (1 + 1e-9) and not positive:
        assert np.all(model.coef_ == 0.0)


@pytest.mark.parametrize("max_iter", [1, 2, 3])
def test_dual_gap_is_primal_minus_rescaled_residual_dual(max_iter):
    # dual_gap_ is on the estimator's own scale (the data term divided by
    # n_samples): at unconverged points, where the gap is far above
    # rounding, it equals P(w) - D(theta) with theta the residual scaled
    # into the dual constraint (scikit-learn's test_lasso_dual_gap checks
    # the same at a converged point, where both are rounding errors).
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 30))
    y = X[:, :5] @ rng.standard_normal(5) + 0.1 * rng.standard_normal(10)
    n_samples = len(y)
    alpha = 0.01 * np.max(np.abs(X.T @ y)) / n_samples
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = Lasso(alpha=alpha, fit_intercept=False, max_iter=max_iter,
                      tol=1e-12).fit(X, y)
    residual = y - X @ model.coef_
    primal = 0.5 * np.mean(residual**2) + alpha * np.abs(model.coef_).sum()
    residual /= max(1.0, np.max(np.abs(X.T @ residual)) / (n_samples * alpha))
    dual = 0.5 * (np.mean(y**2) - np.mean((y - residual) ** 2))
    assert model.dual_gap_ > 1e-3 * primal
    np.testing.assert_allclose(model.dual_gap_, primal - dual, rtol=1e-10)
