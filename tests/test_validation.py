"""Bad input is refused with a ValueError that names the problem; good input
is never modified."""

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

from l1l2 import ElasticNet, Lasso, Ridge

ESTIMATORS = {
    "lasso": lambda **kw: Lasso(alpha=0.1, **kw),
    "enet": lambda **kw: ElasticNet(alpha=0.1, l1_ratio=0.5, **kw),
    "ridge": lambda **kw: Ridge(alpha=1.0, **kw),
}
NAMES = list(ESTIMATORS)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 5))
    y = X @ np.array([1.0, -2.0, 0.0, 0.5, 3.0]) + rng.standard_normal(20)
    return X, y


def _with(array, index, value):
    array = np.array(array, dtype=np.float64)
    array[index] = value
    return array


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "value, message", [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")]
)
def test_non_finite_X(data, name, value, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        ESTIMATORS[name]().fit(_with(X, (3, 2), value), y)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "value, message", [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")]
)
def test_non_finite_y(data, name, value, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        ESTIMATORS[name]().fit(X, _with(y, 7, value))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value, message", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_X_at_predict(data, name, value, message):
    X, y = data
    model = ESTIMATORS[name]().fit(X, y)
    with pytest.raises(ValueError, match=message):
        model.predict(_with(X, (0, 0), value))


@pytest.mark.parametrize("name", NAMES)
def test_non_finite_multi_target_y(data, name):
    X, y = data
    Y = np.column_stack([y, y])
    with pytest.raises(ValueError, match="NaN"):
        ESTIMATORS[name]().fit(X, _with(Y, (4, 1), np.nan))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n_y", [19, 21])
def test_mismatched_lengths(data, name, n_y):
    X, y = data
    y = np.resize(y, n_y)
    with pytest.raises(ValueError, match=r"(?i)inconsistent numbers of samples"):
        ESTIMATORS[name]().fit(X, y)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n_features", [4, 6])
def test_wrong_number_of_features_at_predict(data, name, n_features):
    X, y = data
    model = ESTIMATORS[name]().fit(X, y)
    X_new = np.ones((3, n_features))
    with pytest.raises(ValueError, match=rf"(?i){n_features} features.*expect"):
        model.predict(X_new)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("alpha", [-1.0, -1e-12])
def test_negative_alpha(data, name, alpha):
    X, y = data
    model = ESTIMATORS[name]().set_params(alpha=alpha)
    with pytest.raises(ValueError, match="alpha"):
        model.fit(X, y)


def test_negative_alpha_in_array(data):
    X, y = data
    Y = np.column_stack([y, y])
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=np.array([1.0, -1.0])).fit(X, Y)


def test_alpha_array_of_wrong_length(data):
    X, y = data
    Y = np.column_stack([y, y])
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=np.array([1.0, 2.0, 3.0])).fit(X, Y)


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.0 + 1e-9, 2.0])
def test_l1_ratio_out_of_range(data, l1_ratio):
    X, y = data
    with pytest.raises(ValueError, match="l1_ratio"):
        ElasticNet(l1_ratio=l1_ratio).fit(X, y)


@pytest.mark.parametrize("name", NAMES)
def test_negative_sample_weight(data, name):
    X, y = data
    sample_weight = np.ones(len(y))
    sample_weight[5] = -0.5
    with pytest.raises(ValueError, match=r"(?i)negative") as info:
        ESTIMATORS[name]().fit(X, y, sample_weight=sample_weight)
    assert "sample_weight" in str(info.value) or "weight" in str(info.value).lower()


@pytest.mark.parametrize("name", NAMES)
def test_sample_weight_of_wrong_length(data, name):
    X, y = data
    with pytest.raises(ValueError, match="sample_weight"):
        ESTIMATORS[name]().fit(X, y, sample_weight=np.ones(len(y) - 1))


@pytest.mark.parametrize("name", NAMES)
def test_non_finite_sample_weight(data, name):
    X, y = data
    with pytest.raises(ValueError, match="NaN"):
        ESTIMATORS[name]().fit(X, y, sample_weight=_with(np.ones(len(y)), 2, np.nan))


@pytest.mark.parametrize("name", NAMES)
def test_empty_input(data, name):
    X, y = data
    with pytest.raises(ValueError, match=r"0 sample"):
        ESTIMATORS[name]().fit(X[:0], y[:0])
    with pytest.raises(ValueError, match=r"0 feature"):
        ESTIMATORS[name]().fit(X[:, :0], y)


@pytest.mark.parametrize(
    "model_class, param, value",
    [
        (Lasso, "selection", "sometimes"),
        (ElasticNet, "selection", "sometimes"),
        (Lasso, "max_iter", 0),
        (ElasticNet, "tol", -1.0),
        (Ridge, "solver", "lsqr-ish"),
        (Ridge, "tol", -1.0),
    ],
)
def test_invalid_parameters(data, model_class, param, value):
    # Valid values are remembered to skip their checks on later fits: a bad
    # value must still be refused after good ones were seen.
    X, y = data
    model_class().fit(X, y)
    with pytest.raises(InvalidParameterError, match=f"'{param}' parameter of"):
        model_class(**{param: value}).fit(X, y)


def test_ridge_positive_with_closed_form_solver(data):
    X, y = data
    with pytest.raises(ValueError, match="positive"):
        Ridge(positive=True, solver="cholesky").fit(X, y)


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
def test_gram_of_wrong_shape(data, model_class):
    X, y = data
    with pytest.raises(ValueError, match="Gram"):
        model_class(precompute=np.eye(X.shape[1] + 1), fit_intercept=False).fit(X, y)


# Just below the magnitude limit (about 4.7e151 for these 20 samples) the
# data are accepted. alpha, not scaled with them, is then far below the
# rounding of the gradients: the problem is least squares to working
# precision, i.e. scikit-learn's fit of the unscaled data at alpha / HUGE**2.
HUGE = 1e150
SKLEARN_TWINS = {
    "lasso": lambda alpha: sklm.Lasso(alpha=alpha, tol=1e-14, max_iter=1_000_000),
    "ridge": lambda alpha: sklm.Ridge(alpha=alpha),
}


@pytest.mark.parametrize("name", SKLEARN_TWINS)
def test_huge_values_give_an_optimal_fit(data, name, enet_kkt_violation,
                                         weighted_centering, enet_objective,
                                         intercept_violation):
    X, y = data
    X_huge, y_huge = X * HUGE, y * HUGE
    with warnings.catch_warnings():
        # The Lasso's duality gap certifies nothing when alpha is below
        # rounding (its dual point is scaled to ~0): it warns, and the
        # checks below are the optimality conditions themselves.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = ESTIMATORS[name]().fit(X_huge, y_huge)
    with warnings.catch_warnings():
        # scikit-learn advises Ridge for an L1 strength this close to 0.
        warnings.simplefilter("ignore", UserWarning)
        reference = SKLEARN_TWINS[name](model.alpha / HUGE**2).fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=0,
                               atol=1e-12 * np.abs(reference.coef_).max())
    assert model.intercept_ / HUGE == pytest.approx(reference.intercept_, rel=1e-12)
    # The Elastic-Net objective of conftest.enet_objective (Ridge's alpha is
    # n times the Elastic-Net's at l1_ratio=0), evaluated on the huge data.
    n_samples = X.shape[0]
    alpha, l1_ratio = ((model.alpha, 1.0) if name == "lasso"
                       else (model.alpha / n_samples, 0.0))
    X_c, y_c, _, _ = weighted_centering(X_huge, y_huge)
    gradient_scale = np.max(np.abs(X_c.T @ y_c)) / n_samples
    violation = enet_kkt_violation(X_huge, y_huge, model.coef_, model.intercept_,
                                   alpha, l1_ratio)
    assert violation.max() <= 1e-12 * gradient_scale
    ours = enet_objective(X_huge, y_huge, model.coef_, model.intercept_, alpha,
                          l1_ratio)
    theirs = enet_objective(X_huge, y_huge, reference.coef_,
                            reference.intercept_ * HUGE, alpha, l1_ratio)
    assert ours <= theirs * (1 + 1e-14)
    assert intercept_violation(X_huge, y_huge, model.coef_, model.intercept_) <= (
        1e-14 * np.abs(y_huge).max())


def test_huge_values_whose_gap_overflows_are_refused_by_name(data):
    # The Elastic-Net's dual has the conjugate of the L2 term, (x_j^T S r)^2
    # / (2 n alpha (1 - l1_ratio)): with alpha below rounding it overflows.
    # Without a finite gap the fit is not certified, and it says so.
    X, y = data
    with pytest.raises(ValueError, match="non-finite duality gaps.*Rescale"):
        ESTIMATORS["enet"]().fit(X * HUGE, y * HUGE)


# --- inputs are never modified ----------------------------------------------


FIT_CONFIGS = [
    ("lasso", {}),
    ("lasso", {"copy_X": False}),
    ("lasso", {"precompute": True}),
    ("enet", {"copy_X": False, "fit_intercept": True}),
    ("enet", {"positive": True, "selection": "random", "random_state": 0}),
    ("ridge", {"solver": "cholesky"}),
    ("ridge", {"solver": "svd", "copy_X": False}),
    ("ridge", {"solver": "cd", "copy_X": False}),
    ("ridge", {"solver": "auto", "positive": True}),
]


@pytest.mark.parametrize(
    "name, params", FIT_CONFIGS, ids=[f"{n}-{p}" for n, p in FIT_CONFIGS]
)
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("multi_target", [False, True])
def test_fit_does_not_modify_inputs(data, name, params, order, dtype, multi_target):
    X, y = data
    X = np.asarray(X, dtype=dtype, order=order)
    y = (
        np.column_stack([y, 2 * y + 1]).astype(dtype)
        if multi_target
        else y.astype(dtype)
    )
    sample_weight = np.linspace(0.5, 2.0, len(y)).astype(dtype)
    originals = [X.copy(order="K"), y.copy(), sample_weight.copy()]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ESTIMATORS[name](**params).fit(X, y, sample_weight=sample_weight)
        model.predict(X)

    for array, original in zip((X, y, sample_weight), originals, strict=True):
        np.testing.assert_array_equal(array, original, strict=True)
        assert array.flags.writeable
    assert X.flags.f_contiguous == (order == "F")
    assert np.any(model.coef_ != 0)


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
def test_fit_does_not_modify_gram(data, model_class):
    X, y = data
    gram = X.T @ X
    original = gram.copy()
    model_class(alpha=0.1, precompute=gram, fit_intercept=False).fit(X, y)
    np.testing.assert_array_equal(gram, original)


@pytest.mark.parametrize("name", NAMES)
def test_read_only_inputs_are_accepted(data, name):
    X, y = data
    X = np.asfortranarray(X)
    sample_weight = np.ones(len(y))
    for array in (X, y, sample_weight):
        array.setflags(write=False)
    model = ESTIMATORS[name]().fit(X, y, sample_weight=sample_weight)
    assert np.any(model.coef_ != 0)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", [np.nan, np.inf])
@pytest.mark.parametrize("target", ["X", "y"])
def test_plain_arrays_are_refused_in_scikit_learns_words(data, name, value, target):
    # Plain float arrays skip validate_data; a non-finite value must still
    # get its message, estimator name included, as a list input gets it
    # through validate_data.
    X, y = data
    if target == "X":
        X = _with(X, (3, 2), value)
    else:
        y = _with(y, 4, value)
    messages = []
    for X_in, y_in in ((X, y), (X.tolist(), y.tolist())):
        with pytest.raises(ValueError) as error:
            ESTIMATORS[name]().fit(X_in, y_in)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    assert f"Input {target} contains" in messages[0]


@pytest.mark.parametrize("name", NAMES)
def test_plain_arrays_record_what_validate_data_records(data, name):
    # The fast path for plain arrays sets n_features_in_ and drops the
    # feature names of an earlier DataFrame fit, as validate_data does.
    pd = pytest.importorskip("pandas")
    X, y = data
    model = ESTIMATORS[name]()
    model.fit(pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])]), y)
    assert list(model.feature_names_in_) == [f"f{j}" for j in range(X.shape[1])]
    model.fit(X[:, :4], y)
    assert model.n_features_in_ == 4
    assert not hasattr(model, "feature_names_in_")
    # The list becomes a C-ordered array, the column slice an F-ordered one:
    # the same fit up to the order of BLAS's sums.
    from_list = ESTIMATORS[name]().fit(X[:, :4].tolist(), y.tolist())
    np.testing.assert_allclose(model.coef_, from_list.coef_, rtol=1e-12)


# --- scikit-learn 1.9's behaviour (issue 22) ----------------------------------


def _weighted_centred_gram(X, sample_weight):
    """The Gram matrix a fit with these weights uses: X centred with the
    weighted means, rows times sqrt(weights rescaled to sum to n)."""
    weights = sample_weight * (len(sample_weight) / sample_weight.sum())
    X_c = X - np.average(X, axis=0, weights=weights)
    X_r = X_c * np.sqrt(weights)[:, np.newaxis]
    return X_c, X_r.T @ X_r


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
def test_wrong_gram_is_refused_in_scikit_learns_words(data, model_class):
    X, y = data
    X_c = X - X.mean(axis=0)
    garbage = np.random.default_rng(1).standard_normal(X.shape)
    wrong = garbage.T @ garbage
    with pytest.raises(ValueError, match=r"Gram matrix .*did not pass validation: "
                       r"its entry \(0, 0\) is"):
        model_class(alpha=0.1, precompute=wrong).fit(X_c, y)
    # Right diagonal, wrong superdiagonal: still refused.
    almost = X_c.T @ X_c
    almost[1, 2] = almost[2, 1] = almost[1, 2] + 0.1 * np.sqrt(almost[1, 1] *
                                                               almost[2, 2])
    with pytest.raises(ValueError, match=r"its entry \(1, 2\)"):
        model_class(alpha=0.1, precompute=almost).fit(X_c, y)
    # check_input=False trusts it, as scikit-learn does.
    model_class(alpha=0.1, precompute=almost).fit(np.asfortranarray(X_c), y,
                                                  check_input=False)


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
def test_gram_of_uncentred_X_is_recomputed_with_sklearns_warning(data, model_class):
    X, y = data
    X = X + 3.0
    computed = model_class(alpha=0.1, precompute=True, tol=1e-12).fit(X, y)
    with pytest.warns(UserWarning, match="Gram matrix was provided but X was "
                      "centered to fit intercept: recomputing Gram matrix."):
        given = model_class(alpha=0.1, precompute=X.T @ X, tol=1e-12).fit(X, y)
    np.testing.assert_allclose(given.coef_, computed.coef_, rtol=1e-10, atol=1e-12)
    # Without an intercept X^T X is the right matrix: used, no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model_class(alpha=0.1, precompute=X.T @ X, fit_intercept=False).fit(X, y)


def test_weighted_gram_is_the_gram_of_the_weighted_centred_X(data):
    X, y = data
    sample_weight = np.random.default_rng(2).lognormal(size=len(y))
    X_c, gram = _weighted_centred_gram(X, sample_weight)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        given = ElasticNet(alpha=0.01, precompute=gram, tol=1e-12).fit(
            X_c, y, sample_weight=sample_weight)
    plain = ElasticNet(alpha=0.01, tol=1e-12).fit(X, y, sample_weight=sample_weight)
    np.testing.assert_allclose(given.coef_, plain.coef_, rtol=1e-9, atol=1e-12)
    # The unweighted Gram of X_c is not the matrix of this weighted fit.
    with pytest.raises(ValueError, match="did not pass validation"):
        ElasticNet(alpha=0.01, precompute=X_c.T @ X_c).fit(
            X_c, y, sample_weight=sample_weight)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_alpha_zero_warns_in_scikit_learns_words(data):
    X, y = data
    with pytest.warns(UserWarning, match="With alpha=0, this algorithm does not "
                      "converge well. You are advised to use the "
                      "LinearRegression estimator"):
        Lasso(alpha=0.0, max_iter=5).fit(X, y)


def test_convergence_warning_in_scikit_learns_words_with_the_gap(data):
    X, y = data
    model = Lasso(alpha=1e-6, max_iter=1, tol=1e-14)
    with pytest.warns(ConvergenceWarning) as record:
        model.fit(X, y)
    message = str(record[0].message)
    assert message.startswith("Objective did not converge. You might want to "
                              "increase the number of iterations")
    assert f"Duality gap: {model.dual_gap_:.3e}" in message
    assert f"after {model.n_iter_} epochs" in message


@pytest.mark.parametrize("model_class", [Lasso, ElasticNet])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_check_input_false_gives_the_checked_fit(data, model_class, dtype):
    X, y = data
    X = np.asfortranarray(X, dtype=dtype)
    checked = model_class(alpha=0.1).fit(X, y)
    unchecked = model_class(alpha=0.1).fit(X, y, check_input=False)
    np.testing.assert_array_equal(unchecked.coef_, checked.coef_)
    assert unchecked.intercept_ == checked.intercept_
    assert unchecked.coef_.dtype == dtype
    assert unchecked.n_features_in_ == X.shape[1]


def test_check_input_false_refuses_what_the_kernel_cannot_take(data):
    X, y = data
    with pytest.raises(ValueError, match="Fortran order"):
        Lasso().fit(np.ascontiguousarray(X), y, check_input=False)
    with pytest.raises(ValueError, match="float32 or float64"):
        Lasso().fit(np.asfortranarray(X.astype(int)), y, check_input=False)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        Lasso().fit(np.asfortranarray(X), y[:-1], check_input=False)


def test_check_input_false_with_weights_takes_any_order(data):
    # As in scikit-learn, whose weighted fit rescales (so copies) X.
    X, y = data
    sample_weight = np.linspace(0.5, 2.0, len(y))
    original = sample_weight.copy()
    checked = ElasticNet(alpha=0.1).fit(X, y, sample_weight=sample_weight)
    unchecked = ElasticNet(alpha=0.1).fit(np.ascontiguousarray(X), y,
                                          sample_weight=sample_weight,
                                          check_input=False)
    # Up to the order of BLAS's sums (the two fits see X in two orders).
    np.testing.assert_allclose(unchecked.coef_, checked.coef_, rtol=1e-12)
    np.testing.assert_array_equal(sample_weight, original)


@pytest.mark.parametrize("copy_X", [True, False])
def test_copy_X_false_without_input_check_centres_X_in_place(data, copy_X):
    X, y = data
    X_in = np.asfortranarray(X + 2.0)
    original = X_in.copy()
    reference = ElasticNet(alpha=0.1).fit(original, y)
    model = ElasticNet(alpha=0.1, copy_X=copy_X).fit(X_in, y, check_input=False)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=1e-12, atol=1e-14)
    assert model.intercept_ == pytest.approx(reference.intercept_, rel=1e-12)
    expected = original if copy_X else original - original.mean(axis=0)
    np.testing.assert_allclose(X_in, expected, rtol=0, atol=1e-14)
    # With the input check X is never written to.
    X_checked = np.asfortranarray(X + 2.0)
    ElasticNet(alpha=0.1, copy_X=False).fit(X_checked, y)
    np.testing.assert_array_equal(X_checked, original)


def test_values_too_large_quote_scikit_learns_error(data):
    X, y = data
    with pytest.raises(ValueError, match="X has values as large as .*Coordinate "
                       "descent iterations resulted in non-finite parameter values"):
        ElasticNet().fit(X * 1e300, y)
    with pytest.raises(ValueError, match="too large") as error:
        Ridge().fit(X * 1e300, y)
    assert "Coordinate descent" not in str(error.value)


@pytest.mark.parametrize("name", NAMES)
def test_two_dimensional_sample_weight_in_scikit_learns_words(data, name):
    X, y = data
    with pytest.raises(ValueError, match="Sample weights must be 1D array or "
                       r"scalar, got 2D array: sample_weight has shape \(20, 1\)"):
        ESTIMATORS[name]().fit(X, y, sample_weight=np.ones((len(y), 1)))
