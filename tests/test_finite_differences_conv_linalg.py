"""The derivative rules of conv_general_dilated and the linalg primitives against central finite
differences, to second order, in float64."""
import numpy as np
import pytest

import jaxlite
import jaxlite.lax as llax
from conv_linalg_cases import CONV_CASES, LINALG_CASES
from gradcheck import check_grads, x64_mode
from primitive_cases import split_diff

FD_CASES = [c for c in CONV_CASES + LINALG_CASES if c.diff and c.fd]


@pytest.fixture(autouse=True)
def x64():
    with x64_mode():
        yield


def _fn(case):
    """The case as a function of its differentiable arguments, with float64 outputs only."""
    args = [a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a
            for a in case.args()]
    bind, primals = split_diff(case, args)
    f = bind(llax)

    def float_outputs(*a):
        outs = [o for o in jaxlite.tree_util.tree_leaves(f(*a)) if o.dtype.kind == "f"]
        return outs[0] if len(outs) == 1 else tuple(outs)
    return float_outputs, primals


@pytest.mark.parametrize("case", FD_CASES, ids=[c.id for c in FD_CASES])
def test_derivatives_match_finite_differences_to_second_order(case):
    f, primals = _fn(case)
    check_grads(f, primals, order=2, rtol=1e-5, atol=1e-5)
