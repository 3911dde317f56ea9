"""The lint gate: pyflakes' rules (ruff) and a dead-code check (vulture), configured in pyproject.toml.

Each tool runs in a subprocess from the repository's root; a failure prints what it found, file and line. A name
vulture reports that is used in a way it cannot see goes in tests/vulture_whitelist.py, with the reason."""
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
