"""The sandbox learners' code runs in: identity, network, files, limits, clean-up, refusal.

Each test starts the launcher (``curriculum/sandbox.py``) around a small Python probe,
exactly as autograding starts it around the kernel, and checks from inside and outside that
the probe ran as its own uid, without network, without sight of hidden folders, read-only
outside its working folder and within its limits. Sandboxing needs root and Linux
namespaces: on a machine without them these tests are skipped *with the reason*, and the
grader itself refuses to grade (tested below with a simulated non-root user).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from curriculum import sandbox
from curriculum.sandbox import SandboxLimits, SandboxSpec, SandboxUnavailable
from tests.grading_helpers import needs_sandbox


@pytest.fixture
def box(tmp_path_factory):
    """Return a function running Python code in a fresh sandbox; yields its uid for clean-up."""
    base = Path("/tmp") / f"sbx-test-{os.getpid()}-{time.monotonic_ns()}"
    base.mkdir(mode=0o711)
    visible = tmp_path_factory.mktemp("visible")  # shown read-only, like the project folder
    visible.chmod(0o755)
    (visible / "readme.txt").write_text("public")
    secret = visible / "course"  # hidden inside it, like grading/ inside the project
    secret.mkdir()
    (secret / "gradebook.db").write_text("grades")
    uids = []

    def run(code: str, limits: SandboxLimits | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
        job = base / f"job{len(uids)}"
        for name in ("root", "work", "ipc"):
            (job / name).mkdir(parents=True)
        uid = sandbox.sandbox_uid() + len(uids)
        uids.append(uid)
        spec = SandboxSpec(uid=uid, root=str(job / "root"), workdir=str(job / "work"), ipcdir=str(job / "ipc"),
                           readonly=sandbox.default_readonly_paths() + [str(visible)], hidden=[str(secret), str(base)],
                           limits=limits or SandboxLimits())
        path = spec.write(job / "spec.json")
        argv = [sys.executable, "-I", "-S", sandbox.__file__, "--spec", str(path), "--", sys.executable, "-c", code]
        return subprocess.run(argv, check=False, capture_output=True, text=True, timeout=timeout)

    run.secret = secret
    run.visible = visible
    run.uids = uids
    yield run
    for uid in uids:
        sandbox.kill_uid(uid)
    import shutil

    shutil.rmtree(base, ignore_errors=True)


@needs_sandbox
def test_runs_as_its_own_unprivileged_uid(box):
    """The code runs as a uid of its own, with no supplementary groups and no way back to root."""
    proc = box("import os; print(os.getuid(), os.geteuid(), os.getgroups()); os.setuid(0)")
    first = proc.stdout.split()
    assert first[0] == first[1] == str(box.uids[0]), f"expected uid {box.uids[0]}, got {proc.stdout!r}"
    assert "PermissionError" in proc.stderr, "setuid(0) must be refused inside the sandbox"


@needs_sandbox
def test_no_network_even_to_this_machine(box):
    """A connection to a server listening on this machine's loopback fails, and the server sees nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    port = server.getsockname()[1]
    accepted = []
    done = threading.Event()

    def listen():
        while not done.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    code = (f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), timeout=3)\n"
            "    print('CONNECTED')\nexcept OSError as exc:\n    print('refused', exc)")
    proc = box(code)
    time.sleep(0.5)
    done.set()
    thread.join()
    server.close()
    assert "refused" in proc.stdout and "Network is unreachable" in proc.stdout, proc.stdout + proc.stderr
    assert not accepted, "the local server received a connection from the sandbox"


@needs_sandbox
def test_hidden_folders_are_invisible_and_the_rest_read_only(box):
    """A course inside a visible folder cannot be seen; the project cannot be written; the working folder can."""
    secret = box.secret / "gradebook.db"
    project_file = Path(sandbox.__file__).resolve().parent / "sandbox_probe.txt"
    code = (
        "import os\n"
        f"print('visible' if os.path.exists({str(secret)!r}) else 'hidden')\n"
        f"print('listing', os.listdir({str(box.secret)!r}) if os.access({str(box.secret)!r}, os.R_OK) else 'denied')\n"
        f"print('readme', open({str(box.visible / 'readme.txt')!r}).read())\n"
        f"try:\n    open({str(project_file)!r}, 'w')\n    print('wrote-project')\n"
        "except OSError as exc:\n    print('project', type(exc).__name__, exc.errno)\n"
        "open('mine.txt', 'w').write('ok'); print('workdir', open('mine.txt').read())\n"
        "print('tmp', os.listdir('/tmp'))\n")
    proc = box(code)
    assert "hidden" in proc.stdout, f"the hidden folder was visible: {proc.stdout}{proc.stderr}"
    assert "listing denied" in proc.stdout or "listing []" in proc.stdout, proc.stdout + proc.stderr
    assert "readme public" in proc.stdout, "the rest of a read-only folder stays readable"
    assert "wrote-project" not in proc.stdout and "project OSError 30" in proc.stdout, proc.stdout + proc.stderr
    assert "workdir ok" in proc.stdout, proc.stdout + proc.stderr
    assert not project_file.exists()


@needs_sandbox
def test_lab_notebooks_are_invisible_but_the_package_and_data_are_not(box):
    """A kernel can import the curriculum and read the demo data, but never open a lab's source notebook."""
    from curriculum.syllabus import project_root, syllabus

    root = project_root()
    sources = [str(m.notebook_path(root)) for m in syllabus()]
    assert sources and all(Path(s).exists() for s in sources)
    demo = next((root / "datasets").rglob("*.csv"))
    code = (
        "import glob, os\n"
        f"found = [p for p in {sources!r} if os.path.exists(p)]\n"
        f"found += glob.glob({str(root) + '/*/*.ipynb'!r}) + glob.glob('/tmp/**/*.ipynb', recursive=True)\n"
        "print('sources seen:', len(found))\n"
        f"print('data', len(open({str(demo)!r}, encoding='utf-8').readline()) > 0)\n"
        "from curriculum.syllabus import syllabus\nprint('package', len(syllabus()))\n")
    proc = box(code)
    assert "sources seen: 0" in proc.stdout, f"lab notebooks (with solutions) were visible: {proc.stdout}{proc.stderr}"
    assert "data True" in proc.stdout and f"package {len(sources)}" in proc.stdout, proc.stdout + proc.stderr


@needs_sandbox
def test_limits_on_memory_processes_and_file_size(box):
    """Allocating past the memory limit, forking past the process limit and writing past the file limit all fail."""
    limits = SandboxLimits(memory_bytes=512 * 2**20, processes=16, file_size_bytes=2**20)
    code = (
        "import os\n"
        "try:\n    x = bytes(2**30)\n    print('allocated')\nexcept MemoryError:\n    print('memory-limit')\n"
        "kids = []\n"
        "try:\n    for _ in range(64):\n        pid = os.fork()\n        if pid == 0:\n"
        "            os.closerange(0, 3); import time; time.sleep(30); os._exit(0)\n"
        "        kids.append(pid)\n    print('forked-all')\n"
        "except BlockingIOError:\n    print('process-limit', len(kids))\n"
        "try:\n    open('big', 'wb').write(b'x' * 2**21)\n    print('wrote-big')\n"
        "except OSError as exc:\n    print('file-limit', exc.errno)\n")
    proc = box(code, limits)
    assert "memory-limit" in proc.stdout, proc.stdout + proc.stderr
    assert "process-limit" in proc.stdout, proc.stdout + proc.stderr
    assert "file-limit 27" in proc.stdout, proc.stdout + proc.stderr


@needs_sandbox
def test_kill_uid_leaves_nothing_behind(box):
    """Processes a submission leaves running (forked children) are all killed afterwards."""
    code = ("import os, time\nfor _ in range(5):\n    if os.fork() == 0:\n        os.closerange(0, 3)\n"
            "        time.sleep(600)\nprint('spawned')\n")
    proc = box(code)
    assert "spawned" in proc.stdout
    uid = box.uids[0]
    assert sandbox.processes_of_uid(uid), "the children should still be running before clean-up"
    assert sandbox.kill_uid(uid) >= 5
    assert sandbox.processes_of_uid(uid) == []


def test_kill_uid_refuses_ordinary_uids():
    """kill_uid never touches root's or a normal user's processes."""
    with pytest.raises(ValueError, match="not a sandbox uid"):
        sandbox.kill_uid(0)


@pytest.mark.parametrize("name, value", [("memory_bytes", 0), ("cell_timeout", -1), ("processes", 4),
                                         ("cpu_seconds", 1.5)])
def test_limits_are_validated(name, value):
    """A bad limit is refused with a message naming it."""
    with pytest.raises(ValueError, match=name):
        SandboxLimits(**{name: value})


def test_refuses_without_root(monkeypatch):
    """Without root the sandbox check fails with a clear reason; learners' code is never run unsandboxed."""
    monkeypatch.setattr(sandbox, "_AVAILABLE", {})
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(SandboxUnavailable, match="needs root"):
        sandbox.check_sandbox()


def test_concurrent_submissions_get_distinct_uids():
    """Threads of one grading process (a Dask worker) each get a uid of their own, released afterwards."""
    with sandbox.uid_slot() as a, sandbox.uid_slot() as b:
        assert a != b and min(a, b) >= sandbox.UID_BASE
    with sandbox.uid_slot() as c:
        assert c == a, "a released slot is reused"
    with pytest.raises(ValueError, match="slot"):
        sandbox.sandbox_uid(slot=64)
