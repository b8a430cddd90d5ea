"""Multi-task paths: ``l1l2.enet_path`` / ``lasso_path`` with a 2-D y.

With Y of shape (n_samples, n_targets) the paths solve scikit-learn's
multi-task Elastic-Net, whose L2,1 penalty keeps or drops a feature in every
task at once:

    P(W) = 1/(2 n) sum_i s_i ||y_i - W x_i||^2
           + alpha * (l1_ratio sum_j ||W_j|| + (1 - l1_ratio)/2 ||W||_F^2)

(W of shape (n_targets, n_features), ``W_j`` its column j, ``s`` the sample
weights rescaled to sum to n; X and Y centred with the weighted means when
``fit_intercept=True``). The references are independent of l1l2:
scikit-learn's ``enet_path`` / ``lasso_path`` with a 2-D y and its
``MultiTaskElasticNet`` at a tight tolerance, exact identities (integer
weights are repeated rows, the intercept is centring, sparse is dense) and
the block optimality conditions computed here in numpy.
"""

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import MultiTaskElasticNet
from sklearn.linear_model import enet_path as sk_enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path

from l1l2 import enet_path, lasso_path

TIGHT = 1e-12
MAX_ITER = 100_000
# Coefficients agree with scikit-learn's to this fraction of the largest one.
COEF_RTOL = 1e-8
L1_RATIOS = [1.0, 0.5]


# --- data and numpy references -------------------------------------------------


def make_problem(n_samples, n_features, n_targets=3, n_informative=5, seed=0):
    """A seeded multi-task problem: shared support, uncentred columns and
    targets with non-zero means."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    X += rng.uniform(-1.0, 1.0, n_features)
    W = np.zeros((n_targets, n_features))
    support = rng.choice(n_features, n_informative, replace=False)
    W[:, support] = 2.0 * rng.standard_normal((n_targets, n_informative))
    Y = X @ W.T + 0.5 * rng.standard_normal((n_samples, n_targets))
    Y += rng.uniform(-2.0, 2.0, n_targets)
    return X, Y


PROBLEMS = {
    "small": dict(n_samples=40, n_features=12, seed=0),
    "wide": dict(n_samples=30, n_features=80, n_informative=6, seed=1),
}


@pytest.fixture(params=sorted(PROBLEMS))
def problem(request):
    """(name, X, Y) of a small n > p and a wide p > n problem, read-only."""
    X, Y = make_problem(**PROBLEMS[request.param])
    X.setflags(write=False)
    Y.setflags(write=False)
    return request.param, X, Y


def weights(sample_weight, n_samples):
    if sample_weight is None:
        return np.ones(n_samples)
    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    return sample_weight * (n_samples / sample_weight.sum())


def centred(X, Y, sample_weight=None, fit_intercept=True):
    """X and Y centred with the weighted means (unchanged without intercept),
    and the rescaled weights."""
    s = weights(sample_weight, X.shape[0])
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if fit_intercept:
        X = X - s @ X / s.sum()
        Y = Y - s @ Y / s.sum()
    return X, Y, s


def objective(X, Y, W, alpha, l1_ratio, sample_weight=None, fit_intercept=False):
    """P(W) of the module docstring, in float64."""
    Xc, Yc, s = centred(X, Y, sample_weight, fit_intercept)
    W = np.asarray(W, dtype=np.float64)
    R = Yc - Xc @ W.T
    datafit = 0.5 * np.sum(s[:, None] * R**2) / X.shape[0]
    penalty = l1_ratio * np.linalg.norm(W, axis=0).sum()
    penalty += 0.5 * (1.0 - l1_ratio) * np.sum(W**2)
    return datafit + alpha * penalty


def target_scale(Y, sample_weight=None, fit_intercept=False):
    """``||Y||_S^2 / n`` of the (centred) targets: the scale of the gaps."""
    _, Yc, s = centred(np.zeros((Y.shape[0], 1)), Y, sample_weight, fit_intercept)
    return float(np.sum(s[:, None] * Yc**2)) / Y.shape[0]


def numpy_alpha_max(X, Y, l1_ratio, sample_weight=None, fit_intercept=False):
    Xc, Yc, s = centred(X, Y, sample_weight, fit_intercept)
    correlation = Xc.T @ (s[:, None] * Yc)
    return np.linalg.norm(correlation, axis=1).max() / (X.shape[0] * l1_ratio)


def block_kkt(X, Y, W, alpha, l1_ratio, sample_weight=None, fit_intercept=False):
    """Per feature: (violation of its block optimality condition, whether
    it is active).

    With ``G_j = X_j^T S R / n`` (R = Y - X W^T, centred data), an active
    feature needs ``G_j = alpha l1_ratio W_j / ||W_j|| + alpha (1 - l1_ratio)
    W_j``, an inactive one ``||G_j|| <= alpha l1_ratio``.
    """
    Xc, Yc, s = centred(X, Y, sample_weight, fit_intercept)
    W = np.asarray(W, dtype=np.float64)
    R = Yc - Xc @ W.T
    G = (Xc.T @ (s[:, None] * R)).T / X.shape[0]  # (n_targets, n_features)
    norms = np.linalg.norm(W, axis=0)
    active = norms > 0
    violation = np.empty(W.shape[1])
    expected = alpha * l1_ratio * W[:, active] / norms[active]
    expected += alpha * (1.0 - l1_ratio) * W[:, active]
    violation[active] = np.linalg.norm(G[:, active] - expected, axis=0)
    violation[~active] = np.maximum(
        np.linalg.norm(G[:, ~active], axis=0) - alpha * l1_ratio, 0.0
    )
    return violation, active


def sk_path(X, Y, l1_ratio, alphas, **kwargs):
    """scikit-learn's multi-task path at the tight tolerance."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if l1_ratio == 1.0:
            return sk_lasso_path(
                X, Y, alphas=alphas, tol=TIGHT, max_iter=MAX_ITER, **kwargs
            )
        return sk_enet_path(
            X,
            Y,
            l1_ratio=l1_ratio,
            alphas=alphas,
            tol=TIGHT,
            max_iter=MAX_ITER,
            **kwargs,
        )


def our_path(X, Y, l1_ratio, alphas=10, **kwargs):
    """l1l2's multi-task path (``lasso_path`` when l1_ratio is 1)."""
    kwargs = {"tol": TIGHT, "max_iter": MAX_ITER, "eps": 1e-2, **kwargs}
    if l1_ratio == 1.0:
        return lasso_path(X, Y, alphas=alphas, **kwargs)
    return enet_path(X, Y, l1_ratio=l1_ratio, alphas=alphas, **kwargs)


def relative_error(coefs, reference):
    """Largest |difference| per alpha, relative to the reference's largest
    coefficient there (absolute where the reference is 0)."""
    scale = np.abs(reference).max(axis=(0, 1))
    scale = np.where(scale > 0, scale, 1.0)
    return (np.abs(coefs - reference).max(axis=(0, 1)) / scale).max()


# --- against scikit-learn ------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_path_matches_sklearn(problem, l1_ratio):
    _, X, Y = problem
    alphas, coefs, gaps = our_path(X, Y, l1_ratio)
    sk_alphas, sk_coefs, _ = sk_path(X, Y, l1_ratio, alphas)
    assert coefs.shape == (Y.shape[1], X.shape[1], 10) == sk_coefs.shape
    assert gaps.shape == (10,)
    np.testing.assert_allclose(sk_alphas, alphas, rtol=1e-15)
    assert relative_error(coefs, sk_coefs) <= COEF_RTOL
    # The path is not trivial: it selects and deselects whole features.
    support = np.linalg.norm(coefs, axis=0) > 0
    assert support[:, -1].sum() > support[:, 1].sum() > 0


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_path_grid_matches_sklearn(problem, l1_ratio):
    """The automatic grid is scikit-learn's (same alpha_max and spacing)."""
    _, X, Y = problem
    alphas = our_path(X, Y, l1_ratio, alphas=7, eps=1e-3, max_iter=1, tol=1e-4)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk_alphas = sk_enet_path(
            X, Y, l1_ratio=l1_ratio, alphas=7, eps=1e-3, max_iter=1
        )[0]
    np.testing.assert_allclose(alphas, sk_alphas, rtol=1e-13)


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_intercept_path_matches_multi_task_enet(problem, l1_ratio):
    """With ``fit_intercept=True`` each path point is scikit-learn's
    MultiTaskElasticNet fit (which centres X and Y)."""
    _, X, Y = problem
    top = numpy_alpha_max(X, Y, l1_ratio, fit_intercept=True)
    alphas = top * np.array([0.5, 0.1, 0.02])
    _, coefs, _ = our_path(X, Y, l1_ratio, alphas=alphas, fit_intercept=True)
    for i, alpha in enumerate(alphas):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = MultiTaskElasticNet(
                alpha=alpha, l1_ratio=l1_ratio, tol=TIGHT, max_iter=MAX_ITER
            ).fit(X, Y)
        reference = model.coef_
        assert np.abs(reference).max() > 0
        error = np.abs(coefs[:, :, i] - reference).max() / np.abs(reference).max()
        assert error <= COEF_RTOL, (alpha, error)


# --- identities ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csc", "csr"])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_sparse_equals_dense(problem, fmt, fit_intercept):
    _, X, Y = problem
    rng = np.random.default_rng(5)
    sample_weight = rng.uniform(0.5, 2.0, X.shape[0])
    Xs = sparse.csc_matrix(X) if fmt == "csc" else sparse.csr_matrix(X)
    kwargs = dict(fit_intercept=fit_intercept, sample_weight=sample_weight)
    alphas, dense_coefs, dense_gaps = our_path(X, Y, 0.5, **kwargs)
    sparse_alphas, sparse_coefs, sparse_gaps = our_path(Xs, Y, 0.5, **kwargs)
    np.testing.assert_allclose(sparse_alphas, alphas, rtol=1e-14)
    assert relative_error(sparse_coefs, dense_coefs) <= 1e-12
    assert np.all(np.abs(sparse_gaps - dense_gaps) <= 1e-10 * target_scale(Y))


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_fit_intercept_is_centring(problem, l1_ratio):
    _, X, Y = problem
    Xc, Yc, _ = centred(X, Y)
    alphas, coefs, gaps = our_path(X, Y, l1_ratio, fit_intercept=True)
    by_hand_alphas, by_hand, by_hand_gaps = our_path(Xc, Yc, l1_ratio)
    np.testing.assert_allclose(alphas, by_hand_alphas, rtol=1e-12)
    assert relative_error(coefs, by_hand) <= 1e-9
    # Without the centring the problem (and the answer) differ.
    _, uncentred, _ = our_path(X, Y, l1_ratio, alphas=alphas)
    assert relative_error(uncentred, by_hand) > 1e-3


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_integer_weights_are_repeated_rows(problem, fit_intercept):
    _, X, Y = problem
    rng = np.random.default_rng(7)
    counts = rng.integers(0, 4, X.shape[0])
    counts[:2] = (0, 3)  # a dropped and a tripled row for sure
    repeated = np.repeat(np.arange(X.shape[0]), counts)
    alphas, coefs, gaps = our_path(
        X, Y, 0.5, sample_weight=counts.astype(float), fit_intercept=fit_intercept
    )
    rep_alphas, rep_coefs, rep_gaps = our_path(
        X[repeated], Y[repeated], 0.5, fit_intercept=fit_intercept
    )
    np.testing.assert_allclose(alphas, rep_alphas, rtol=1e-12)
    assert relative_error(coefs, rep_coefs) <= 1e-9
    # The weights matter.
    _, unweighted, _ = our_path(X, Y, 0.5, alphas=alphas, fit_intercept=fit_intercept)
    assert relative_error(unweighted, rep_coefs) > 1e-3


# --- optimality ----------------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
@pytest.mark.parametrize("weighted", [False, True])
def test_block_kkt_conditions(problem, l1_ratio, weighted):
    _, X, Y = problem
    rng = np.random.default_rng(11)
    sample_weight = rng.uniform(0.2, 3.0, X.shape[0]) if weighted else None
    kwargs = dict(sample_weight=sample_weight, fit_intercept=weighted)
    alphas, coefs, _ = our_path(X, Y, l1_ratio, **kwargs)
    n_active = 0
    for i, alpha in enumerate(alphas):
        violation, active = block_kkt(X, Y, coefs[:, :, i], alpha, l1_ratio, **kwargs)
        n_active += active.sum()
        # Active: the equation holds; inactive: ||G_j|| <= alpha l1_ratio
        # up to rounding (both in units of alpha l1_ratio).
        assert np.all(violation[active] <= 1e-8 * alpha * l1_ratio), (i, alpha)
        assert np.all(violation[~active] <= 1e-9 * alpha * l1_ratio), (i, alpha)
    assert n_active > 0


@pytest.mark.parametrize("tol", [1e-4, 1e-8])
@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_dual_gaps_certify_the_path(problem, tol, l1_ratio):
    """The reported gaps are within ``tol ||Y||^2 / n``, not negative beyond
    rounding, and bound the suboptimality against scikit-learn's path at
    a tight tolerance."""
    _, X, Y = problem
    alphas, coefs, gaps = our_path(X, Y, l1_ratio, tol=tol)
    scale = target_scale(Y)
    rounding = 1e-12 * scale
    assert np.all(gaps >= -rounding)
    assert np.all(gaps <= tol * scale)
    _, exact, _ = sk_path(X, Y, l1_ratio, alphas)
    for i, alpha in enumerate(alphas):
        ours = objective(X, Y, coefs[:, :, i], alpha, l1_ratio)
        best = objective(X, Y, exact[:, :, i], alpha, l1_ratio)
        assert ours - best <= gaps[i] + rounding, (i, ours - best, gaps[i])


def test_dual_gaps_with_intercept_and_weights(problem):
    """The same bound on the scale of the centred, weighted targets."""
    _, X, Y = problem
    rng = np.random.default_rng(13)
    sample_weight = rng.uniform(0.2, 3.0, X.shape[0])
    tol = 1e-6
    _, _, gaps = our_path(
        X, Y, 0.5, tol=tol, sample_weight=sample_weight, fit_intercept=True
    )
    scale = target_scale(Y, sample_weight, fit_intercept=True)
    assert np.all(gaps >= -1e-12 * scale)
    assert np.all(gaps <= tol * scale)


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_first_alpha_of_the_grid(problem, l1_ratio, fit_intercept):
    """At alpha_max = max_j ||X_j^T Y|| / (n l1_ratio) every coefficient is
    0; just below it (the second alpha) some feature is active."""
    _, X, Y = problem
    rng = np.random.default_rng(17)
    sample_weight = rng.uniform(0.5, 2.0, X.shape[0]) if fit_intercept else None
    kwargs = dict(fit_intercept=fit_intercept, sample_weight=sample_weight)
    alphas, coefs, _ = our_path(X, Y, l1_ratio, alphas=50, eps=1e-3, **kwargs)
    expected = numpy_alpha_max(X, Y, l1_ratio, **kwargs)
    assert alphas[0] == pytest.approx(expected, rel=1e-12)
    assert alphas[-1] == pytest.approx(1e-3 * expected, rel=1e-12)
    # 0 up to rounding (exactly 0: test_first_alpha_is_exactly_zero).
    assert np.abs(coefs[:, :, 0]).max() <= 1e-12 * np.abs(coefs).max()
    assert np.abs(coefs[:, :, 1]).max() > 1e-6 * np.abs(coefs).max()
    # The feature with the largest correlation is among the first to enter.
    Xc, Yc, s = centred(X, Y, sample_weight, fit_intercept)
    correlation = np.linalg.norm(Xc.T @ (s[:, None] * Yc), axis=1)
    entered = np.flatnonzero(
        np.linalg.norm(coefs[:, :, 1], axis=0) > 1e-9 * np.abs(coefs).max()
    )
    assert int(np.argmax(correlation)) in entered
    assert len(entered) < X.shape[1] // 2


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_first_alpha_is_exactly_zero(l1_ratio):
    """At alpha_max W = 0 is optimal, and the start W = 0 must stay exactly
    0, with no epoch (scikit-learn's path returns exact zeros there)."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 4))
    Y = rng.standard_normal((10, 2))
    _, coefs, _, n_iters = enet_path(
        X, Y, l1_ratio=l1_ratio, alphas=2, return_n_iter=True
    )
    _, sk_coefs, _ = sk_enet_path(X, Y, l1_ratio=l1_ratio, alphas=2)
    assert np.all(sk_coefs[:, :, 0] == 0.0)
    assert np.all(coefs[:, :, 0] == 0.0)
    assert n_iters[0] == 0


# --- float32, warm starts ------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_float32(problem, l1_ratio, fmt):
    _, X, Y = problem
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    if fmt == "csc":
        X32 = sparse.csc_matrix(X32)
    alphas, coefs, gaps = our_path(X, Y, l1_ratio, tol=1e-8)
    alphas32, coefs32, gaps32 = our_path(X32, Y32, l1_ratio, alphas=alphas, tol=1e-6)
    assert coefs32.dtype == np.float32
    assert coefs32.shape == coefs.shape
    assert np.all(np.isfinite(gaps32))
    error = np.abs(coefs32.astype(np.float64) - coefs).max() / np.abs(coefs).max()
    assert error <= 2e-4


@pytest.mark.parametrize("l1_ratio", L1_RATIOS)
def test_warm_start_from_solution_takes_no_epoch(problem, l1_ratio):
    _, X, Y = problem
    alphas, coefs, _, n_iters = our_path(X, Y, l1_ratio, tol=1e-6, return_n_iter=True)
    assert max(n_iters) > 0
    for i in (3, 9):
        start = coefs[:, :, i].copy()
        saved = start.copy()
        _, again, _, n_iter = our_path(
            X,
            Y,
            l1_ratio,
            alphas=[alphas[i]],
            tol=1e-6,
            coef_init=start,
            return_n_iter=True,
        )
        assert n_iter == [0]
        np.testing.assert_array_equal(again[:, :, 0], saved)
        np.testing.assert_array_equal(start, saved)
        # A start away from the solution takes epochs.
        _, _, _, n_iter = our_path(
            X,
            Y,
            l1_ratio,
            alphas=[alphas[i]],
            tol=1e-6,
            coef_init=0.5 * saved,
            return_n_iter=True,
        )
        assert n_iter[0] > 0


def test_coef_init_continues_the_path():
    """A path started from the solution at an alpha continues the path from
    there: the same answers, in fewer epochs than a cold start."""
    X, Y = make_problem(**PROBLEMS["wide"])
    alphas, coefs, _, n_iters = our_path(X, Y, 0.5, return_n_iter=True)
    _, cold, _, cold_iters = our_path(X, Y, 0.5, alphas=alphas[6:], return_n_iter=True)
    _, warm, _, warm_iters = our_path(
        X, Y, 0.5, alphas=alphas[6:], coef_init=coefs[:, :, 5], return_n_iter=True
    )
    assert relative_error(warm, coefs[:, :, 6:]) <= 1e-9
    assert relative_error(cold, coefs[:, :, 6:]) <= 1e-9
    assert warm_iters[0] < cold_iters[0]


# --- errors and inputs ---------------------------------------------------------


@pytest.mark.parametrize("path", [enet_path, lasso_path])
def test_positive_is_refused_as_in_sklearn(path):
    X, Y = make_problem(**PROBLEMS["small"])
    message = "positive=True is not allowed for multi-output"
    with pytest.raises(ValueError, match=message):
        path(X, Y, positive=True)
    with pytest.raises(ValueError, match=message):
        sk_enet_path(X, Y, positive=True)


@pytest.mark.parametrize(
    "name, value",
    [
        ("penalty_factor", np.ones(12)),
        ("lower_bounds", -1.0),
        ("upper_bounds", np.full(12, 2.0)),
    ],
)
@pytest.mark.parametrize("path", [enet_path, lasso_path])
def test_single_target_options_are_refused(path, name, value):
    X, Y = make_problem(**PROBLEMS["small"])
    with pytest.raises(ValueError, match=name):
        path(X, Y, **{name: value})
    # They work with one target.
    path(X, Y[:, 0], **{name: value})


@pytest.mark.parametrize(
    "shape", [(12,), (12, 3), (3, 11), (1, 12), (3, 12, 1)], ids=str
)
def test_coef_init_of_the_wrong_shape_is_refused(shape):
    X, Y = make_problem(**PROBLEMS["small"])
    with pytest.raises(ValueError, match="coef_init"):
        enet_path(X, Y, coef_init=np.zeros(shape))


def test_non_finite_coef_init_is_refused():
    X, Y = make_problem(**PROBLEMS["small"])
    start = np.zeros((3, 12))
    start[1, 4] = np.nan
    with pytest.raises(ValueError, match="coef_init"):
        enet_path(X, Y, coef_init=start)


@pytest.mark.parametrize("fmt", ["dense-C", "dense-F", "csc", "csr"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_inputs_are_not_modified(fmt, dtype):
    X, Y = make_problem(**PROBLEMS["small"])
    X, Y = X.astype(dtype), Y.astype(dtype)
    if fmt == "dense-F":
        X = np.asfortranarray(X)
    elif fmt == "dense-C":
        X = np.ascontiguousarray(X)
    else:
        X = sparse.csc_matrix(X) if fmt == "csc" else sparse.csr_matrix(X)
    Y = np.asfortranarray(Y)
    rng = np.random.default_rng(19)
    sample_weight = rng.uniform(0.5, 2.0, Y.shape[0]).astype(dtype)
    coef_init = rng.standard_normal((3, 12)).astype(dtype)
    given = (X.copy(), Y.copy(), sample_weight.copy(), coef_init.copy())
    _, coefs, _ = enet_path(
        X,
        Y,
        alphas=5,
        coef_init=coef_init,
        sample_weight=sample_weight,
        fit_intercept=True,
    )
    assert np.any(coefs[:, :, -1] != coef_init)
    after = (X, Y, sample_weight, coef_init)
    for before, now in zip(given, after, strict=True):
        if sparse.issparse(now):
            assert now.format == before.format
            for attribute in ("data", "indices", "indptr"):
                np.testing.assert_array_equal(
                    getattr(now, attribute), getattr(before, attribute)
                )
        else:
            np.testing.assert_array_equal(now, before)
