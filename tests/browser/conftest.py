"""A real JupyterHub on loopback, driven by Chromium through Playwright.

The session starts one JupyterHub with ``hub/jupyterhub_config.py`` (configurable-http-proxy
from npm, SimpleLocalProcessSpawner, a shared-password test authenticator), a roster of one
cohort (a trainer, three learners) and a senior leader, and one headless Chromium (Debian's
``/usr/bin/chromium``; nothing is downloaded at test time). Every request the browser makes
outside loopback is refused.

Screenshots and measured times go to ``tests/browser/screenshots/`` (``timings.json``);
``docs/screenshots/`` holds the committed copies the README shows.

Chromium, configurable-http-proxy and Playwright are required: when one is missing the
suite fails with a message saying how to install it (CI installs them in ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.hubtools import (
    CHECKER,
    COURSE,
    JOURNEY_MODULE,
    LEADER,
    LEARNERS,
    PASSWORD,
    ROOT,
    SHOTS,
    TRAINER,
    Hub,
    Session,
    _chromium,
    _free_port,
    _require_tools,
    _stop,
    _write_timings,
    _write_user_settings,
    record,
)


@pytest.fixture(scope="session")
def hub(tmp_path_factory):
    """Start JupyterHub with the programme's configuration; stop it and every user's server at the end."""
    _require_tools()
    from curriculum.grading import stage_source
    from curriculum.hub import ensure_course_dir
    from curriculum.syllabus import tracks

    SHOTS.mkdir(exist_ok=True)
    state = tmp_path_factory.mktemp("hub")
    exchange = state / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    roster = state / "roster.yaml"
    roster.write_text(
        f"cohorts:\n  {COURSE}:\n    trainers: [{TRAINER}]\n    learners: [{', '.join((*LEARNERS, CHECKER))}]\n"
        f"leaders: [{LEADER}]\n")
    users = {TRAINER: "trainer", **{u: "learner" for u in (*LEARNERS, CHECKER)}, LEADER: "leader"}
    for user in users:
        _write_user_settings(state / "home" / user)
    # The trainer has staged the module into their course (`infuse grade generate` does the same).
    course = ensure_course_dir(state / "home" / TRAINER / COURSE)
    stage_source(JOURNEY_MODULE, Path(course))
    # The checker and the leader have the curriculum in their home, as an nbgitpuller link leaves it.
    for user in (CHECKER, LEADER):
        for module_dir in sorted({track.folder for track in tracks().values()}):
            if (ROOT / module_dir).is_dir():
                shutil.copytree(ROOT / module_dir, state / "home" / user / "infuse-curriculum" / module_dir,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "trainer_notes"))

    port = _free_port()
    env = {
        **os.environ,
        "INFUSE_HUB_ROSTER": str(roster), "INFUSE_EXCHANGE": str(exchange), "INFUSE_HUB_STATE": str(state),
        "INFUSE_HUB_IP": "127.0.0.1", "INFUSE_HUB_PORT": str(port), "INFUSE_HUB_API_PORT": str(_free_port()),
        "INFUSE_PROXY_API_PORT": str(_free_port()), "INFUSE_HUB_SPAWNER": "simple",
        "INFUSE_HUB_AUTH": "shared-password", "INFUSE_HUB_PASSWORD": PASSWORD,
        "INFUSE_HUB_USER_BIN": str(Path(sys.executable).parent), "INFUSE_ROOT": str(ROOT),
    }
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    log = state / "hub.log"
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(ROOT / "hub" / "jupyterhub_config.py")],
                                   cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    running = Hub(url=url, state=state, exchange=exchange, process=process, log=log, started_in=0.0, users=users)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterHub exited with {process.returncode}:\n{running.log_tail()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{url}/hub/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterHub did not answer on {url} within 90 s:\n{running.log_tail()}", pytrace=False)
            time.sleep(0.2)
        running.started_in = time.perf_counter() - started
        record("hub_start_s", running.started_in)
        yield running
    finally:
        _stop(process)
        _write_timings()
        shutil.copyfile(log, SHOTS / "hub.log")  # for a failed run's post-mortem


@pytest.fixture(scope="session")
def browser(hub):
    """One headless Chromium (Debian's) for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Chromium keeps a unix socket in TMPDIR, whose path must stay short (the suite's TMPDIR is deep).
        chromium = playwright.chromium.launch(executable_path=_chromium(), args=["--disable-dev-shm-usage"],
                                              env={**os.environ, "TMPDIR": "/tmp"})
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def people(browser, hub):
    """A logged-in browser session per person, created on first use and kept for the session."""
    sessions: dict[str, Session] = {}

    def get(user: str) -> Session:
        if user not in sessions:
            sessions[user] = Session(browser, hub, user)
            record(f"login_and_spawn_{user}_s", sessions[user].login())
        return sessions[user]

    yield get
    for session in sessions.values():
        session.close()
