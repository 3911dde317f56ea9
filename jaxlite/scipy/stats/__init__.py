"""`jaxlite.scipy.stats`: probability distributions as functions (pdf, logpdf, cdf, ppf, ...).

Mirrors jax/_src/scipy/stats/: one module per distribution, each function written with
jaxlite.numpy, lax and jaxlite.scipy.special, so that grad, vmap and jit apply to every one.
"""
from jaxlite.scipy.stats import (bernoulli, beta, betabinom, binom, cauchy, chi2, dirichlet,  # noqa: F401
                                 expon, gamma, gennorm, geom, gumbel_l, gumbel_r, laplace, logistic,
                                 multinomial, multivariate_normal, nbinom, norm, pareto, poisson, t,
                                 truncnorm, uniform, wrapcauchy)
from jaxlite.scipy.stats._core import sem  # noqa: F401
