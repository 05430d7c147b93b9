"""A synthetic cohort: submissions of any module for tests, benchmarks and trainer practice.

``make_submissions(module, course, learners=40)`` writes submissions in nbgrader's layout
(``<course>/submitted/<learner>/<module>/<notebook>.ipynb`` with ``timestamp.txt`` and
``submission_secret.txt``, as ``nbgrader collect`` leaves them), adds the learners to the
gradebook and to the course roster ``learners.csv`` (id, name, council), and returns what
it made. Every submission starts from the released (student) notebook, as a learner's does.

Kinds of submission
-------------------
Ordinary: ``full`` (every answer is the model solution), ``partial`` (some answers),
``blank`` (untouched), ``erroring`` (answers, one of which raises before it assigns).

Faults (for fault tolerance): ``crash`` (the kernel exits), ``hang`` (a cell that ignores
interrupts and sleeps for ever), ``slow`` (every answer sleeps 4 seconds: each cell is quick
enough, the notebook as a whole may not be), ``broken`` (not a notebook file).

Adversarial (``ADVERSARIAL``; each leaves the answers blank, so that any mark it earns is
a mark it stole): ``infinite_loop``, ``memory_bomb``, ``fork_bomb``, ``read_other`` (reads
other learners' notebooks), ``write_gradebook`` (writes full marks into the gradebook),
``network`` (opens connections; ``canary_port`` adds one to a local port a test listens
on), ``edit_tests`` (replaces tests by ``pass``), ``delete_tests``, ``duplicate_cells``
(a ``pass`` copy of each test with the same id before it), ``change_cell_types`` (tests
turned into Markdown) and ``change_ids`` (tests renamed and emptied).

Nothing happens on import.
"""

from __future__ import annotations

import csv
import random
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = [
    "ADVERSARIAL",
    "DEFAULT_MIX",
    "FAULTS",
    "KINDS",
    "ORDINARY",
    "ROSTER_FILE",
    "Submission",
    "make_submissions",
    "prepare_course",
    "read_roster",
]

ORDINARY = ("full", "partial", "blank", "erroring")
FAULTS = ("crash", "hang", "slow", "broken")
ADVERSARIAL = ("infinite_loop", "memory_bomb", "fork_bomb", "read_other", "write_gradebook", "network",
               "edit_tests", "delete_tests", "duplicate_cells", "change_cell_types", "change_ids")
KINDS = ORDINARY + FAULTS + ADVERSARIAL
DEFAULT_MIX = {"full": 0.35, "partial": 0.4, "blank": 0.1, "erroring": 0.15}
ROSTER_FILE = "learners.csv"

_FIRST = ["Aled", "Bethan", "Carys", "Dafydd", "Eleri", "Ffion", "Gareth", "Huw", "Ioan", "Lowri", "Megan",
          "Nia", "Owain", "Rhian", "Sian", "Tomos", "Amira", "Ben", "Chloe", "Dev", "Grace", "Jamal", "Priya", "Sam"]
_LAST = ["Davies", "Evans", "Griffiths", "Hughes", "Jones", "Lewis", "Morgan", "Owen", "Price", "Roberts",
         "Thomas", "Williams", "Ahmed", "Khan", "Patel", "Smith", "Taylor", "Walker"]


@dataclass(frozen=True)
class Submission:
    """One synthetic submission.

    Attributes
    ----------
    student : str
        The learner's id.
    kind : str
        One of :data:`KINDS`.
    folder : pathlib.Path
        The submitted folder.
    council : str
        The learner's council (in the roster).
    """

    student: str
    kind: str
    folder: Path
    council: str


def read_roster(course: str | Path) -> dict[str, dict[str, str]]:
    """Read the course roster ``learners.csv`` (columns ``id``, ``name``, ``council``).

    Parameters
    ----------
    course : str or pathlib.Path

    Returns
    -------
    dict
        Learner id to ``{"name", "council"}``; empty when there is no roster.

    Raises
    ------
    ValueError
        If the roster lacks one of the columns ``id``, ``name``, ``council``.
    """
    path = Path(course) / ROSTER_FILE
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"id", "name", "council"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: the roster needs the columns id, name, council; missing {sorted(missing)}")
        return {row["id"].strip(): {"name": row["name"].strip(), "council": row["council"].strip()}
                for row in reader if row.get("id", "").strip()}


def _write_roster(course: Path, rows: dict[str, dict[str, str]]) -> None:
    path = course / ROSTER_FILE
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "council"])
        for sid in sorted(rows):
            writer.writerow([sid, rows[sid]["name"], rows[sid]["council"]])


def _counts(mix: Mapping[str, float], n: int) -> dict[str, int]:
    unknown = set(mix) - set(KINDS)
    if unknown:
        raise ValueError(f"mix has unknown kind(s) {sorted(unknown)}; kinds are {KINDS}")
    if any(v < 0 for v in mix.values()):
        raise ValueError(f"mix values must not be negative, got {dict(mix)}")
    if all(float(v).is_integer() for v in mix.values()) and sum(mix.values()) > 1:
        return {k: int(v) for k, v in mix.items()}
    total = sum(mix.values())
    if total <= 0:
        raise ValueError(f"mix must give some learners a kind, got {dict(mix)}")
    raw = {k: n * v / total for k, v in mix.items()}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[: n - sum(counts.values())]:
        counts[k] += 1
    return counts


def _strip_markers(text: str) -> str:
    keep = [line for line in text.splitlines()
            if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "\n".join(keep)


def _nbmeta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader") or {}


def _is_test(cell) -> bool:
    m = _nbmeta(cell)
    return bool(m.get("grade")) and not m.get("solution") and cell.cell_type == "code"


def _answers(source_nb) -> dict[str, tuple[str, str]]:
    """grade id -> (cell type, model answer) for every solution cell of the source."""
    out = {}
    for cell in source_nb.cells:
        m = _nbmeta(cell)
        if m.get("solution") and m.get("grade_id"):
            out[m["grade_id"]] = (cell.cell_type, _strip_markers(cell.source))
    return out


def _attack(kind: str, course: Path, module: str, victim: str | None, canary_port: int | None) -> str:
    course_s = str(course)
    if kind == "infinite_loop":
        return "while True:\n    pass\n"
    if kind == "memory_bomb":
        return "_blocks = []\nwhile True:\n    _blocks.append(bytes(256 * 2**20))\n"
    if kind == "fork_bomb":
        return "import os\nwhile True:\n    os.fork()\n"
    if kind == "read_other":
        victim_path = f"{course_s}/submitted/{victim or 'learner001'}/{module}/{module}.ipynb"
        return (
            "import glob\n"
            f"_patterns = [{course_s + '/submitted/*/*/*.ipynb'!r}, {course_s + '/autograded/*/*/*.ipynb'!r},\n"
            "             '../../../submitted/*/*/*.ipynb', '/tmp/**/*.ipynb', '/srv/**/*.ipynb']\n"
            "_stolen = []\n"
            "for _pattern in _patterns:\n"
            "    for _path in glob.glob(_pattern, recursive=True):\n"
            "        try:\n"
            "            with open(_path, encoding='utf-8') as _fh:\n"
            "                _stolen.append(_fh.read())\n"
            "        except OSError as _exc:\n"
            "            print('ATTACK read_other: refused:', _exc)\n"
            "try:\n"
            f"    _stolen.append(open({victim_path!r}, encoding='utf-8').read())\n"
            "except OSError as _exc:\n"
            "    print('ATTACK read_other: blocked:', _exc)\n"
            "print(f'ATTACK read_other: SUCCEEDED, read {len(_stolen)} notebook(s)' if _stolen\n"
            "      else 'ATTACK read_other: blocked, nothing to read')\n")
    if kind == "write_gradebook":
        return (
            "import sqlite3\n"
            f"for _path in [{course_s + '/gradebook.db'!r}, '../../../gradebook.db', '../../gradebook.db']:\n"
            "    try:\n"
            "        _con = sqlite3.connect(f'file:{_path}?mode=rw', uri=True)\n"
            "        _con.execute('UPDATE grade SET auto_score = 99')\n"
            "        _con.commit()\n"
            "        print('ATTACK write_gradebook: SUCCEEDED on', _path)\n"
            "    except Exception as _exc:\n"
            "        print('ATTACK write_gradebook: blocked:', _path, type(_exc).__name__, _exc)\n")
    if kind == "network":
        targets = ([("127.0.0.1", canary_port)] if canary_port else []) + [("1.1.1.1", 53), ("pypi.org", 443)]
        return (
            "import socket\n"
            f"for _host, _port in {targets!r}:\n"
            "    try:\n"
            "        socket.create_connection((_host, _port), timeout=3).close()\n"
            "        print('ATTACK network: SUCCEEDED', _host, _port)\n"
            "    except OSError as _exc:\n"
            "        print('ATTACK network: blocked:', _host, _port, _exc)\n")
    raise ValueError(f"no attack code for kind {kind!r}")


def _fill(nb, answers: dict[str, tuple[str, str]], ids: Iterable[str]) -> None:
    ids = set(ids)
    for cell in nb.cells:
        gid = _nbmeta(cell).get("grade_id")
        if gid in ids and gid in answers:
            cell.source = answers[gid][1]


def _make(kind: str, release_nb, source_nb, rng: random.Random, *, course: Path, module: str,
          victim: str | None, canary_port: int | None):
    import copy

    import nbformat

    nb = copy.deepcopy(release_nb)
    answers = _answers(source_nb)
    code_ids = [g for g, (t, _) in answers.items() if t == "code"]
    all_ids = list(answers)
    if kind == "full":
        _fill(nb, answers, all_ids)
    elif kind == "partial":
        k = rng.randint(1, max(1, len(code_ids) - 1))
        chosen = rng.sample(code_ids, k) + [g for g in all_ids if answers[g][0] == "markdown"][:1]
        _fill(nb, answers, chosen)
    elif kind == "erroring":
        _fill(nb, answers, all_ids)
        bad = rng.choice(code_ids)
        for cell in nb.cells:
            if _nbmeta(cell).get("grade_id") == bad:
                cell.source = "totl = spend_totl  # a typo: this name does not exist\n" + cell.source
    elif kind in ("crash", "hang") or kind in ("infinite_loop", "memory_bomb", "fork_bomb", "read_other",
                                                "write_gradebook", "network"):
        if kind == "crash":
            code = "import os\nos._exit(1)\n"
        elif kind == "hang":
            code = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(1)\n"
        else:
            code = _attack(kind, course, module, victim, canary_port)
        first = code_ids[0] if code_ids else None
        for cell in nb.cells:
            if first and _nbmeta(cell).get("grade_id") == first:
                cell.source = code
                break
        else:  # a module without code answers: add the attack as a cell of its own
            nb.cells.insert(1, nbformat.v4.new_code_cell(code))
    elif kind == "slow":
        for cell in nb.cells:
            if _nbmeta(cell).get("grade_id") in code_ids:
                cell.source = "import time\ntime.sleep(4)  # a slow answer\n" + cell.source
    elif kind == "edit_tests":
        for cell in nb.cells:
            if _is_test(cell):
                cell.source = "pass  # every check passes now"
    elif kind == "delete_tests":
        nb.cells = [c for c in nb.cells if not _is_test(c)]
    elif kind == "duplicate_cells":
        cells = []
        for cell in nb.cells:
            if _is_test(cell):
                fake = copy.deepcopy(cell)
                fake.source = "pass  # a copy of the check that always passes"
                if "id" in fake:
                    fake["id"] = f"{cell['id'][:50]}-copy"
                cells.append(fake)
            cells.append(cell)
        nb.cells = cells
    elif kind == "change_cell_types":
        for i, cell in enumerate(nb.cells):
            if _is_test(cell):
                md = nbformat.v4.new_markdown_cell(cell.source, metadata=copy.deepcopy(cell.metadata))
                if "id" in cell:
                    md["id"] = cell["id"]
                nb.cells[i] = md
    elif kind == "change_ids":
        for cell in nb.cells:
            if _is_test(cell):
                cell.metadata.nbgrader["grade_id"] += "_renamed"
                cell.source = "pass"
    elif kind != "blank":
        raise ValueError(f"unknown kind {kind!r}; kinds are {KINDS}")
    return nb


def make_submissions(module_id: str, course_dir: str | Path, learners: int | Iterable[str] = 20,
                     mix: Mapping[str, float] | None = None, *, adversarial: Iterable[str] = (),
                     seed: int = 7, canary_port: int | None = None, start: datetime | None = None,
                     councils: Iterable[str] | None = None) -> list[Submission]:
    """Write a synthetic cohort's submissions of a module into an nbgrader course.

    Parameters
    ----------
    module_id : str
        An assignment generated in the course (``release/<module>/`` and ``source/<module>/`` exist).
    course_dir : str or pathlib.Path
        The nbgrader course folder.
    learners : int or iterable of str, default 20
        How many ordinary learners (ids ``learner001``...), or their ids.
    mix : mapping, optional
        Kind to fraction (summing to about 1) or to a count; :data:`DEFAULT_MIX` by default.
        Any of :data:`KINDS`.
    adversarial : iterable of str, default ()
        Adversarial or fault kinds to add, one extra learner each (id ``adv-<kind>``).
    seed : int, default 7
        Seed for which learner gets which kind and which answers.
    canary_port : int, optional
        A local TCP port the ``network`` attack also tries (a test can listen on it).
    start : datetime, optional
        Time of the first submission (UTC); the others follow a few minutes apart.
    councils : iterable of str, optional
        Councils to spread learners over; the ten CCR councils by default.

    Returns
    -------
    list of Submission

    Raises
    ------
    ValueError
        If the module has not been generated in the course, ``learners`` is negative, or a
        kind in ``mix`` or ``adversarial`` is unknown.
    """
    import nbformat

    course = Path(course_dir).resolve()
    release = course / "release" / module_id
    source = course / "source" / module_id
    notebooks = sorted(release.glob("*.ipynb")) if release.is_dir() else []
    if not notebooks or not source.is_dir():
        raise ValueError(f"module_id {module_id!r} has no released version in {course}; "
                         f"run `infuse grade generate {module_id}` first")
    adversarial = list(adversarial)
    bad = [k for k in adversarial if k not in KINDS]
    if bad:
        raise ValueError(f"adversarial has unknown kind(s) {bad}; kinds are {KINDS}")
    if isinstance(learners, int):
        if learners < 0:
            raise ValueError(f"learners must be 0 or more, got {learners}")
        ids = [f"learner{i:03d}" for i in range(1, learners + 1)]
    else:
        ids = list(learners)
    rng = random.Random(seed)
    counts = _counts(mix or DEFAULT_MIX, len(ids)) if ids else {}
    if sum(counts.values()) != len(ids):
        raise ValueError(f"mix gives {sum(counts.values())} submissions for {len(ids)} learners")
    kinds = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(kinds)
    plan = list(zip(ids, kinds)) + [(f"adv-{k.replace('_', '-')}", k) for k in adversarial]
    if councils is None:
        from curriculum.councils import COUNCIL_NAMES

        councils = COUNCIL_NAMES
    councils = list(councils)
    roster = read_roster(course)
    start = start or datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    victim = ids[0] if ids else None
    made = []
    for i, (student, kind) in enumerate(plan):
        folder = course / "submitted" / student / module_id
        folder.mkdir(parents=True, exist_ok=True)
        for path in notebooks:
            target = folder / path.name
            if kind == "broken":
                target.write_text('{"cells": [ this is not a notebook', encoding="utf-8")
                continue
            release_nb = nbformat.read(path, as_version=4)
            source_nb = nbformat.read(source / path.name, as_version=4)
            nb = _make(kind, release_nb, source_nb, rng, course=course, module=module_id,
                       victim=victim if student != victim else None, canary_port=canary_port)
            nbformat.write(nb, target)
        when = (start + timedelta(minutes=7 * i + rng.randint(0, 6))).astimezone(UTC)
        (folder / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
        (folder / "submission_secret.txt").write_text(uuid.UUID(int=rng.getrandbits(128)).hex, encoding="utf-8")
        entry = roster.get(student)
        if entry is None:
            entry = {"name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", "council": councils[i % len(councils)]}
            roster[student] = entry
        made.append(Submission(student, kind, folder, entry["council"]))
    _write_roster(course, roster)
    _add_students(course, roster, [s.student for s in made])
    return made


def prepare_course(module_id: str, course_dir: str | Path, exchange: str | Path | None = None) -> Path:
    """Make a new nbgrader course with one module generated (source, release and gradebook).

    Uses the project's ``grading/nbgrader_config.py`` and stock ``nbgrader generate_assignment``.

    Parameters
    ----------
    module_id : str
        A module id from the syllabus.
    course_dir : str or pathlib.Path
        The folder to make the course in (created if needed).
    exchange : str or pathlib.Path, optional
        The exchange folder; ``<course_dir>/exchange`` by default.

    Returns
    -------
    pathlib.Path
        The course folder.

    Raises
    ------
    UnknownModuleError
        If the module is not in the syllabus.
    GradingError
        If nbgrader fails.
    """
    import shutil

    from curriculum.grading import course_dir as project_course
    from curriculum.grading import nbgrader, stage_source

    course = Path(course_dir).resolve()
    course.mkdir(parents=True, exist_ok=True)
    if not (course / "nbgrader_config.py").exists():
        shutil.copy(project_course() / "nbgrader_config.py", course / "nbgrader_config.py")
    stage_source(module_id, course)
    env = {"INFUSE_EXCHANGE": str(exchange or course / "exchange")}
    nbgrader("generate_assignment", module_id, "--force", course=course, env=env)
    return course


def _add_students(course: Path, roster: dict[str, dict[str, str]], ids: list[str]) -> None:
    """Add the learners to the gradebook (first and last name), as ``nbgrader db student add`` would."""
    from nbgrader.api import Gradebook

    from curriculum.autograde import _course_id, _db_url

    with Gradebook(_db_url(course), _course_id(course)) as gb:
        for sid in ids:
            first, _, last = roster[sid]["name"].partition(" ")
            gb.update_or_create_student(sid, first_name=first, last_name=last or None)
