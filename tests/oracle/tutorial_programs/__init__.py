"""Short programs in the style of JAX's documentation tutorials, one notebook cell each.

Each module holds one tutorial's cells as `PROGRAMS` (name -> source) and, in `DIFFERS`, the cells
whose output jaxlite does not give yet, with what differs (the tests run those as expected failures).
test_tutorial_programs.py runs every cell under real JAX and under jaxlite and compares what it prints.
"""
import dataclasses
import importlib
import textwrap

AREAS = (
    "key_concepts", "jit_compilation", "autodiff", "vectorisation", "pytrees", "random_numbers",
    "control_flow", "jaxprs", "autodiff_cookbook", "sharp_bits", "custom_derivatives",
    "custom_interpreters", "checkpointing", "debugging", "indexing", "complex_numbers",
    "numerics", "stages_and_devices",
)


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    area: str
    source: str
    differs: str | None   # what jaxlite shows differently today, or None


def _load():
    programs = {}
    for area in AREAS:
        module = importlib.import_module(f"{__name__}.{area}")
        unknown = set(module.DIFFERS) - set(module.PROGRAMS)
        assert not unknown, f"{area}.DIFFERS names no program: {sorted(unknown)}"
        for name, source in module.PROGRAMS.items():
            assert name not in programs, f"two programs are called {name}"
            programs[name] = Program(name, area, textwrap.dedent(source).strip() + "\n",
                                     module.DIFFERS.get(name))
    return programs


PROGRAMS = _load()
