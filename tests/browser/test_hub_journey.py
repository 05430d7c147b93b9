"""The cohort's journey on a real JupyterHub, in a real browser.

In order, on one hub (the tests share its state and run in file order):

1. the trainer generates and releases a module in the formgrader;
2. a learner logs in, fetches it from the assignment list, opens it in JupyterLab, answers
   the exercises, runs it, validates with nbgrader's button and submits;
3. a second learner does the same with a wrong answer;
4. the trainer collects, autogrades and releases feedback;
5. each learner fetches and reads their own feedback, and cannot reach the other's;
6. a senior leader opens the senior module as an app page (Voila, code hidden), and moving
   a widget redraws the chart.

Each step saves a screenshot to ``tests/browser/screenshots/``.
"""

from __future__ import annotations

import io
import time

import pytest

from tests.browser.hubtools import COURSE, JOURNEY_MODULE, LEADER, LEARNERS, TRAINER, record

ALICE, BOB = LEARNERS

# What each learner types. Alice answers every question the way the module asks (a value
# computed from the tables on screen); Bob divides nothing (the count itself) in question 1.
ANSWERS = {
    ALICE: {
        "answer_1": 'yours["count"] / yours["population"] * 1000',
        "answer_2": 'latest["area_name"].iloc[0]',
        "answer_3": '"a" if funnel["signal"].iloc[0] == "above 99.8% limit" else "b"',
        "answer_4": '"b" if chance["population"].iloc[0] == chance["population"].min() else "a" '
                    'if chance["population"].iloc[0] == chance["population"].max() else "c"',
    },
    BOB: {"answer_1": 'yours["count"]'},
}
REFLECTION = ("First ask whether the table ranks counts or rates, then ask for the funnel plot: "
              "inside the limits, the move from 3rd to 7th may be chance alone.")


def _formgrader_action(page, row, column: str) -> str:
    """Click a formgrader action in a table row; return the text of its result dialog (which must say Success)."""
    row.locator(f"td.{column} a").click()
    modal = page.locator("#success-modal, #error-modal")
    modal.wait_for(timeout=180_000)
    title, body = modal.locator(".modal-title").inner_text(), modal.locator(".modal-body").inner_text()
    modal.locator(".modal-footer button").click()
    modal.wait_for(state="detached")
    assert title == "Success", f"formgrader {column} failed: {body[:2000]}"
    return body


def _open_assignment_list(session) -> None:
    session.menu("Nbgrader", "nbgrader:open-assignment-list")
    session.page.wait_for_selector("#released_assignments_list")
    session.page.wait_for_selector("#released_assignments_list_loading", state="hidden")


def test_trainer_releases_the_module(people, hub):
    """The trainer generates the student version and releases it to the cohort from the formgrader."""
    trainer = people(TRAINER)
    page = trainer.page
    started = time.perf_counter()
    # The formgrader runs in its own browser tab: JupyterHub >= 4.1 forbids framing user servers
    # (frame-ancestors 'none'), so the Formgrader panel inside JupyterLab stays blank.
    page.goto(f"{trainer.base}/formgrader")
    row = page.locator("#main-table tr", has_text=JOURNEY_MODULE)
    row.wait_for()
    _formgrader_action(page, row, "assign")
    _formgrader_action(page, row, "release")
    row.locator("td.status", has_text="released").wait_for()
    record("trainer_generate_and_release_s", time.perf_counter() - started)
    trainer.shot("01_trainer_released")
    released = hub.exchange / COURSE / "outbound" / JOURNEY_MODULE / f"{JOURNEY_MODULE}.ipynb"
    assert released.exists(), "the student version reached the exchange"
    assert "BEGIN SOLUTION" not in released.read_text(encoding="utf-8"), "the released version holds no solution"


def _learner_journey(people, hub, learner: str, prefix: str) -> tuple[str, str, str]:
    """Fetch, open, answer, run, validate and submit.

    Returns the validation dialog's kind (``"success"`` or ``"error"``) and text, and the
    output of the first exercise's check in the notebook.
    """
    session = people(learner)
    page = session.page
    started = time.perf_counter()
    session.lab()
    _open_assignment_list(session)
    released = page.locator("#released_assignments_list > .list_item", has_text=JOURNEY_MODULE)
    released.wait_for()
    assert released.locator(".item_course").inner_text() == COURSE
    session.shot(f"{prefix}_assignment_list")
    released.locator(".item_status button", has_text="Fetch").click()
    fetched = page.locator("#fetched_assignments_list > .list_item", has_text=JOURNEY_MODULE)
    fetched.wait_for()
    fetched.locator("a.assignment-notebooks-link").click()
    fetched.locator(".nested_list_item .item_name a", has_text=JOURNEY_MODULE).click()
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-cell")
    session.wait_cells(hub.exchange / COURSE / "outbound" / JOURNEY_MODULE / f"{JOURNEY_MODULE}.ipynb")
    session.wait_idle()
    opened = time.perf_counter()

    for name, expression in ANSWERS[learner].items():
        cell = page.locator(".jp-CodeCell", has_text=f"{name} = (").first
        cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(f"# {name}: my answer\n{name} = {expression}\n")
    if learner == ALICE:
        reflection = page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
        reflection.dblclick()
        reflection.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(REFLECTION)
        page.keyboard.press("Control+Enter")

    session.run_all()
    page.keyboard.press("Control+s")
    page.wait_for_selector("#jp-main-dock-panel .lm-TabBar-tab.jp-mod-dirty", state="detached", timeout=30_000)
    # Show the first answer and its check: passing for Alice, a coaching message for Bob.
    answer_1 = page.locator(".jp-CodeCell", has_text="answer_1: my answer").first
    session.scroll_to(answer_1)  # the question above, the answer and its check below
    session.shot(f"{prefix}_answered_and_ran")
    check_1 = page.locator(".jp-CodeCell", has_text="Check that answer_1").first
    check_1_output = check_1.locator(".jp-OutputArea").text_content()
    assert any(ch.isdigit() for ch in session.prompts()[0]), "Run All ran the notebook in the browser"

    page.locator("jp-button.validate-button").click()
    dialog = page.locator(".nbgrader-ErrorDialog, .nbgrader-SuccessDialog")
    dialog.wait_for(timeout=180_000)
    kind = "success" if "nbgrader-SuccessDialog" in (dialog.get_attribute("class") or "") else "error"
    result = dialog.inner_text()
    time.sleep(0.3)
    session.shot(f"{prefix}_validated")
    dialog.locator("button.jp-Dialog-button").click()

    page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
    fetched.locator('.item_status button:text("Submit")').click()
    submitted = page.locator("#submitted_assignments_list > .list_item", has_text=JOURNEY_MODULE)
    submitted.wait_for()
    session.shot(f"{prefix}_submitted")
    record(f"learner_journey_{learner}_s", time.perf_counter() - started)
    record(f"learner_open_to_submit_{learner}_s", time.perf_counter() - opened)
    assert not session.console_errors(), f"browser console errors: {session.console_errors()}"
    return kind, result, check_1_output


def test_learner_fetches_answers_validates_and_submits(people, hub):
    """A learner's whole journey passes nbgrader's validation and lands in the exchange's inbound folder."""
    kind, result, check_1 = _learner_journey(people, hub, ALICE, "02_learner")
    assert kind == "success" and "Your notebook passes all the tests" in result, result
    assert "Error" not in check_1, f"Alice's first check passed in the notebook: {check_1}"
    inbound = list((hub.exchange / COURSE / "inbound").glob(f"{ALICE}+{JOURNEY_MODULE}+*"))
    assert inbound, "Alice's submission is filed under her hub name"


def test_second_learner_with_a_wrong_answer(people, hub):
    """A wrong answer gets the module's coaching message, in the notebook and from the validate button."""
    kind, result, check_1 = _learner_journey(people, hub, BOB, "03_second_learner")
    assert kind == "error", "validation reports the failing check"
    assert "That is the count itself" in check_1, f"the check coaches in the notebook: {check_1[:1500]}"
    assert "That is the count itself" in result, f"the validate button shows the coaching message: {result[:1500]}"
    assert list((hub.exchange / COURSE / "inbound").glob(f"{BOB}+{JOURNEY_MODULE}+*")), "Bob's submission is filed"


def test_trainer_collects_autogrades_and_releases_feedback(people, hub):
    """Collect, autograde each learner, generate and release feedback: all from the formgrader."""
    trainer = people(TRAINER)
    page = trainer.page
    started = time.perf_counter()
    page.goto(f"{trainer.base}/formgrader")
    row = page.locator("#main-table tr", has_text=JOURNEY_MODULE)
    _formgrader_action(page, row, "collect")
    page.goto(f"{trainer.base}/formgrader/manage_submissions/{JOURNEY_MODULE}")
    for learner in LEARNERS:
        graded = time.perf_counter()
        _formgrader_action(page, page.locator("#main-table tr", has_text=learner), "autograde")
        record(f"autograde_{learner}_s", time.perf_counter() - graded)
    page.reload()
    page.locator("#main-table tr", has_text=BOB).wait_for()
    scores = {learner: page.locator("#main-table tr", has_text=learner).locator("td.score").inner_text()
              for learner in LEARNERS}
    trainer.shot("04_trainer_autograded")
    assert scores[ALICE].startswith("8 /"), f"Alice earns every autograded point (reflection left to mark): {scores}"
    assert scores[BOB].startswith("0 /"), f"Bob earns nothing: {scores}"
    page.goto(f"{trainer.base}/formgrader")
    row = page.locator("#main-table tr", has_text=JOURNEY_MODULE)
    _formgrader_action(page, row, "generate-feedback")
    _formgrader_action(page, row, "release-feedback")
    record("trainer_collect_autograde_feedback_s", time.perf_counter() - started)
    trainer.shot("04_trainer_feedback_released")
    assert len(list((hub.exchange / COURSE / "feedback").glob("*.html"))) == 2, "one feedback file per learner"


@pytest.mark.parametrize("learner", LEARNERS)
def test_each_learner_sees_their_own_feedback(people, hub, learner):
    """A learner fetches and opens their feedback: their own score and answers, never the other learner's."""
    other = BOB if learner == ALICE else ALICE
    session = people(learner)
    page = session.page
    session.lab()
    _open_assignment_list(session)
    submitted = page.locator("#submitted_assignments_list > .list_item", has_text=JOURNEY_MODULE)
    submitted.locator('button:text("Fetch Feedback")').click()
    page.locator('#submitted_assignments_list a:text("view feedback")').click()
    page.locator(".jp-DirListing-item", has_text=f"{JOURNEY_MODULE}.html").dblclick()
    frame = page.frame_locator(".jp-HTMLViewer iframe")
    frame.locator("body", has_text="Score").wait_for()
    text = frame.locator("body").text_content()
    time.sleep(0.5)
    session.shot(f"05_feedback_{learner}")
    expected = "8.0 / 10.0" if learner == ALICE else "0.0 / 10.0"
    assert f"{JOURNEY_MODULE} (Score: {expected})" in text, text[:500]
    assert ANSWERS[learner]["answer_1"] in text, "the feedback shows the learner's own answer"
    assert ANSWERS[other]["answer_1"] + "\n" not in text.replace(ANSWERS[learner]["answer_1"], ""), \
        "the feedback holds nothing of the other learner's answers"
    feedback = list(session.hub.home(learner).glob(f"{JOURNEY_MODULE}/feedback/*/{JOURNEY_MODULE}.html"))
    assert len(feedback) == 1, "exactly one feedback file was fetched into the learner's home"
    # The other learner's server, files and feedback are out of reach.
    response = session.context.request.get(f"{hub.url}/user/{other}/api/contents/{JOURNEY_MODULE}",
                                           max_redirects=0)
    assert response.status in (302, 403, 404), f"{learner} reached {other}'s server ({response.status})"
    assert not any(e for e in session.console_errors() if "HTMLViewer" not in e and "sandboxed" not in e), \
        session.console_errors()


def test_senior_module_as_an_app_page(people, hub):
    """A senior leader lands on Voila; the module opens with code hidden; a drop-down redraws the chart."""
    from PIL import Image, ImageChops

    leader = people(LEADER)
    page = leader.page
    assert "/voila" in page.url, f"leaders land on app pages, not JupyterLab ({page.url})"
    page.locator(".jp-DirListing-item", has_text="infuse-curriculum").first.wait_for()
    leader.shot("06_app_page_landing")
    # Voila 0.5's folder page starts its widget manager without a kernel and logs that it could not
    # (voila-dashboards/voila#1441); nothing else may go wrong there.
    landing = [e for e in leader.console_errors() if "failed to activate. Error: Missing property 'name'" not in e]
    assert not landing, f"browser console errors on the leaders' landing page: {landing}"
    leader.console.clear()
    started = time.perf_counter()
    page.goto(f"{leader.base}/voila/render/infuse-curriculum/senior_literacy/{JOURNEY_MODULE}.ipynb")
    picker = page.locator(".widget-dropdown select").first
    picker.wait_for(timeout=180_000)
    view = page.locator(".widget-vbox").last
    view.locator(".widget-output img").first.wait_for()
    record("app_page_render_s", time.perf_counter() - started)
    assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0, "no code is shown on the app page"
    assert page.locator("text=Counts, rates and fair comparisons").count() >= 1
    leader.shot("06_app_page_top")
    view.evaluate("box => box.scrollIntoView({block: 'start'})")
    time.sleep(0.5)
    before_png, before_src = view.screenshot(), view.locator(".widget-output img").first.get_attribute("src")
    leader.shot("06_app_page_widget_before")
    options = picker.locator("option").all_inner_texts()
    current = picker.input_value()
    other = next(o for o in options if o != current)
    picker.select_option(label=other)
    page.wait_for_function(
        "src => { const img = [...document.querySelectorAll('.widget-vbox .widget-output img')].pop();"
        " return img && img.getAttribute('src') !== src; }", arg=before_src, timeout=60_000)
    time.sleep(0.5)
    after_png = view.screenshot()
    leader.shot("06_app_page_widget_after")
    assert picker.input_value() != current, "the drop-down holds the new indicator"
    before, after = Image.open(io.BytesIO(before_png)).convert("RGB"), Image.open(io.BytesIO(after_png)).convert("RGB")
    size = (min(before.width, after.width), min(before.height, after.height))
    diff = ImageChops.difference(before.crop((0, 0, *size)), after.crop((0, 0, *size)))
    changed = sum(1 for px in diff.getdata() if max(px) > 32) / (size[0] * size[1])
    record("app_page_pixels_changed_share", changed)
    assert changed > 0.01, f"the chart visibly changed ({changed:.1%} of the pixels)"
    assert not leader.console_errors(), f"browser console errors on the app page: {leader.console_errors()}"


def test_memory_per_user(hub):
    """Each person's server with the kernels they ran stays within the per-user memory the hub is sized for."""
    import psutil

    usage: dict[str, int] = {}
    for process in psutil.Process(hub.process.pid).children(recursive=True):
        try:
            user, rss = process.environ().get("JUPYTERHUB_USER"), process.memory_info().rss
        except psutil.Error:
            continue
        if user:
            usage[user] = usage.get(user, 0) + rss
    megabytes = {user: round(rss / 2**20) for user, rss in usage.items()}
    record("memory_per_user_mb", megabytes)
    assert {ALICE, BOB, LEADER} <= set(megabytes), f"servers still running: {megabytes}"
    assert max(megabytes.values()) < 1024, f"a user's server and kernels exceed the 1 GiB guarantee: {megabytes}"
