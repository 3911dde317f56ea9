"""JupyterLab in a real browser: a Lab server for the test session and a headless Chromium driven by Playwright.

The browser is the distribution's Chromium (Debian's `chromium` package); Playwright never downloads one.
"""

import json
import os
import pathlib
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
HERE = pathlib.Path(__file__).resolve().parent

# JupyterLab user settings for the test server: no autosave (a run must never write outputs into the
# repository), no news pop-up over the notebook, and every cell attached to the page so the test can read it.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in pathlib.Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


CHROMIUM_FALLBACKS = ("/usr/bin/chromium",)


def find_chromium():
    return shutil.which("chromium") or next(
        (path for path in CHROMIUM_FALLBACKS if os.access(path, os.X_OK)), None
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """`jupyter lab` serving the course's notebooks on a free local port, with a random token.

    `root` serves another folder, `app="notebook"` Notebook 7 instead of JupyterLab; `env` adds to the environment.
    """

    def __init__(self, home: pathlib.Path, root=None, app="jupyterlab", env=None):
        self.root = root or REPO / "notebooks"
        self.app = app
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home / "lab.log"
        for plugin, values in LAB_SETTINGS.items():
            path = home / "settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(
            os.environ,
            JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            **(env or {}),
        )
        command = [
            sys.executable, "-m", app,
            "--no-browser",
            "--allow-root",  # CI runs as root
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",  # not beside the notebooks
        ]  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    def wait_until_ready(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def api(self, endpoint):
        with urllib.request.urlopen(f"{self.url}/api/{endpoint}?token={self.token}", timeout=5) as response:
            return json.load(response)

    def wait_for_connected_kernel(self, notebook, timeout=60.0):
        """Wait until the notebook's kernel is idle with a browser connected to it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            kernels = [s["kernel"] for s in self.api("sessions") if s["path"] == notebook]
            if any(k["connections"] > 0 and k["execution_state"] == "idle" for k in kernels):
                return
            time.sleep(0.2)
        raise TimeoutError(f"no kernel for {notebook} within {timeout:.0f} s: {kernels}\n{self.log_tail()}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def chromium_path():
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's `chromium` package: apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must run the browser tests", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def jupyter_lab(tmp_path_factory, chromium_path):
    server = LabServer(tmp_path_factory.mktemp("lab"))
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


class LabPage:
    """A browser tab on JupyterLab, with the few things a test does to a notebook."""

    # The panel of the notebook that is showing, not those of other open tabs.
    PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

    def __init__(self, page, server: LabServer):
        self.page = page
        self.server = server

    def open(self, notebook: str, timeout=60_000):
        tree = "lab/tree" if self.server.app == "jupyterlab" else "notebooks"
        self.page.goto(f"{self.server.url}/{tree}/{notebook}?token={self.server.token}")
        self.page.locator(f"{self.PANEL} .jp-Notebook").wait_for(timeout=timeout)
        self.wait_for_kernel_idle(notebook, timeout)

    def wait_for_kernel_idle(self, notebook, timeout=60_000):
        """Wait until the notebook's kernel is connected and idle, as the server and the page both see it.

        Before its kernel starts, a notebook already shows an idle indicator; a run issued then is lost.
        """
        self.server.wait_for_connected_kernel(notebook, timeout / 1000)
        self.page.wait_for_function(
            """panel => {
                const status = document.querySelector(`${panel} .jp-Notebook-ExecutionIndicator`)?.dataset.status;
                const kernel = document.querySelector(`${panel} .jp-KernelName`)?.textContent ?? "";
                return status === "idle" && kernel !== "" && !kernel.includes("No Kernel");
            }""",
            arg=self.PANEL,
            timeout=timeout,
            polling=100,
        )

    def run_all_cells(self, timeout=90_000):
        """Run > Run All Cells, then wait until the kernel is idle with nothing left queued."""
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        self.page.wait_for_function(
            """panel => {
                const status = document.querySelector(`${panel} .jp-Notebook-ExecutionIndicator`)?.dataset.status;
                const prompts = [...document.querySelectorAll(`${panel} .jp-CodeCell .jp-InputPrompt`)]
                    .map(prompt => prompt.textContent);
                return status === "idle" && !prompts.some(p => p.includes("*")) && prompts.some(p => /\\d/.test(p));
            }""",
            arg=self.PANEL,
            timeout=timeout,
            polling=250,
        )

    def execution_counts(self):
        """The number in each code cell's prompt, None where the cell did not run."""
        prompts = self.page.locator(f"{self.PANEL} .jp-CodeCell .jp-InputPrompt").all_inner_texts()
        return [int(m.group(1)) if (m := re.search(r"\[(\d+)\]", p)) else None for p in prompts]

    def error_outputs(self):
        """Texts of the outputs that show an exception (tracebacks are rendered as stderr)."""
        stderr = self.page.locator(
            f'{self.PANEL} .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
        ).all_inner_texts()
        exception = re.compile(r"Traceback|^\w*(Error|Exception)\b", re.MULTILINE)
        return [text for text in stderr if exception.search(text)]

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def lab_page(browser, jupyter_lab):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    try:
        yield LabPage(context.new_page(), jupyter_lab)
    finally:
        context.close()
