"""Every module, as a learner meets it in JupyterLab 4 on the hub.

For each module of the syllabus (new modules are picked up automatically): the notebook opens
from the curriculum folder an nbgitpuller link leaves in the learner's home, its kernel
starts and goes idle, nbgrader's validate button is in the toolbar, and the browser console
shows no error. Modules with widgets (an ``interactive`` parameter) and the first module of
the syllabus are also run in the browser with Run All: every code cell runs, and the widgets'
controls render (no "Error displaying widget", none left "Loading widget..."). The journey
(``test_hub_journey.py``) runs a module as a learner and moves a widget on an app page. The learner's nbgrader tools (assignment and course lists) work, and the trainer's
tools (formgrader, create assignment) are not there.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from curriculum.syllabus import syllabus
from tests.browser.hubtools import CHECKER, record

MODULES = syllabus()
WIDGETS = {m.id for m in MODULES if "interactive" in m.parameters}
RUN_IN_BROWSER = WIDGETS | {MODULES[0].id}  # every module with widgets, and the first of the syllabus


@pytest.fixture(scope="module")
def checker(people):
    """The learner who opens every module, in one JupyterLab page (as someone working through the course)."""
    session = people(CHECKER)
    session.lab()
    return session


@pytest.mark.parametrize("module", MODULES, ids=[m.id for m in MODULES])
def test_module_opens_cleanly_in_jupyterlab(checker, hub, module):
    """The notebook opens, its kernel goes idle, the validate button is there, and the console has no error."""
    session, page = checker, checker.page
    path = f"infuse-curriculum/{module.notebook.as_posix()}"
    assert (hub.home(CHECKER) / path).exists(), f"{module.notebook} is in the syllabus but not in the curriculum folder"
    session.console.clear()
    started = time.perf_counter()
    session.menu("File", "filebrowser:open-path")
    page.locator(".jp-Dialog input").fill(path)
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    panel.locator(".jp-Notebook-cell").first.wait_for()
    session.wait_cells(hub.home(CHECKER) / path)
    session.wait_idle()
    record(f"open_{module.id}_s", time.perf_counter() - started)
    try:
        assert page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").inner_text().startswith(module.id[:10])
        assert panel.locator("jp-button.validate-button").is_visible(), "nbgrader's validate button is in the toolbar"
        if module.id in RUN_IN_BROWSER:
            ran = time.perf_counter()
            session.run_all()
            record(f"run_all_{module.id}_s", time.perf_counter() - ran)
            not_run = [i for i, p in enumerate(session.prompts()) if not any(ch.isdigit() for ch in p)]
            assert not not_run, f"Run All stopped: code cells {not_run} did not run (an error in the cell before?)"
            if module.id in WIDGETS:
                controls = panel.locator(".jupyter-widgets.widget-inline-hbox, .jupyter-widgets.widget-dropdown, "
                                         ".jupyter-widgets.widget-slider, .jupyter-widgets.widget-toggle-buttons")
                controls.first.wait_for()
                assert panel.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
                page.wait_for_function(
                    "() => ![...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')]"
                    ".some(o => o.textContent.includes('Loading widget...'))", timeout=30_000)
                controls.first.evaluate("w => w.scrollIntoView({block: 'start'})")
                session.shot(f"07_widgets_in_jupyterlab_{module.id}")
        errors = session.console_errors()
        assert not errors, f"browser console errors while opening {module.id}: {errors}"
    finally:
        session.menu("File", "filemenu:close-and-cleanup")
        confirm = page.locator(".jp-Dialog button.jp-mod-accept")
        try:
            confirm.wait_for(timeout=10_000)
            confirm.click()
        except PlaywrightTimeoutError:
            pass  # no confirmation asked
        panel.wait_for(state="detached")


def test_learner_nbgrader_tools(checker, hub):
    """A learner's Nbgrader menu and assignment list work; they have no formgrader."""
    session, page = checker, checker.page
    session.console.clear()
    page.locator('#jp-menu-panel div.lm-MenuBar-itemLabel:text-is("Nbgrader")').click()
    items = page.locator("#jp-mainmenu-nbgrader li[data-command]")
    items.first.wait_for()
    commands = [item.get_attribute("data-command") for item in items.all() if item.is_visible()]
    session.shot("08_learner_nbgrader_menu")
    page.keyboard.press("Escape")
    assert "nbgrader:open-assignment-list" in commands and "nbgrader:open-course-list" in commands, commands
    assert "nbgrader:open-formgrader" not in commands, f"learners get no formgrader: {commands}"
    assert session.context.request.get(f"{session.base}/formgrader").status == 404, "no formgrader on a learner's server"
    session.menu("Nbgrader", "nbgrader:open-assignment-list")
    page.wait_for_selector("#released_assignments_list_loading", state="hidden")
    assert page.locator("#released_assignments_list_error").is_hidden(), page.locator(
        "#released_assignments_list_error").inner_text()
    session.shot("08_learner_assignment_list")
    assert not session.console_errors(), session.console_errors()
