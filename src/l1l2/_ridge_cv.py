"""RidgeCV: Ridge regression with alpha chosen by cross-validation.

With ``cv=None`` every alpha is scored by its exact leave-one-out errors,
all from one decomposition of the centred, weighted X (primal or dual,
eigendecomposition or SVD); with any other ``cv`` by
:class:`~sklearn.model_selection.GridSearchCV` over :class:`l1l2.Ridge`.
"""

import warnings
from functools import partial
from numbers import Real

import numpy as np
from scipy import linalg, sparse
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.metrics import check_scoring, get_scorer, get_scorer_names
from sklearn.model_selection import GridSearchCV, check_cv
from sklearn.utils import check_scalar
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)

from ._base import (
    Design,
    LinearPredictorMixin,
    centring_offsets,
    check_finite_result,
    coefficient_bounds,
    rescaled_weights,
    squeeze_single_target,
)
from ._ridge import Ridge, weights_of

# --- RidgeCV: leave-one-out errors of every alpha from one decomposition ------
#
# In the rescaled space (row i of X and y multiplied by sqrt(s_i)) a weighted
# Ridge fit is an unweighted one, and the intercept is an unpenalised column
# q = sqrt(s) / ||sqrt(s)||. Centring the columns of X with the weighted means
# makes them orthogonal to q, so the hat matrix splits exactly into
#
#     H(alpha) = q q^T + Z (Z^T Z + alpha I)^{-1} Z^T,   Z = sqrt(S) (X - 1 m^T),
#
# and leaving out row i of a penalised least-squares fit (intercept refitted)
# leaves the residual (y~_i - yhat~_i) / (1 - H_ii). Leaving out a row of the
# rescaled problem is leaving out a sample of the weighted one, so these are
# scikit-learn's weighted leave-one-out residuals sqrt(s_i) (y_i - f_{-i}(x_i)).

# Values held at once when the leave-one-out residuals are evaluated (fitted
# values and hat-matrix diagonal of a chunk of alphas, a block of basis
# columns); bounds the temporary memory for large n_samples or many alphas.
_LOO_BLOCK_VALUES = 2**22
_EPS = np.finfo(np.float64).eps


def check_alphas(alphas, *, allow_zero=False):
    """A grid of penalty strengths as a non-empty 1-D float64 array.

    Each value is checked with scikit-learn's ``check_scalar`` (its words:
    ``alphas[1] == -1, must be > 0.0``): a real number, positive, or
    non-negative when ``allow_zero`` (a grid search can fit ``alpha=0``; the
    leave-one-out decomposition cannot), and finite.
    """
    if isinstance(alphas, (np.ndarray, list, tuple)):
        if np.ndim(alphas) > 1:
            raise ValueError(
                f"alphas must be a float or a 1-D array-like of floats, got an "
                f"array of shape {np.shape(alphas)}."
            )
        if len(alphas) == 0:
            raise ValueError("alphas is empty: give at least one penalty strength.")
        names = (
            ["alphas"]
            if len(alphas) == 1
            else [f"alphas[{index}]" for index in range(len(alphas))]
        )
    else:
        names, alphas = ["alphas"], [alphas]
    bound = "left" if allow_zero else "neither"
    for name, alpha in zip(names, alphas, strict=True):
        check_scalar(
            alpha, name, target_type=Real, min_val=0.0, include_boundaries=bound
        )
        if not np.isfinite(alpha):
            raise ValueError(f"{name} == {alpha}, must be finite.")
    return np.asarray(alphas, dtype=np.float64)


def _leave_one_out_spectrum(X, sample_weight, X_offset, fit_intercept, gcv_mode):
    """The decomposition that gives the Ridge fits and leave-one-out
    residuals of every alpha: primal (p x p) when n_samples > n_features,
    dual (n x n) otherwise; an SVD of the centred X only when asked for."""
    n_samples, n_features = X.shape
    lower, upper = coefficient_bounds(n_features, np.float64)
    design = Design(X, sample_weight, X_offset, np.ones(n_features), lower, upper)
    root = np.sqrt(design.weights)
    direction = root / np.linalg.norm(root) if fit_intercept else None
    use_svd = gcv_mode == "svd" and not design.is_sparse
    if n_samples > n_features:
        leverage = np.zeros(n_samples) if direction is None else direction**2
        return _PrimalSpectrum(design, root, leverage, use_svd=use_svd)
    return _DualSpectrum(design, root, direction, use_svd=use_svd)


class _PrimalSpectrum:
    """The ridge fits of every alpha from the eigenpairs of ``Z^T Z``.

    The basis columns are ``b_k = Z v_k`` (squared norm ``lambda_k``), so
    that the ridge part of the hat matrix is ``sum_k b_k b_k^T / (lambda_k +
    alpha)``; directions with a numerically zero eigenvalue contribute
    nothing and are dropped.

    ``use_svd``: the thin SVD of Z (a centred copy of a dense X), the most
    accurate, ``b_k = u_k sigma_k``. Otherwise the eigendecomposition of the
    p x p Gram matrix, built without copying X (dense or sparse), with the
    basis columns computed from X a block at a time.
    """

    def __init__(self, design, root, intercept_leverage, *, use_svd):
        self.design = design
        self.root = root
        if use_svd:
            eigenvalues, V, self._basis = _svd_basis(design)
        else:
            eigenvalues, V = linalg.eigh(
                design.gram_matrix(), overwrite_a=True, check_finite=False
            )
            cutoff = eigenvalues.max(initial=0.0) * design.n_features * _EPS
            kept = eigenvalues > cutoff
            eigenvalues, V, self._basis = eigenvalues[kept], V[:, kept], None
        self.eigenvalues = eigenvalues
        self.V = np.ascontiguousarray(V)
        # M = (I - q q^T) - ridge part; (I - q q^T) y~ = y~ for a centred y.
        self.base = 1.0 - intercept_leverage
        self.keeps_target = True

    def coordinates(self, Yc):
        """``B^T y~`` of the centred targets: ``V^T Xt^T S Yc``."""
        return self.V.T @ self.design.transpose_dot(Yc)

    def basis_blocks(self):
        """Yield ``(columns, B[:, columns])`` covering the basis."""
        if self._basis is not None:
            yield slice(None), self._basis
            return
        design = self.design
        step = max(1, _LOO_BLOCK_VALUES // max(design.n_samples, 1))
        for start in range(0, self.V.shape[1], step):
            columns = slice(start, start + step)
            V = self.V[:, columns]
            block = np.asarray(design.X @ V) - design.X_offset @ V
            yield columns, block * self.root[:, np.newaxis]

    @staticmethod
    def weights(eigenvalues, alphas):
        """``M = I - q q^T - sum_k b_k b_k^T / (lambda_k + alpha)``."""
        return -1.0 / np.add.outer(eigenvalues, alphas)

    def coef(self, coordinates, alphas):
        """Coefficients (n_targets, n_features), target j at ``alphas[j]``."""
        return (self.V @ (coordinates / np.add.outer(self.eigenvalues, alphas))).T


class _DualSpectrum:
    """The ridge fits of every alpha from the eigenpairs of ``Z Z^T``.

    For ``n_samples <= n_features``. The basis Q is orthonormal and complete
    on the complement of the intercept direction q (all of R^n without an
    intercept), so that ``M = I - H = sum_k q_k q_k^T alpha / (lambda_k +
    alpha)``: sums of non-negative terms, accurate even where the fit
    nearly interpolates (M_ii near 0).

    ``use_svd``: from the thin SVD of Z (a centred copy of a dense X), the
    most accurate; otherwise from the n x n kernel matrix, built without
    copying X (dense or sparse).
    """

    def __init__(self, design, root, intercept_direction, *, use_svd):
        reflection = (
            None if intercept_direction is None else _Reflection(intercept_direction)
        )
        if use_svd:
            eigenvalues, Q = _dual_svd(design, reflection)
        else:
            eigenvalues, Q = _dual_eigh(design, reflection)
        # Eigenvalues below rounding level are zeros of the kernel.
        cutoff = eigenvalues.max(initial=0.0) * design.n_samples * _EPS
        eigenvalues[eigenvalues <= cutoff] = 0.0
        self.design = design
        self.root = root
        self.eigenvalues = eigenvalues
        self.Q = Q
        # M has no part outside the span of the basis.
        self.base = np.zeros(design.n_samples)
        self.keeps_target = False

    def coordinates(self, Yc):
        """``Q^T y~`` of the centred targets."""
        return self.Q.T @ (self.root[:, np.newaxis] * Yc)

    def basis_blocks(self):
        """Yield ``(columns, Q[:, columns])``: the whole basis at once."""
        yield slice(None), self.Q

    @staticmethod
    def weights(eigenvalues, alphas):
        """``M = sum_k b_k b_k^T alpha / (lambda_k + alpha)``."""
        return alphas[np.newaxis, :] / np.add.outer(eigenvalues, alphas)

    def coef(self, coordinates, alphas):
        """Coefficients ``Z^T (Z Z^T + alpha I)^{-1} y~``, target j at
        ``alphas[j]``, without copying X."""
        # Null directions of the kernel are orthogonal to the columns of Z
        # (exactly, but for rounding): they add nothing to the coefficients.
        inverse = np.zeros((len(self.eigenvalues), len(alphas)))
        positive = self.eigenvalues > 0
        inverse[positive] = 1.0 / np.add.outer(self.eigenvalues[positive], alphas)
        dual = self.Q @ (coordinates * inverse)
        return self.design.transpose_dot(dual, self.root).T


def _svd_basis(design):
    """Eigenvalues ``sigma^2``, right singular vectors and basis ``U sigma``
    of Z, singular values below rounding level dropped."""
    U, singular, Vt = _thin_svd(design.centred_block())
    n_samples, n_features = design.n_samples, design.n_features
    cutoff = singular.max(initial=0.0) * max(n_samples, n_features) * _EPS
    kept = singular > cutoff
    return singular[kept] ** 2, Vt[kept].T, U[:, kept] * singular[kept]


class _Reflection:
    """The Householder reflection ``R = I - beta v v^T`` that maps a unit
    vector q to a multiple of e_1.

    Applied to the intercept direction: R carries the complement of q onto
    the last n - 1 coordinates, where the dual decompositions are computed,
    so that the n - 1 basis vectors they give are orthogonal to q to
    rounding level (an eigensolver given the whole kernel would mix q into
    its other null vectors).
    """

    def __init__(self, q):
        self.v = q.copy()
        self.v[0] += 1.0 if q[0] >= 0 else -1.0
        self.beta = 2.0 / (self.v @ self.v)

    def rows(self, A):
        """``(R A)[1:]`` (the first row is ``+-q^T A``, zero here)."""
        return A[1:] - np.outer(self.beta * self.v[1:], self.v @ A)

    def symmetric(self, K):
        """``(R K R)[1:, 1:]`` for a symmetric K, by a rank-2 update."""
        v, beta = self.v, self.beta
        Kv = K @ v
        w = beta * Kv - (0.5 * beta**2 * (v @ Kv)) * v
        return (K - np.outer(v, w) - np.outer(w, v))[1:, 1:]

    def back(self, Q_inner):
        """``R [0; Q_inner]``: vectors of the complement in R^n."""
        Q = np.zeros((Q_inner.shape[0] + 1, Q_inner.shape[1]))
        Q[1:] = Q_inner
        Q -= np.outer(self.beta * self.v, self.v[1:] @ Q_inner)
        return Q


def _dual_eigh(design, reflection):
    """Eigenpairs of the kernel ``Z Z^T`` on the complement of q."""
    kernel = design.kernel_matrix()
    if reflection is None:
        return linalg.eigh(kernel, overwrite_a=True, check_finite=False)
    eigenvalues, Q = linalg.eigh(
        reflection.symmetric(kernel), overwrite_a=True, check_finite=False
    )
    return eigenvalues, reflection.back(Q)


def _dual_svd(design, reflection):
    """Squared singular values and left singular vectors of Z on the
    complement of q (``n_samples <= n_features``: a complete basis)."""
    Z = design.centred_block()
    if reflection is not None:
        Z = reflection.rows(Z)
    U, singular = _thin_svd(Z)[:2]
    if reflection is not None:
        U = reflection.back(U)
    return singular**2, U


def _thin_svd(A):
    """``U, s, Vt`` of a matrix that may be overwritten."""
    try:
        return linalg.svd(
            A,
            full_matrices=False,
            overwrite_a=False,
            check_finite=False,
            lapack_driver="gesdd",
        )
    except linalg.LinAlgError:  # gesdd rarely fails to converge
        return linalg.svd(
            A,
            full_matrices=False,
            overwrite_a=True,
            check_finite=False,
            lapack_driver="gesvd",
        )


def _leave_one_out_residuals(spectrum, Yc, coordinates, alphas):
    """Yield ``(alpha_slice, residuals)`` for consecutive chunks of alphas.

    ``residuals[i, j, a]`` is the leave-one-out residual of sample i, target
    j at ``alphas[a]`` in the rescaled space, ``(M y~)_ij / M_ii`` with
    ``y~ = sqrt(S) Yc`` and ``M = I - H(alpha) = (I - q q^T or 0) + sum_k
    b_k b_k^T w_k(alpha)``. The dual spectrum has no identity part: its
    residuals ``M y~`` are sums over the basis, with no cancellation where
    the fit nearly interpolates.
    """
    Yt = spectrum.root[:, np.newaxis] * Yc
    n_samples, n_targets = Yt.shape
    step = max(1, _LOO_BLOCK_VALUES // (n_samples * (n_targets + 1)))
    for start in range(0, len(alphas), step):
        chunk = alphas[start : start + step]
        diagonal = np.repeat(spectrum.base[:, np.newaxis], len(chunk), axis=1)
        residuals = np.zeros((n_samples, n_targets * len(chunk)))
        for columns, B in spectrum.basis_blocks():
            weights = spectrum.weights(spectrum.eigenvalues[columns], chunk)
            diagonal += (B * B) @ weights
            scaled = coordinates[columns][:, :, np.newaxis] * weights[:, np.newaxis]
            residuals += B @ scaled.reshape(len(weights), -1)
        residuals = residuals.reshape(n_samples, n_targets, -1)
        if spectrum.keeps_target:
            residuals += Yt[:, :, np.newaxis]
        residuals /= diagonal[:, np.newaxis, :]
        # sqrt(s_i) = 0: exactly zero, not the rounding left of M y~.
        residuals[spectrum.root == 0] = 0.0
        yield slice(start, start + len(chunk)), residuals


class _PredictionsAsInput(RegressorMixin, BaseEstimator):
    """Stands in for the model when a scorer rates leave-one-out
    predictions: the scorer passes them as ``X`` and gets them back."""

    def predict(self, X):
        return X


class AlphaSearch:
    """The choice of alpha shared by :class:`RidgeCV` and
    :class:`~l1l2.RidgeClassifierCV`: leave-one-out from one decomposition
    (``cv=None``) or a grid search, and scikit-learn's metadata routing.

    Reads the estimator's ``alphas``, ``fit_intercept``, ``scoring``, ``cv``
    and ``store_cv_results``, and ``gcv_mode`` and ``alpha_per_target`` when
    it has them. Subclasses give the grid search's estimator
    (``_grid_estimator``), the scorer of ``score`` (``_default_scorer``)
    and how a scorer rates leave-one-out predictions (``_rate``).
    """

    def _search(self, X, Y, y_was_1d, sample_weight, params, *, grid_targets=None):
        """Choose alpha and fit at it: sets ``alpha_``, ``best_score_``,
        ``coef_``, ``intercept_`` (and ``cv_results_``).

        ``grid_targets`` are the targets of the grid search when they differ
        from Y (a classifier's labels).
        """
        alphas = check_alphas(self.alphas, allow_zero=self.cv is not None)
        if self.cv is not None:
            for name in ("store_cv_results", "alpha_per_target"):
                if getattr(self, name, False):
                    raise ValueError(
                        f"cv!=None and {name}=True are incompatible: {name} "
                        "needs the efficient leave-one-out of cv=None."
                    )
        routed = None
        if _routing_enabled():
            routed = process_routing(self, "fit", sample_weight=sample_weight, **params)
        if self.cv is not None:
            if grid_targets is None:
                grid_targets = Y[:, 0] if y_was_1d else Y
            self._fit_grid_search(X, grid_targets, sample_weight, alphas, params)
            return
        score_params = {}
        if routed is not None and self.scoring is not None:
            score_params = routed.scorer.score
        elif sample_weight is not None:
            score_params = {"sample_weight": sample_weight}
        self._fit_leave_one_out(X, Y, y_was_1d, sample_weight, alphas, score_params)

    def _fit_leave_one_out(self, X, Y, y_was_1d, sample_weight, alphas, score_params):
        """Score every alpha by its leave-one-out errors (one decomposition),
        then read the coefficients at the best one off the same one."""
        dtype = X.dtype
        # The leave-one-out residuals divide by 1 - H_ii: float64 throughout.
        X = X.astype(np.float64, copy=False)
        Y = Y.astype(np.float64, copy=False)
        if self.fit_intercept:
            _check_two_weighted_samples(sample_weight, X.shape[0])
        # Solved with weights s / c and alphas / c, the same fits and
        # leave-one-out predictions, with errors c times smaller (see
        # rescaled_weights): huge weights cannot overflow.
        sample_weight, weight_scale = rescaled_weights(sample_weight)
        solve_alphas = alphas / weight_scale
        X_offset, y_offset = centring_offsets(X, Y, sample_weight, self.fit_intercept)
        if getattr(self, "gcv_mode", None) == "svd" and sparse.issparse(X):
            warnings.warn(
                "The 'svd' mode is not supported for sparse X: the "
                "eigendecomposition ('eigen') is used, as scikit-learn does "
                "(where this will be an error from version 1.11). Pass "
                "gcv_mode='eigen' or None to silence this warning.",
                FutureWarning,
                stacklevel=3,
            )
        spectrum = _leave_one_out_spectrum(
            X,
            sample_weight,
            X_offset,
            self.fit_intercept,
            getattr(self, "gcv_mode", None),
        )
        Yc = Y - y_offset
        coordinates = spectrum.coordinates(Yc)
        residuals = _leave_one_out_residuals(spectrum, Yc, coordinates, solve_alphas)
        if self.scoring is None:
            scores, results = self._squared_error_scores(
                residuals, Y.shape, solve_alphas
            )
            scores *= weight_scale
            if results is not None:
                results *= weight_scale
        else:
            full_fit = partial(_full_fit_predictions, spectrum, coordinates, y_offset)
            scores, results = self._scorer_scores(
                residuals,
                Y,
                y_was_1d,
                sample_weight,
                solve_alphas,
                score_params,
                full_fit,
            )

        # The first of equal scores wins; a NaN score never does.
        best = np.argmax(np.where(np.isnan(scores), -np.inf, scores), axis=0)
        coef = spectrum.coef(
            coordinates, np.broadcast_to(solve_alphas[best], Y.shape[1])
        )
        check_finite_result(coef, "coefficients")
        if self._per_target() and Y.shape[1] > 1:
            self.alpha_ = alphas[best]
        else:
            self.alpha_ = float(alphas[best[0]])
        best_scores = scores[best, np.arange(scores.shape[1])]
        if self._per_target() and not y_was_1d:
            self.best_score_ = best_scores
        else:
            self.best_score_ = np.float64(best_scores[0])
        if self.store_cv_results:
            self.cv_results_ = results[:, 0] if y_was_1d else results
        self.coef_ = squeeze_single_target(coef.astype(dtype))
        self._set_intercept(
            X_offset.astype(dtype),
            y_offset.astype(dtype),
            self.fit_intercept,
            y_was_1d,
        )

    def _results_buffer(self, shape, n_alphas):
        if not self.store_cv_results:
            return None
        return np.empty((*shape, n_alphas))

    def _squared_error_scores(self, residuals, shape, alphas):
        """Minus the mean weighted squared leave-one-out error of every alpha,
        shape (n_alphas, n_targets or 1), and the errors if stored."""
        scores = np.empty((len(alphas), shape[1] if self._per_target() else 1))
        results = self._results_buffer(shape, len(alphas))
        for chunk, values in residuals:
            np.square(values, out=values)
            if self._per_target():
                scores[chunk] = -values.mean(axis=0).T
            else:
                scores[chunk, 0] = -values.mean(axis=(0, 1))
            if results is not None:
                results[:, :, chunk] = values
        return scores, results

    def _scorer_scores(
        self, residuals, Y, y_was_1d, sample_weight, alphas, score_params, full_fit
    ):
        """The scorer's rating of the leave-one-out predictions of every
        alpha, shape (n_alphas, n_targets or 1), and the predictions if
        stored."""
        scorer = check_scoring(self, scoring=self.scoring)
        scores = np.empty((len(alphas), Y.shape[1] if self._per_target() else 1))
        results = self._results_buffer(Y.shape, len(alphas))
        for chunk, values in residuals:
            predictions = _leave_one_out_predictions(
                values, Y, sample_weight, alphas[chunk], full_fit
            )
            for a in range(predictions.shape[2]):
                scores[chunk.start + a] = self._rate(
                    scorer, predictions[:, :, a], Y, y_was_1d, score_params
                )
            if results is not None:
                results[:, :, chunk] = predictions
        return scores, results

    def _rate(self, scorer, predictions, Y, y_was_1d, score_params):
        """A scorer's rating of leave-one-out predictions (n_samples,
        n_targets): one score per target, or one for all."""
        return _score_predictions(
            scorer, predictions, Y, y_was_1d, self._per_target(), score_params
        )

    def _per_target(self):
        return getattr(self, "alpha_per_target", False)

    def _scorer(self):
        """The scorer of the search, as scikit-learn's: with metadata
        routing and ``scoring=None``, the estimator's default scorer,
        requesting ``sample_weight``; otherwise ``scoring`` (None: the
        estimator's ``score``)."""
        if _routing_enabled() and self.scoring is None:
            return self._default_scorer().set_score_request(sample_weight=True)
        return check_scoring(self, scoring=self.scoring, allow_none=True)

    def _fit_grid_search(self, X, targets, sample_weight, alphas, params):
        """Choose alpha with GridSearchCV (``sample_weight`` goes to the
        fits, and with metadata routing to the default scorer too, as in
        scikit-learn)."""
        estimator = self._grid_estimator()
        fit_params = dict(params)
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        if _routing_enabled():
            estimator.set_fit_request(sample_weight=True)
        search = GridSearchCV(
            estimator, {"alpha": list(alphas)}, cv=self.cv, scoring=self._scorer()
        )
        search.fit(X, targets, **fit_params)
        best = search.best_estimator_
        self.alpha_ = best.alpha
        self.best_score_ = float(search.best_score_)
        self.coef_ = best.coef_
        self.intercept_ = best.intercept_

    def get_metadata_routing(self):
        """Metadata routing: ``score`` metadata goes to the scorer, ``split``
        metadata (such as ``groups``) to the CV splitter.

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=self).add_self_request(self)
        scorer = self._scorer()
        if scorer is not None:
            router.add(
                scorer=scorer,
                method_mapping=MethodMapping().add(caller="fit", callee="score"),
            )
        if self.cv is not None:
            router.add(
                splitter=check_cv(self.cv),
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
        return router


class RidgeCV(AlphaSearch, LinearPredictorMixin, RegressorMixin, BaseEstimator):
    r"""Ridge regression with the penalty chosen by cross-validation.

    For every candidate ``alpha``, the Ridge problem

    .. math::

        \min_{w, b} \sum_i s_i (y_i - x_i^\top w - b)^2 + \alpha \|w\|_2^2

    is scored, and the model is fitted on all the data at the best one.
    With ``cv=None`` (the default) the score is the efficient leave-one-out
    error: one eigendecomposition gives, for every alpha at once, the
    residuals ``(y_i - f_{-i}(x_i))`` of the models fitted without sample i
    (the intercept refitted too), through ``e_i = (y_i - \hat y_i) / (1 -
    H_{ii})`` with ``H`` the hat matrix of the weighted fit. Otherwise
    ``alpha`` is chosen by :class:`~sklearn.model_selection.GridSearchCV`
    over :class:`Ridge`.

    Parameters
    ----------
    alphas : float or array-like of shape (n_alphas,), default=(0.1, 1.0, 10.0)
        Candidate penalty strengths, positive.
    fit_intercept : bool, default=True
        Fit an (unpenalised) intercept.
    scoring : str, callable or None, default=None
        How a candidate is rated (higher is better). None: the negative
        mean squared leave-one-out error ``-mean_i s_i e_i^2`` with
        ``cv=None``, :meth:`Ridge.score` (R^2) otherwise. A scorer name or
        a callable ``scorer(estimator, X, y)``: with ``cv=None`` it rates the
        leave-one-out predictions (given to it as ``X``, together with the
        sample weights as ``sample_weight``).
    cv : int, cross-validation generator, iterable or None, default=None
        None for efficient leave-one-out; otherwise the splitting strategy of
        :class:`~sklearn.model_selection.GridSearchCV` (an int is the number
        of folds of :class:`~sklearn.model_selection.KFold`).
    gcv_mode : {'auto', 'svd', 'eigen'} or None, default=None
        The decomposition behind the leave-one-out errors (``cv=None``); all
        give the same errors, to rounding. ``'eigen'``: the eigendecomposition
        of the p x p matrix ``X^T X`` when ``n_samples > n_features``, of the
        n x n matrix ``X X^T`` otherwise (both built without copying X).
        ``'svd'``: the thin SVD of the centred X, slower but accurate even
        for alphas near the rounding level of ``X^T X`` (dense X only, which
        it copies; ``'eigen'`` is used for sparse X). None and ``'auto'``
        mean ``'eigen'``.
    store_cv_results : bool, default=False
        Keep every leave-one-out value in ``cv_results_`` (``cv=None``
        only).
    alpha_per_target : bool, default=False
        Choose one alpha per target instead of one for all (``cv=None``
        only).

    Attributes
    ----------
    alpha_ : float or ndarray of shape (n_targets,)
        The chosen penalty (one per target with ``alpha_per_target=True``
        and several targets).
    best_score_ : float or ndarray of shape (n_targets,)
        The score of the chosen penalty (per target with
        ``alpha_per_target=True`` and a 2-D y).
    cv_results_ : ndarray of shape (n_samples, n_alphas) or \
            (n_samples, n_targets, n_alphas)
        With ``store_cv_results=True``: the weighted squared leave-one-out
        errors ``s_i e_i^2`` when ``scoring=None``, the leave-one-out
        predictions otherwise. The 2-D shape is for a 1-D y.
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients of the model fitted at ``alpha_``.
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept of that model.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X has string column names.

    See Also
    --------
    Ridge : Ridge regression at a given alpha.
    sklearn.linear_model.RidgeCV : The model this one replaces.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from l1l2 import RidgeCV
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = RidgeCV(alphas=[0.001, 0.01, 0.1, 1.0, 10.0]).fit(X, y)
    >>> model.alpha_
    0.01
    >>> round(float(model.best_score_), 1)  # minus the mean squared LOO error
    -3000.4
    >>> RidgeCV(alphas=[0.01, 1.0], store_cv_results=True).fit(X, y).cv_results_.shape
    (442, 2)
    """

    _parameter_constraints: dict = {
        "alphas": ["array-like", Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "cv": ["cv_object"],
        "gcv_mode": [StrOptions({"auto", "svd", "eigen"}), None],
        "store_cv_results": ["boolean"],
        "alpha_per_target": ["boolean"],
    }

    def __init__(
        self,
        alphas=(0.1, 1.0, 10.0),
        *,
        fit_intercept=True,
        scoring=None,
        cv=None,
        gcv_mode=None,
        store_cv_results=False,
        alpha_per_target=False,
    ):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.scoring = scoring
        self.cv = cv
        self.gcv_mode = gcv_mode
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, **params):
        """Choose alpha, then fit the Ridge model on all the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. Sparse X is never densified.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : float or array-like of shape (n_samples,), \
                default=None
            Non-negative weight of each sample (not rescaled); they weight
            the fits and the leave-one-out errors.
        **params : dict
            Metadata for the scorer and the CV splitter (e.g. ``groups``).
            Only with ``sklearn.set_config(enable_metadata_routing=True)``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        _raise_for_params(params, self, "fit")
        X, Y, y_was_1d, _ = self._validate_fit_data(X, y, None, normalize_weights=False)
        sample_weight = weights_of(sample_weight, X.shape[0], np.float64)
        self._search(X, Y, y_was_1d, sample_weight, params)
        return self

    def _grid_estimator(self):
        return Ridge(fit_intercept=self.fit_intercept)

    def _default_scorer(self):
        return get_scorer("r2")


def _check_two_weighted_samples(sample_weight, n_samples):
    """Leaving out the only sample that weighs leaves no data to fit an
    intercept on."""
    n_positive = n_samples if sample_weight is None else np.count_nonzero(sample_weight)
    if n_positive < 2:
        raise ValueError(
            "Leave-one-out with fit_intercept=True needs at least 2 samples "
            f"with a positive weight, got {n_positive} sample; add samples or "
            "set fit_intercept=False."
        )


def _full_fit_predictions(spectrum, coordinates, y_offset, rows, alpha):
    """Predictions for some rows of X of the model fitted on all the data
    at ``alpha``, shape (len(rows), n_targets)."""
    design = spectrum.design
    coef = spectrum.coef(coordinates, np.full(len(y_offset), alpha))
    intercept = y_offset - coef @ design.X_offset
    return np.asarray(design.X[rows] @ coef.T) + intercept


def _leave_one_out_predictions(residuals, Y, sample_weight, alphas, full_fit):
    """Leave-one-out predictions ``y_i - e_i / sqrt(s_i)`` in the original
    scale, shape (n_samples, n_targets, n_alphas).

    A sample of weight zero does not move the fit: its prediction is the
    full model's (``full_fit(rows, alpha)``).
    """
    if sample_weight is None:
        return Y[:, :, np.newaxis] - residuals
    root = np.sqrt(sample_weight)[:, np.newaxis, np.newaxis]
    unscaled = np.divide(residuals, root, out=np.zeros_like(residuals), where=root > 0)
    predictions = Y[:, :, np.newaxis] - unscaled
    weightless = np.flatnonzero(sample_weight == 0)
    if weightless.size:
        for a, alpha in enumerate(alphas):
            predictions[weightless, :, a] = full_fit(weightless, alpha)
    return predictions


def _score_predictions(scorer, predictions, Y, y_was_1d, per_target, score_params):
    """Rate leave-one-out predictions (n_samples, n_targets) with a scorer:
    one score per target, or one for all."""
    model = _PredictionsAsInput()
    if per_target:
        return [
            scorer(model, predictions[:, j], Y[:, j], **score_params)
            for j in range(Y.shape[1])
        ]
    if y_was_1d:
        return scorer(model, predictions[:, 0], Y[:, 0], **score_params)
    return scorer(model, predictions, Y, **score_params)
