"""The generalised normal distribution with shape beta. Mirrors jax/_src/scipy/stats/gennorm.py
(its cdf needs the incomplete gamma function, which jaxlite does not have)."""
from jaxlite import lax
from jaxlite.numpy.util import promote_args_inexact
from jaxlite.scipy.special import gammaln


def logpdf(x, beta):
    x, beta = promote_args_inexact(x, beta)
    return lax.log(0.5 * beta) - gammaln(1 / beta) - lax.abs(x) ** beta


def pdf(x, beta):
    return lax.exp(logpdf(x, beta))
