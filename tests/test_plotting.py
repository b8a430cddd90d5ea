"""Tests of l1l2.plotting: what each display draws, and where."""

import sys

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from l1l2 import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge, RidgeCV, enet_path
from l1l2.plotting import (
    CoefficientComparisonDisplay,
    CVCurveDisplay,
    RegularizationPathDisplay,
    one_standard_error_alphas,
    plot_coefficient_comparison,
)

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    return X, y.to_numpy()


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def vertical_x(line):
    """The x position of an axvline (both its ends are there)."""
    xdata = np.asarray(line.get_xdata(), dtype=float)
    assert xdata[0] == xdata[1]
    return float(xdata[0])


def assert_alpha_axis(ax):
    assert ax.get_xscale() == "log"
    assert ax.xaxis_inverted()  # alpha decreases to the right
    assert ax.get_xlabel().startswith("alpha (log scale; decreasing to the right")


# --- RegularizationPathDisplay ----------------------------------------------


def test_path_from_path_draws_one_line_per_feature_and_marks_alpha():
    alphas = np.geomspace(1.0, 1e-3, 30)
    coefs = np.vstack([
        3.0 * (1 - alphas),  # the largest
        -2.0 * (1 - alphas),
        0.5 * (1 - alphas),
        np.where(alphas < 0.1, 1.0, 0.0),
    ])
    names = ["big one", "negative", "small", "late"]
    display = RegularizationPathDisplay.from_path(
        alphas, coefs, feature_names=names, selected_alpha=0.01
    )
    assert len(display.lines_) == 4
    for line, row in zip(display.lines_, coefs, strict=True):
        np.testing.assert_allclose(line.get_xdata(), alphas)
        np.testing.assert_allclose(line.get_ydata(), row)
    assert vertical_x(display.selected_line_) == 0.01
    # Named by size at the selected alpha (0.01: 2.97, 1.98, 1.0, 0.495).
    assert legend_texts(display.ax_) == [
        "big one", "negative", "late", "small", "selected alpha = 0.01",
    ]
    assert_alpha_axis(display.ax_)
    assert display.ax_.get_ylabel() == "coefficient"


def test_path_names_only_the_largest_and_skips_zero_features():
    rng = np.random.default_rng(0)
    alphas = np.geomspace(1.0, 1e-2, 10)
    coefs = rng.normal(size=(30, 10)) * np.arange(1, 31)[:, None]
    coefs[[4, 7]] = 0.0
    display = RegularizationPathDisplay.from_path(alphas, coefs, n_labels=3)
    assert len(display.lines_) == 28
    assert "x4" not in display.features_ and "x7" not in display.features_
    largest = np.argsort(-np.abs(coefs).max(axis=1))[:3]
    assert legend_texts(display.ax_) == [f"x{j}" for j in largest]
    assert display.ax_.get_legend().get_title().get_text() == (
        "largest 3 of 30 features")
    assert display.selected_line_ is None


def test_path_honours_ax():
    figure, ax = plt.subplots()
    display = RegularizationPathDisplay.from_path(
        np.geomspace(1, 0.1, 5), np.ones((2, 5)), ax=ax
    )
    assert display.ax_ is ax
    assert display.figure_ is figure


def test_path_rejects_bad_shapes_and_alphas():
    with pytest.raises(ValueError, match=r"shape \(n_features, n_alphas\)"):
        RegularizationPathDisplay.from_path(np.geomspace(1, 0.1, 5), np.ones((5, 2)))
    with pytest.raises(ValueError, match="positive to be drawn on a log axis"):
        RegularizationPathDisplay.from_path([1.0, 0.0], np.ones((2, 2)))
    with pytest.raises(ValueError, match="3 feature names for 2 features"):
        RegularizationPathDisplay.from_path(
            [1.0, 0.5], np.ones((2, 2)), feature_names=["a", "b", "c"]
        )


def test_path_from_lasso_is_enet_path_with_its_parameters(diabetes):
    X, y = diabetes
    display = RegularizationPathDisplay.from_estimator(
        Lasso(alpha=0.5, positive=True), X, y, n_alphas=20
    )
    alphas = np.asarray(display.lines_[0].get_xdata())
    expected = enet_path(X, y, l1_ratio=1.0, alphas=alphas, positive=True,
                         fit_intercept=True)[1]
    drawn = dict(zip(display.features_, display.lines_, strict=True))
    for j, name in enumerate(X.columns):
        if np.any(expected[j] != 0):
            np.testing.assert_allclose(drawn[name].get_ydata(), expected[j])
        else:
            assert name not in drawn
    assert min(line.get_ydata().min() for line in display.lines_) >= 0
    assert vertical_x(display.selected_line_) == 0.5
    assert set(legend_texts(display.ax_)[:-1]) == set(display.features_)


def test_path_grid_is_widened_to_show_the_estimators_alpha(diabetes):
    X, y = diabetes
    display = RegularizationPathDisplay.from_estimator(
        ElasticNet(alpha=1e-6, l1_ratio=0.5), X, y, n_alphas=20
    )
    alphas = display.lines_[0].get_xdata()
    assert alphas.min() <= 1e-6 <= alphas.max()
    assert vertical_x(display.selected_line_) == 1e-6


def test_path_from_ridge_matches_ridge_fits(diabetes):
    X, y = diabetes
    display = RegularizationPathDisplay.from_estimator(Ridge(alpha=2.0), X, y,
                                                       n_alphas=15)
    alphas = display.lines_[0].get_xdata()
    assert alphas.min() < 2.0 < alphas.max()
    coef = Ridge(alpha=alphas[7]).fit(X, y).coef_
    np.testing.assert_allclose([line.get_ydata()[7] for line in display.lines_],
                               coef, rtol=1e-8)
    # Named by size at the grid alpha nearest to the estimator's.
    nearest = alphas[np.argmin(np.abs(np.log(alphas / 2.0)))]
    size = np.abs(Ridge(alpha=nearest).fit(X, y).coef_)
    assert legend_texts(display.ax_)[:10] == [X.columns[j] for j in np.argsort(-size)]


def test_path_from_lasso_cv_uses_its_grid_and_alpha(diabetes):
    X, y = diabetes
    model = LassoCV(cv=3, alphas=20).fit(X, y)
    display = RegularizationPathDisplay.from_estimator(model, X, y)
    np.testing.assert_allclose(display.lines_[0].get_xdata(), model.alphas_)
    assert vertical_x(display.selected_line_) == model.alpha_
    # At alpha_ the drawn path is the refitted model.
    index = int(np.flatnonzero(model.alphas_ == model.alpha_)[0])
    drawn = dict(zip(display.features_, display.lines_, strict=True))
    at_alpha = [drawn[n].get_ydata()[index] if n in drawn else 0.0 for n in X.columns]
    np.testing.assert_allclose(at_alpha, model.coef_, atol=1e-6 * np.abs(
        model.coef_).max())


def test_path_from_pipeline_shows_the_standardised_path(diabetes):
    X, y = diabetes
    pipeline = make_pipeline(StandardScaler(), Lasso(alpha=1.0)).fit(X, y)
    display = RegularizationPathDisplay.from_estimator(pipeline, X, y, n_alphas=10)
    Xs = StandardScaler().fit_transform(X)
    alphas = display.lines_[0].get_xdata()
    expected = enet_path(Xs, y, l1_ratio=1.0, alphas=alphas, fit_intercept=True)[1]
    drawn = dict(zip(display.features_, display.lines_, strict=True))
    np.testing.assert_allclose(drawn["bmi"].get_ydata(), expected[2])


def test_path_needs_a_fitted_cv_estimator(diabetes):
    X, y = diabetes
    with pytest.raises(NotFittedError, match="call fit"):
        RegularizationPathDisplay.from_estimator(LassoCV(), X, y)


# --- CVCurveDisplay ----------------------------------------------------------


def test_one_standard_error_alphas():
    alphas = [1.0, 0.5, 0.1, 0.05, 0.01]
    mean = [9.0, 4.4, 4.1, 4.0, 4.3]
    se = [1.0, 1.0, 1.0, 0.5, 1.0]
    # Minimum at 0.05 (4.0); within 4.5: 0.5, 0.1, 0.05, 0.01 -> largest 0.5.
    assert one_standard_error_alphas(alphas, mean, se) == (0.05, 0.5)


def test_cv_curve_from_cv_results():
    alphas = np.geomspace(1.0, 1e-3, 12)
    rng = np.random.default_rng(1)
    mse_path = (np.log10(alphas)[:, None] + 1.8) ** 2 + rng.uniform(1, 2, (12, 4))
    display = CVCurveDisplay.from_cv_results(alphas, mse_path)
    mean = mse_path.mean(axis=1)
    se = mse_path.std(axis=1, ddof=1) / 2.0
    order = np.argsort(alphas)
    np.testing.assert_allclose(display.line_.get_xdata(), alphas[order])
    np.testing.assert_allclose(display.line_.get_ydata(), mean[order])
    band = display.band_.get_paths()[0].vertices
    assert band[:, 1].max() == pytest.approx((mean + se).max())
    assert band[:, 1].min() == pytest.approx((mean - se).min())
    alpha_min, alpha_1se = one_standard_error_alphas(alphas, mean, se)
    assert alpha_min == alphas[np.argmin(mean)]
    assert vertical_x(display.alpha_min_line_) == alpha_min
    assert vertical_x(display.alpha_1se_line_) == alpha_1se
    assert alpha_1se >= alpha_min
    assert legend_texts(display.ax_) == [
        "CV error (mean ± 1 SE)",
        f"alpha_min = {alpha_min:.3g} (lowest CV error)",
        f"alpha_1se = {alpha_1se:.3g} (1-SE rule)",
    ]
    assert_alpha_axis(display.ax_)
    assert display.ax_.get_ylabel() == "mean squared error"
    assert display.train_line_ is None
    assert not display.ax_.texts  # no region notes without a training curve


def test_cv_curve_given_alphas_error_bars_and_ax():
    figure, ax = plt.subplots()
    alphas = np.array([1.0, 0.1, 0.01])
    display = CVCurveDisplay.from_cv_results(
        alphas, [3.0, 2.0, 2.5], mse_se=[0.1, 0.2, 0.3], alpha_min=0.1,
        alpha_1se=1.0, ax=ax, errorbars=True,
    )
    assert display.ax_ is ax and display.figure_ is figure
    assert vertical_x(display.alpha_min_line_) == 0.1
    assert vertical_x(display.alpha_1se_line_) == 1.0
    np.testing.assert_allclose(display.line_.get_ydata(), [2.5, 2.0, 3.0])
    with pytest.raises(ValueError, match="pass its standard error as mse_se"):
        CVCurveDisplay.from_cv_results(alphas, [3.0, 2.0, 2.5])


def test_cv_curve_from_a_fake_fitted_lasso_cv():
    """Only the documented attributes are read."""

    class FittedCV(LassoCV):
        pass

    fake = FittedCV(alphas=3)
    fake.alphas_ = np.array([1.0, 0.1, 0.01])
    fake.mse_path_ = np.array([[5.0, 6.0], [2.0, 3.0], [2.5, 2.7]])
    fake.mse_std_path_ = np.array([0.5, 0.5, 0.1])
    fake.alpha_ = fake.alpha_min_ = 0.1
    fake.alpha_1se_ = 0.1
    display = CVCurveDisplay.from_estimator(fake)
    np.testing.assert_allclose(display.line_.get_ydata(), [2.6, 2.5, 5.5])
    assert vertical_x(display.alpha_min_line_) == 0.1
    assert legend_texts(display.ax_)[0] == "FittedCV CV error (mean ± 1 SE)"


def test_cv_curve_from_lasso_cv_with_training_error(diabetes):
    X, y = diabetes
    model = LassoCV(cv=4, alphas=15).fit(X, y)
    display = CVCurveDisplay.from_estimator(model, X, y, train_error=True)
    order = np.argsort(model.alphas_)
    np.testing.assert_allclose(display.line_.get_ydata(),
                               model.mse_path_.mean(axis=1)[order])
    band = display.band_.get_paths()[0].vertices[:, 1]
    assert band.max() == pytest.approx(
        (model.mse_path_.mean(axis=1) + model.mse_std_path_).max())
    assert vertical_x(display.alpha_min_line_) == model.alpha_min_
    assert vertical_x(display.alpha_1se_line_) == model.alpha_1se_
    # The training error is that of a Lasso refitted on all the data.
    train_alphas = display.train_line_.get_xdata()
    for i in (0, 7, 14):
        refit = Lasso(alpha=train_alphas[i], tol=1e-10).fit(X, y)
        expected = np.mean((y - refit.predict(X)) ** 2)
        assert display.train_line_.get_ydata()[i] == pytest.approx(expected, rel=1e-4)
    texts = [t.get_text() for t in display.ax_.texts]
    assert texts == ["← under-fitting (high bias)", "over-fitting (high variance) →"]
    assert "training error (refitted on all data)" in legend_texts(display.ax_)


def test_cv_curve_from_elastic_net_cv_shows_the_selected_l1_ratio(diabetes):
    X, y = diabetes
    model = ElasticNetCV(l1_ratio=[0.2, 0.7, 1.0], cv=3, alphas=10).fit(X, y)
    display = CVCurveDisplay.from_estimator(model)
    row = [0.2, 0.7, 1.0].index(model.l1_ratio_)
    order = np.argsort(model.alphas_[row])
    np.testing.assert_allclose(display.line_.get_xdata(), model.alphas_[row][order])
    np.testing.assert_allclose(display.line_.get_ydata(),
                               model.mse_path_[row].mean(axis=1)[order])
    assert vertical_x(display.alpha_1se_line_) == model.alpha_1se_
    assert legend_texts(display.ax_)[0].startswith(
        f"ElasticNetCV (l1_ratio={model.l1_ratio_:g}) CV error")


def test_cv_curve_from_ridge_cv(diabetes):
    X, y = diabetes
    alphas = np.geomspace(1e-3, 10.0, 9)
    model = RidgeCV(alphas=alphas, store_cv_results=True).fit(X, y)
    display = CVCurveDisplay.from_estimator(model, X, y, train_error=True)
    errors = model.cv_results_
    np.testing.assert_allclose(display.line_.get_xdata(), alphas)
    np.testing.assert_allclose(display.line_.get_ydata(), errors.mean(axis=0))
    alpha_min, alpha_1se = one_standard_error_alphas(
        alphas, errors.mean(axis=0), errors.std(axis=0, ddof=1) / np.sqrt(len(y)))
    assert vertical_x(display.alpha_min_line_) == model.alpha_ == alpha_min
    assert vertical_x(display.alpha_1se_line_) == alpha_1se
    refit = Ridge(alpha=alphas[3]).fit(X, y)
    index = int(np.flatnonzero(display.train_line_.get_xdata() == alphas[3])[0])
    assert display.train_line_.get_ydata()[index] == pytest.approx(
        np.mean((y - refit.predict(X)) ** 2))


def test_cv_curve_from_a_pipeline(diabetes):
    X, y = diabetes
    pipeline = make_pipeline(StandardScaler(), LassoCV(cv=3, alphas=10)).fit(X, y)
    display = CVCurveDisplay.from_estimator(pipeline, X, y, train_error=True)
    assert vertical_x(display.alpha_min_line_) == pipeline[-1].alpha_min_
    # The training error of the pipeline's own refit, at its alpha.
    index = int(np.flatnonzero(display.train_line_.get_xdata()
                               == pipeline[-1].alpha_)[0])
    assert display.train_line_.get_ydata()[index] == pytest.approx(
        np.mean((y - pipeline.predict(X)) ** 2), rel=1e-4)


def test_cv_curve_needs_stored_ridge_results(diabetes):
    X, y = diabetes
    with pytest.raises(ValueError, match="store_cv_results=True"):
        CVCurveDisplay.from_estimator(RidgeCV().fit(X, y))
    with pytest.raises(TypeError, match="needs a fitted LassoCV"):
        CVCurveDisplay.from_estimator(Lasso().fit(X, y))
    with pytest.raises(ValueError, match="needs the training X and y"):
        CVCurveDisplay.from_estimator(LassoCV(cv=3, alphas=5).fit(X, y),
                                      train_error=True)


# --- CoefficientComparisonDisplay -------------------------------------------


def test_coefficient_comparison_draws_grouped_bars(diabetes):
    X, y = diabetes
    models = {
        "Lasso": Lasso(alpha=0.5).fit(X, y),
        "Ridge": Ridge(alpha=0.5).fit(X, y),
        "ElasticNet": ElasticNet(alpha=0.01).fit(X, y),
    }
    display = CoefficientComparisonDisplay.from_estimators(models)
    assert list(display.bars_) == ["Lasso", "Ridge", "ElasticNet"]
    for name, bars in display.bars_.items():
        assert len(bars) == 10
        np.testing.assert_allclose([bar.get_height() for bar in bars],
                                   models[name].coef_)
    # The three bars of a feature sit side by side around its tick.
    centres = [bars[2].get_x() + bars[2].get_width() / 2
               for bars in display.bars_.values()]
    assert centres[0] < 2 < centres[2] and centres[1] == pytest.approx(2)
    ticks = [label.get_text() for label in display.ax_.get_xticklabels()]
    assert ticks == list(X.columns) == display.features_
    assert legend_texts(display.ax_) == ["Lasso", "Ridge", "ElasticNet"]
    assert display.ax_.get_ylabel() == "coefficient"


def test_coefficient_comparison_limits_features_and_honours_ax():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 50))
    y = X[:, 3] - 2 * X[:, 17] + 0.1 * rng.normal(size=40)
    figure, ax = plt.subplots()
    display = plot_coefficient_comparison(
        {"Lasso": Lasso(alpha=0.1).fit(X, y), "Ridge": Ridge(alpha=1.0).fit(X, y)},
        ax=ax, max_features=5, sort=True,
    )
    assert display.ax_ is ax and display.figure_ is figure
    assert display.features_[:2] == ["x17", "x3"]
    assert len(display.bars_["Ridge"]) == 5
    with pytest.raises(ValueError, match="fit it first"):
        plot_coefficient_comparison({"Lasso": Lasso()})


# --- matplotlib is optional ---------------------------------------------------


def test_missing_matplotlib_names_the_plot_extra(monkeypatch, diabetes):
    X, y = diabetes
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    message = r'needs matplotlib.*pip install "l1l2\[plot\]"'
    with pytest.raises(ImportError, match=message):
        RegularizationPathDisplay.from_path([1.0, 0.1], np.ones((2, 2)))
    with pytest.raises(ImportError, match=message):
        RegularizationPathDisplay.from_estimator(Lasso(), X, y)
    with pytest.raises(ImportError, match=message):
        CVCurveDisplay.from_cv_results([1.0, 0.1], np.ones((2, 3)))
    with pytest.raises(ImportError, match=message):
        plot_coefficient_comparison({"Lasso": Lasso().fit(X, y)})


def test_cv_curve_from_scikit_learns_lasso_cv(diabetes):
    """scikit-learn's LassoCV has no standard error nor alpha_1se_: both are
    computed from its mse_path_."""
    from sklearn.linear_model import LassoCV as SklearnLassoCV

    X, y = diabetes
    model = SklearnLassoCV(cv=4, alphas=20).fit(X, y)
    display = CVCurveDisplay.from_estimator(model)
    mean = model.mse_path_.mean(axis=1)
    se = model.mse_path_.std(axis=1, ddof=1) / 2.0
    expected = one_standard_error_alphas(model.alphas_, mean, se)
    assert vertical_x(display.alpha_min_line_) == model.alpha_ == expected[0]
    assert vertical_x(display.alpha_1se_line_) == expected[1] > model.alpha_


def test_one_fold_has_no_standard_error():
    alphas = np.array([1.0, 0.1, 0.01])
    display = CVCurveDisplay.from_cv_results(alphas, [[3.0], [1.0], [2.0]],
                                             mse_se=np.full(3, np.nan))
    assert vertical_x(display.alpha_min_line_) == 0.1
    assert vertical_x(display.alpha_1se_line_) == 0.1
