"""Model of the side-by-side jaxpr view: the texts traced by jaxlite and by JAX, cut into tokens that know
which variable they define or use, and which lines differ between the two.

Working on the printed text (not on each library's Jaxpr objects) keeps the two sides comparable: what is
highlighted is exactly what is shown.
"""
import difflib
import re
from dataclasses import dataclass, field

import numpy as np

from widgets import backends

TRANSFORMS = ("none", "grad", "vmap", "jvp", "jit")
VMAP_BATCH = 3  # vmap is shown over a batch of this many copies of the arguments

_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\s+|.")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Token:
    text: str
    var: str | None = None  # the variable this token names, if it is one
    role: str | None = None  # "def" where the variable is bound, "use" where it is read


@dataclass(frozen=True)
class Listing:
    """One library's text, line by line, tokenised; `differs` holds the indices of lines the other side lacks."""
    text: str
    lines: tuple
    differs: frozenset = field(default_factory=frozenset)

    def uses_of(self, var: str) -> list:
        return [i for i, line in enumerate(self.lines) if any(t.var == var and t.role == "use" for t in line)]

    def definition_of(self, var: str):
        return next((i for i, line in enumerate(self.lines) if any(t.var == var and t.role == "def" for t in line)),
                    None)


def _prepare_args(args, lib):
    """Arrays go to each library as its own array type; Python scalars stay Python scalars (weakly typed)."""
    return tuple(a if isinstance(a, (int, float, complex, bool)) else lib.asarray(a) for a in args)


def _transformed(f, args, transform, lib):
    api = lib.api
    if transform == "none":
        return f, args
    if transform == "grad":
        return api.grad(f), args
    if transform == "vmap":
        batched = tuple(lib.numpy.stack([lib.numpy.asarray(a)] * VMAP_BATCH) for a in args)
        return api.vmap(f), batched
    if transform == "jvp":
        tangents = tuple(lib.numpy.ones_like(lib.numpy.asarray(a)) for a in args)
        return (lambda *primals: api.jvp(f, primals, tangents)), args
    if transform == "jit":
        return api.jit(f), args
    raise ValueError(f"unknown transform {transform!r}: choose one of {', '.join(TRANSFORMS)}")


def trace(f, args, transform: str, backend: str) -> str:
    """The jaxpr text of `transform(f)` at `args`, as `make_jaxpr` of the chosen library prints it."""
    lib = backends.library(backend)
    fun, fun_args = _transformed(backends.bind(f, lib), _prepare_args(args, lib), transform, lib)
    return plain_text(str(lib.api.make_jaxpr(fun)(*fun_args)))


def plain_text(text: str) -> str:
    """The text without terminal colours (JAX colours its jaxprs when it runs inside IPython)."""
    return _ANSI.sub("", text)


def generated_source(f, args) -> str:
    """jaxlite's jit output: the jaxpr followed by the NumPy code it becomes."""
    import jaxlite

    lib = backends.library("jaxlite")
    return jaxlite.jit(backends.bind(f, lib)).lower(*_prepare_args(args, lib)).as_text()


def tokenize(text: str) -> tuple:
    """Lines of tokens; a name followed by `:` and a type is a binding, any later same name a use."""
    raw_lines = [_TOKEN.findall(line) for line in text.split("\n")]
    defined = set()
    for words in raw_lines:
        for i, word in enumerate(words):
            if _is_binding(words, i):
                defined.add(word)
    lines = []
    for words in raw_lines:
        line = []
        for i, word in enumerate(words):
            if _is_binding(words, i):
                line.append(Token(word, word, "def"))
            elif word in defined and _is_name_use(words, i):
                line.append(Token(word, word, "use"))
            else:
                line.append(Token(word))
        lines.append(tuple(line))
    return tuple(lines)


def _is_binding(words, i):
    word = words[i]
    return (
        word[0].isalpha() and word.islower()
        and i + 2 < len(words) and words[i + 1] == ":" and words[i + 2][0].isalpha()
        and (i == 0 or words[i - 1] != ".")
    )  # fmt: skip


def _is_name_use(words, i):
    after = words[i + 1] if i + 1 < len(words) else ""
    if after in ("=", "[", ":"):  # a parameter name, a primitive with parameters, a binding
        return False
    before = next((w for w in reversed(words[:i]) if not w.isspace()), "")
    return before != "="  # right after ` = ` comes the primitive's name


def differing_lines(a: list, b: list):
    """Indices of the lines of a and of b that are not in a common block of the two."""
    matcher = difflib.SequenceMatcher(a=[s.strip() for s in a], b=[s.strip() for s in b], autojunk=False)
    same_a, same_b = set(), set()
    for block in matcher.get_matching_blocks():
        same_a.update(range(block.a, block.a + block.size))
        same_b.update(range(block.b, block.b + block.size))
    return frozenset(set(range(len(a))) - same_a), frozenset(set(range(len(b))) - same_b)


def compare(texts: dict) -> dict:
    """Listings for each library's text, with the lines that differ from the other side marked."""
    names = list(texts)
    lines = {name: texts[name].split("\n") for name in names}
    differs = dict.fromkeys(names, frozenset())
    if len(names) == 2:
        differs[names[0]], differs[names[1]] = differing_lines(lines[names[0]], lines[names[1]])
    return {name: Listing(texts[name], tokenize(texts[name]), differs[name]) for name in names}


def example_args():
    """What the gallery traces: tanh-weighted sum of a vector."""
    return (np.linspace(-1.0, 1.0, 3, dtype=np.float32),)
