"""The coordinate-descent kernels of l1l2._cd_fast, called directly.

The kernels minimise ``n`` times the estimators' objective (see the module
docstring of ``_cd_fast`` and docs/architecture.md): with sample weights
summing to ``n`` and ``l1_reg = n alpha l1_ratio``, ``l2_reg = n alpha (1 -
l1_ratio)``, their solution is scikit-learn's ``ElasticNet`` solution.
"""

import warnings

import numpy as np
import pytest
from l1l2._cd_fast import (
    enet_coordinate_descent,
    enet_coordinate_descent_gram,
    sparse_enet_coordinate_descent,
)
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet as SkElasticNet

DTYPES = [np.float64, np.float32]
# Tightest tolerance each precision can reach (the gap is computed in that
# precision, so float32 gaps carry rounding noise of ~1e-7 * ||y||^2 / n).
KERNEL_TOL = {np.float64: 1e-14, np.float32: 1e-6}
KERNELS = ["residual", "gram"]


def _rounding_slack(dtype, n_samples):
    """Relative rounding noise of a gap accumulated over n_samples terms."""
    return 4.0 * np.sqrt(n_samples) * np.finfo(dtype).eps


class KernelProblem:
    """Arrays of one dtype, ready for either kernel, built from (X, y).

    ``fit_intercept`` centres implicitly (``X_offset`` is the weighted column
    mean and y is centred); the sample weights are rescaled to sum to n so
    that alpha means what it means to scikit-learn.
    """

    def __init__(
        self,
        X,
        y,
        alpha,
        l1_ratio,
        dtype,
        *,
        sample_weight=None,
        fit_intercept=False,
        penalty_factor=None,
        lower=None,
        upper=None,
    ):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        n_samples, n_features = X.shape
        self.dtype = dtype
        self.n_samples, self.n_features = n_samples, n_features
        if sample_weight is None:
            s = np.ones(n_samples)
            self.sample_weight = np.empty(0, dtype=dtype)
        else:
            s = np.asarray(sample_weight, dtype=np.float64)
            s = s * (n_samples / s.sum())
            self.sample_weight = s.astype(dtype)
        self.s = s
        if fit_intercept:
            self.X_mean = s @ X / s.sum()
            self.y_mean = s @ y / s.sum()
            self.X_offset = self.X_mean.astype(dtype)
        else:
            self.X_mean = np.zeros(n_features)
            self.y_mean = 0.0
            self.X_offset = np.empty(0, dtype=dtype)
        self.X64 = X
        self.y64 = y
        self.Xc = X - self.X_mean
        self.yc = y - self.y_mean
        self.X = np.asfortranarray(X, dtype=dtype)
        self.y = self.yc.astype(dtype)
        self.alpha, self.l1_ratio = alpha, l1_ratio
        self.l1_reg = dtype(n_samples * alpha * l1_ratio)
        self.l2_reg = dtype(n_samples * alpha * (1.0 - l1_ratio))

        def per_feature(value, default):
            if value is None:
                return np.full(n_features, default, dtype=dtype)
            return np.ascontiguousarray(np.broadcast_to(value, n_features), dtype)

        self.penalty_factor = per_feature(penalty_factor, 1.0)
        self.lower = per_feature(lower, -np.inf)
        self.upper = per_feature(upper, np.inf)

    def gram_arrays(self):
        """Q = Xt^T S Xt (C-ordered), q = Xt^T S y, y^T S y, sum(s)."""
        Xs = self.Xc * self.s[:, None]
        Q = np.ascontiguousarray(self.Xc.T @ Xs, dtype=self.dtype)
        q = (Xs.T @ self.yc).astype(self.dtype)
        y_norm2 = self.dtype(self.yc @ (self.s * self.yc))
        return Q, q, y_norm2, self.dtype(self.s.sum())

    def csc_arrays(self):
        """(data, indices, indptr) of X in CSC form (int32 indices)."""
        X = sparse.csc_matrix(self.X)
        return X.data, X.indices.astype(np.int32), X.indptr.astype(np.int32)

    def y_norm2(self):
        """y^T S y of the centred target, the scale of the gap tolerance."""
        return float(self.yc @ (self.s * self.yc))

    def run(
        self,
        kernel="residual",
        *,
        w0=None,
        max_iter=100_000,
        tol=None,
        seed=0,
        random=False,
    ):
        """Run a kernel; return (w, gap, n_iter) with w a fresh array."""
        tol = KERNEL_TOL[self.dtype] if tol is None else tol
        if w0 is None:
            w = np.zeros(self.n_features, dtype=self.dtype)
        else:
            w = np.array(w0, dtype=self.dtype)
        if kernel == "residual":
            args = (
                self.X,
                self.y,
                self.sample_weight,
                self.X_offset,
            )
            solver = enet_coordinate_descent
        elif kernel == "sparse":
            args = (
                *self.csc_arrays(),
                self.y,
                self.sample_weight,
                self.X_offset,
            )
            solver = sparse_enet_coordinate_descent
        else:
            args = self.gram_arrays()
            solver = enet_coordinate_descent_gram
        w_out, gap, n_iter = solver(
            w,
            self.l1_reg,
            self.l2_reg,
            *args,
            self.penalty_factor,
            self.lower,
            self.upper,
            max_iter,
            self.dtype(tol),
            seed,
            random,
        )
        assert np.shares_memory(w_out, w), "w must be updated in place"
        return w, gap, n_iter

    def intercept(self, w):
        return self.y_mean - self.X_mean @ np.asarray(w, dtype=np.float64)

    def objective(self, w):
        """The estimator-scale objective (1/n times the kernel's), float64."""
        w = np.asarray(w, dtype=np.float64)
        residual = self.yc - self.Xc @ w
        f = self.penalty_factor.astype(np.float64)
        finite = np.isfinite(f)
        penalty = self.alpha * np.sum(
            f[finite]
            * (
                self.l1_ratio * np.abs(w[finite])
                + 0.5 * (1.0 - self.l1_ratio) * w[finite] ** 2
            )
        )
        return 0.5 * np.sum(self.s * residual**2) / self.n_samples + penalty

    def fixed_point_violation(self, w, gap):
        """Largest coordinate step, relative to what the gap allows.

        An exact coordinate minimisation of a (norm2_j + l2_j)-strongly convex
        function lowers the objective by at least (norm2_j + l2_j)/2 * step^2,
        and never below the optimum; so at a point whose (kernel-scale)
        suboptimality is at most G, every step is at most
        sqrt(2 G / (norm2_j + l2_j)). Returns max_j step_j / bound_j, which is
        <= 1 for a kernel whose gap is honest.
        """
        w = np.asarray(w, dtype=np.float64)
        f = self.penalty_factor.astype(np.float64)
        lower = self.lower.astype(np.float64)
        upper = self.upper.astype(np.float64)
        residual = self.yc - self.Xc @ w
        grad = self.Xc.T @ (self.s * residual)
        norm2 = np.einsum("ij,ij,i->j", self.Xc, self.Xc, self.s)
        ratios = []
        G = (
            max(gap, 0.0) * self.s.sum()
            + _rounding_slack(self.dtype, self.n_samples) * self.y_norm2()
        )
        for j in range(self.n_features):
            if not np.isfinite(f[j]) or norm2[j] == 0.0:
                continue
            l1 = float(self.l1_reg) * f[j]
            l2 = float(self.l2_reg) * f[j]
            z = grad[j] + norm2[j] * w[j]
            shrunk = np.sign(z) * max(abs(z) - l1, 0.0) / (norm2[j] + l2)
            target = min(max(shrunk, lower[j]), upper[j])
            bound = np.sqrt(2.0 * G / (norm2[j] + l2))
            ratios.append(abs(target - w[j]) / bound)
        return max(ratios, default=0.0)


def sklearn_solution(X, y, alpha, l1_ratio, *, fit_intercept=False, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = SkElasticNet(
            alpha=alpha,
            l1_ratio=l1_ratio,
            fit_intercept=fit_intercept,
            tol=1e-12,
            max_iter=1_000_000,
        )
        return model.fit(X, y, **kwargs)


def _coef_tolerance(dtype):
    # float32 rounds the data itself: the float32 solution differs from the
    # float64 one by the conditioning of the problem times eps32.
    return 1e-6 if dtype == np.float64 else 2e-3


def _objective_tolerance(dtype):
    return 1e-10 if dtype == np.float64 else 1e-5


@pytest.fixture(params=["wide", "tall", "diabetes"])
def dataset(request):
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_kernel_matches_sklearn(
    dataset, dtype, l1_ratio, fit_intercept, enet_alpha_max
):
    X, y = dataset
    alpha = enet_alpha_max(X, y, l1_ratio, fit_intercept) / 10
    problem = KernelProblem(X, y, alpha, l1_ratio, dtype, fit_intercept=fit_intercept)
    w, gap, n_iter = problem.run()
    reference = sklearn_solution(X, y, alpha, l1_ratio, fit_intercept=fit_intercept)

    assert w.dtype == dtype
    assert n_iter < 100_000
    scale = np.max(np.abs(reference.coef_))
    np.testing.assert_allclose(
        w, reference.coef_, rtol=0, atol=_coef_tolerance(dtype) * scale
    )
    ours = problem.objective(w)
    theirs = problem.objective(reference.coef_)
    assert ours <= theirs * (1 + _objective_tolerance(dtype))
    if fit_intercept:
        np.testing.assert_allclose(
            problem.intercept(w),
            reference.intercept_,
            rtol=_coef_tolerance(dtype),
            atol=_coef_tolerance(dtype) * scale,
        )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_gap_is_nonnegative_and_below_tolerance(
    dataset, dtype, kernel, l1_ratio, fit_intercept, enet_alpha_max
):
    X, y = dataset
    alpha = enet_alpha_max(X, y, l1_ratio, fit_intercept) / 20
    problem = KernelProblem(X, y, alpha, l1_ratio, dtype, fit_intercept=fit_intercept)
    tol = KERNEL_TOL[dtype]
    w, gap, n_iter = problem.run(kernel, tol=tol)
    scale = problem.y_norm2() / problem.s.sum()  # the gap is divided by sum(s)

    assert isinstance(gap, float)
    assert gap >= -_rounding_slack(dtype, problem.n_samples) * scale
    assert gap <= tol * scale * (1 + 1e-4)
    assert 1 <= n_iter < 100_000
    # The gap bounds how far each coordinate is from its own minimiser.
    assert problem.fixed_point_violation(w, gap) <= 1.0


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.7])
def test_gap_certifies_suboptimality(dataset, kernel, l1_ratio, enet_alpha_max):
    # Stop early on purpose: the gap must still bound P(w) - P(w*).
    X, y = dataset
    alpha = enet_alpha_max(X, y, l1_ratio, True) / 50
    problem = KernelProblem(X, y, alpha, l1_ratio, np.float64, fit_intercept=True)
    reference = sklearn_solution(X, y, alpha, l1_ratio, fit_intercept=True)
    optimum = problem.objective(reference.coef_)
    for max_iter in (1, 2, 5):
        w, gap, n_iter = problem.run(kernel, max_iter=max_iter, tol=1e-14)
        assert n_iter <= max_iter
        suboptimality = problem.objective(w) - optimum
        assert suboptimality <= gap + 1e-12 * optimum


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
def test_residual_and_gram_kernels_agree(
    tall, dtype, weighted, fit_intercept, l1_ratio, enet_alpha_max
):
    X, y = tall
    rng = np.random.default_rng(1)
    sample_weight = rng.uniform(0.2, 3.0, X.shape[0]) if weighted else None
    alpha = enet_alpha_max(X, y, max(l1_ratio, 0.1), fit_intercept, sample_weight)
    alpha /= 30
    problem = KernelProblem(
        X,
        y,
        alpha,
        l1_ratio,
        dtype,
        sample_weight=sample_weight,
        fit_intercept=fit_intercept,
    )
    w_residual, gap_residual, _ = problem.run("residual")
    w_gram, gap_gram, _ = problem.run("gram")

    scale = np.max(np.abs(w_residual))
    np.testing.assert_allclose(
        w_gram, w_residual, rtol=0, atol=_coef_tolerance(dtype) * scale
    )
    assert problem.objective(w_gram) == pytest.approx(
        problem.objective(w_residual), rel=_objective_tolerance(dtype)
    )
    # Both gaps are on the same (1/sum(s)) scale.
    bound = KERNEL_TOL[dtype] * problem.y_norm2() / problem.s.sum() * (1 + 1e-4)
    assert gap_residual <= bound
    assert gap_gram <= bound


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("weighted", [False, True])
def test_sample_weight_and_offset_match_sklearn(tall, dtype, weighted, enet_alpha_max):
    X, y = tall
    rng = np.random.default_rng(2)
    sample_weight = rng.uniform(0.1, 5.0, X.shape[0]) if weighted else None
    l1_ratio = 0.8
    alpha = enet_alpha_max(X, y, l1_ratio, True, sample_weight) / 25
    problem = KernelProblem(
        X,
        y,
        alpha,
        l1_ratio,
        dtype,
        sample_weight=sample_weight,
        fit_intercept=True,
    )
    w, _, _ = problem.run()
    reference = sklearn_solution(
        X, y, alpha, l1_ratio, fit_intercept=True, sample_weight=sample_weight
    )
    scale = np.max(np.abs(reference.coef_))
    np.testing.assert_allclose(
        w, reference.coef_, rtol=0, atol=_coef_tolerance(dtype) * scale
    )
    np.testing.assert_allclose(
        problem.intercept(w),
        reference.intercept_,
        rtol=_coef_tolerance(dtype),
        atol=_coef_tolerance(dtype) * scale,
    )


def _bounds(n_features, seed):
    """Mixed bounds: some one-sided, some boxes, some pinned at 0 on a side."""
    rng = np.random.default_rng(seed)
    lower = np.full(n_features, -np.inf)
    upper = np.full(n_features, np.inf)
    kind = np.arange(n_features) % 5
    upper[kind == 0] = rng.uniform(0.05, 0.3, np.sum(kind == 0))
    lower[kind == 1] = -rng.uniform(0.05, 0.3, np.sum(kind == 1))
    lower[kind == 2] = 0.0
    upper[kind == 3] = 0.0
    return lower, upper


def _binding_bounds(w_free):
    """Bounds that cut the unconstrained solution w_free on several sides.

    Coefficients alternate between: capped at half their free value, held on
    the other side of zero (so pinned at 0), and left free.
    """
    lower = np.full(w_free.shape, -np.inf)
    upper = np.full(w_free.shape, np.inf)
    for rank, j in enumerate(np.flatnonzero(w_free)):
        if rank % 3 == 0:
            if w_free[j] > 0:
                upper[j] = 0.5 * w_free[j]
            else:
                lower[j] = 0.5 * w_free[j]
        elif rank % 3 == 1:
            if w_free[j] > 0:
                upper[j] = 0.0
            else:
                lower[j] = 0.0
    return lower, upper


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_bounds_are_respected_exactly(tall, dtype, kernel, l1_ratio, enet_alpha_max):
    X, y = tall
    alpha = enet_alpha_max(X, y, l1_ratio, True) / 100
    free = KernelProblem(X, y, alpha, l1_ratio, np.float64, fit_intercept=True)
    w_free, _, _ = free.run(kernel)
    lower, upper = _binding_bounds(w_free)
    problem = KernelProblem(
        X,
        y,
        alpha,
        l1_ratio,
        dtype,
        fit_intercept=True,
        lower=lower,
        upper=upper,
    )
    w, gap, n_iter = problem.run(kernel)
    lower_t, upper_t = problem.lower, problem.upper

    assert n_iter < 100_000
    assert np.all(w >= lower_t)
    assert np.all(w <= upper_t)
    # The bounds bind, so the test above could have failed: some coefficients
    # sit exactly on a finite non-zero bound.
    capped = (np.isfinite(upper_t) & (upper_t > 0)) | (
        np.isfinite(lower_t) & (lower_t < 0)
    )
    assert np.any((w == upper_t)[capped] | (w == lower_t)[capped])
    # And the bounded point is optimal for the bounded problem.
    assert gap >= -_rounding_slack(dtype, problem.n_samples) * problem.y_norm2()
    assert problem.fixed_point_violation(w, gap) <= 1.0
    assert problem.objective(w) >= free.objective(w_free) * (
        1 - _objective_tolerance(dtype)
    )


def test_bounds_agree_with_positive_in_sklearn(tall, enet_alpha_max):
    X, y = tall
    alpha = enet_alpha_max(X, y, 1.0, True) / 100
    problem = KernelProblem(X, y, alpha, 1.0, np.float64, fit_intercept=True, lower=0.0)
    w, _, _ = problem.run()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference = SkElasticNet(
            alpha=alpha, l1_ratio=1.0, positive=True, tol=1e-12, max_iter=1_000_000
        ).fit(X, y)
    assert np.all(w >= 0.0)
    np.testing.assert_allclose(
        w, reference.coef_, rtol=0, atol=1e-6 * np.max(np.abs(reference.coef_))
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_infinite_penalty_factor_gives_exact_zero(wide, dtype, kernel, enet_alpha_max):
    X, y = wide
    n_features = X.shape[1]
    excluded = np.zeros(n_features, dtype=bool)
    alpha = enet_alpha_max(X, y, 0.9, True) / 10
    # Exclude features the plain fit makes non-zero, and start them non-zero.
    plain = KernelProblem(X, y, alpha, 0.9, np.float64, fit_intercept=True)
    w_plain, _, _ = plain.run()
    excluded[np.flatnonzero(w_plain)[:3]] = True
    excluded[::17] = True
    penalty_factor = np.where(excluded, np.inf, 1.0)
    problem = KernelProblem(
        X, y, alpha, 0.9, dtype, fit_intercept=True, penalty_factor=penalty_factor
    )
    w0 = np.where(excluded, 5.0, 0.0)
    w, gap, _ = problem.run(kernel, w0=w0)

    assert np.all(w[excluded] == 0.0)
    # The remaining coefficients solve the problem without those columns.
    keep = ~excluded
    reference = sklearn_solution(X[:, keep], y, alpha, 0.9, fit_intercept=True)
    scale = np.max(np.abs(reference.coef_))
    np.testing.assert_allclose(
        w[keep], reference.coef_, rtol=0, atol=_coef_tolerance(dtype) * scale
    )
    assert problem.fixed_point_violation(w, gap) <= 1.0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_penalty_factor_equals_column_rescaling(tall, dtype, kernel, enet_alpha_max):
    # For the Lasso, a factor f_j on |w_j| is the same as dividing column j by
    # f_j and dividing the resulting coefficient by f_j.
    X, y = tall
    rng = np.random.default_rng(4)
    factor = rng.uniform(0.3, 3.0, X.shape[1])
    alpha = enet_alpha_max(X / factor, y, 1.0, True) / 20
    problem = KernelProblem(
        X, y, alpha, 1.0, dtype, fit_intercept=True, penalty_factor=factor
    )
    w, _, _ = problem.run(kernel)
    reference = sklearn_solution(X / factor, y, alpha, 1.0, fit_intercept=True)
    expected = reference.coef_ / factor
    assert np.count_nonzero(expected) < X.shape[1]  # the penalty is active
    np.testing.assert_allclose(
        w, expected, rtol=0, atol=_coef_tolerance(dtype) * np.max(np.abs(expected))
    )


@pytest.mark.parametrize("kernel", KERNELS)
def test_zero_penalty_factor_leaves_feature_unpenalised(tall, kernel, enet_alpha_max):
    X, y = tall
    alpha = enet_alpha_max(X, y, 1.0, True) * 2  # everything else is zero
    factor = np.ones(X.shape[1])
    factor[[0, 5]] = 0.0
    problem = KernelProblem(
        X, y, alpha, 1.0, np.float64, fit_intercept=True, penalty_factor=factor
    )
    w, gap, _ = problem.run(kernel)
    # Least squares on the two free columns, the others exactly zero.
    Xc = X[:, [0, 5]] - X[:, [0, 5]].mean(axis=0)
    expected, *_ = np.linalg.lstsq(Xc, y - y.mean(), rcond=None)
    # (the data make the other features inactive at this alpha)
    residual = (y - y.mean()) - Xc @ expected
    assert np.max(np.abs((X - X.mean(axis=0)).T @ residual)) / len(y) < alpha
    np.testing.assert_allclose(w[[0, 5]], expected, rtol=1e-8)
    others = np.ones(X.shape[1], dtype=bool)
    others[[0, 5]] = False
    assert np.all(w[others] == 0.0)
    assert problem.fixed_point_violation(w, gap) <= 1.0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_inputs_are_not_modified(tall, dtype, kernel, enet_alpha_max):
    X, y = tall
    rng = np.random.default_rng(5)
    lower, upper = _bounds(X.shape[1], seed=6)
    problem = KernelProblem(
        X,
        y,
        enet_alpha_max(X, y, 0.5, True) / 10,
        0.5,
        dtype,
        sample_weight=rng.uniform(0.5, 2.0, X.shape[0]),
        fit_intercept=True,
        penalty_factor=rng.uniform(0.5, 2.0, X.shape[1]),
        lower=lower,
        upper=upper,
    )
    if kernel == "residual":
        inputs = [problem.X, problem.y, problem.sample_weight, problem.X_offset]
    else:
        Q, q, y_norm2, sum_s = problem.gram_arrays()
        inputs = [Q, q]
        problem.gram_arrays = lambda: (Q, q, y_norm2, sum_s)
    inputs += [problem.penalty_factor, problem.lower, problem.upper]
    before = [array.copy() for array in inputs]
    w, _, _ = problem.run(kernel)

    assert np.any(w != 0.0)
    for array, copy in zip(inputs, before, strict=True):
        np.testing.assert_array_equal(array, copy, strict=True)
        assert array.flags.f_contiguous or array.flags.c_contiguous


def test_read_only_inputs_are_accepted(tall):
    X, y = tall  # read-only arrays from the fixture
    X = np.asfortranarray(X)
    X.setflags(write=False)
    n, p = X.shape
    empty = np.empty(0)
    empty.setflags(write=False)
    w, gap, _ = enet_coordinate_descent(
        np.zeros(p),
        0.1 * n,
        0.0,
        X,
        y,
        empty,
        empty,
        np.ones(p),
        np.full(p, -np.inf),
        np.full(p, np.inf),
        10_000,
        1e-10,
        0,
        False,
    )
    assert np.any(w != 0.0)
    assert gap <= 1e-10 * float(y @ y) / n * (1 + 1e-4)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_random_selection(wide, dtype, kernel, enet_alpha_max):
    X, y = wide
    alpha = enet_alpha_max(X, y, 0.9, True) / 10
    problem = KernelProblem(X, y, alpha, 0.9, dtype, fit_intercept=True)
    w_cyclic, _, _ = problem.run(kernel)
    w_a, gap_a, n_a = problem.run(kernel, random=True, seed=7)
    w_b, gap_b, n_b = problem.run(kernel, random=True, seed=7)
    w_c, _, _ = problem.run(kernel, random=True, seed=8)

    # Same seed, same run, bit for bit.
    np.testing.assert_array_equal(w_a, w_b)
    assert (gap_a, n_a) == (gap_b, n_b)
    # Any order reaches the same optimum.
    atol = _coef_tolerance(dtype) * np.max(np.abs(w_cyclic))
    np.testing.assert_allclose(w_a, w_cyclic, rtol=0, atol=atol)
    np.testing.assert_allclose(w_c, w_cyclic, rtol=0, atol=atol)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_max_iter_stops_early_with_honest_gap(wide, dtype, kernel, enet_alpha_max):
    X, y = wide
    alpha = enet_alpha_max(X, y, 1.0, True) / 100
    problem = KernelProblem(X, y, alpha, 1.0, dtype, fit_intercept=True)
    w, gap, n_iter = problem.run(kernel, max_iter=1, tol=1e-15)
    assert n_iter == 1
    # One epoch from zero is far from the optimum, and the gap says so.
    assert gap > 1e-3 * problem.y_norm2() / problem.s.sum()
    assert np.isfinite(gap)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_warm_start_from_solution_stops_at_once(wide, dtype, kernel, enet_alpha_max):
    X, y = wide
    alpha = enet_alpha_max(X, y, 1.0, True) / 20
    problem = KernelProblem(X, y, alpha, 1.0, dtype, fit_intercept=True)
    w, _, n_cold = problem.run(kernel)
    w_again, gap, n_warm = problem.run(kernel, w0=w)
    assert n_warm < n_cold
    if dtype == np.float64:
        assert n_warm == 0  # the gap and the steps are checked before any epoch
    np.testing.assert_allclose(
        w_again, w, rtol=0, atol=_coef_tolerance(dtype) * np.max(np.abs(w))
    )
    assert gap <= KERNEL_TOL[dtype] * problem.y_norm2() / problem.s.sum() * 1.0001


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", KERNELS)
def test_zero_solution_above_alpha_max(wide, dtype, kernel, enet_alpha_max):
    X, y = wide
    alpha = enet_alpha_max(X, y, 0.5, True) * 1.01
    problem = KernelProblem(X, y, alpha, 0.5, dtype, fit_intercept=True)
    w, gap, n_iter = problem.run(kernel)
    assert np.all(w == 0.0)
    assert n_iter == 0
    scale = problem.y_norm2() / problem.s.sum()
    assert abs(gap) <= _rounding_slack(dtype, problem.n_samples) * scale
    # ... and just below alpha_max exactly one feature enters (at a
    # tolerance tight enough that w = 0 is not already within it).
    problem = KernelProblem(X, y, alpha / 1.01 * 0.99, 0.5, dtype, fit_intercept=True)
    w, _, _ = problem.run(kernel)
    assert np.count_nonzero(w) == 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_constant_column_gets_zero(tall, kernel, enet_alpha_max):
    X, y = tall
    X = np.array(X)
    X[:, 3] = 2.5  # constant: zero once centred, whatever its raw norm
    alpha = enet_alpha_max(X, y, 1.0, True) / 50
    problem = KernelProblem(X, y, alpha, 1.0, np.float64, fit_intercept=True)
    w, gap, n_iter = problem.run(kernel, w0=np.where(np.arange(X.shape[1]) == 3, 1, 0))
    assert w[3] == 0.0
    assert n_iter < 100_000
    keep = np.arange(X.shape[1]) != 3
    reference = sklearn_solution(X[:, keep], y, alpha, 1.0, fit_intercept=True)
    np.testing.assert_allclose(
        w[keep], reference.coef_, rtol=0, atol=1e-6 * np.max(np.abs(reference.coef_))
    )


# --- the CSC kernel -----------------------------------------------------------


@pytest.fixture(scope="module")
def sparse_data():
    """A 120 x 30 problem whose X is 80% zeros, with non-zero column means."""
    rng = np.random.default_rng(10)
    X = rng.standard_normal((120, 30)) * (rng.random((120, 30)) < 0.2)
    X[:, ::3] += 1.0 * (rng.random((120, 10)) < 0.3)  # skewed, non-centred
    y = X @ rng.standard_normal(30) + rng.standard_normal(120) + 2.0
    return X, y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_sparse_kernel_matches_dense(
    sparse_data, dtype, weighted, fit_intercept, l1_ratio, enet_alpha_max
):
    X, y = sparse_data
    sample_weight = (
        np.random.default_rng(11).uniform(0.2, 3.0, X.shape[0]) if weighted else None
    )
    alpha = enet_alpha_max(X, y, l1_ratio, fit_intercept, sample_weight) / 20
    problem = KernelProblem(
        X,
        y,
        alpha,
        l1_ratio,
        dtype,
        sample_weight=sample_weight,
        fit_intercept=fit_intercept,
    )
    w_dense, _, _ = problem.run("residual")
    w_sparse, gap, n_iter = problem.run("sparse")

    assert w_sparse.dtype == dtype
    assert n_iter < 100_000
    scale = np.max(np.abs(w_dense))
    np.testing.assert_allclose(
        w_sparse, w_dense, rtol=0, atol=_coef_tolerance(dtype) * scale
    )
    bound = KERNEL_TOL[dtype] * problem.y_norm2() / problem.s.sum() * (1 + 1e-4)
    assert -_rounding_slack(dtype, problem.n_samples) * bound / KERNEL_TOL[dtype] <= gap
    assert gap <= bound
    assert problem.fixed_point_violation(w_sparse, gap) <= 1.0


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_sparse_kernel_unsorted_indices_and_explicit_zeros(
    sparse_data, index_dtype, enet_alpha_max
):
    X, y = sparse_data
    alpha = enet_alpha_max(X, y, 0.8, True) / 20
    problem = KernelProblem(X, y, alpha, 0.8, np.float64, fit_intercept=True)
    w_dense, _, _ = problem.run("residual")

    # Rebuild the CSC arrays with each column reversed and an explicit zero
    # stored at the top of every column.
    X_csc = sparse.csc_matrix(X)
    data, indices, indptr = [], [], [0]
    for j in range(X.shape[1]):
        rows = X_csc.indices[X_csc.indptr[j] : X_csc.indptr[j + 1]][::-1]
        values = X_csc.data[X_csc.indptr[j] : X_csc.indptr[j + 1]][::-1]
        zero_row = np.setdiff1d(np.arange(X.shape[0]), rows)[0]
        indices += [zero_row, *rows]
        data += [0.0, *values]
        indptr.append(len(indices))
    arrays = [
        np.array(data),
        np.array(indices, dtype=index_dtype),
        np.array(indptr, dtype=index_dtype),
    ]
    before = [a.copy() for a in arrays]
    problem.csc_arrays = lambda: arrays
    w_sparse, _, _ = problem.run("sparse")

    np.testing.assert_allclose(
        w_sparse, w_dense, rtol=0, atol=1e-6 * np.max(np.abs(w_dense))
    )
    for array, copy in zip(arrays, before, strict=True):
        np.testing.assert_array_equal(array, copy, strict=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fmt", ["dense", "csc"])
def test_column_statistics_norms_bound_every_correlation_move(dtype, fmt):
    # norm and l1norm bound how far xt_j^T S r moves when r moves by d:
    # by norm_j ||d||_S (Cauchy-Schwarz) and by l1norm_j max|d| (Hoelder).
    # A CSC column with a duplicate entry and an offset checks the upper
    # bound used for sparse columns.
    from l1l2._cd_fast import column_statistics

    rng = np.random.default_rng(0)
    X = sparse.random(40, 6, density=0.3, format="csc", random_state=1,
                      data_rvs=lambda k: rng.standard_normal(k))
    if fmt == "csc":
        # A second entry for the first stored row of the last column.
        X = sparse.csc_matrix(
            (np.append(X.data, 0.7), np.append(X.indices, X.indices[X.indptr[-2]]),
             np.append(X.indptr[:-1], X.indptr[-1] + 1)), shape=X.shape)
        assert not X.has_canonical_format
    X = X.astype(dtype)
    dense = X.toarray()
    weights = rng.uniform(0.5, 2.0, 40).astype(dtype)
    offset = (weights @ dense / weights.sum()).astype(dtype)
    centred = dense - offset
    if fmt == "csc":
        arrays = (np.empty((0, 0), dtype, order="F"), X.data, X.indices, X.indptr)
    else:
        arrays = (np.asfortranarray(dense), np.empty(0, dtype),
                  np.empty(0, np.intc), np.empty(0, np.intc))
    norm2, colsum, norm, l1norm = column_statistics(
        *arrays, fmt == "csc", weights, offset)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(norm2, weights @ centred**2, rtol=rtol)
    np.testing.assert_allclose(colsum, weights @ dense, rtol=rtol)
    np.testing.assert_allclose(norm, np.sqrt(norm2.astype(np.float64)), rtol=1e-12)
    exact_l1 = weights.astype(np.float64) @ np.abs(centred.astype(np.float64))
    if fmt == "dense":
        np.testing.assert_allclose(l1norm, exact_l1, rtol=rtol)
    else:
        assert np.all(l1norm >= exact_l1 * (1 - rtol))
        expected = (weights @ np.abs(dense)) + np.abs(offset) * weights.sum()
        np.testing.assert_allclose(l1norm, expected, rtol=rtol)
    for _ in range(20):
        move = rng.standard_normal(40) * rng.uniform(0, 1, 40) ** 4
        change = np.abs(centred.T.astype(np.float64) @ (weights * move))
        assert np.all(change <= norm * np.sqrt(weights @ move**2) * (1 + 1e-6))
        assert np.all(change <= l1norm * np.abs(move).max() * (1 + 1e-6))


@pytest.mark.parametrize("layout", ["canonical", "reversed", "duplicated"])
def test_column_statistics_of_any_csc_layout_match_the_dense_columns(layout):
    # Canonical columns take the direct sums; reversed row order and
    # duplicate entries (which add up, as in scipy) the dense gather.
    from l1l2._cd_fast import column_statistics

    rng = np.random.default_rng(3)
    X = sparse.random(30, 8, density=0.4, format="csc", random_state=2,
                      data_rvs=lambda k: rng.standard_normal(k))
    data, indices, indptr = X.data.copy(), X.indices.copy(), X.indptr.copy()
    if layout == "reversed":
        for j in range(8):
            data[indptr[j]:indptr[j + 1]] = data[indptr[j]:indptr[j + 1]][::-1]
            indices[indptr[j]:indptr[j + 1]] = indices[indptr[j]:indptr[j + 1]][::-1]
    elif layout == "duplicated":
        # Every stored value split in two halves on the same row.
        data = np.repeat(data / 2, 2)
        indices = np.repeat(indices, 2)
        indptr = indptr * 2
    weights = rng.uniform(0.5, 2.0, 30)
    dense = X.toarray()
    offset = weights @ dense / weights.sum()
    norm2, colsum, norm, l1norm = column_statistics(
        np.empty((0, 0), order="F"), data, indices, indptr, True, weights, offset)
    np.testing.assert_allclose(norm2, weights @ (dense - offset) ** 2, rtol=1e-12)
    np.testing.assert_allclose(colsum, weights @ dense, rtol=1e-12)
    np.testing.assert_allclose(
        l1norm, weights @ np.abs(dense) + np.abs(offset) * weights.sum(), rtol=1e-12)
