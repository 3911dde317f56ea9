"""Every JAX file that jaxlite's docstrings and comments name (`jax/_src/lax/lax.py`, `jax/_src/scipy/stats/`)
exists in the JAX the tests pin, so that a student who opens the file named finds it."""
import importlib.metadata
import importlib.util
import io
import pathlib
import re
import tokenize

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
JAX_PARENT = pathlib.Path(importlib.util.find_spec("jax").origin).parents[1]  # the folder jax/ sits in
# A path that starts at `jax/` (not `.../jax/` or `jaxlite/`), made of names, ending with a name, `.py` or `/`.
JAX_PATH = re.compile(r"(?<![\w./])jax/(?:\w+/)*\w+(?:\.py|/)?")
TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT} | {getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def jax_paths_named(source):
    """The `jax/...` paths in a module's strings (its docstrings) and comments, in order, each once."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in TEXT_TOKENS:
            found += [p for p in JAX_PATH.findall(token.string) if p not in found]
    return found


MENTIONS = sorted((str(module.relative_to(ROOT)), path) for module in (ROOT / "jaxlite").rglob("*.py")
                  for path in jax_paths_named(module.read_text()))  # fmt: skip


def test_the_finder_reads_docstrings_and_comments_only():
    source = '"""Mirrors jax/_src/lax/lax.py."""\nx = 1  # see jax/_src/core.py\njaxlite_path = "lax/jax/x.py"\n'
    assert jax_paths_named(source) == ["jax/_src/lax/lax.py", "jax/_src/core.py"]


def test_jaxlite_names_its_jax_counterparts():
    modules = {module for module, _ in MENTIONS}
    assert {"jaxlite/core.py", "jaxlite/random.py", "jaxlite/prng.py"} <= modules


@pytest.mark.parametrize("module,path", MENTIONS, ids=[f"{m}:{p}" for m, p in MENTIONS])
def test_the_named_jax_file_exists(module, path):
    version = importlib.metadata.version("jax")
    assert (JAX_PARENT / path).exists(), f"{module} names {path}, which JAX {version} does not have"

