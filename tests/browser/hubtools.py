"""Shared pieces of the browser suite: the roster, the running hub, one person's browser session.

Test modules import from here (never from ``conftest``, which pytest loads under another name).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT  # noqa: F401 (used by conftest)

SHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "infuse-browser-tests"
COURSE = "ccr-test"
TRAINER, LEARNERS, CHECKER, LEADER = "trainer", ("alice", "bob"), "carol", "leader"
JOURNEY_MODULE = "counts_rates_comparisons"
LOOPBACK = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/")

_TIMINGS: dict[str, object] = {}


def record(name: str, value: object) -> None:
    """Keep a measured figure for ``screenshots/timings.json`` (written when the session ends)."""
    _TIMINGS[name] = round(value, 2) if isinstance(value, float) else value


def _chromium() -> str:
    path = os.environ.get("INFUSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path


def _require_tools() -> None:
    """Fail (never skip) when the browser suite cannot run, saying how to install what is missing."""
    problems = []
    if not Path(_chromium()).exists():
        problems.append("Chromium is missing: `apt-get install -y chromium` (Debian's package, /usr/bin/chromium), "
                        "or set INFUSE_CHROMIUM to a Chromium binary")
    if not shutil.which("configurable-http-proxy"):
        problems.append("configurable-http-proxy is missing: `npm install -g configurable-http-proxy`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("Playwright for Python is missing: `pip install -e \".[test]\"`")
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        problems.append("JupyterHub is missing: `pip install -e \".[test]\"`")
    if problems:
        pytest.fail("the browser suite cannot run:\n- " + "\n- ".join(problems), pytrace=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    """A running test hub: its address, state folder and the people on its roster."""

    url: str
    state: Path
    exchange: Path
    process: subprocess.Popen
    log: Path
    started_in: float
    users: dict[str, str] = field(default_factory=dict)  # name -> role

    def home(self, user: str) -> Path:
        """The user's home folder (SimpleLocalProcessSpawner's ``home_dir_template``)."""
        return self.state / "home" / user

    @property
    def course_dir(self) -> Path:
        """The trainer's nbgrader course folder (``~/<cohort>``)."""
        return self.home(TRAINER) / COURSE

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the hub's log (hub, proxy and every user's server)."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _write_user_settings(home: Path) -> None:
    """What an admin's skeleton home would hold: JupyterLab does not ask about Jupyter news."""
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))


def _write_timings() -> None:
    """Merge this run's figures into ``screenshots/timings.json`` (pytest-xdist workers each add theirs)."""
    path = SHOTS / "timings.json"
    try:
        figures = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        figures = {}
    figures.update(_TIMINGS)
    path.write_text(json.dumps(dict(sorted(figures.items())), indent=2) + "\n")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the hub (it stops the proxy and every user's server), then kill its process group if needed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the hub's own session: the proxy, servers and kernels it started
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


class Session:
    """One person's browser context: log in, watch the console, take screenshots."""

    def __init__(self, browser, hub: Hub, user: str):
        self.hub, self.user = hub, user
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.set_default_timeout(60_000)
        # The test machine has no network: refuse anything outside loopback (CDN fonts, MathJax).
        self.context.route(re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])[:/])"),
                           lambda route: route.abort())
        self.page = self.context.new_page()
        self.console: list[tuple[str, str, str]] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text, m.location.get("url", ""))))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e), "")))

    @property
    def base(self) -> str:
        """The user's server, ``<hub>/user/<name>``."""
        return f"{self.hub.url}/user/{self.user}"

    def login(self) -> float:
        """Log in through the hub's login form; return the seconds until the landing page is up."""
        started = time.perf_counter()
        self.page.goto(f"{self.hub.url}/hub/login")
        self.page.fill("#username_input", self.user)
        self.page.fill("#password_input", PASSWORD)
        self.page.click("#login_submit")
        self.page.wait_for_url(re.compile(rf"/user/{self.user}/(lab|voila)"), timeout=120_000)
        self.page.wait_for_load_state("load")
        return time.perf_counter() - started

    def lab(self, path: str = "") -> None:
        """Open JupyterLab (a fresh workspace), optionally at a notebook, and wait until it is up."""
        self.page.goto(f"{self.base}/lab{'/tree/' + path if path else ''}?reset")
        # JupyterLab clears the workspace and then drops ``?reset`` from the address; when its
        # state was already restored (a slow, loaded machine) it reloads the whole page first.
        # Anything clicked before the address is clean may vanish in that reload.
        self.page.wait_for_url(lambda url: not re.search(r"[?&]reset(=|&|#|$)", url), timeout=120_000)
        self.page.wait_for_selector("#jupyterlab-splash", state="detached")
        self.page.wait_for_selector("#jp-main-dock-panel")
        self.page.wait_for_load_state("load")

    def menu(self, label: str, command: str) -> None:
        """Click a JupyterLab main menu entry."""
        self.page.locator(f'#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("{label}")').click()
        self.page.locator(f'.lm-Menu li[data-command="{command}"]').click()

    def wait_idle(self, timeout: float = 180_000) -> None:
        """Wait until the open notebook's kernel is idle and no cell is queued or running."""
        self.page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']",
                                    timeout=timeout)
        self.page.wait_for_function(
            "() => ![...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputArea-prompt')]"
            ".some(p => p.textContent.includes('*'))", timeout=timeout)

    def wait_cells(self, notebook: Path) -> int:
        """Wait until the open notebook shows every cell of ``notebook`` (JupyterLab adds them in batches)."""
        count = len(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
        self.page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-cell').length >= n",
            arg=count)
        return count

    def run_all(self, timeout: float = 300_000) -> None:
        """Run > Run All Cells, then wait until the kernel has run them (or stopped at an error)."""
        self.menu("Run", "runmenu:run-all")
        self.page.wait_for_function(
            "() => document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator')"
            "?.dataset.status !== 'idle' || [...document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputArea-prompt')].some(p => /[*0-9]/.test(p.textContent))",
            timeout=30_000)
        self.wait_idle(timeout)

    def prompts(self) -> list[str]:
        """The execution prompts of the open notebook's code cells (``[3]:``, ``[*]:``, ``[ ]:``)."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt").evaluate_all(
            "items => items.map(p => p.textContent)")

    def scroll_to(self, locator, top: int = 260) -> None:
        """Scroll the notebook with the mouse wheel until ``locator`` sits ``top`` pixels from the window's top."""
        self.page.mouse.move(800, 500)
        for _ in range(20):
            box = locator.bounding_box()
            if box is None or abs(box["y"] - top) < 40:
                break
            self.page.mouse.wheel(0, box["y"] - top)
            time.sleep(0.15)
        time.sleep(0.3)

    def shot(self, name: str, full_page: bool = False) -> Path:
        """Save a screenshot as ``screenshots/<name>.png``."""
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def console_errors(self) -> list[str]:
        """Console errors and uncaught page errors, leaving out requests to outside hosts (refused here)."""
        errors = []
        for kind, text, url in self.console:
            if kind not in ("error", "pageerror"):
                continue
            if url and not LOOPBACK.match(url) and not url.startswith("blob:"):
                continue  # a CDN asset (fonts, MathJax) the test machine cannot reach
            errors.append(f"{text} ({url})" if url else text)
        return errors

    def api(self, method: str, path: str):
        """Call the user's Jupyter server REST API with the browser's cookies."""
        xsrf = next((c["value"] for c in self.context.cookies() if c["name"] == "_xsrf"), "")
        return self.context.request.fetch(f"{self.base}/api/{path}", method=method, headers={"X-XSRFToken": xsrf})

    def close(self) -> None:
        self.context.close()


