"""Hostile inputs, numerical extremes and concurrency (issue 7).

Whatever a user hands to an estimator, a path or the command line ends in
one of two ways: an exception whose type and message name the problem, or a
fit that is finite and optimal for the problem posed. Never a crash, a hang,
a silent NaN, a RuntimeWarning from numpy, or a modified input.

Sections: input validation; numerical robustness (checked against the
optimality conditions of ``optimality.Problem``, with the accuracy the
reported duality gap allows); no mutation and no needless copies;
concurrency, determinism and persistence.
"""

import pickle
import warnings
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pytest
from optimality import Problem, assert_optimal_on
from scipy import sparse
from sklearn import linear_model as sklm
from sklearn.exceptions import ConvergenceWarning

from l1l2 import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    RidgeCV,
    enet_path,
    lasso_path,
)

# Every entry point a user reaches with data: a callable fit(X, y, **kwargs).
FITTERS = {
    "Lasso": lambda X, y, **kw: Lasso(alpha=0.1).fit(X, y, **kw),
    "ElasticNet": lambda X, y, **kw: ElasticNet(alpha=0.1).fit(X, y, **kw),
    "Ridge": lambda X, y, **kw: Ridge(alpha=1.0).fit(X, y, **kw),
    "LassoCV": lambda X, y, **kw: LassoCV(cv=3, alphas=5).fit(X, y, **kw),
    "ElasticNetCV": lambda X, y, **kw: ElasticNetCV(
        cv=3, alphas=5, l1_ratio=[0.5, 1.0]).fit(X, y, **kw),
    "RidgeCV": lambda X, y, **kw: RidgeCV().fit(X, y, **kw),
    "enet_path": lambda X, y, **kw: enet_path(X, y, alphas=5, **kw),
    "lasso_path": lambda X, y, **kw: lasso_path(X, y, alphas=5, **kw),
}
ESTIMATORS = {
    "Lasso": lambda: Lasso(alpha=0.1),
    "ElasticNet": lambda: ElasticNet(alpha=0.1),
    "Ridge": lambda: Ridge(alpha=1.0),
    "LassoCV": lambda: LassoCV(cv=3, alphas=5),
    "ElasticNetCV": lambda: ElasticNetCV(cv=3, alphas=5, l1_ratio=[0.5, 1.0]),
    "RidgeCV": lambda: RidgeCV(),
}


def make_data(n_samples=30, n_features=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    coef = np.zeros(n_features)
    coef[:4] = [1.0, -2.0, 0.5, 3.0]
    y = X @ coef + 0.5 * rng.standard_normal(n_samples) + 2.0
    return X, y


def with_value(array, index, value):
    array = np.array(array, dtype=np.float64)
    array[index] = value
    return array


def silent_fit(model, X, y, **kwargs):
    """Fit with every RuntimeWarning (numpy's overflow, invalid value,
    division by zero) and ConvergenceWarning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        return model.fit(X, y, **kwargs)


# --- 1. input validation ---------------------------------------------------------


def _corrupt_indptr(X):
    bad = sparse.csr_matrix(X)
    bad.indptr[2] = 10**6  # scipy itself segfaulted converting this
    return bad


def _corrupt_indices(X):
    bad = sparse.csc_matrix(X)
    bad.indices[3] = 10**6
    return bad


def _negative_indices(X):
    bad = sparse.csc_matrix(X)
    bad.indices[3] = -5
    return bad


def _corrupt_coo(X):
    bad = sparse.coo_matrix(X)
    bad.row[0] = X.shape[0]
    return bad


def _nan_sparse(X):
    return sparse.csc_matrix(with_value(X, (2, 1), np.nan))


# name: (make (X, y, fit kwargs) from clean data, exception, message fragment)
BAD_INPUTS = {
    "nan-X": (lambda X, y: (with_value(X, (3, 2), np.nan), y, {}), ValueError, "NaN"),
    "inf-X": (lambda X, y: (with_value(X, (3, 2), np.inf), y, {}), ValueError,
              "infinity"),
    "nan-sparse-X": (lambda X, y: (_nan_sparse(X), y, {}), ValueError, "NaN"),
    "nan-y": (lambda X, y: (X, with_value(y, 4, np.nan), {}), ValueError, "NaN"),
    "inf-y": (lambda X, y: (X, with_value(y, 4, -np.inf), {}), ValueError, "infinity"),
    "nan-weight": (lambda X, y: (X, y, {"sample_weight": with_value(
        np.ones(len(y)), 1, np.nan)}), ValueError, "sample_weight contains NaN"),
    "inf-weight": (lambda X, y: (X, y, {"sample_weight": with_value(
        np.ones(len(y)), 1, np.inf)}), ValueError, "sample_weight contains NaN or inf"),
    "negative-weight": (lambda X, y: (X, y, {"sample_weight": with_value(
        np.ones(len(y)), 1, -0.5)}), ValueError, "sample_weight must be non-negative"),
    "zero-weights": (lambda X, y: (X, y, {"sample_weight": np.zeros(len(y))}),
                     ValueError, "sample_weight sums to zero"),
    "scalar-inf-weight": (lambda X, y: (X, y, {"sample_weight": np.inf}), ValueError,
                          "sample_weight must be positive and finite"),
    "scalar-zero-weight": (lambda X, y: (X, y, {"sample_weight": 0.0}), ValueError,
                           "sample_weight must be positive and finite"),
    "short-weight": (lambda X, y: (X, y, {"sample_weight": np.ones(len(y) - 1)}),
                     ValueError, r"sample_weight must have shape \(30,\)"),
    "string-weight": (lambda X, y: (X, y, {"sample_weight": np.full(len(y), "a")}),
                      ValueError, "sample_weight must be real numbers"),
    "complex-weight": (lambda X, y: (X, y, {"sample_weight": np.ones(len(y)) + 1j}),
                       ValueError, "sample_weight must be real numbers"),
    "sparse-weight": (lambda X, y: (X, y, {"sample_weight": sparse.csr_matrix(
        np.ones((1, len(y))))}), TypeError, "sample_weight must be a dense"),
    "no-rows": (lambda X, y: (X[:0], y[:0], {}), ValueError, r"0 sample\(s\)"),
    "no-columns": (lambda X, y: (X[:, :0], y, {}), ValueError, r"0 feature\(s\)"),
    "short-y": (lambda X, y: (X, y[:-1], {}), ValueError,
                "inconsistent numbers of samples"),
    "string-X": (lambda X, y: (np.full(X.shape, "abc"), y, {}), ValueError,
                 "could not convert string to float"),
    "object-X-with-None": (lambda X, y: (_object_with_none(X), y, {}), ValueError,
                           "NaN"),
    "string-y": (lambda X, y: (X, np.full(len(y), "abc"), {}), ValueError,
                 "could not convert string to float"),
    "complex-X": (lambda X, y: (X + 1j, y, {}), ValueError, "Complex data"),
    "complex-y": (lambda X, y: (X, y + 1j, {}), ValueError, "Complex data"),
    "complex-sparse-X": (lambda X, y: (sparse.csc_matrix(X + 1j), y, {}), ValueError,
                         "Complex data not supported"),
    "sparse-y": (lambda X, y: (X, sparse.csr_matrix(y[:, None]), {}), TypeError,
                 "y must be a dense array"),
    "3d-X": (lambda X, y: (X[:, :, None], y, {}), ValueError, "dim 3"),
    "corrupt-indptr": (lambda X, y: (_corrupt_indptr(X), y, {}), ValueError,
                       "Invalid sparse CSR matrix: indptr"),
    "corrupt-indices": (lambda X, y: (_corrupt_indices(X), y, {}), ValueError,
                        r"Invalid sparse CSC matrix: its indices must lie in "
                        r"\[0, 30\)"),
    "negative-indices": (lambda X, y: (_negative_indices(X), y, {}), ValueError,
                         "Invalid sparse CSC matrix: its indices"),
    "corrupt-coo": (lambda X, y: (_corrupt_coo(X), y, {}), ValueError,
                    "Invalid sparse COO matrix: row"),
}


def _object_with_none(X):
    values = X.astype(object)
    values[1, 1] = None
    return values


@pytest.mark.parametrize("case", BAD_INPUTS)
@pytest.mark.parametrize("fitter", FITTERS)
def test_bad_input_is_refused_by_name(fitter, case):
    make, error, message = BAD_INPUTS[case]
    X, y = make_data()
    X_bad, y_bad, kwargs = make(X, y)
    with pytest.raises(error, match=message):
        FITTERS[fitter](X_bad, y_bad, **kwargs)


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("as_sparse", [False, True])
def test_wrong_width_at_predict(name, as_sparse):
    X, y = make_data()
    model = ESTIMATORS[name]().fit(X, y)
    X_new = np.ones((4, X.shape[1] + 1))
    X_new = sparse.csr_matrix(X_new) if as_sparse else X_new
    with pytest.raises(ValueError, match="X has 7 features, but .* expecting 6"):
        model.predict(X_new)


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("corrupt", [_corrupt_indptr, _corrupt_indices, _corrupt_coo])
def test_corrupt_sparse_at_predict(name, corrupt):
    X, y = make_data()
    model = ESTIMATORS[name]().fit(X, y)
    with pytest.raises(ValueError, match="Invalid sparse"):
        model.predict(corrupt(X))


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("value, message", [(np.nan, "NaN"), (np.inf, "infinity"),
                                            ("abc", "could not convert")])
def test_bad_values_at_predict(name, value, message):
    X, y = make_data()
    model = ESTIMATORS[name]().fit(X, y)
    X_new = X[:3].astype(object)
    X_new[1, 2] = value
    with pytest.raises(ValueError, match=message):
        model.predict(X_new)


BAD_PARAMETERS = [
    (Lasso, {"alpha": -1.0}, "alpha"),
    (Lasso, {"alpha": np.nan}, "alpha"),
    (Lasso, {"max_iter": 0}, "max_iter"),
    (Lasso, {"tol": -1e-3}, "tol"),
    (Lasso, {"selection": "shuffled"}, "selection"),
    (ElasticNet, {"l1_ratio": 1.5}, "l1_ratio"),
    (ElasticNet, {"l1_ratio": np.nan}, "l1_ratio"),
    (Lasso, {"penalty_factor": [1.0, -1.0, 1, 1, 1, 1]}, "penalty_factor must be non"),
    (Lasso, {"penalty_factor": [1.0, np.nan, 1, 1, 1, 1]}, "penalty_factor contains"),
    (Lasso, {"penalty_factor": [1.0, 1.0]}, r"penalty_factor must be a scalar or"),
    (ElasticNet, {"penalty_factor": ["a"] * 6}, "could not convert"),
    (Lasso, {"lower_bounds": 0.5}, "lower_bounds must be <= 0"),
    (Lasso, {"upper_bounds": [1, 1, -1, 1, 1, 1]}, "upper_bounds must be >= 0"),
    (Lasso, {"lower_bounds": [np.nan] * 6}, "lower_bounds contains NaN"),
    (Lasso, {"upper_bounds": [1.0] * 5}, "upper_bounds must be a scalar or have shape"),
    (Lasso, {"precompute": np.eye(4), "fit_intercept": False}, "Gram matrix must have"),
    (Lasso, {"precompute": np.full((6, 6), np.nan), "fit_intercept": False},
     "Gram matrix passed in via 'precompute' did not pass validation: it "
     "contains NaN"),
    (Lasso, {"precompute": "always"}, "precompute"),
    (Ridge, {"alpha": -1.0}, "alpha"),
    (Ridge, {"solver": "newton"}, "solver"),
    (Ridge, {"max_iter": 0}, "max_iter"),
    (LassoCV, {"eps": 0.0}, "eps"),
    (LassoCV, {"eps": np.nan}, "eps"),
    (LassoCV, {"alphas": 0}, "alphas"),
    (LassoCV, {"alphas": [0.1, np.nan]}, "alphas must be finite"),
    (LassoCV, {"alphas": [-0.1]}, r"alphas\[0\] == -0.1, must be >= 0.0"),
    (LassoCV, {"alphas": []}, "alphas must be an int or a non-empty 1-D array"),
    (LassoCV, {"max_iter": -1}, "max_iter"),
    (LassoCV, {"tol": -1.0}, "tol"),
    (LassoCV, {"cv": 1}, "cv"),
    (LassoCV, {"selection": "x"}, "selection"),
    (LassoCV, {"selection_rule": "2se"}, "selection_rule"),
    (LassoCV, {"penalty_factor": [-1.0] * 6}, "penalty_factor must be non"),
    (LassoCV, {"lower_bounds": 1.0}, "lower_bounds must be <= 0"),
    (ElasticNetCV, {"l1_ratio": [0.5, 1.5]}, r"l1_ratio values must lie in \[0, 1"),
    (ElasticNetCV, {"l1_ratio": [0.5, np.nan]}, r"l1_ratio values must lie in \[0, 1"),
    (ElasticNetCV, {"l1_ratio": []}, "l1_ratio must be a float or a non-empty list"),
    (ElasticNetCV, {"l1_ratio": 0.0}, "not supported for l1_ratio=0"),
    (RidgeCV, {"alphas": [1.0, -1.0]}, r"alphas\[1\] == -1.0, must be > 0.0"),
    (RidgeCV, {"alphas": [np.nan]}, "alphas == nan, must be finite"),
    (RidgeCV, {"alphas": []}, "alphas is empty"),
    (RidgeCV, {"gcv_mode": "qr"}, "gcv_mode"),
]


@pytest.mark.parametrize(
    "model_class, params, message", BAD_PARAMETERS,
    ids=[f"{c.__name__}-{next(iter(p))}-{i}"
         for i, (c, p, _) in enumerate(BAD_PARAMETERS)],
)
def test_bad_parameter_is_refused_by_name(model_class, params, message):
    X, y = make_data()
    with pytest.raises(ValueError, match=message):
        model_class(**params).fit(X, y)


BAD_PATH_PARAMETERS = [
    ({"l1_ratio": -0.1}, "l1_ratio"),
    ({"l1_ratio": 1.5}, "l1_ratio"),
    ({"l1_ratio": np.nan}, "l1_ratio"),
    ({"l1_ratio": 0.0}, "not supported for l1_ratio=0"),
    ({"eps": 0.0}, "eps"),
    ({"eps": -1e-3}, "eps"),
    ({"eps": np.nan}, "eps"),
    ({"n_alphas": 0}, "n_alphas"),
    ({"n_alphas": 2.5}, "n_alphas"),
    ({"alphas": []}, "alphas must be a non-empty 1-D array"),
    ({"alphas": [[0.1, 0.2]]}, "alphas must be a non-empty 1-D array"),
    ({"alphas": [0.1, np.nan]}, "alphas must be finite"),
    ({"alphas": [-0.1]}, "alphas must be finite and non-negative"),
    ({"tol": -1.0}, "tol"),
    ({"tol": np.nan}, "tol"),
    ({"max_iter": 0}, "max_iter"),
    ({"selection": "shuffled"}, "selection"),
    ({"random_state": "seed"}, "random_state"),
    ({"fit_intercept": "yes"}, "fit_intercept"),
    ({"positive": "yes"}, "positive"),
    ({"precompute": "always"}, "precompute"),
    ({"precompute": np.eye(3)}, "Gram matrix must have shape"),
    ({"precompute": 2.0 * np.eye(6)},
     r"Gram matrix .* did not pass validation: its entry \(0, 0\) is 2.0"),
    ({"coef_init": [1.0, 2.0]}, "coef_init must have one value per feature"),
    ({"coef_init": [np.nan] * 6}, "coef_init contains NaN"),
    ({"penalty_factor": [1.0, -1, 1, 1, 1, 1]}, "penalty_factor must be non"),
    ({"lower_bounds": 0.1}, "lower_bounds must be <= 0"),
    ({"upper_bounds": [np.nan] * 6}, "upper_bounds contains NaN"),
    ({"unknown_option": 1}, r"Unexpected parameters in params: \['unknown_option'\]"),
]


@pytest.mark.parametrize(
    "params, message", BAD_PATH_PARAMETERS,
    ids=[f"{next(iter(p))}-{i}" for i, (p, _) in enumerate(BAD_PATH_PARAMETERS)],
)
def test_bad_path_parameter_is_refused_by_name(params, message):
    X, y = make_data()
    with pytest.raises(ValueError, match=message):
        enet_path(X, y, **params)


@pytest.mark.parametrize("y_rows", [10, 60])
def test_path_without_input_check_still_refuses_mismatched_lengths(y_rows):
    # check_input=False skips conversions, but a y longer than X made the
    # kernel read past the end of X.
    X, y = make_data()
    y = np.resize(y, y_rows)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        lasso_path(np.asfortranarray(X), y, check_input=False, alphas=3)


def test_path_without_input_check_refuses_integer_X():
    X, y = make_data()
    with pytest.raises(ValueError, match="check_input=False needs X as a float"):
        lasso_path(np.asfortranarray(np.round(X).astype(int)), y, check_input=False)


@pytest.mark.parametrize("fitter", FITTERS)
@pytest.mark.parametrize("scale", [1e200, 1e170])
@pytest.mark.parametrize("which", ["X", "y"])
def test_values_whose_squares_overflow_are_refused(fitter, scale, which):
    X, y = make_data()
    X, y = (X * scale, y) if which == "X" else (X, y * scale)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ValueError, match=f"{which} has values as large as .* too "
                                             "large for float64"):
            FITTERS[fitter](X, y)


@pytest.mark.parametrize("path", [lasso_path, enet_path])
@pytest.mark.parametrize("column, value, message", [
    (False, np.nan, "Input X contains NaN"),
    (False, np.inf, "Input X contains infinity"),
    (False, 2e151, "X has values as large as 2e\\+151"),  # above the limit
    (False, 1e151, None),  # below: the Gram diagonal vouches for it
    (True, 1e151, None),  # the diagonal exceeds the limit squared: X is read
])
def test_path_on_a_gram_matrix_checks_x_by_its_diagonal(path, column, value, message):
    # 400 x 5 without intercept: the path computes X^T X of X as given, and
    # checks X through its diagonal (the limit is about 1.05e151 here).
    X, y = make_data(400, 5)
    if column:
        X[:, 2] = value
    else:
        X[7, 2] = value
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        if message is None:
            path(X, y, alphas=3)
        else:
            with pytest.raises(ValueError, match=message):
                path(X, y, alphas=3)


def test_float32_values_whose_squares_overflow_are_refused():
    X, y = make_data()
    with pytest.raises(ValueError, match="too large for float32"):
        Lasso(alpha=1.0).fit((X * 1e18).astype(np.float32), y.astype(np.float32))


@pytest.mark.parametrize("fitter", FITTERS)
def test_index_arrays_of_mixed_types_and_strided_values_are_accepted(fitter):
    X, y = make_data()
    odd = sparse.csc_matrix(X)
    odd.indices = odd.indices.astype(np.int64)  # indptr stays int32
    odd.data = np.repeat(odd.data, 2)[::2]  # not contiguous
    expected = FITTERS[fitter](sparse.csc_matrix(X), y)
    result = FITTERS[fitter](odd, y)
    if isinstance(expected, tuple):
        np.testing.assert_allclose(result[1], expected[1], rtol=1e-10, atol=1e-12)
    else:
        np.testing.assert_allclose(result.coef_, expected.coef_, rtol=1e-10,
                                   atol=1e-12)


@pytest.mark.parametrize("fitter", FITTERS)
def test_int64_indices_are_accepted(fitter):
    X, y = make_data()
    wide = sparse.csc_matrix(X)
    wide.indices = wide.indices.astype(np.int64)
    wide.indptr = wide.indptr.astype(np.int64)
    expected = FITTERS[fitter](sparse.csc_matrix(X), y)
    result = FITTERS[fitter](wide, y)
    if isinstance(expected, tuple):
        np.testing.assert_allclose(result[1], expected[1], rtol=1e-10, atol=1e-12)
    else:
        np.testing.assert_allclose(result.coef_, expected.coef_, rtol=1e-10,
                                   atol=1e-12)


# --- sample weights at the edges of the float range ---------------------------


@pytest.mark.parametrize("name", ["Lasso", "ElasticNet", "LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize("scale", [1e308, 1e-310, 1e300])
def test_normalised_weights_of_any_scale(name, scale):
    # Their sum overflowed (ZeroDivisionError) or their normalisation did
    # (1e-310 * n / sum gave infinity): equal weights of any size are no
    # weights at all.
    X, y = make_data()
    weights = np.full(len(y), scale)
    weighted = silent_fit(ESTIMATORS[name](), X, y, sample_weight=weights)
    plain = silent_fit(ESTIMATORS[name](), X, y)
    np.testing.assert_allclose(weighted.coef_, plain.coef_, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_lasso_weights_too_large_for_float32_are_normalised_first(dtype):
    X, y = make_data()
    weights = np.linspace(1.0, 3.0, len(y))
    reference = Lasso(alpha=0.1, tol=1e-10).fit(X.astype(dtype), y.astype(dtype),
                                               sample_weight=weights)
    huge = Lasso(alpha=0.1, tol=1e-10).fit(X.astype(dtype), y.astype(dtype),
                                          sample_weight=weights * 1e300)
    np.testing.assert_allclose(huge.coef_, reference.coef_, rtol=1e-5)


@pytest.mark.parametrize("solver", ["cholesky", "svd", "cd"])
@pytest.mark.parametrize("weight", [2.0, 0.25])
def test_ridge_scalar_weight_scales_the_data_term_as_in_sklearn(solver, weight):
    # A scalar weight was dropped: Ridge(alpha) with sample_weight=c is
    # Ridge(alpha / c), as scikit-learn computes it.
    X, y = make_data()
    ours = Ridge(alpha=1.0, solver=solver, tol=1e-12).fit(X, y, sample_weight=weight)
    theirs = sklm.Ridge(alpha=1.0).fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-7)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-7)


@pytest.mark.parametrize("solver", ["cholesky", "svd", "cd"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ridge_huge_weights_with_alpha_scaled_alike_are_the_same_problem(solver,
                                                                        dtype):
    # sum_i c s_i r_i^2 + c alpha ||w||^2 is c times the problem with weights
    # s and alpha: the normal equations overflowed at c = 1e300.
    X, y = make_data()
    X, y = X.astype(dtype), y.astype(dtype)
    weights = np.linspace(0.5, 2.0, len(y))
    scale = 1e300
    huge = silent_fit(Ridge(alpha=3.0 * scale, solver=solver, tol=1e-10), X, y,
                      sample_weight=weights * scale)
    plain = silent_fit(Ridge(alpha=3.0, solver=solver, tol=1e-10), X, y,
                       sample_weight=weights)
    rtol = 1e-8 if dtype == np.float64 else 1e-4
    np.testing.assert_allclose(huge.coef_, plain.coef_, rtol=rtol)
    np.testing.assert_allclose(huge.intercept_, plain.intercept_, rtol=rtol)


@pytest.mark.parametrize("scoring", [None, "r2"])
def test_ridge_cv_huge_weights_choose_as_small_ones(scoring):
    # The leave-one-out errors overflowed and every coefficient came out 0.
    X, y = make_data()
    weights = np.linspace(0.5, 2.0, len(y))
    alphas = [0.01, 0.1, 1.0, 10.0]
    small = silent_fit(RidgeCV(alphas=alphas, scoring=scoring), X, y,
                       sample_weight=weights)
    huge = silent_fit(RidgeCV(alphas=np.array(alphas) * 1e300, scoring=scoring,
                              store_cv_results=True), X, y,
                      sample_weight=weights * 1e300)
    assert huge.alpha_ == small.alpha_ * 1e300
    np.testing.assert_allclose(huge.coef_, small.coef_, rtol=1e-8)
    if scoring is None:
        np.testing.assert_allclose(huge.best_score_, small.best_score_ * 1e300,
                                   rtol=1e-8)
        assert np.all(np.isfinite(huge.cv_results_))


# --- the command line ------------------------------------------------------------


def _write(path, text):
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "cell, message",
    [("inf", "empty, NaN or infinite cells"), ("1e400", "empty, NaN or infinite"),
     ("nan", "empty, NaN or infinite"), ("", "empty, NaN or infinite"),
     ("1+2j", "non-numeric columns"), ("abc", "non-numeric columns")],
)
def test_cli_fit_refuses_bad_cells(tmp_path, capsys, cell, message):
    from l1l2.__main__ import main

    X, y = make_data()
    rows = [",".join(f"{v:.6g}" for v in (*x, t)) for x, t in zip(X, y, strict=True)]
    rows[5] = ",".join([cell] + rows[5].split(",")[1:])
    data = _write(tmp_path / "data.csv", "\n".join(["a,b,c,d,e,f,t", *rows]) + "\n")
    status = main(["fit", str(data), "--target", "t", "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("l1l2: error:") and message in err
    assert err.count("\n") == 1


def test_cli_fit_reports_values_too_large_as_a_failed_fit(tmp_path, capsys):
    from l1l2.__main__ import main

    X, y = make_data()
    rows = [",".join(f"{v:.6g}" for v in (*x, t * 1e200))
            for x, t in zip(X, y, strict=True)]
    data = _write(tmp_path / "data.csv", "\n".join(["a,b,c,d,e,f,t", *rows]) + "\n")
    status = main(["fit", str(data), "--target", "t", "--no-standardize",
                   "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 1
    assert "l1l2: error: the fit failed: ValueError: y has values as large as" in err


# --- 2. numerical robustness -------------------------------------------------------


def assert_optimal(model, X, y, sample_weight=None, dtype=np.float64):
    """Finite, converged to its tolerance, and optimal within what the
    reported duality gap allows."""
    problem = Problem.of(model, X, y, sample_weight)
    assert_optimal_on(problem, model.coef_, model.intercept_, model.dual_gap_,
                      model.tol, dtype)


def degenerate(kind, seed=0):
    """Data with a degenerate feature or target."""
    X, y = make_data(40, 6, seed)
    if kind == "zero-column":
        X[:, 2] = 0.0
    elif kind == "constant-column":
        X[:, 2] = 7.3
    elif kind == "duplicated-columns":
        X = np.column_stack([X, X[:, 0], X[:, 0]])
    elif kind == "collinear-columns":
        X = np.column_stack([X, 2.0 * X[:, 0] - X[:, 1]])
    elif kind == "constant-y":
        y = np.full(len(y), 3.3)
    elif kind == "zero-y":
        y = np.zeros(len(y))
    elif kind == "all-zero-X":
        X = np.zeros_like(X)
    elif kind == "single-sample":
        X, y = X[:1], y[:1]
    return X, y


DEGENERATE = ["zero-column", "constant-column", "duplicated-columns",
              "collinear-columns", "constant-y", "zero-y", "all-zero-X",
              "single-sample"]
L1_MODELS = {"lasso": 1.0, "enet": 0.5}


def l1_model(name, alpha, **params):
    params = {"tol": 1e-10, "max_iter": 100_000, **params}
    if L1_MODELS[name] == 1.0:
        return Lasso(alpha=alpha, **params)
    return ElasticNet(alpha=alpha, l1_ratio=L1_MODELS[name], **params)


@pytest.mark.parametrize("kind", DEGENERATE)
@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("fmt", ["dense", "sparse", "gram", "float32"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_degenerate_data_give_an_optimal_fit(kind, name, fmt, fit_intercept):
    X, y = degenerate(kind)
    dtype = np.float32 if fmt == "float32" else np.float64
    X_in = sparse.csc_matrix(X) if fmt == "sparse" else X.astype(dtype)
    params = {"fit_intercept": fit_intercept, "precompute": fmt == "gram"}
    if dtype == np.float32:
        params["tol"] = 1e-6
    model = silent_fit(l1_model(name, 0.05, **params), X_in, y.astype(dtype))
    assert_optimal(model, X, y, dtype=dtype)
    if kind in ("constant-y", "zero-y", "all-zero-X") and fit_intercept:
        assert np.all(model.coef_ == 0)
        assert model.intercept_ == pytest.approx(float(np.mean(y.astype(dtype))),
                                                 rel=1e-6)
    if kind == "constant-y" and fit_intercept:
        assert model.intercept_ == dtype(3.3)  # exactly, not to rounding


CV_NAMES = ["RidgeCV", "LassoCV", "ElasticNetCV"]
# Every degenerate kind for Ridge; for the CV estimators all but one sample,
# which cannot be split into folds (test_cv_of_one_sample_is_refused_by_name).
FINITE_FIT_CASES = [(kind, name) for kind in DEGENERATE
                    for name in ["Ridge", *CV_NAMES]
                    if kind != "single-sample" or name == "Ridge"]


@pytest.mark.parametrize("kind, name", FINITE_FIT_CASES)
@pytest.mark.parametrize("as_sparse", [False, True])
def test_degenerate_data_give_optimal_fits_without_warnings(kind, name, as_sparse):
    X, y = degenerate(kind)
    X_in = sparse.csc_matrix(X) if as_sparse else X
    model = ESTIMATORS[name]()
    if name == "Ridge":
        model.set_params(solver="cd" if as_sparse else "auto")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_in, y)
    assert np.all(np.isfinite(model.coef_)) and np.isfinite(model.intercept_)
    np.testing.assert_allclose(model.predict(X_in[:3]), model.predict(X[:3]))
    if kind in ("constant-y", "zero-y", "all-zero-X"):
        np.testing.assert_allclose(model.coef_, 0.0, atol=1e-12)
    if name.startswith("Ridge"):
        # Strictly convex, even on degenerate data: scikit-learn's SVD
        # solution (measured: within 2e-14 of the largest coefficient).
        alpha = model.alpha_ if name == "RidgeCV" else model.alpha
        reference = sklm.Ridge(alpha=alpha, solver="svd").fit(X, y)
        scale = max(np.abs(reference.coef_).max(), abs(reference.intercept_))
        np.testing.assert_allclose(model.coef_, reference.coef_, rtol=0,
                                   atol=1e-12 * scale)
        assert model.intercept_ == pytest.approx(reference.intercept_, rel=1e-12,
                                                 abs=1e-12 * scale)
    else:
        # The refit at the chosen alpha (and l1_ratio) is optimal.
        problem = Problem(X, y, model.alpha_,
                          l1_ratio=getattr(model, "l1_ratio_", 1.0))
        assert_optimal_on(problem, model.coef_, model.intercept_, model.dual_gap_,
                          model.tol)


# What each CV estimator says when one sample cannot be split (scikit-learn
# refuses alike: KFold's message, and RidgeCV's leave-one-out needs two).
ONE_SAMPLE_REFUSALS = {
    "RidgeCV": "Leave-one-out with fit_intercept=True needs at least 2 samples",
    "LassoCV": "n_splits=3 greater than the number of samples: n_samples=1",
    "ElasticNetCV": "n_splits=3 greater than the number of samples: n_samples=1",
}


@pytest.mark.parametrize("name", CV_NAMES)
@pytest.mark.parametrize("as_sparse", [False, True])
def test_cv_of_one_sample_is_refused_by_name(name, as_sparse):
    X, y = degenerate("single-sample")
    X_in = sparse.csc_matrix(X) if as_sparse else X
    with pytest.raises(ValueError, match=ONE_SAMPLE_REFUSALS[name]):
        ESTIMATORS[name]().fit(X_in, y)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize("n_samples", [1, 2])
def test_cv_with_fewer_samples_than_folds_is_refused_by_name(name, n_samples):
    X, y = make_data(n_samples, 4)
    with pytest.raises(ValueError, match=f"n_splits=3 greater than the number of "
                                         f"samples: n_samples={n_samples}"):
        ESTIMATORS[name]().fit(X, y)


def _leave_one_out(n_samples):
    return [(np.delete(np.arange(n_samples), k), np.array([k]))
            for k in range(n_samples)]


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize("case, message", [
    # Leave-one-out of two samples: each training set is one sample, whose
    # centred data are all zero (scikit-learn silently returns alpha_max).
    ("two-sample-loo", "fold 1 of 2 has a single distinct sample"),
    ("one-row-train", "fold 1 of 1 has a single distinct sample"),
    ("repeated-row-train", "fold 1 of 1 has a single distinct sample"),
    ("one-weighted-row", "fold 1 of 1 has a single distinct sample"),
    ("no-weighted-row", "fold 1 of 1 has no sample with a positive weight"),
])
def test_cv_with_too_small_training_sets_is_refused_by_name(name, case, message):
    X, y = make_data(12, 4)
    weights = None
    cv = [(np.array([0]), np.arange(1, 12))]
    if case == "two-sample-loo":
        X, y, cv = X[:2], y[:2], _leave_one_out(2)
    elif case == "repeated-row-train":
        cv = [(np.array([3, 3, 3]), np.arange(4, 12))]
    elif case in ("one-weighted-row", "no-weighted-row"):
        weights = np.ones(12)
        weights[:6] = 0.0
        weights[5] = 1.0 if case == "one-weighted-row" else 0.0
        cv = [(np.arange(6), np.arange(6, 12))]
    model = ESTIMATORS[name]().set_params(cv=cv)
    with pytest.raises(ValueError, match=f"{name}: the training set of {message}"):
        model.fit(X, y, sample_weight=weights)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize("as_sparse", [False, True])
def test_cv_on_one_training_sample_without_intercept_matches_sklearn(name,
                                                                     as_sparse):
    # Without an intercept one training sample is a well-posed path (one
    # equation x . w = y): the CV errors are scikit-learn's on the same folds.
    X, y = make_data(3, 4)
    X_in = sparse.csc_matrix(X) if as_sparse else X
    cv = [(np.array([k]), np.delete(np.arange(3), k)) for k in range(3)]
    alphas = np.geomspace(2.0, 2e-3, 8)
    params = dict(cv=cv, alphas=alphas, fit_intercept=False, tol=1e-12,
                  max_iter=100_000)
    if name == "ElasticNetCV":
        params["l1_ratio"] = 0.5
    ours = ESTIMATORS[name]().set_params(**params).fit(X_in, y)
    theirs = getattr(sklm, name)(**params).fit(X_in, y)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-9)
    assert ours.alpha_ == theirs.alpha_
    # Not all alphas tie: the folds did tell them apart.
    assert np.ptp(ours.mse_path_.mean(axis=1)) > 0.1 * ours.mse_path_.min()


@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("factor", [1.0, 1.0 + 1e-9, 10.0, 1e12])
@pytest.mark.parametrize("as_sparse", [False, True])
def test_alpha_at_or_above_alpha_max_gives_exact_zeros(name, factor, as_sparse):
    X, y = make_data(50, 8)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alpha_max = np.max(np.abs(Xc.T @ yc)) / (len(y) * L1_MODELS[name])
    X_in = sparse.csc_matrix(X) if as_sparse else X
    model = silent_fit(l1_model(name, factor * alpha_max), X_in, y)
    assert np.all(model.coef_ == 0)
    assert model.intercept_ == pytest.approx(y.mean(), rel=1e-12)
    assert_optimal(model, X, y)


@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("fmt", ["dense", "sparse", "gram"])
@pytest.mark.parametrize("weighted", [False, True])
def test_tiny_alpha_is_optimal(name, fmt, weighted):
    # 1e-12 * alpha_max: nearly least squares, on a well-posed tall problem.
    X, y = make_data(80, 10, seed=3)
    weights = np.linspace(0.2, 3.0, len(y)) if weighted else None
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alpha = 1e-12 * np.max(np.abs(Xc.T @ yc)) / len(y)
    X_in = sparse.csc_matrix(X) if fmt == "sparse" else X
    model = silent_fit(l1_model(name, alpha, precompute=fmt == "gram"), X_in, y,
                       sample_weight=weights)
    assert_optimal(model, X, y, weights)
    least_squares = sklm.LinearRegression().fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(model.coef_, least_squares.coef_, rtol=1e-7)


@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_very_wide_sparse_problem(name, fit_intercept):
    # 300000 columns, 3 non-zeros each: p >> n, solved without densifying.
    rng = np.random.default_rng(0)
    n_samples, n_features, per_column = 200, 300_000, 3
    rows = rng.integers(0, n_samples, n_features * per_column)
    columns = np.repeat(np.arange(n_features), per_column)
    X = sparse.csc_matrix((rng.standard_normal(rows.size), (rows, columns)),
                          shape=(n_samples, n_features))
    y = np.asarray(X[:, :20] @ rng.uniform(1, 3, 20)).ravel()
    y += 0.1 * rng.standard_normal(n_samples) + 1.0
    model = silent_fit(l1_model(name, 0.02, tol=1e-8, fit_intercept=fit_intercept),
                       X, y)
    support = np.flatnonzero(model.coef_)
    assert 0 < support.size < (n_samples if name == "lasso" else n_features // 100)
    # Optimality on a dense copy of the support and the features most
    # correlated with the residual, then the zero condition of all others.
    residual = y - model.predict(X)
    gradient = np.asarray(X.T @ residual).ravel()
    if fit_intercept:
        gradient -= np.asarray(X.mean(axis=0)).ravel() * residual.sum()
    gradient /= n_samples
    kept = np.union1d(support, np.argsort(np.abs(gradient))[-200:])
    problem = Problem(X[:, kept].toarray(), y, model.alpha, l1_ratio=model.l1_ratio,
                      fit_intercept=fit_intercept)
    assert_optimal_on(problem, model.coef_[kept], model.intercept_, model.dual_gap_,
                      model.tol)
    outside = np.setdiff1d(np.arange(n_features), kept)
    allowed = model.alpha * model.l1_ratio
    assert np.all(np.abs(gradient[outside]) <= allowed * (1 + 1e-6))


@pytest.mark.parametrize("scale", [1e100, 1e-100])
@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("fmt", ["dense", "sparse", "gram"])
def test_data_scaled_by_extreme_factors_give_the_same_fit(scale, name, fmt):
    # X -> c X, y -> c y, alpha -> c^2 alpha: the same coefficients.
    X, y = make_data()
    weights = np.linspace(0.5, 2.0, len(y))
    X_in = sparse.csc_matrix(X * scale) if fmt == "sparse" else X * scale
    params = {"precompute": fmt == "gram"}
    scaled = silent_fit(l1_model(name, 0.05 * scale**2, **params), X_in, y * scale,
                        sample_weight=weights)
    plain = silent_fit(l1_model(name, 0.05, **params), X, y, sample_weight=weights)
    assert_optimal(scaled, X * scale, y * scale, weights)
    np.testing.assert_allclose(scaled.coef_, plain.coef_, rtol=1e-7, atol=1e-9)
    assert scaled.intercept_ == pytest.approx(plain.intercept_ * scale, rel=1e-7)


@pytest.mark.parametrize("scale", [1e100, 1e-100])
@pytest.mark.parametrize("solver", ["cholesky", "svd", "cd"])
def test_ridge_scaled_data_give_the_same_fit(scale, solver):
    X, y = make_data()
    scaled = silent_fit(Ridge(alpha=2.0 * scale**2, solver=solver, tol=1e-12),
                        X * scale, y * scale)
    plain = silent_fit(Ridge(alpha=2.0, solver=solver, tol=1e-12), X, y)
    np.testing.assert_allclose(scaled.coef_, plain.coef_, rtol=1e-8)


@pytest.mark.parametrize("scale", [1e100, 1e-100])
# RidgeCV has no selection rule: it appears once, with rule None.
@pytest.mark.parametrize("name, rule", [
    ("LassoCV", "min"), ("LassoCV", "1se"), ("ElasticNetCV", "min"),
    ("ElasticNetCV", "1se"), ("RidgeCV", None),
])
def test_cv_on_scaled_data_chooses_the_same_model(scale, name, rule):
    # At 1e-100 the alpha grid fell back to a constant 1e-15 (far above
    # alpha_max, all zeros); at 1e100 the standard errors overflowed.
    X, y = make_data(60, 6)
    if name == "RidgeCV":
        alphas = np.array([0.01, 0.1, 1.0, 10.0])
        scaled = RidgeCV(alphas=alphas * scale**2)
        plain = RidgeCV(alphas=alphas)
    else:
        scaled = ESTIMATORS[name]().set_params(selection_rule=rule, tol=1e-10)
        plain = ESTIMATORS[name]().set_params(selection_rule=rule, tol=1e-10)
    silent_fit(scaled, X * scale, y * scale)
    silent_fit(plain, X, y)
    assert scaled.alpha_ == pytest.approx(plain.alpha_ * scale**2, rel=1e-9)
    np.testing.assert_allclose(scaled.coef_, plain.coef_, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("scale", [1e100, 1e-100])
@pytest.mark.parametrize("path", [lasso_path, enet_path])
@pytest.mark.parametrize("as_sparse", [False, True])
def test_path_on_scaled_data(scale, path, as_sparse):
    X, y = make_data()
    X_scaled = sparse.csc_matrix(X * scale) if as_sparse else X * scale
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        alphas, coefs, gaps = path(X_scaled, y * scale, alphas=10, tol=1e-10,
                                   fit_intercept=True)
    plain_alphas, plain_coefs, _ = path(X, y, alphas=10, tol=1e-10,
                                        fit_intercept=True)
    np.testing.assert_allclose(alphas, plain_alphas * scale**2, rtol=1e-12)
    np.testing.assert_allclose(coefs, plain_coefs, rtol=1e-7, atol=1e-9)
    assert np.all(np.isfinite(gaps))


@pytest.mark.parametrize("scale", [1e10, 1e-10])
@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("as_sparse", [False, True])
def test_float32_scaled_data_give_the_same_fit(scale, name, as_sparse):
    X, y = make_data()
    X32, y32 = (X * scale).astype(np.float32), (y * scale).astype(np.float32)
    X_in = sparse.csc_matrix(X32) if as_sparse else X32
    scaled = silent_fit(l1_model(name, 0.05 * scale**2, tol=1e-6), X_in, y32)
    plain = silent_fit(l1_model(name, 0.05, tol=1e-6), X.astype(np.float32),
                       y.astype(np.float32))
    assert scaled.coef_.dtype == np.float32
    assert_optimal(scaled, X32, y32, dtype=np.float32)
    # Measured: at most 1.8e-7 apart (coefficients up to 3) and intercepts
    # 1.3e-7 apart relatively, over these eight cases; float32 rounding of
    # the scaled data, not the solver, sets that floor.
    np.testing.assert_allclose(scaled.coef_, plain.coef_, rtol=0, atol=1e-5)
    assert float(scaled.intercept_) / scale == pytest.approx(
        float(plain.intercept_), rel=1e-5)


# --- 3. no mutation and no needless copies ---------------------------------------

# Entry points with every per-feature option they take.
OPTION_FITTERS = {
    "Lasso": lambda X, y, sw, pf, lo, hi: Lasso(
        alpha=0.05, penalty_factor=pf, lower_bounds=lo, upper_bounds=hi).fit(
        X, y, sample_weight=sw),
    "ElasticNet": lambda X, y, sw, pf, lo, hi: ElasticNet(
        alpha=0.05, penalty_factor=pf, lower_bounds=lo, upper_bounds=hi,
        selection="random", random_state=0).fit(X, y, sample_weight=sw),
    "Ridge": lambda X, y, sw, pf, lo, hi: Ridge(alpha=1.0).fit(X, y, sample_weight=sw),
    "LassoCV": lambda X, y, sw, pf, lo, hi: LassoCV(
        cv=3, alphas=5, penalty_factor=pf, lower_bounds=lo, upper_bounds=hi,
        n_jobs=2).fit(X, y, sample_weight=sw),
    "ElasticNetCV": lambda X, y, sw, pf, lo, hi: ElasticNetCV(
        cv=3, alphas=5, l1_ratio=[0.5, 1.0], penalty_factor=pf, lower_bounds=lo,
        upper_bounds=hi).fit(X, y, sample_weight=sw),
    "RidgeCV": lambda X, y, sw, pf, lo, hi: RidgeCV().fit(X, y, sample_weight=sw),
    "enet_path": lambda X, y, sw, pf, lo, hi: enet_path(
        X, y, alphas=5, sample_weight=sw, penalty_factor=pf, lower_bounds=lo,
        upper_bounds=hi, fit_intercept=True),
    "lasso_path": lambda X, y, sw, pf, lo, hi: lasso_path(
        X, y, alphas=5, sample_weight=sw, penalty_factor=pf, lower_bounds=lo,
        upper_bounds=hi, fit_intercept=True, precompute=True),
}


def _options(n_samples, n_features):
    weights = np.linspace(0.5, 2.0, n_samples)
    factors = np.linspace(0.0, 2.0, n_features)
    lower = np.full(n_features, -np.inf)
    lower[1] = -0.5
    upper = np.full(n_features, np.inf)
    upper[0] = 0.5
    return weights, factors, lower, upper


def _as_layout(X, layout, tmp_path):
    if layout == "C":
        return np.ascontiguousarray(X)
    if layout == "F":
        return np.asfortranarray(X)
    if layout == "memmap":
        np.save(tmp_path / "X.npy", np.asfortranarray(X))
        return np.load(tmp_path / "X.npy", mmap_mode="r")
    return sparse.csc_matrix(X) if layout == "csc" else sparse.csr_matrix(X)


def _snapshot(value):
    if sparse.issparse(value):
        return (value.format, value.data.copy(), value.indices.copy(),
                value.indptr.copy(), value.data, value.indices, value.indptr)
    return np.array(value, copy=True)


def _assert_unchanged(value, snapshot):
    if sparse.issparse(value):
        assert value.format == snapshot[0]
        for array, original in zip((value.data, value.indices, value.indptr),
                                   snapshot[1:4], strict=True):
            np.testing.assert_array_equal(array, original, strict=True)
        # the very same arrays: nothing was swapped in behind the user
        assert value.data is snapshot[4] and value.indices is snapshot[5]
        assert value.indptr is snapshot[6]
    else:
        np.testing.assert_array_equal(value, snapshot, strict=True)


@pytest.mark.parametrize("fitter", OPTION_FITTERS)
@pytest.mark.parametrize("layout", ["C", "F", "csc", "csr", "memmap"])
@pytest.mark.parametrize("read_only", [False, True])
def test_inputs_are_never_modified(tmp_path, fitter, layout, read_only):
    X, y = make_data(40, 6)
    X = _as_layout(X, layout, tmp_path)
    inputs = [X, y, *_options(*X.shape)]
    if read_only:
        for value in inputs:
            for array in ((value.data, value.indices, value.indptr)
                          if sparse.issparse(value) else (value,)):
                if array.flags.writeable:
                    array.setflags(write=False)
    snapshots = [_snapshot(value) for value in inputs]
    flags = [None if sparse.issparse(v) else v.flags.writeable for v in inputs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result = OPTION_FITTERS[fitter](*inputs)
    for value, snapshot, flag in zip(inputs, snapshots, flags, strict=True):
        _assert_unchanged(value, snapshot)
        if flag is not None:
            assert value.flags.writeable == flag
    coef = result[1] if isinstance(result, tuple) else result.coef_
    assert np.all(np.isfinite(coef)) and np.any(coef != 0)


@pytest.mark.parametrize("model", [Lasso(alpha=0.2), ElasticNet(alpha=0.2),
                                   Ridge(alpha=1.0, solver="cd")],
                         ids=["Lasso", "ElasticNet", "Ridge-cd"])
@pytest.mark.parametrize("layout", ["F", "memmap", "csc"])
def test_kernel_ready_input_is_not_copied(tmp_path, model, layout):
    # An F-ordered float array, a read-only memory map of one (as joblib
    # hands to workers) or a CSC matrix goes to the kernel as it is: the fit
    # allocates far less than X.
    import tracemalloc

    # (The kernel's own work arrays are O(n_features), up to a 500 x 500
    # Newton system: X must be much larger than that.)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3000, 1000))
    y = X[:, :10] @ np.ones(10) + rng.standard_normal(3000)
    if layout == "csc":
        X[np.abs(X) < 1.0] = 0.0
    X = _as_layout(X, layout, tmp_path)
    size = (X.data.nbytes + X.indices.nbytes) if layout == "csc" else X.nbytes
    model.fit(X, y)  # warm up imports and caches
    tracemalloc.start()
    try:
        model.fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 4, f"fit allocated {peak} bytes for an X of {size}"


# --- 4. concurrency, determinism, persistence ----------------------------------


def _problems():
    """Eight different problems, dense and sparse, and their estimators."""
    problems = []
    for k in range(8):
        X, y = make_data(60 + 10 * k, 8 + k, seed=k)
        if k % 2:
            X[np.abs(X) < 0.7] = 0.0
            X = sparse.csc_matrix(X)
        model = [Lasso(alpha=0.05, tol=1e-8), ElasticNet(alpha=0.05, tol=1e-8),
                 Ridge(alpha=1.0), LassoCV(cv=3, alphas=10)][k % 4]
        problems.append((model, X, y))
    return problems


def _fit_copy(model, X, y):
    from sklearn.base import clone

    return clone(model).fit(X, y)


def test_fits_in_threads_are_bit_identical_to_serial_fits():
    problems = _problems() * 2
    serial = [_fit_copy(*problem) for problem in problems]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda p: _fit_copy(*p), problems))
    for a, b in zip(serial, threaded, strict=True):
        np.testing.assert_array_equal(a.coef_, b.coef_, strict=True)
        assert a.intercept_ == b.intercept_


def test_paths_in_threads_are_bit_identical_to_serial_paths():
    jobs = [(X, y) for _, X, y in _problems()]
    serial = [lasso_path(X, y, alphas=20, fit_intercept=True) for X, y in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(
            lambda job: lasso_path(*job, alphas=20, fit_intercept=True), jobs))
    for a, b in zip(serial, threaded, strict=True):
        for x, z in zip(a, b, strict=True):
            np.testing.assert_array_equal(x, z, strict=True)


@pytest.mark.parametrize("name", L1_MODELS)
@pytest.mark.parametrize("as_sparse", [False, True])
def test_random_selection_is_reproducible_and_reaches_the_same_optimum(name,
                                                                      as_sparse):
    X, y = make_data(60, 15, seed=2)
    X_in = sparse.csc_matrix(X) if as_sparse else X

    def fit(seed, **params):
        model = l1_model(name, 0.02, selection="random", random_state=seed, **params)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return model.fit(X_in, y)

    first, again = fit(7), fit(7)
    np.testing.assert_array_equal(first.coef_, again.coef_, strict=True)
    assert first.n_iter_ == again.n_iter_
    # Other seeds visit the coordinates in other orders: after two epochs
    # the iterates differ...
    early = [fit(seed, max_iter=2).coef_ for seed in range(4)]
    assert any(not np.array_equal(early[0], other) for other in early[1:])
    # ...but every seed converges to the optimum.
    for seed in range(4):
        model = fit(seed)
        assert_optimal(model, X, y)
        np.testing.assert_allclose(model.coef_, first.coef_, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("as_sparse", [False, True])
def test_fitted_models_survive_pickle_and_joblib(tmp_path, name, as_sparse):
    X, y = make_data()
    X_in = sparse.csc_matrix(X) if as_sparse else X
    model = ESTIMATORS[name]().fit(X_in, y)
    expected = model.predict(X_in)
    restored = [pickle.loads(pickle.dumps(model))]
    joblib.dump(model, tmp_path / "model.joblib")
    restored.append(joblib.load(tmp_path / "model.joblib"))
    for copy in restored:
        np.testing.assert_array_equal(copy.predict(X_in), expected, strict=True)
        np.testing.assert_array_equal(copy.coef_, model.coef_, strict=True)
        assert copy.get_params() == model.get_params() or name.endswith("CV")


# --- the kernel on its own ----------------------------------------------------


def test_kernel_column_statistics_does_not_call_an_overflowing_column_constant():
    # inf <= eps * inf once declared a column whose squares overflow constant
    # (norm 0), so that a direct caller silently dropped it.
    from l1l2._cd_fast import column_statistics

    X = np.asfortranarray(np.column_stack([np.linspace(-1.0, 1.0, 5) * 1e200,
                                           np.linspace(0.0, 1.0, 5)]))
    norm2, *_ = column_statistics(X, np.empty(0), np.empty(0, np.intc),
                                 np.empty(0, np.intc), False, np.ones(5),
                                 X.mean(axis=0))
    assert norm2[0] != 0.0


def test_kernel_column_statistics_of_no_samples_is_zero():
    from l1l2._cd_fast import column_statistics

    empty = np.empty(0)
    stats = column_statistics(
        np.empty((0, 3), order="F"), empty, np.empty(0, np.intc),
        np.empty(0, np.intc), False, empty, np.zeros(3))
    for array in stats:
        np.testing.assert_array_equal(array, np.zeros(3))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("layout", ["F", "C", "strided", "1d"])
def test_largest_magnitude_is_the_largest_absolute_value(dtype, layout):
    # One kernel pass for contiguous float arrays, max/-min otherwise: the
    # same number either way, with the largest value negative or positive,
    # and NaN as soon as one value is not finite.
    from l1l2._base import largest_magnitude

    rng = np.random.default_rng(0)
    for sign in (-1, 1):
        values = (rng.standard_normal((37, 11)) * 100).astype(dtype)
        values[4, 6] = sign * 1e4  # kept by the strided view
        if layout == "F":
            values = np.asfortranarray(values)
        elif layout == "strided":
            values = values[::2, ::3]
        elif layout == "1d":
            values = values.ravel()
        assert largest_magnitude(values) == float(np.abs(values).max())
        if dtype is not np.int64:
            for bad in (np.nan, np.inf, -np.inf):
                spoiled = values.copy(order="K")
                if layout == "strided":
                    spoiled = np.zeros((2 * values.shape[0], 3 * values.shape[1]),
                                       dtype)[::2, ::3]
                    spoiled[...] = values
                spoiled.flat[-1] = bad  # the tail after the vector lanes
                assert np.isnan(largest_magnitude(spoiled))
                spoiled.flat[-1] = 0.0
                spoiled.flat[3] = bad
                assert np.isnan(largest_magnitude(spoiled))
