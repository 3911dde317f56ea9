"""`make lab`, `make notebook` and `make voila`: start a Jupyter server on the course the way a class needs it.

    python -m classroom lab [OPTION...]        JupyterLab on classwork/, the class's copy of notebooks/
    python -m classroom notebook [OPTION...]   the same in Notebook 7
    python -m classroom voila [OPTION...]      the widgets gallery as a web page (Voila): controls, no code

Every server listens on this machine only (pass --ip=0.0.0.0 to let another in, e.g. from outside a container;
the token in the URL still guards it), and is started with --allow-root only when the user is root, as in Docker
and Codespaces, where Jupyter would otherwise refuse to start. Other options go to Jupyter as they are.
"""
import argparse
import os
import pathlib
import shlex
import sys

from classroom import classwork

CONFIG = classwork.REPO / "classroom" / "jupyter-config"
GALLERY = classwork.NOTEBOOKS / "widgets_gallery.ipynb"
LOCALHOST = "127.0.0.1"


def server_options(uid: int) -> list:
    """The options every Jupyter server gets here: this machine only, and root allowed to the root user alone."""
    return [f"--ip={LOCALHOST}"] + (["--allow-root"] if uid == 0 else [])


def command(app: str, uid: int, classwork_dir=classwork.CLASSWORK, extra=()) -> list:
    """The command line that starts `app` ("lab", "notebook" or "voila"); `extra` comes last, so it wins."""
    if app == "voila":
        return [sys.executable, "-m", "voila", str(GALLERY), f"--Voila.ip={LOCALHOST}", *extra]
    module = {"lab": "jupyterlab", "notebook": "notebook"}[app]
    return [sys.executable, "-m", module, *server_options(uid), f"--ServerApp.root_dir={classwork_dir}", *extra]


def environment(base=None) -> dict:
    """The environment of the server: this project's Jupyter configuration first on the search path."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(CONFIG), env.get("JUPYTER_CONFIG_PATH")]))
    return env


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m classroom", description=__doc__.split("\n")[0],
                                     epilog="Other options are passed to Jupyter (e.g. --port=8889, --no-browser).")
    parser.add_argument("app", choices=["lab", "notebook", "voila"])
    parser.add_argument("--dry-run", action="store_true", help="print the command and change nothing")
    parser.add_argument("--classwork", type=pathlib.Path, default=classwork.CLASSWORK,
                        help="where the class's copy of the notebooks is (default: classwork/)")
    options, extra = parser.parse_known_args(argv)
    line = command(options.app, os.geteuid(), options.classwork, extra)
    env = environment()
    if options.dry_run:
        print(f"JUPYTER_CONFIG_PATH={shlex.quote(env['JUPYTER_CONFIG_PATH'])} {shlex.join(line)}")
        return 0
    if options.app != "voila":
        for message in classwork.refresh(classwork.NOTEBOOKS, options.classwork).lines(shown(options.classwork)):
            print(message)
    sys.stdout.flush()
    os.execve(line[0], line, env)


def shown(path):
    try:
        return path.resolve().relative_to(os.getcwd()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
