"""Every differentiable primitive's jvp and vjp against central finite differences, to second order,
in float64."""
import numpy as np
import pytest

import jaxlite
import jaxlite.lax as llax
from jaxlite.interpreters import ad
from jaxlite.lax.lax import standard_primitive
from gradcheck import check_grads, numerical_jvp, x64_mode
from primitive_cases import CASES, split_diff

FD_CASES = [c for c in CASES if c.diff and c.fd]


@pytest.fixture(autouse=True)
def x64():
    with x64_mode():
        yield


def _float64(args):
    return [a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in args]


def _fn(case):
    """The case as a function of its differentiable arguments, with float64 outputs only."""
    args = _float64(case.args())
    bind, primals = split_diff(case, args)
    f = bind(llax)

    def float_outputs(*a):
        outs = [o for o in jaxlite.tree_util.tree_leaves(f(*a)) if o.dtype.kind == "f"]
        return outs[0] if len(outs) == 1 else tuple(outs)
    return float_outputs, primals


@pytest.mark.parametrize("case", FD_CASES, ids=[c.id for c in FD_CASES])
def test_derivatives_match_finite_differences_to_second_order(case):
    f, primals = _fn(case)
    check_grads(f, primals, order=2)


def test_check_grads_catches_a_wrong_jvp_rule():
    """The checker itself: a primitive whose derivative rule is off by a factor of 2 fails."""
    wrong_sin_p = standard_primitive("wrong_sin", np.sin, lambda a: a.shape, lambda a: a.dtype)
    ad.defjvp(wrong_sin_p, lambda g, x: llax.mul(llax.mul(g, llax.cos(x)), 2.0))
    with pytest.raises(AssertionError, match="jvp vs finite differences"):
        check_grads(lambda x: wrong_sin_p.bind(x), [np.array([0.3, 1.2])], order=1)


def test_numerical_jvp_of_a_quadratic_is_exact():
    x = np.array([1.0, -2.0, 0.5])
    t = np.array([0.1, 0.2, -0.3])
    np.testing.assert_allclose(numerical_jvp(lambda a: a * a, [x], [t], 1e-3), 2 * x * t, rtol=1e-9)
