"""The ways to install jaxlite agree with each other, and jaxlite needs nothing but NumPy."""

import fnmatch
import importlib.metadata
import json
import os
import pathlib
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement

REPO = pathlib.Path(__file__).resolve().parents[1]

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
DEPENDENCIES = [Requirement(d) for d in PYPROJECT["project"]["dependencies"]]
DEPENDENCY_NAMES = {r.name for r in DEPENDENCIES}


def conda_dependencies(path):
    """Split an environment file's dependencies into conda specs and pip requirements."""
    env = yaml.safe_load(path.read_text())
    conda, pip = [], []
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry["pip"])
        else:
            conda.append(entry)
    return conda, pip


def conda_name(spec):
    return re.split(r"[=<>!~ \[]", spec, maxsplit=1)[0]


def package_names(path):
    """Package names an environment file installs, leaving out local installs such as `-e .`."""
    conda, pip = conda_dependencies(path)
    names = {conda_name(spec) for spec in conda}
    names |= {Requirement(req).name for req in pip if not req.startswith("-")}
    return names


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_environment_file_installs_the_same_packages_as_pyproject(path):
    assert package_names(REPO / path) == DEPENDENCY_NAMES | {"python", "pip"}


def test_conda_environment_pins_jax_like_pyproject():
    conda, _ = conda_dependencies(REPO / "environment.yml")
    (jax_spec,) = [spec for spec in conda if conda_name(spec) == "jax"]
    (jax_requirement,) = [r for r in DEPENDENCIES if r.name == "jax"]
    assert Requirement(jax_spec).specifier == jax_requirement.specifier


def test_binder_pins_exact_versions_that_pyproject_allows():
    conda, pip = conda_dependencies(REPO / "binder/environment.yml")
    assert "python=3.11" in conda
    allowed = {r.name: r.specifier for r in DEPENDENCIES}
    for line in pip:
        requirement = Requirement(line)
        (pin,) = requirement.specifier
        assert pin.operator == "==", line
        assert allowed[requirement.name].contains(pin.version), line


def test_installed_jax_is_the_series_the_oracle_expects():
    (jax_requirement,) = [r for r in DEPENDENCIES if r.name == "jax"]
    assert jax_requirement.specifier.contains(importlib.metadata.version("jax"))


@pytest.mark.parametrize("script", ["binder/postBuild", "binder/start", ".ci/run"])
def test_script_is_executable(script):
    assert os.access(REPO / script, os.X_OK)


def test_binder_start_runs_jax_on_the_cpu_and_hands_over():
    result = subprocess.run(
        [REPO / "binder/start", sys.executable, "-c", "import os; print(os.environ['JAX_PLATFORMS'])"],
        env={k: v for k, v in os.environ.items() if k != "JAX_PLATFORMS"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "cpu"


def test_binder_start_hands_the_projects_jupyter_configuration_to_the_server():
    result = subprocess.run(
        [REPO / "binder/start", sys.executable, "-c", "import os; print(os.environ['JUPYTER_CONFIG_PATH'])"],
        env=dict(os.environ, JUPYTER_CONFIG_PATH="/etc/elsewhere"),
        capture_output=True,
        text=True,
        check=True,
    )
    first, rest = result.stdout.strip().split(os.pathsep, 1)
    assert pathlib.Path(first) == REPO / "classroom" / "jupyter-config"
    assert (pathlib.Path(first) / "jupyter_server_config.py").is_file()
    assert rest == "/etc/elsewhere"


def test_the_binder_badge_opens_the_welcome_lesson():
    (badge,) = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]*\)", (REPO / "README.md").read_text())
    assert "labpath=notebooks%2F00_welcome.ipynb" in badge
    assert (REPO / "notebooks" / "00_welcome.ipynb").is_file()


def test_the_package_ships_the_jupyter_configuration():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["classroom"]
    config = REPO / "classroom" / "jupyter-config"
    shipped = [path.relative_to(REPO / "classroom").as_posix() for path in config.rglob("*") if path.is_file()]
    assert shipped and all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in shipped)


def test_binder_post_build_installs_this_checkout():
    text = (REPO / "binder/postBuild").read_text()
    assert re.search(r"pip install --no-deps -e \.$", text, re.MULTILINE)


# Runs in a fresh interpreter: the heavy libraries are made unimportable before jaxlite is imported.
IMPORT_WITHOUT_JAX = r"""
import json, sys

BLOCKED = {"jax", "jaxlib", "scipy", "matplotlib", "ipywidgets"}

class Unimportable:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: jaxlite must not import it")
        return None

sys.meta_path.insert(0, Unimportable())
already_loaded = {name.partition(".")[0] for name in sys.modules}

import jaxlite
import jaxlite.numpy

loaded = {name.partition(".")[0] for name in sys.modules} - already_loaded
print(json.dumps(sorted(loaded - set(sys.stdlib_module_names))))

try:
    import jax
except ImportError:
    pass
else:
    raise SystemExit("the import blocker let jax through")
"""


def test_jaxlite_imports_only_numpy_and_the_standard_library():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_WITHOUT_JAX], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    third_party = set(json.loads(result.stdout))
    assert "jaxlite" in third_party
    # ml_dtypes (JAX's dtype package) is optional: it brings bfloat16 where it is installed.
    assert third_party <= {"jaxlite", "numpy", "ml_dtypes"}


def test_jaxlite_works_without_ml_dtypes_and_then_has_no_bfloat16():
    script = IMPORT_WITHOUT_JAX.replace('"ipywidgets"}', '"ipywidgets", "ml_dtypes"}').replace(
        "import jaxlite.numpy\n",
        "import jaxlite.numpy\nassert jaxlite.numpy.bfloat16 is None\n"
        "assert float(jaxlite.grad(lambda x: jaxlite.numpy.sin(x) * x)(0.0)) == 0.0\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) <= {"jaxlite", "numpy"}
