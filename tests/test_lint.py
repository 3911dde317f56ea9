"""The lint gate: pyflakes' rules (ruff) and a dead-code check (vulture), configured in pyproject.toml.

Each tool runs in a subprocess from the repository's root; a failure prints what it found, file and line. A name
vulture reports that is used in a way it cannot see goes in tests/vulture_whitelist.py, with the reason."""
import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUTSIDE_JAXLITE = ("widgets", "course", "classroom", "benchmarks", "tests")
EVERYTHING = ("jaxlite",) + OUTSIDE_JAXLITE


def _run(tool, *args):
    """(exit code, what the tool printed) of `python -m tool args...` at the repository's root."""
    done = subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True)
    return done.returncode, (done.stdout + done.stderr).strip()


def test_ruff_finds_nothing_outside_jaxlite():
    code, findings = _run("ruff", "check", "--output-format", "concise", *OUTSIDE_JAXLITE)
    assert code == 0, findings


def test_ruff_finds_nothing_in_jaxlite():
    code, findings = _run("ruff", "check", "--output-format", "concise", "jaxlite")
    assert code == 0, findings


def test_no_unused_import_variable_argument_or_unreachable_code():
    code, findings = _run("vulture")  # pyproject.toml: every package and the tests, at 80% confidence
    assert code == 0, findings


def test_no_function_class_or_attribute_of_jaxlite_is_unused():
    """Stricter over jaxlite: a function, class, method or attribute that nothing in the repository uses."""
    code, findings = _run("vulture", "--min-confidence", "60", *EVERYTHING)
    assert code in (0, 3), findings  # 3: it found dead code (anywhere); anything else: it could not run
    in_jaxlite = [line for line in findings.splitlines() if line.startswith("jaxlite/")]
    assert not in_jaxlite, "\n".join(in_jaxlite)


# A private name another module may read, with the reason.
PRIVATE_READS_ALLOWED = {
    # jaxlite.tree_util's public names are exactly jax.tree_util's (tests/oracle/test_tree_names.py), so the
    # helper that words a tree-prefix mismatch stays private; vmap's in_axes error words its mismatch with it.
    ("jaxlite.tree_util", "_prefix_error", "jaxlite.api"),
}


def _module_names():
    """module name -> path, for every module of jaxlite."""
    names = {}
    for path in (ROOT / "jaxlite").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _private_reads(module, path, modules):
    """(home, name) of every `_name` this module imports from, or reads off, another jaxlite module."""
    tree = ast.parse(path.read_text())
    aliases, reads = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("jaxlite"):
            for alias in node.names:
                if f"{node.module}.{alias.name}" in modules:  # a module: its attributes are read below
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                elif alias.name.startswith("_") and not alias.name.startswith("__") and node.module != module:
                    reads.add((node.module, alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("jaxlite") and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")
                and aliases[node.value.id] != module):
            reads.add((aliases[node.value.id], node.attr))
    return reads


def test_no_module_of_jaxlite_reads_another_modules_private_names():
    """A name used across modules is part of its home's API and gets a public name there."""
    modules = _module_names()
    found = {(home, name, module) for module, path in modules.items()
             for home, name in _private_reads(module, path, modules)}
    assert found - PRIVATE_READS_ALLOWED == set()
    assert PRIVATE_READS_ALLOWED <= found, "an allowed read is gone: remove it from PRIVATE_READS_ALLOWED"
