"""The two losses of logistic regression, on the linear predictor.

For n samples with weights ``a_i`` and K columns of linear predictor
``eta`` (K = 1 for two classes, one column per class for more), each loss
is a sum over samples of a convex function of ``eta_i``:

- binomial: ``a_i (log(1 + exp(eta_i)) - y_i eta_i)`` with y_i in {0, 1};
- multinomial: ``a_i (log sum_k exp(eta_ik) - sum_k Y_ik eta_ik)`` with Y
  one-hot.

Both have the gradient ``a_i (P_i - Y_i)`` in eta, where P are the
predicted probabilities (the sigmoid or the softmax of eta), and the same
form of Fenchel dual: for a dual point ``theta_i = a_i (Y_i - Q_i)`` with
Q_i in the probability simplex (in [0, 1] for two classes), the conjugate
term is ``-a_i * negative_entropy(Q_i)``. A dual point built from P, or
from any blend ``(1 - c) Y + c P``, always has Q in the simplex: the
duality gap is finite however far the iterate is from the optimum.
"""

import numpy as np
from scipy.special import expit, logsumexp, softmax, xlogy


class BinomialLoss:
    """The logistic loss of two classes: one column of linear predictor."""

    @staticmethod
    def probabilities(eta):
        """P(y = 1) for each sample, shape (n, 1)."""
        return expit(eta)

    @staticmethod
    def value(eta, Y, a):
        """``sum_i a_i (log(1 + exp(eta_i)) - y_i eta_i)``."""
        return float(a @ (np.logaddexp(0.0, eta[:, 0]) - Y[:, 0] * eta[:, 0]))

    @staticmethod
    def negative_entropy(Q, a):
        """``sum_i a_i (q_i log q_i + (1 - q_i) log(1 - q_i))``."""
        q = Q[:, 0]
        return float(a @ (xlogy(q, q) + xlogy(1.0 - q, 1.0 - q)))

    @staticmethod
    def null_value(a):
        """The loss of the zero predictor: ``log 2 * sum_i a_i``."""
        return float(np.log(2.0) * a.sum())


class MultinomialLoss:
    """The softmax (cross-entropy) loss of K > 2 classes."""

    def __init__(self, n_classes):
        self.n_classes = n_classes

    @staticmethod
    def probabilities(eta):
        """Softmax of each row of eta, shape (n, K)."""
        return softmax(eta, axis=1)

    @staticmethod
    def value(eta, Y, a):
        """``sum_i a_i (logsumexp(eta_i) - Y_i . eta_i)``."""
        return float(a @ (logsumexp(eta, axis=1) - np.einsum("ik,ik->i", Y, eta)))

    @staticmethod
    def negative_entropy(Q, a):
        """``sum_i a_i sum_k Q_ik log Q_ik``."""
        return float(a @ xlogy(Q, Q).sum(axis=1))

    def null_value(self, a):
        """The loss of the zero predictor: ``log K * sum_i a_i``."""
        return float(np.log(self.n_classes) * a.sum())


def loss_for(n_classes):
    """The loss of ``n_classes`` classes (at least 2)."""
    return BinomialLoss() if n_classes == 2 else MultinomialLoss(n_classes)


def encode_targets(y_index, n_classes, dtype):
    """Y for the loss: one column of 0/1 for two classes (the second class
    is 1, as in scikit-learn), one-hot columns for more."""
    if n_classes == 2:
        return y_index.astype(dtype)[:, np.newaxis]
    Y = np.zeros((y_index.size, n_classes), dtype=dtype)
    Y[np.arange(y_index.size), y_index] = 1.0
    return Y
