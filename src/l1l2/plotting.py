"""Pictures of regularised linear models, in scikit-learn's Display style.

Three displays, each with class methods that compute what is drawn and a
``plot(ax=None, ...)`` method that draws it and keeps the matplotlib artists
as attributes (``figure_``, ``ax_``, ``line_`` or ``lines_``):

- :class:`RegularizationPathDisplay`: the coefficients against alpha;
- :class:`CVCurveDisplay`: the cross-validated error against alpha, with its
  standard error, the alpha of the lowest error and the 1-SE alpha;
- :class:`CoefficientComparisonDisplay`: the coefficients of several fitted
  models side by side.

On both alpha pictures the x axis is alpha on a log scale, *decreasing to the
right*: the model grows from the empty model (strong regularisation, left) to
the least-regularised one (right), as features enter the path.

matplotlib is imported only when a picture is drawn; it is installed by the
``plot`` extra (``pip install "l1l2[plot]"``).
"""

import warnings

import numpy as np

PLOT_EXTRA = 'pip install "l1l2[plot]"'

ALPHA_LABEL = "alpha (log scale; decreasing to the right: weaker regularisation)"

# Parameters of an Elastic-Net estimator (or its CV version) that the path
# needs to solve the same problem as the estimator.
_PATH_PARAMS = (
    "fit_intercept",
    "positive",
    "tol",
    "max_iter",
    "selection",
    "random_state",
    "penalty_factor",
    "lower_bounds",
    "upper_bounds",
)


def _pyplot():
    """Import matplotlib.pyplot, or say which extra installs it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "l1l2.plotting needs matplotlib, which is not installed; install "
            f"the plot extra: {PLOT_EXTRA}"
        ) from exc
    return plt


def _figure_and_axes(ax, figsize):
    """The given axes and their figure, or new ones sized for an outside
    legend (constrained layout keeps the legend inside the figure)."""
    plt = _pyplot()
    if ax is None:
        figure, ax = plt.subplots(figsize=figsize, layout="constrained")
        return figure, ax
    return ax.figure, ax


def _format_alpha_axis(ax):
    """Log-scaled alpha, decreasing to the right (inverted only once, so
    that two displays can share the axes)."""
    ax.set_xscale("log")
    if not ax.xaxis_inverted():
        ax.invert_xaxis()
    ax.set_xlabel(ALPHA_LABEL)


def _outside_legend(ax, **kwargs):
    """A legend right of the axes, where it cannot cover the data."""
    return ax.legend(
        loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs
    )


def _positive_alphas(alphas):
    alphas = np.asarray(alphas, dtype=np.float64).ravel()
    if alphas.size == 0 or np.any(~np.isfinite(alphas)) or np.any(alphas <= 0):
        raise ValueError(
            "alphas must be finite and positive to be drawn on a log axis; "
            f"got {alphas.size} values with minimum "
            f"{alphas.min() if alphas.size else None}."
        )
    return alphas


def _names(feature_names, n_features):
    """Feature names as strings, ``x0, x1, ...`` when there are none."""
    if feature_names is None:
        return [f"x{j}" for j in range(n_features)]
    names = [str(name) for name in feature_names]
    if len(names) != n_features:
        raise ValueError(
            f"Got {len(names)} feature names for {n_features} features."
        )
    return names


def _unwrap(estimator, X):
    """The estimator a Pipeline ends with, X transformed by the steps before
    it, and the feature names the pipeline was given (or None)."""
    from sklearn.pipeline import Pipeline

    if not isinstance(estimator, Pipeline):
        names = getattr(estimator, "feature_names_in_", None)
        if names is None and hasattr(X, "columns"):
            names = list(X.columns)
        return estimator, X, names
    head = estimator[:-1]
    if X is not None:
        X = head.transform(X)
    try:
        names = head.get_feature_names_out()
    except (AttributeError, ValueError, TypeError):
        names = getattr(estimator, "feature_names_in_", None)
    return estimator[-1], X, names


def _kind(estimator):
    """Which family the estimator belongs to, read from what it has.

    'enet_cv' (LassoCV, ElasticNetCV: a fold-by-alpha error path),
    'ridge_cv' (RidgeCV: an ``alphas`` list and a selected ``alpha_``),
    'enet' (Lasso, ElasticNet: an ``l1_ratio``) or 'ridge' (any other
    estimator with an ``alpha``, such as Ridge).
    """
    params = estimator.get_params(deep=False)
    if "alphas" in params:
        if not hasattr(estimator, "alpha_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(
                f"This {type(estimator).__name__} is not fitted yet: call fit "
                "before drawing it."
            )
        return "enet_cv" if hasattr(estimator, "mse_path_") else "ridge_cv"
    if "l1_ratio" in params or hasattr(estimator, "l1_ratio"):
        return "enet"
    if "alpha" in params:
        return "ridge"
    raise TypeError(
        f"{type(estimator).__name__} is not a Lasso, ElasticNet, Ridge or one of "
        "their CV versions: it has no alpha to draw a path over."
    )


def _selected_l1_ratio_index(estimator):
    """Row of the selected ``l1_ratio_`` in a CV estimator's 2-D arrays."""
    ratios = np.atleast_1d(np.asarray(estimator.get_params()["l1_ratio"], float))
    return int(np.argmin(np.abs(ratios - float(estimator.l1_ratio_))))


def _cv_alphas(estimator):
    """The alpha grid of a fitted LassoCV/ElasticNetCV, for ``l1_ratio_``."""
    alphas = np.asarray(estimator.alphas_, dtype=np.float64)
    if alphas.ndim == 2:
        alphas = alphas[_selected_l1_ratio_index(estimator)]
    return alphas


def _one_target(y):
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"The pictures show one target: y must be 1-D, got shape {y.shape}."
        )
    return y


def ridge_alphas(X, *, n_alphas=100, around=None):
    """A log grid of Ridge alphas, from almost no shrinkage to almost full.

    Ridge shrinks the direction of singular value ``s`` of the centred X by
    ``s^2 / (s^2 + alpha)``: the grid runs from 10 times the largest
    ``s^2`` (every direction kept under 10 %) down to a hundredth of the
    smallest non-zero one (every direction kept over 99 %). When X is
    sparse or too large for a quick SVD, the squared Frobenius norm (an
    upper bound of ``s^2``) and ten decades below it stand in.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The features the Ridge model sees.
    n_alphas : int, default=100
        Number of alphas.
    around : array-like, default=None
        Alphas the grid must contain (it is widened around them).

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
        Decreasing alphas (the order of :func:`l1l2.enet_path`).

    Examples
    --------
    >>> import numpy as np
    >>> from l1l2.plotting import ridge_alphas
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    >>> alphas = ridge_alphas(X, n_alphas=5)
    >>> alphas.round(3)
    array([20.   ,  3.557,  0.632,  0.112,  0.02 ])
    """
    from scipy import sparse

    if sparse.issparse(X) or min(X.shape) > _RIDGE_SVD_MAX:
        X = sparse.csc_matrix(X, dtype=np.float64)
        mean = np.asarray(X.mean(axis=0)).ravel()
        squares = np.asarray(X.multiply(X).sum(axis=0)).ravel()
        total = max(float(np.sum(squares - X.shape[0] * mean**2)), 1e-300)
        high, low = 10.0 * total, 1e-10 * total
    else:
        X = np.asarray(X, dtype=np.float64)
        spectrum = np.linalg.svd(X - X.mean(axis=0), compute_uv=False) ** 2
        largest = max(float(spectrum.max(initial=0.0)), 1e-300)
        # Directions this much weaker than the largest are numerically null.
        smallest = float(spectrum[spectrum > largest * 1e-12].min())
        high, low = 10.0 * largest, 0.01 * smallest
    around = np.asarray([] if around is None else around, dtype=np.float64).ravel()
    around = around[around > 0]
    if around.size:
        high = max(high, 10.0 * around.max())
        low = min(low, 0.1 * around.min())
    return np.geomspace(high, low, n_alphas)


# Up to this many rows or columns, ridge_alphas reads the spectrum of X.
_RIDGE_SVD_MAX = 3000


def _ridge_path(estimator, X, y, alphas):
    """Coefficients and intercepts of l1l2's Ridge at each alpha."""
    from scipy.linalg import LinAlgWarning
    from sklearn.base import clone

    from ._ridge import Ridge

    if _kind(estimator) == "ridge":
        model = clone(estimator)
    else:
        model = Ridge(fit_intercept=estimator.get_params().get("fit_intercept", True))
    coefs = np.empty((X.shape[1], len(alphas)))
    intercepts = np.empty(len(alphas))
    with warnings.catch_warnings():
        # The smallest alphas of the grid may be near-singular on purpose.
        warnings.simplefilter("ignore", LinAlgWarning)
        for i, alpha in enumerate(alphas):
            model.set_params(alpha=alpha).fit(X, y)
            coefs[:, i] = np.ravel(model.coef_)
            intercepts[i] = np.ravel(model.intercept_)[0]
    return coefs, intercepts


def _enet_path(estimator, X, y, alphas, l1_ratio, **grid):
    """Coefficients and intercepts along l1l2's :func:`enet_path` with the
    estimator's parameters; ``grid`` (eps, n_alphas) when alphas is None."""
    from scipy import sparse

    from ._path import enet_path

    params = estimator.get_params()
    settings = {key: params[key] for key in _PATH_PARAMS if key in params}
    settings.setdefault("fit_intercept", True)
    if alphas is None:
        grid = dict(grid)
        alphas = grid.pop("n_alphas", 100)
    alphas, coefs, _ = enet_path(
        X, y, l1_ratio=l1_ratio, alphas=alphas, **grid, **settings
    )
    coefs = np.asarray(coefs, dtype=np.float64)
    if settings["fit_intercept"]:
        mean = X.mean(axis=0)
        mean = np.asarray(mean).ravel() if sparse.issparse(X) else mean
        intercepts = y.mean() - mean @ coefs
    else:
        intercepts = np.zeros(coefs.shape[1])
    return alphas, coefs, intercepts


def _prepared_data(X, y):
    """X as a float array (sparse stays sparse) and y as 1-D floats."""
    from sklearn.utils import check_array

    X = check_array(X, accept_sparse="csc", dtype=[np.float64, np.float32])
    return X, _one_target(y)


def _path_of(estimator, X, y, *, alphas=None, n_alphas=100, eps=1e-3):
    """The path of an estimator's base model: (alphas, coefs, intercepts,
    selected alpha), alphas decreasing."""
    kind = _kind(estimator)
    X, y = _prepared_data(X, y)
    if kind == "enet_cv":
        if alphas is None:
            alphas = _cv_alphas(estimator)
        # LassoCV has no l1_ratio_: it is the Lasso.
        l1_ratio = float(getattr(estimator, "l1_ratio_", 1.0))
        return (*_enet_path(estimator, X, y, alphas, l1_ratio),
                float(estimator.alpha_))
    if kind == "enet":
        selected = float(estimator.alpha)
        l1_ratio = float(estimator.l1_ratio)
        path = _enet_path(estimator, X, y, alphas, l1_ratio,
                          n_alphas=n_alphas, eps=eps)
        if alphas is None and not path[0][-1] <= selected <= path[0][0]:
            # Widen the automatic grid to show the estimator's own alpha.
            high = max(path[0][0], 2.0 * selected)
            low = min(path[0][-1], 0.5 * selected)
            path = _enet_path(estimator, X, y, np.geomspace(high, low, n_alphas),
                              l1_ratio)
        return (*path, selected)
    if kind == "ridge_cv":
        selected = float(np.ravel(estimator.alpha_)[0])
        own = np.atleast_1d(np.asarray(estimator.alphas, dtype=np.float64))
    else:
        selected = float(np.ravel(estimator.alpha)[0])
        own = np.array([selected])
    if alphas is None:
        alphas = ridge_alphas(X, n_alphas=n_alphas, around=own)
    alphas = np.sort(_positive_alphas(alphas))[::-1]
    return (alphas, *_ridge_path(estimator, X, y, alphas), selected)


class RegularizationPathDisplay:
    """Coefficients against alpha: the regularisation path.

    Create it with :meth:`from_estimator` or :meth:`from_path`; the
    constructor only stores data. Alpha is on a log scale, decreasing to the
    right, so that features enter the model from left to right. The
    ``n_labels`` largest coefficients are coloured and named in a legend
    right of the axes; the others are drawn in grey, and those that stay at
    zero all along are not drawn.

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        Regularisation strengths, all positive.
    coefs : ndarray of shape (n_features, n_alphas)
        Coefficients at each alpha (the layout of :func:`l1l2.enet_path`).
    feature_names : list of str, default=None
        Feature names; ``x0, x1, ...`` when None.
    selected_alpha : float, default=None
        An alpha to mark with a vertical line (the chosen model).

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One line per feature, in feature order, except for features that are
        zero at every alpha (they would lie on the zero line).
    features_ : list of str
        Names of the features of ``lines_``, in the same order.
    selected_line_ : matplotlib Line2D or None
        The vertical line at ``selected_alpha``, last in the legend.
    ax_ : matplotlib Axes
        Axes of the picture.
    figure_ : matplotlib Figure
        Figure of the picture.

    See Also
    --------
    CVCurveDisplay : The cross-validated error along the same alphas.
    l1l2.enet_path : Computes the coefficients this display draws.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # draw off-screen
    >>> from sklearn.datasets import load_diabetes
    >>> from l1l2 import Lasso
    >>> from l1l2.plotting import RegularizationPathDisplay
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> display = RegularizationPathDisplay.from_estimator(Lasso(alpha=0.5), X, y)
    >>> len(display.lines_), display.ax_.get_xscale()
    (10, 'log')
    >>> float(display.selected_line_.get_xdata()[0])
    0.5
    """

    def __init__(self, *, alphas, coefs, feature_names=None, selected_alpha=None):
        self.alphas = alphas
        self.coefs = coefs
        self.feature_names = feature_names
        self.selected_alpha = selected_alpha

    def plot(self, ax=None, *, n_labels=10, **kwargs):
        """Draw the path.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        n_labels : int, default=10
            How many of the largest coefficients to colour and name (ranked
            by their size at the selected alpha, then by their largest size
            along the path).
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for every line.

        Returns
        -------
        display : RegularizationPathDisplay
            This display, with the attributes set.
        """
        alphas = _positive_alphas(self.alphas)
        coefs = np.asarray(self.coefs, dtype=np.float64)
        if coefs.ndim != 2 or coefs.shape[1] != alphas.size:
            raise ValueError(
                f"coefs must have shape (n_features, n_alphas) = (n_features, "
                f"{alphas.size}), got {coefs.shape}."
            )
        names = _names(self.feature_names, coefs.shape[0])
        self.figure_, self.ax_ = _figure_and_axes(ax, figsize=(8.5, 4.8))
        ax = self.ax_
        ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)

        labelled = self._largest(coefs, alphas, n_labels)
        colour_of = dict(zip(labelled, _label_colours(len(labelled)), strict=True))
        # A feature that stays at zero would lie on the zero line: not drawing
        # it keeps wide data (thousands of features) fast to draw.
        drawn = np.flatnonzero(np.any(coefs != 0, axis=1))
        self.features_ = [names[j] for j in drawn]
        self.lines_ = []
        for j in drawn:
            if j in colour_of:
                style = {"color": colour_of[j], "linewidth": 1.6, "label": names[j],
                         "zorder": 3}
            else:
                # Unnamed lines stay in the background.
                style = {"color": "0.7", "linewidth": 0.7, "zorder": 2}
            (line,) = ax.plot(alphas, coefs[j], **{**style, **kwargs})
            self.lines_.append(line)
        handles = [self.lines_[int(np.searchsorted(drawn, j))] for j in labelled]

        self.selected_line_ = None
        if self.selected_alpha is not None:
            selected = float(self.selected_alpha)
            self.selected_line_ = ax.axvline(
                selected, color="black", linestyle="--", linewidth=1.0, zorder=4,
                label=f"selected alpha = {selected:.3g}",
            )
            handles.append(self.selected_line_)
        if handles:
            title = None if len(labelled) == len(names) else (
                f"largest {len(labelled)} of {len(names)} features")
            _outside_legend(ax, handles=handles, title=title, fontsize="small")
        _format_alpha_axis(ax)
        ax.set_ylabel("coefficient")
        return self

    def _largest(self, coefs, alphas, n_labels):
        """Indices of the coefficients to name, largest first."""
        size = np.abs(coefs)
        at_selected = np.zeros(coefs.shape[0])
        if self.selected_alpha is not None:
            nearest = np.argmin(np.abs(np.log(alphas / float(self.selected_alpha))))
            at_selected = size[:, nearest]
        order = np.lexsort((-size.max(axis=1), -at_selected))
        order = order[size.max(axis=1)[order] > 0]  # never name a zero line
        return [int(j) for j in order[: max(int(n_labels), 0)]]

    @classmethod
    def from_path(cls, alphas, coefs, *, feature_names=None, selected_alpha=None,
                  ax=None, **kwargs):
        """Draw a path already computed, e.g. by :func:`l1l2.enet_path`.

        Parameters
        ----------
        alphas : array-like of shape (n_alphas,)
            Regularisation strengths.
        coefs : array-like of shape (n_features, n_alphas)
            Coefficients at each alpha.
        feature_names : list of str, default=None
            Feature names; ``x0, x1, ...`` when None.
        selected_alpha : float, default=None
            An alpha to mark with a vertical line.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import load_diabetes
        >>> from l1l2 import lasso_path
        >>> from l1l2.plotting import RegularizationPathDisplay
        >>> X, y = load_diabetes(return_X_y=True)
        >>> alphas, coefs, _ = lasso_path(X, y, fit_intercept=True, alphas=30)
        >>> display = RegularizationPathDisplay.from_path(alphas, coefs)
        >>> len(display.lines_)
        10
        """
        display = cls(alphas=np.asarray(alphas), coefs=np.asarray(coefs),
                      feature_names=feature_names, selected_alpha=selected_alpha)
        return display.plot(ax=ax, **kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, feature_names=None, alphas=None,
                       n_alphas=100, eps=1e-3, ax=None, **kwargs):
        """Compute and draw the path of an estimator on X, y.

        - Lasso, ElasticNet (fitted or not, only the parameters are used):
          :func:`l1l2.enet_path` with the estimator's parameters on an
          automatic grid widened to contain ``estimator.alpha``, which is
          marked.
        - Ridge: l1l2's Ridge fitted at each alpha of a log grid that spans
          from almost no shrinkage to almost full; ``estimator.alpha`` is
          marked.
        - fitted LassoCV, ElasticNetCV: the path on the estimator's
          ``alphas_`` (those of the selected ``l1_ratio_``); ``alpha_`` is
          marked.
        - fitted RidgeCV: Ridge on a log grid containing its ``alphas``;
          ``alpha_`` is marked.
        - a fitted Pipeline ending with one of these: X goes through the
          steps before it first (so a scaler's effect is shown).

        Parameters
        ----------
        estimator : estimator
            One of the above.
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Target.
        feature_names : list of str, default=None
            Feature names; by default the estimator's ``feature_names_in_``
            or the columns of a DataFrame X.
        alphas : array-like, default=None
            Alphas to use instead of the automatic grid.
        n_alphas : int, default=100
            Length of the automatic grid.
        eps : float, default=1e-3
            ``alpha_min / alpha_max`` of the automatic Lasso/ElasticNet grid.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : RegularizationPathDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import load_diabetes
        >>> from l1l2 import Ridge
        >>> from l1l2.plotting import RegularizationPathDisplay
        >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
        >>> display = RegularizationPathDisplay.from_estimator(Ridge(1.0), X, y)
        >>> [text.get_text() for text in display.ax_.get_legend().get_texts()][:3]
        ['bmi', 's5', 'bp']
        """
        _pyplot()  # fail before computing when matplotlib is missing
        model, X, names = _unwrap(estimator, X)
        path_alphas, coefs, _, selected = _path_of(
            model, X, y, alphas=alphas, n_alphas=n_alphas, eps=eps
        )
        names = feature_names if feature_names is not None else names
        display = cls(alphas=path_alphas, coefs=coefs, feature_names=names,
                      selected_alpha=selected)
        return display.plot(ax=ax, **kwargs)


def _label_colours(n):
    """Distinct colours for the named lines (tab10, then tab20)."""
    plt = _pyplot()
    palette = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [palette(i % palette.N) for i in range(n)]


def one_standard_error_alphas(alphas, mse_mean, mse_se):
    """The alpha of the lowest mean error, and the 1-SE alpha.

    The 1-SE alpha (Breiman et al., 1984; glmnet's ``lambda.1se``) is the
    largest alpha whose mean error is within one standard error of the
    lowest: the simplest model the data cannot tell from the best one.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
        Regularisation strengths, in any order.
    mse_mean : array-like of shape (n_alphas,)
        Mean cross-validated error at each alpha.
    mse_se : array-like of shape (n_alphas,)
        Its standard error.

    Returns
    -------
    alpha_min : float
        The alpha of the lowest mean error.
    alpha_1se : float
        The largest alpha with ``mse_mean <= mse_mean[min] + mse_se[min]``.

    Examples
    --------
    >>> from l1l2.plotting import one_standard_error_alphas
    >>> one_standard_error_alphas([1.0, 0.1, 0.01], [5.0, 3.5, 3.0], [0.6, 0.6, 0.6])
    (0.01, 0.1)
    """
    alphas = np.asarray(alphas, dtype=np.float64)
    mean = np.asarray(mse_mean, dtype=np.float64)
    se = np.asarray(mse_se, dtype=np.float64)
    best = int(np.nanargmin(mean))
    within = mean <= mean[best] + se[best]
    within[best] = True  # also when the standard error is NaN (one fold)
    return float(alphas[best]), float(np.max(alphas[within]))


class CVCurveDisplay:
    """Cross-validated error against alpha, with one standard error.

    Create it with :meth:`from_estimator` (a fitted LassoCV, ElasticNetCV or
    RidgeCV) or :meth:`from_cv_results`; the constructor only stores data.
    The mean error is drawn with a band of plus or minus one standard error;
    vertical lines mark ``alpha_min`` (lowest mean error) and ``alpha_1se``
    (largest alpha within one standard error of it). Optionally the training
    error of the same model refitted on all the data is drawn too: the gap
    between the two curves is the bias-variance trade-off (high alpha, left:
    both errors high, the model under-fits; low alpha, right: training error
    keeps falling while the CV error rises, the model over-fits).

    Parameters
    ----------
    alphas : ndarray of shape (n_alphas,)
        Regularisation strengths, all positive.
    mse_mean : ndarray of shape (n_alphas,)
        Mean cross-validated squared error at each alpha.
    mse_se : ndarray of shape (n_alphas,)
        Standard error of ``mse_mean``.
    alpha_min : float, default=None
        Alpha of the lowest mean error (computed when None).
    alpha_1se : float, default=None
        Alpha chosen by the one-standard-error rule (computed when None).
    train_alphas : ndarray of shape (n_train_alphas,), default=None
        Alphas of ``train_mse``.
    train_mse : ndarray of shape (n_train_alphas,), default=None
        Training error of the model fitted on all the data at each alpha.
    estimator_name : str, default=None
        Name used in the legend.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The mean CV error.
    band_ : matplotlib PolyCollection or ErrorbarContainer
        One standard error around it.
    train_line_ : matplotlib Line2D or None
        The training error, when given.
    alpha_min_line_, alpha_1se_line_ : matplotlib Line2D
        The vertical lines at ``alpha_min`` and ``alpha_1se``.
    ax_ : matplotlib Axes
        Axes of the picture.
    figure_ : matplotlib Figure
        Figure of the picture.

    See Also
    --------
    RegularizationPathDisplay : The coefficients along the same alphas.
    one_standard_error_alphas : How ``alpha_min`` and ``alpha_1se`` are found.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from l1l2.plotting import CVCurveDisplay
    >>> alphas = np.geomspace(1.0, 1e-3, 20)
    >>> folds = (np.log10(alphas)[:, None] + 1.5) ** 2 + np.linspace(1, 2, 5)
    >>> display = CVCurveDisplay.from_cv_results(alphas, folds)
    >>> round(display.alpha_min, 4), round(display.alpha_1se, 4)
    (0.0379, 0.0785)
    >>> display.ax_.get_xscale()
    'log'
    """

    def __init__(self, *, alphas, mse_mean, mse_se, alpha_min=None, alpha_1se=None,
                 train_alphas=None, train_mse=None, estimator_name=None):
        self.alphas = alphas
        self.mse_mean = mse_mean
        self.mse_se = mse_se
        self.alpha_min = alpha_min
        self.alpha_1se = alpha_1se
        self.train_alphas = train_alphas
        self.train_mse = train_mse
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, errorbars=False, annotate_regions=None, **kwargs):
        """Draw the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        errorbars : bool, default=False
            Show the standard error as error bars instead of a shaded band.
        annotate_regions : bool, default=None
            Write "under-fitting" and "over-fitting" at the two ends of the
            alpha axis; by default only when the training error is drawn.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for the mean line.

        Returns
        -------
        display : CVCurveDisplay
            This display, with the attributes set.
        """
        alphas = _positive_alphas(self.alphas)
        mean = np.asarray(self.mse_mean, dtype=np.float64).ravel()
        se = np.asarray(self.mse_se, dtype=np.float64).ravel()
        if not mean.shape == se.shape == alphas.shape:
            raise ValueError(
                f"alphas, mse_mean and mse_se must have the same length; got "
                f"{alphas.size}, {mean.size} and {se.size}."
            )
        alpha_min, alpha_1se = one_standard_error_alphas(alphas, mean, se)
        if self.alpha_min is not None:
            alpha_min = float(self.alpha_min)
        if self.alpha_1se is not None:
            alpha_1se = float(self.alpha_1se)
        self.alpha_min, self.alpha_1se = alpha_min, alpha_1se

        self.figure_, self.ax_ = _figure_and_axes(ax, figsize=(9.5, 4.8))
        ax = self.ax_
        order = np.argsort(alphas)
        alphas, mean, se = alphas[order], mean[order], se[order]
        name = "CV error" if self.estimator_name is None else (
            f"{self.estimator_name} CV error")
        style = {"color": "tab:blue", "linewidth": 1.8,
                 "label": f"{name} (mean ± 1 SE)"}
        if errorbars:
            self.band_ = ax.errorbar(alphas, mean, yerr=se, capsize=2,
                                     **{**style, **kwargs})
            self.line_ = self.band_.lines[0]
        else:
            (self.line_,) = ax.plot(alphas, mean, **{**style, **kwargs})
            self.band_ = ax.fill_between(alphas, mean - se, mean + se,
                                         color=self.line_.get_color(), alpha=0.2,
                                         linewidth=0)

        self.train_line_ = None
        if self.train_mse is not None:
            train_alphas = _positive_alphas(
                self.alphas if self.train_alphas is None else self.train_alphas)
            (self.train_line_,) = ax.plot(
                train_alphas, np.asarray(self.train_mse, dtype=np.float64),
                color="tab:orange", linestyle="-.", linewidth=1.6,
                label="training error (refitted on all data)",
            )
        self.alpha_min_line_ = ax.axvline(
            alpha_min, color="black", linestyle=":", linewidth=1.2,
            label=f"alpha_min = {alpha_min:.3g} (lowest CV error)",
        )
        self.alpha_1se_line_ = ax.axvline(
            alpha_1se, color="tab:red", linestyle="--", linewidth=1.2,
            label=f"alpha_1se = {alpha_1se:.3g} (1-SE rule)",
        )
        _format_alpha_axis(ax)
        ax.set_ylabel("mean squared error")
        if annotate_regions is None:
            annotate_regions = self.train_line_ is not None
        if annotate_regions:
            _annotate_regions(ax)
        _outside_legend(ax, fontsize="small")
        return self

    @classmethod
    def from_cv_results(cls, alphas, mse_path, *, mse_se=None, alpha_min=None,
                        alpha_1se=None, train_mse=None, estimator_name=None,
                        ax=None, **kwargs):
        """Draw a CV curve from per-fold errors.

        Parameters
        ----------
        alphas : array-like of shape (n_alphas,)
            Regularisation strengths.
        mse_path : array-like of shape (n_alphas, n_folds) or (n_alphas,)
            Squared error of each fold at each alpha (LassoCV's
            ``mse_path_`` layout), or already the mean over folds (then give
            ``mse_se``).
        mse_se : array-like of shape (n_alphas,), default=None
            Standard error of the mean; by default the fold standard
            deviation over the square root of the number of folds.
        alpha_min, alpha_1se : float, default=None
            Alphas to mark; computed from the curve when None.
        train_mse : array-like of shape (n_alphas,), default=None
            Training error at each alpha, drawn on the same axes.
        estimator_name : str, default=None
            Name used in the legend.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : CVCurveDisplay
        """
        mse_path = np.asarray(mse_path, dtype=np.float64)
        if mse_path.ndim == 2:
            mean = mse_path.mean(axis=1)
            if mse_se is None:
                n_folds = mse_path.shape[1]
                mse_se = (mse_path.std(axis=1, ddof=1) / np.sqrt(n_folds)
                          if n_folds > 1 else np.zeros_like(mean))
        elif mse_path.ndim == 1:
            if mse_se is None:
                raise ValueError(
                    "mse_path is 1-D (a mean over folds): pass its standard "
                    "error as mse_se, or pass the (n_alphas, n_folds) errors."
                )
            mean = mse_path
        else:
            raise ValueError(
                f"mse_path must have shape (n_alphas, n_folds), got {mse_path.shape}."
            )
        display = cls(alphas=np.asarray(alphas, dtype=np.float64), mse_mean=mean,
                      mse_se=np.asarray(mse_se, dtype=np.float64),
                      alpha_min=alpha_min, alpha_1se=alpha_1se, train_mse=train_mse,
                      estimator_name=estimator_name)
        return display.plot(ax=ax, **kwargs)

    @classmethod
    def from_estimator(cls, estimator, X=None, y=None, *, train_error=False,
                       ax=None, **kwargs):
        """Draw the CV curve of a fitted LassoCV, ElasticNetCV or RidgeCV.

        - LassoCV, ElasticNetCV: ``mse_path_`` over ``alphas_`` (those of
          the selected ``l1_ratio_`` when several were tried), with the
          standard error ``mse_std_path_``; marks ``alpha_min_`` and
          ``alpha_1se_``.
        - RidgeCV fitted with ``store_cv_results=True``: the leave-one-out
          squared errors ``cv_results_`` averaged over samples (and
          targets), with their standard error over samples.
        - a fitted Pipeline ending with one of these.

        Parameters
        ----------
        estimator : estimator
            A fitted LassoCV, ElasticNetCV or RidgeCV, or a Pipeline ending
            with one.
        X : {array-like, sparse matrix} of shape (n_samples, n_features), \
                default=None
            Training data; needed only with ``train_error=True``.
        y : array-like of shape (n_samples,), default=None
            Target; needed only with ``train_error=True``.
        train_error : bool, default=False
            Also draw the training error of the estimator's base model
            (Lasso, ElasticNet or Ridge) refitted on all of X, y at each
            alpha.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : CVCurveDisplay
        """
        _pyplot()
        model, X, _ = _unwrap(estimator, X)
        kind = _kind(model)
        if kind == "enet_cv":
            alphas, mean, se, alpha_min, alpha_1se = _enet_cv_curve(model)
        elif kind == "ridge_cv":
            alphas, mean, se, alpha_min, alpha_1se = _ridge_cv_curve(model)
        else:
            raise TypeError(
                f"CVCurveDisplay.from_estimator needs a fitted LassoCV, "
                f"ElasticNetCV or RidgeCV, got {type(model).__name__}."
            )
        train_alphas = train_mse = None
        if train_error:
            if X is None or y is None:
                raise ValueError("train_error=True needs the training X and y.")
            train_alphas, coefs, intercepts, _ = _path_of(model, X, y, alphas=alphas)
            train_mse = _training_mse(X, y, coefs, intercepts)
        name = type(model).__name__
        if np.ndim(model.get_params().get("l1_ratio", 1.0)) > 0:
            name += f" (l1_ratio={model.l1_ratio_:g})"
        display = cls(alphas=alphas, mse_mean=mean, mse_se=se, alpha_min=alpha_min,
                      alpha_1se=alpha_1se, train_alphas=train_alphas,
                      train_mse=train_mse, estimator_name=name)
        return display.plot(ax=ax, **kwargs)


def _enet_cv_curve(estimator):
    """(alphas, mean, se, alpha_min, alpha_1se) of a LassoCV/ElasticNetCV."""
    alphas = _cv_alphas(estimator)
    mse_path = np.asarray(estimator.mse_path_, dtype=np.float64)
    se = getattr(estimator, "mse_std_path_", None)
    if mse_path.ndim == 3:
        row = _selected_l1_ratio_index(estimator)
        mse_path = mse_path[row]
        se = None if se is None else np.asarray(se)[row]
    mean = mse_path.mean(axis=1)
    if se is None:
        se = mse_path.std(axis=1, ddof=1) / np.sqrt(mse_path.shape[1])
    alpha_min = getattr(estimator, "alpha_min_", None)
    alpha_1se = getattr(estimator, "alpha_1se_", None)
    return alphas, mean, np.asarray(se, dtype=np.float64), alpha_min, alpha_1se


def _ridge_cv_curve(estimator):
    """(alphas, mean, se, alpha_min, alpha_1se) of a RidgeCV from its stored
    leave-one-out errors."""
    errors = getattr(estimator, "cv_results_", None)
    if errors is None:
        raise ValueError(
            f"This {type(estimator).__name__} has no cv_results_: fit it with "
            "store_cv_results=True (and cv=None, the efficient leave-one-out) "
            "to draw its CV curve."
        )
    if getattr(estimator, "scoring", None) is not None:
        raise ValueError(
            "cv_results_ holds squared errors only with scoring=None; refit the "
            "RidgeCV without scoring to draw its CV curve."
        )
    errors = np.asarray(errors, dtype=np.float64)
    if errors.ndim == 3:
        errors = errors.mean(axis=1)  # average over targets
    alphas = np.atleast_1d(np.asarray(estimator.alphas, dtype=np.float64))
    mean = errors.mean(axis=0)
    se = errors.std(axis=0, ddof=1) / np.sqrt(errors.shape[0])
    alpha_min = getattr(estimator, "alpha_min_", None)
    if alpha_min is None:
        alpha_min = float(np.ravel(estimator.alpha_)[0])
    return alphas, mean, se, alpha_min, getattr(estimator, "alpha_1se_", None)


def _training_mse(X, y, coefs, intercepts):
    """Mean squared training error at each column of ``coefs``."""
    X, y = _prepared_data(X, y)
    predictions = np.asarray(X @ coefs) + intercepts
    return np.mean((y[:, np.newaxis] - predictions) ** 2, axis=0)


def _annotate_regions(ax):
    """Name the two ends of the alpha axis, lightly, in headroom added above
    the curves so that the words cover no data."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.12 * (high - low))
    style = {"xycoords": "axes fraction", "fontsize": "small", "color": "0.35",
             "va": "top", "fontstyle": "italic", "zorder": 5,
             "bbox": {"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                      "pad": 1.0}}
    ax.annotate("← under-fitting (high bias)", xy=(0.01, 0.98), ha="left", **style)
    ax.annotate("over-fitting (high variance) →", xy=(0.99, 0.98), ha="right",
                **style)


class CoefficientComparisonDisplay:
    """Coefficients of several fitted models side by side, per feature.

    Create it with :meth:`from_estimators` (or
    :func:`plot_coefficient_comparison`); the constructor only stores data.
    Each feature gets a group of bars, one per model: where the Lasso sets a
    coefficient exactly to zero its bar is missing, where Ridge shrinks it
    the bar is short but present.

    Parameters
    ----------
    coefs : dict of str to ndarray of shape (n_features,)
        Coefficients of each model, by model name.
    feature_names : list of str, default=None
        Feature names; ``x0, x1, ...`` when None.

    Attributes
    ----------
    bars_ : dict of str to matplotlib BarContainer
        The bars of each model.
    features_ : list of str
        Names of the features drawn, in the order drawn.
    ax_ : matplotlib Axes
        Axes of the picture.
    figure_ : matplotlib Figure
        Figure of the picture.

    See Also
    --------
    plot_coefficient_comparison : The same, as a function.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_diabetes
    >>> from l1l2 import ElasticNet, Lasso, Ridge
    >>> from l1l2.plotting import CoefficientComparisonDisplay
    >>> X, y = load_diabetes(return_X_y=True, as_frame=True)
    >>> models = {"Lasso": Lasso(alpha=0.1), "Ridge": Ridge(alpha=0.1),
    ...           "ElasticNet": ElasticNet(alpha=0.01)}
    >>> display = CoefficientComparisonDisplay.from_estimators(
    ...     {name: model.fit(X, y) for name, model in models.items()})
    >>> sorted(display.bars_), len(display.features_)
    (['ElasticNet', 'Lasso', 'Ridge'], 10)
    """

    def __init__(self, *, coefs, feature_names=None):
        self.coefs = coefs
        self.feature_names = feature_names

    def plot(self, ax=None, *, max_features=30, sort=False, **kwargs):
        """Draw grouped bars, one group per feature.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        max_features : int, default=30
            Draw at most this many features: those with the largest
            coefficient in any model.
        sort : bool, default=False
            Order the features by their largest coefficient instead of their
            position.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.bar`.

        Returns
        -------
        display : CoefficientComparisonDisplay
            This display, with the attributes set.
        """
        names = list(self.coefs)
        if not names:
            raise ValueError("coefs is empty: give at least one model.")
        table = np.vstack([np.ravel(np.asarray(self.coefs[n], float)) for n in names])
        features = _names(self.feature_names, table.shape[1])
        size = np.abs(table).max(axis=0)
        shown = np.argsort(-size, kind="stable")[:max_features]
        if not sort:
            shown = np.sort(shown)
        self.features_ = [features[j] for j in shown]

        width = max(6.0, min(16.0, 1.0 + 0.45 * len(shown) * max(1, len(names)) ** 0.5))
        self.figure_, self.ax_ = _figure_and_axes(ax, figsize=(width, 4.5))
        ax = self.ax_
        positions = np.arange(len(shown))
        bar_width = 0.8 / len(names)
        self.bars_ = {}
        for k, name in enumerate(names):
            offset = (k - (len(names) - 1) / 2) * bar_width
            self.bars_[name] = ax.bar(positions + offset, table[k, shown],
                                      width=bar_width, label=name,
                                      **{"color": f"C{k}", **kwargs})
        ax.axhline(0.0, color="0.4", linewidth=0.8)
        ax.set_xticks(positions, self.features_)
        longest = max(len(f) for f in self.features_)
        if len(shown) * max(longest, 3) > 60:
            ax.tick_params(axis="x", labelrotation=60)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
                label.set_rotation_mode("anchor")
        ax.set_xlim(-0.6, len(shown) - 0.4)
        ax.set_xlabel("feature")
        ax.set_ylabel("coefficient")
        ax.grid(axis="y", color="0.9")
        ax.set_axisbelow(True)
        _outside_legend(ax, fontsize="small")
        return self

    @classmethod
    def from_estimators(cls, estimators, *, feature_names=None, ax=None, **kwargs):
        """Draw the coefficients of fitted estimators.

        Parameters
        ----------
        estimators : dict of str to estimator
            Fitted linear models with a 1-D ``coef_`` (or Pipelines ending
            with one), by the name to show in the legend.
        feature_names : list of str, default=None
            Feature names; by default the ``feature_names_in_`` of the first
            estimator that has them.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : CoefficientComparisonDisplay
        """
        _pyplot()
        coefs = {}
        for name, estimator in estimators.items():
            model, _, names = _unwrap(estimator, None)
            if getattr(model, "coef_", None) is None:
                raise ValueError(f"{name!r} has no coef_: fit it first.")
            coef = np.asarray(model.coef_, dtype=np.float64)
            if coef.ndim != 1 and coef.shape[0] != 1:
                raise ValueError(
                    f"{name!r} has one coefficient vector per target "
                    f"{coef.shape}; compare single-target models."
                )
            coefs[str(name)] = coef.ravel()
            if feature_names is None and names is not None:
                feature_names = names
        display = cls(coefs=coefs, feature_names=feature_names)
        return display.plot(ax=ax, **kwargs)


def plot_coefficient_comparison(estimators, *, feature_names=None, ax=None,
                                **kwargs):
    """Draw the coefficients of fitted models side by side.

    A shortcut for :meth:`CoefficientComparisonDisplay.from_estimators`.

    Parameters
    ----------
    estimators : dict of str to estimator
        Fitted linear models, by name.
    feature_names : list of str, default=None
        Feature names; by default those the estimators were fitted with.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure when None.
    **kwargs : dict
        Passed to :meth:`CoefficientComparisonDisplay.plot`.

    Returns
    -------
    display : CoefficientComparisonDisplay

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from l1l2 import Lasso, Ridge
    >>> from l1l2.plotting import plot_coefficient_comparison
    >>> X = np.random.default_rng(0).normal(size=(50, 3))
    >>> y = X @ [2.0, 0.0, -1.0]
    >>> display = plot_coefficient_comparison(
    ...     {"Lasso": Lasso(alpha=0.1).fit(X, y), "Ridge": Ridge().fit(X, y)},
    ...     feature_names=["a", "b", "c"])
    >>> [label.get_text() for label in display.ax_.get_xticklabels()]
    ['a', 'b', 'c']
    """
    return CoefficientComparisonDisplay.from_estimators(
        estimators, feature_names=feature_names, ax=ax, **kwargs
    )
