"""Every case of the primitive table under jit, on both backends, against jax.jit: values, dtypes
and weak types of what the compiled code returns."""
import jax
import pytest

import jaxlite
import jaxlite.lax as llax
from primitive_cases import JAX_CASES as CASES, assert_matches_jax, to_jax, to_lite


@pytest.mark.parametrize("backend", ["numpy", "xla"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_jit_of_case_matches_jax_jit(case, backend):
    args = case.args()
    lite = jaxlite.jit(lambda *a: case.fn(llax, *a), backend=backend)(*to_lite(args))
    ref = jax.jit(lambda *a: case.fn(jax.lax, *a))(*to_jax(args))
    assert_matches_jax(lite, ref, case.rtol, case.atol)
