"""Jupyter servers as `python -m classroom` starts them: the project's configuration, on a class's copy of the
course in a temporary folder (so that what a test saves never reaches notebooks/)."""
import json
import os
import pathlib
import time
import urllib.request

import nbformat

from classroom import __main__ as launcher
from classroom import classwork

from .conftest import REPO, LabServer


def project_environment():
    """The launcher's environment for the server, with this checkout importable by the server and its kernels."""
    env = launcher.environment({"JUPYTER_CONFIG_PATH": os.environ.get("JUPYTER_CONFIG_PATH", "")})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def start_on_classwork(home: pathlib.Path, app="jupyterlab", user_settings=None) -> LabServer:
    """A server of `app` on a fresh copy of the course under `home`; `user_settings` are the user's own settings."""
    copy = home / "classwork"
    classwork.refresh(classwork.NOTEBOOKS, copy)
    for plugin, values in (user_settings or {}).items():
        path = home / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    server = LabServer(home, root=copy, app=app, env=project_environment())
    server.wait_until_ready()
    return server


def wait_for_saved_notebook(path: pathlib.Path, before: bytes, timeout=30.0):
    """The notebook as saved, once the file differs from `before` and is whole (the server writes it in place)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = path.read_bytes()
        if now != before:
            try:
                return nbformat.reads(now.decode(), as_version=4)
            except (ValueError, UnicodeDecodeError):
                pass  # caught half-written
        time.sleep(0.2)
    raise TimeoutError(f"{path.name} was not saved within {timeout:.0f} s")


def shut_down_kernels(server: LabServer):
    """End every session of the server, as a server restart between two classes would."""
    for session in server.api("sessions"):
        request = urllib.request.Request(
            f"{server.url}/api/sessions/{session['id']}?token={server.token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=10).close()
