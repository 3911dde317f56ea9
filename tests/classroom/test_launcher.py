"""`make lab`, `make notebook` and `make voila` start Jupyter through `python -m classroom`: on this machine only,
with --allow-root for root alone (Docker, Codespaces), on the class's copy of the course, reading the project's
Jupyter configuration."""
import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from classroom import __main__ as launcher
from classroom import classwork, saving

REPO = pathlib.Path(__file__).resolve().parents[2]


def dry_run(app, uid, *args):
    """What `python -m classroom APP --dry-run` prints when the user's id is `uid`."""
    script = (f"import os, sys; os.geteuid = lambda: {uid}; from classroom.__main__ import main; "
              f"sys.exit(main({[app, '--dry-run', *args]!r}))")
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_root_starts_jupyter_with_allow_root():
    assert "--allow-root" in launcher.server_options(0)


@pytest.mark.parametrize("uid", [1, 1000, 65534])
def test_other_users_never_get_allow_root(uid):
    assert "--allow-root" not in launcher.server_options(uid)


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_a_faked_root_user_gets_allow_root_on_the_command_line(app):
    assert " --allow-root " in dry_run(app, 0)


@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_a_faked_ordinary_user_does_not(app):
    assert "--allow-root" not in dry_run(app, 1000)


@pytest.mark.parametrize("app, module", [("lab", "jupyterlab"), ("notebook", "notebook")])
def test_lab_and_notebook_serve_the_classwork_copy_on_localhost(app, module, tmp_path):
    line = launcher.command(app, 1000, tmp_path / "classwork")
    assert line[:3] == [sys.executable, "-m", module]
    assert "--ip=127.0.0.1" in line
    assert f"--ServerApp.root_dir={tmp_path / 'classwork'}" in line


def test_voila_serves_the_gallery_alone_on_localhost():
    line = launcher.command("voila", 0)
    assert line[:4] == [sys.executable, "-m", "voila", str(classwork.NOTEBOOKS / "widgets_gallery.ipynb")]
    assert "--Voila.ip=127.0.0.1" in line
    assert "--allow-root" not in line  # Voila has no such check


def test_options_given_come_last_so_that_they_win():
    assert launcher.command("lab", 1000, extra=["--ip=0.0.0.0", "--port=9000"])[-2:] == ["--ip=0.0.0.0", "--port=9000"]


def test_the_project_configuration_comes_first_and_the_users_is_kept():
    env = launcher.environment({"JUPYTER_CONFIG_PATH": "/etc/elsewhere", "HOME": "/home/student"})
    assert env["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(launcher.CONFIG), "/etc/elsewhere"]
    assert env["HOME"] == "/home/student"


def test_the_project_configuration_alone_when_the_user_has_none():
    assert launcher.environment({})["JUPYTER_CONFIG_PATH"] == str(launcher.CONFIG)


def test_the_configuration_directory_holds_the_server_config_and_the_settings_overrides():
    overrides = json.loads((launcher.CONFIG / "lab-settings" / "overrides.json").read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    assert "classroom.saving.pre_save_hook" in (launcher.CONFIG / "jupyter_server_config.py").read_text()


def test_the_settings_give_the_live_slides_projector_sized_text():
    overrides = json.loads((launcher.CONFIG / "lab-settings" / "overrides.json").read_text())
    deck = overrides["@deathbeds/jupyterlab-fonts:fonts"]["styles"][".jp-Deck"]
    sizes = [deck[f"--jp-{name}-font-size{n}"] for name, n in (("content", "1"), ("code", ""), ("ui", "1"))]
    assert all(size.endswith("px") and float(size[:-2]) >= 18 for size in sizes), sizes


@pytest.mark.parametrize("target", ["lab", "notebook", "voila"])
def test_make_runs_the_launcher_with_the_given_args(target):
    if shutil.which("make") is None:
        pytest.fail("make is needed: it is how the course is opened", pytrace=False)
    # Run inside `make test`, make passes its level down: without this, the sub-make prints "make[1]: Leaving
    # directory" after the recipe.
    outer = {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}
    env = {name: value for name, value in os.environ.items() if name not in outer}
    result = subprocess.run(["make", "--no-print-directory", "-n", target, "ARGS=--port=9000"], cwd=REPO, env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == f".venv/bin/python -m classroom {target} --port=9000"


def test_make_clean_leaves_the_classwork_copy_whole(tmp_path):
    for folder in ("classwork/.ipynb_checkpoints", "classwork/exercises", "notebooks/.ipynb_checkpoints"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "classwork" / "exercises" / "02_grad.ipynb").write_text("{}")
    subprocess.run(["make", "-s", "-f", str(REPO / "Makefile"), "clean"], cwd=tmp_path, check=True)
    assert (tmp_path / "classwork" / ".ipynb_checkpoints").is_dir()
    assert (tmp_path / "classwork" / "exercises" / "02_grad.ipynb").read_text() == "{}"
    assert not (tmp_path / "notebooks" / ".ipynb_checkpoints").exists()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_addresses(port):
    """The local addresses of the sockets listening on `port`, read from the kernel's tables (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in pathlib.Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]) if len(address) == 8
                          else address)
    return found


def api(url, token, endpoint, method="GET", body=None):
    request = urllib.request.Request(
        f"{url}/{endpoint}", method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def started_lab(tmp_path_factory):
    """`python -m classroom lab` started as the current user (root in CI and containers) on a temporary copy."""
    home = tmp_path_factory.mktemp("started-lab")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    log = home / "lab.log"
    command = [sys.executable, "-m", "classroom", "lab", f"--classwork={home / 'classwork'}", "--no-browser",
               f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"the lab exited with {process.returncode}:\n{log.read_text()}", pytrace=False)
            try:
                api(url, token, "api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the lab did not answer:\n{log.read_text()}", pytrace=False)
                time.sleep(0.3)
        yield {"url": url, "token": token, "port": port, "home": home, "log": log}
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.slow
def test_the_lab_starts_as_the_current_user_and_listens_on_localhost_only(started_lab):
    assert listening_addresses(started_lab["port"]) == {"127.0.0.1"}


@pytest.mark.slow
def test_the_lab_serves_a_fresh_copy_of_the_course(started_lab):
    listing = api(started_lab["url"], started_lab["token"], "api/contents")
    names = {item["name"] for item in listing["content"]}
    assert {"00_welcome.ipynb", "02_grad.ipynb", "exercises", "solutions"} <= names
    assert "source" not in names
    assert "copied" in started_lab["log"].read_text()


@pytest.mark.slow
def test_the_lab_saves_widget_state_by_default(started_lab):
    plugin = "lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin"
    settings = api(started_lab["url"], started_lab["token"], plugin)
    # The project's overrides change the default that the page reads (ipywidgets' own default is off).
    assert settings["schema"]["properties"]["saveState"]["default"] is True


@pytest.mark.slow
def test_the_lab_asks_no_news_question_in_front_of_the_class(started_lab):
    plugin = "lab/api/settings/@jupyterlab/apputils-extension:notification"
    settings = api(started_lab["url"], started_lab["token"], plugin)
    assert settings["schema"]["properties"]["fetchNews"]["default"] == "false"


@pytest.mark.slow
def test_the_lab_saves_a_widget_without_state_as_the_placeholder(started_lab):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("widgets.FunctionDerivatives()", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        saving.WIDGET_VIEW: {"model_id": "gone", "version_major": 2, "version_minor": 0}, "text/plain": "VBox()"})]
    nb.cells = [cell]
    api(started_lab["url"], started_lab["token"], "api/contents/saved.ipynb", method="PUT",
        body={"type": "notebook", "format": "json", "content": nb})
    stored = nbformat.read(started_lab["home"] / "classwork" / "saved.ipynb", as_version=4)
    assert stored.cells[0].outputs[0]["data"] == {"text/plain": saving.PLACEHOLDER}


def page(started_lab, path):
    request = urllib.request.Request(f"{started_lab['url']}/{path}",
                                     headers={"Authorization": f"token {started_lab['token']}"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read().decode()


@pytest.mark.slow
def test_the_same_server_serves_notebook_7_as_binders_does(started_lab):
    status, html = page(started_lab, "tree")
    assert status == 200
    assert '"appName": "Jupyter Notebook"' in html and '"notebookPage": "tree"' in html


@pytest.mark.slow
def test_the_same_server_renders_a_notebook_as_a_voila_page_as_binders_does(started_lab):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('rendered by ' + 'voila')")]
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, started_lab["home"] / "classwork" / "page.ipynb")
    status, html = page(started_lab, "voila/render/page.ipynb")
    assert status == 200 and "rendered by voila" in html and "print(" not in html
