"""The widgets gallery served by Voila, as `make voila` serves it for a lecture page: every widget renders, a
control moved redraws its output, a hostile formula typed in the page is refused with nothing run, and code sent
to the kernel from the page is not run either."""
import json
import os
import re
import socket
import subprocess
import time
import uuid

import nbformat
import pytest

from classroom import __main__ as launcher

from .classwork_servers import project_environment
from .conftest import ARTIFACTS, free_port



def gallery_widgets():
    """How many widgets the gallery shows: one per section (a "## " heading and the cell under it)."""
    gallery = nbformat.read(launcher.GALLERY, as_version=4)
    return sum(cell.cell_type == "markdown" and cell.source.startswith("## ") for cell in gallery.cells)


WIDGETS_IN_GALLERY = gallery_widgets()


@pytest.fixture(scope="module")
def voila(tmp_path_factory, chromium_path):
    """`python -m classroom voila` on a free port; yields its URL once it accepts connections."""
    home = tmp_path_factory.mktemp("voila")
    port = free_port()
    command = launcher.command("voila", os.geteuid(), extra=[f"--port={port}", "--no-browser"])
    env = dict(os.environ, **project_environment(), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = home / "voila.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"voila exited with {process.returncode}:\n{log.read_text()}", pytrace=False)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"voila did not answer:\n{log.read_text()}", pytrace=False)
                time.sleep(0.3)
        yield {"url": f"http://127.0.0.1:{port}", "port": port, "log": log, "home": home}
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def gallery(browser, voila):
    """The gallery page, at a projector's 1366x768, once every widget has rendered."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(voila["url"] + "/", timeout=240_000)
    page.locator(".jaxlite-widget").nth(WIDGETS_IN_GALLERY - 1).wait_for(timeout=240_000)
    page.locator(".jaxlite-figure").first.wait_for()
    yield page
    context.close()


def derivatives(page):
    return page.locator(".jaxlite-widget").first


def screenshot(locator, name):
    ARTIFACTS.mkdir(exist_ok=True)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=ARTIFACTS / f"{name}.png")


@pytest.mark.timeout(300)
def test_voila_renders_every_gallery_widget_and_no_code(gallery):
    widgets = gallery.locator(".jaxlite-widget")
    count = widgets.count()
    failed = gallery.locator(".jupyter-widgets-error-widget").count()
    failed_text = gallery.get_by_text("Error displaying widget").count()
    tracebacks = gallery.get_by_text(re.compile(r"Traceback|Error:")).count()
    alerts = gallery.locator('.jaxlite-status [role="alert"]').all_inner_texts()
    code_cells = gallery.locator(".jp-InputArea-editor").count()
    gallery.screenshot(path=ARTIFACTS / "voila_gallery.png")
    screenshot(derivatives(gallery), "voila_derivatives")

    assert count == WIDGETS_IN_GALLERY
    assert failed == 0 and failed_text == 0 and tracebacks == 0
    assert alerts == []
    assert code_cells == 0  # Voila shows outputs only
    assert "widgets.plot_func_and_deriv" not in gallery.content()


@pytest.mark.timeout(300)
def test_voila_slider_moved_by_keyboard_redraws_the_derivatives(gallery):
    from playwright.sync_api import expect

    widget = derivatives(gallery)
    readout, image = widget.locator(".jaxlite-readout"), widget.locator("img").first
    readout_before, src_before = readout.inner_text(), image.get_attribute("src")
    slider = widget.locator(".widget-slider", has=gallery.locator(".widget-label", has_text=re.compile(r"^x0$")))
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(3):
        gallery.keyboard.press("ArrowRight")
    expect(readout).not_to_have_text(readout_before, timeout=15_000)
    expect(image).not_to_have_attribute("src", src_before, timeout=15_000)
    screenshot(widget, "voila_derivatives_after_slider")
    assert readout.inner_text() != readout_before


HOSTILE = [
    "__import__('os').system('touch {marker}')",
    "().__class__.__base__.__subclasses__()",
    "open('{marker}', 'w')",
    "x.__class__.__init__.__globals__",
]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("number, formula", list(enumerate(HOSTILE)))
def test_voila_refuses_a_hostile_formula_and_runs_nothing(gallery, voila, number, formula):
    from playwright.sync_api import expect

    marker = voila["home"] / f"ran-{uuid.uuid4().hex}"
    widget = derivatives(gallery)
    box = widget.locator(".widget-text input").first
    image = widget.locator("img").first
    alert = widget.locator('.jaxlite-status [role="alert"]')
    src_before = image.get_attribute("src")
    box.fill(formula.format(marker=marker))
    box.press("Enter")
    expect(alert).to_be_visible(timeout=15_000)
    message, src_after = alert.inner_text(), image.get_attribute("src")
    screenshot(widget, f"voila_hostile_formula_{number}")
    box.fill("sin(x) * x**2")
    box.press("Enter")
    expect(alert).to_have_count(0, timeout=15_000)

    assert message.strip()
    assert src_after == src_before  # the last good picture stays, with the refusal under it
    assert not marker.exists()


def kernel_id(page):
    (found,) = set(re.findall(r'"kernelId":\s*"([0-9a-f-]+)"', page.content()))
    return found


def message(msg_type, content, channel="shell"):
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "", "session": uuid.uuid4().hex,
                   "date": "", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
    }


@pytest.mark.timeout(120)
def test_voila_kernel_ignores_code_sent_from_the_page(gallery, voila):
    """What a visitor could send from the page's console: an execute request on the kernel's websocket."""
    from websockets.sync.client import connect

    marker = voila["home"] / f"ran-{uuid.uuid4().hex}"
    url = f"ws://127.0.0.1:{voila['port']}/api/kernels/{kernel_id(gallery)}/channels?session_id={uuid.uuid4().hex}"
    execute = message("execute_request", {"code": f"open({str(marker)!r}, 'w').close()", "silent": False,
                                          "store_history": False, "user_expressions": {}, "allow_stdin": False})
    info = message("kernel_info_request", {})
    with connect(url, origin=voila["url"], open_timeout=20) as ws:
        ws.send(json.dumps(execute))
        ws.send(json.dumps(info))  # the kernel answers requests in order: its reply comes after any execution
        replies = []
        while not any(r["msg_type"] == "kernel_info_reply" for r in replies):
            reply = json.loads(ws.recv(timeout=60))
            replies.append({"msg_type": reply["header"]["msg_type"], "parent": reply["parent_header"].get("msg_id")})

    assert not marker.exists()
    assert execute["header"]["msg_id"] not in {r["parent"] for r in replies}
