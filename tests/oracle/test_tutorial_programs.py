"""Tutorial-style programs print under jaxlite what they print under real JAX.

Every program of tutorial_programs runs twice in this process, once with real JAX and once with its
`import jax` giving jaxlite, and the two printed texts must agree (numbers within float32 rounding;
an error must be the same class with the same first line). Programs listed in a tutorial's DIFFERS
run as expected failures, with what differs as the reason; `python tests/oracle/fidelity_report.py`
counts them.
"""
import functools

import pytest

from .cells import outcome_difference, run_cell
from .tutorial_programs import PROGRAMS


@functools.cache
def outcomes(name):
    """(jaxlite's outcome, JAX's outcome) of one program, run once per process."""
    source = PROGRAMS[name].source
    return run_cell(source, lite=True), run_cell(source, lite=False)


def _param(program):
    marks = [pytest.mark.xfail(reason=program.differs, strict=False)] if program.differs else []
    return pytest.param(program.name, id=program.name, marks=marks)


@pytest.mark.parametrize("name", [_param(p) for p in PROGRAMS.values()])
def test_program_prints_what_jax_prints(name):
    lite, ref = outcomes(name)
    difference = outcome_difference(lite, ref)
    assert difference is None, f"{difference}\n--- jaxlite:\n{lite.shown()}--- JAX:\n{ref.shown()}"
