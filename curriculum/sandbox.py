"""A sandbox for learners' code: the kernel that autograding runs a submission in.

Autograding executes whatever a learner wrote. Stock nbgrader runs it with the grader's own
permissions, next to the gradebook and every other submission (nbgrader#483). Here the kernel
is started through a launcher that, before it becomes the kernel:

- moves into new **mount, network, IPC and UTS namespaces**: the network namespace has no
  interface up, so every connection fails (``ENETUNREACH``), even to the grader's machine;
- builds a **new root file system** from a whitelist: the operating system (``/usr``, ``/etc``,
  ...), Python, the ``curriculum`` package and the ``datasets`` (never the lab folders, whose
  notebooks hold the solutions), all read-only, minus the course folder, the exchange and the
  sandbox scratch folder, which are covered by empty read-only folders; only the submission's
  private working folder and the folder of the kernel's sockets are writable, and ``/tmp`` is
  a small private tmpfs; ``/proc`` shows only the kernel's own processes;
- drops root for a **uid of its own** (one per submission, so submissions graded at the
  same time cannot read, signal or count against each other), with no supplementary groups
  and ``no_new_privs``;
- sets **resource limits**: CPU seconds, address space (memory), processes, file size,
  open files, no core dumps;
- then ``exec``s the real kernel (``python -m ipykernel_launcher -f {connection_file}``).

The kernel talks to the grader over jupyter_client's IPC transport (unix sockets in the
kernel's socket folder), which works across the network namespace; TCP loopback would not.

The launcher is this file run as a script (``python sandbox.py --spec SPEC -- argv...``),
so that it imports nothing but the standard library before it becomes the kernel. Root
(``CAP_SYS_ADMIN``) is required; :func:`check_sandbox` refuses with a clear message when
the machine cannot sandbox, rather than grading unsandboxed.

Nothing happens on import.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "KERNEL_NAME",
    "SPEC_FILE",
    "SandboxLimits",
    "SandboxSpec",
    "SandboxUnavailable",
    "check_sandbox",
    "default_readonly_paths",
    "kernel_argv",
    "kill_uid",
    "processes_of_uid",
    "sandbox_script",
    "sandbox_uid",
    "uid_slot",
    "write_kernelspec",
]

KERNEL_NAME = "infuse-sandbox"
SPEC_FILE = "sandbox.json"  # beside the kernel's socket folder: <job>/sandbox.json, <job>/ipc/
UID_BASE = 1_000_000  # sandbox uids are UID_BASE + 64 x a grading process's id + a slot: unique per submission

# Linux constants (linux/sched.h, linux/mount.h, linux/prctl.h)
_CLONE_NEWNS, _CLONE_NEWUTS, _CLONE_NEWIPC, _CLONE_NEWNET = 0x00020000, 0x04000000, 0x08000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38
_DEVICES = ("null", "zero", "full", "random", "urandom")


class SandboxUnavailable(RuntimeError):
    """This machine (or this user) cannot sandbox learners' code, so nothing is graded."""


@dataclass(frozen=True)
class SandboxLimits:
    """Resource and time limits for one submission.

    Parameters
    ----------
    cpu_seconds : int, default 600
        CPU time the kernel may use (``RLIMIT_CPU``); the kernel is killed beyond it.
    memory_bytes : int, default 3 GiB
        Address space of each kernel process (``RLIMIT_AS``); allocations beyond it
        raise ``MemoryError``.
    processes : int, default 64
        Processes and threads the submission's uid may have (``RLIMIT_NPROC``).
    file_size_bytes : int, default 64 MiB
        Largest file the kernel may write (``RLIMIT_FSIZE``).
    open_files : int, default 256
        Open file descriptors (``RLIMIT_NOFILE``).
    tmp_bytes : int, default 256 MiB
        Size of the private ``/tmp``.
    cell_timeout : int, default 300
        Seconds one cell may run before it is interrupted (nbgrader's ``Execute.timeout``).
    notebook_timeout : int, default 1800
        Seconds the whole autograding of one submission may take before it is stopped.
    """

    cpu_seconds: int = 600
    memory_bytes: int = 3 * 2**30
    processes: int = 64
    file_size_bytes: int = 64 * 2**20
    open_files: int = 256
    tmp_bytes: int = 256 * 2**20
    cell_timeout: int = 300
    notebook_timeout: int = 1800

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"SandboxLimits.{name} must be a positive integer, got {value!r}")
        if self.processes < 16:
            raise ValueError(f"SandboxLimits.processes must be at least 16 (a kernel runs several threads), "
                             f"got {self.processes}")


@dataclass
class SandboxSpec:
    """Everything the launcher needs to build one submission's sandbox.

    Parameters
    ----------
    uid : int
        The unprivileged uid (and gid) the kernel runs as.
    root : str
        An empty folder on which the new root file system is built.
    workdir : str
        The submission's private working folder (the kernel's current folder), writable.
    ipcdir : str
        The folder of the kernel's connection file and sockets, writable.
    readonly : list of str
        Folders (or files) visible read-only at the same path.
    hidden : list of str
        Folders covered by an empty read-only folder (course, exchange, scratch).
    limits : SandboxLimits
        Resource limits.
    env : dict
        Extra environment variables for the kernel.
    quiet : bool, default False
        Send the process's own stdin, stdout and stderr to ``/dev/null`` (a kernel's output
        reaches the grader through its sockets; nothing it prints reaches the grader's terminal).
    """

    uid: int
    root: str
    workdir: str
    ipcdir: str
    readonly: list[str]
    hidden: list[str]
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    env: dict[str, str] = field(default_factory=dict)
    quiet: bool = False

    def write(self, path: str | Path) -> Path:
        """Write the spec as JSON for the launcher.

        Parameters
        ----------
        path : str or pathlib.Path
            The file to write (readable by root only).

        Returns
        -------
        pathlib.Path
        """
        path = Path(path)
        data = asdict(self)
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        path.chmod(0o600)
        return path

    @classmethod
    def read(cls, path: str | Path) -> SandboxSpec:
        """Read a spec written by :meth:`write`.

        Parameters
        ----------
        path : str or pathlib.Path

        Returns
        -------
        SandboxSpec
        """
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        data["limits"] = SandboxLimits(**data["limits"])
        return cls(**data)


def sandbox_uid(pid: int | None = None, slot: int = 0) -> int:
    """Return the sandbox uid of a grading process's ``slot``.

    Parameters
    ----------
    pid : int, optional
        The grading process; the current process by default. Live processes have distinct
        ids, so submissions graded by different processes never share a uid.
    slot : int, default 0
        Which of the process's concurrent submissions (0-63): threads of one process (a Dask
        worker) each take a slot of their own with :func:`uid_slot`.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``slot`` is not within 0-63.
    """
    if not 0 <= slot < _SLOTS_PER_PROCESS:
        raise ValueError(f"slot must be between 0 and {_SLOTS_PER_PROCESS - 1}, got {slot}")
    return UID_BASE + (os.getpid() if pid is None else pid) * _SLOTS_PER_PROCESS + slot


_SLOTS_PER_PROCESS = 64
_SLOTS_LOCK = threading.Lock()
_SLOTS_TAKEN: set[int] = set()


@contextlib.contextmanager
def uid_slot():
    """Reserve a sandbox uid for one submission, unique among everything graded on this machine now.

    Yields
    ------
    int
        The uid; released (for another submission of this process) on exit.

    Raises
    ------
    RuntimeError
        If this process already grades 64 submissions at once.
    """
    with _SLOTS_LOCK:
        free = [s for s in range(_SLOTS_PER_PROCESS) if s not in _SLOTS_TAKEN]
        if not free:
            raise RuntimeError(f"this process already grades {_SLOTS_PER_PROCESS} submissions at once")
        slot = free[0]
        _SLOTS_TAKEN.add(slot)
    try:
        yield sandbox_uid(slot=slot)
    finally:
        with _SLOTS_LOCK:
            _SLOTS_TAKEN.discard(slot)


def default_readonly_paths() -> list[str]:
    """Return the folders a kernel needs to see: the system, Python and the curriculum.

    Returns
    -------
    list of str
        Existing absolute paths (symbolic links resolved by the launcher).
    """
    here = Path(__file__).resolve().parent.parent  # the project (editable install) or site-packages
    candidates = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt",
                  sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).parent),
                  os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
                  os.path.realpath(sys.executable)]
    import sysconfig

    candidates += [sysconfig.get_paths()[k] for k in ("purelib", "platlib", "stdlib", "platstdlib")]
    # of the project, only the package and the datasets: never the lab folders, whose notebooks
    # are the sources with their solutions, nor anything else kept beside them
    roots = [here] + ([Path(os.environ["INFUSE_ROOT"])] if os.environ.get("INFUSE_ROOT") else [])
    candidates += [str(root / part) for root in roots for part in ("curriculum", "datasets")]
    out: list[str] = []
    for c in candidates:
        if c and os.path.exists(c) and c not in out:
            out.append(os.path.abspath(c))
    return out


def kernel_argv(python: str | None = None) -> list[str]:
    """Return the kernelspec ``argv`` that starts a sandboxed IPython kernel.

    The launcher finds the submission's spec beside the folder of the connection file
    (``<job>/ipc/kernel.json`` -> ``<job>/sandbox.json``), so one kernelspec serves every
    submission.

    Parameters
    ----------
    python : str, optional
        The interpreter; the current one by default.

    Returns
    -------
    list of str
    """
    python = python or sys.executable
    return [python, "-I", "-S", os.path.abspath(__file__), "--spec-beside", "{connection_file}", "--",
            python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]


def write_kernelspec(jupyter_dir: str | Path) -> Path:
    """Write the kernelspec ``infuse-sandbox`` that starts the sandboxed kernel.

    Parameters
    ----------
    jupyter_dir : str or pathlib.Path
        A folder to put on ``JUPYTER_PATH``; the spec goes to ``kernels/infuse-sandbox/``.

    Returns
    -------
    pathlib.Path
        The ``kernel.json`` written.
    """
    folder = Path(jupyter_dir) / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    spec = {"argv": kernel_argv(), "display_name": "Python 3 (InFuSe sandbox)", "language": "python",
            "interrupt_mode": "signal", "metadata": {"debugger": False}}
    path = folder / "kernel.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def processes_of_uid(uid: int) -> list[int]:
    """Return the ids of the live processes whose real or effective uid is ``uid`` (zombies excluded).

    Parameters
    ----------
    uid : int

    Returns
    -------
    list of int
    """
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("State:") and line.split()[1] in ("Z", "X"):
                        break  # dead, only waiting to be reaped: nothing left to run or kill
                    if line.startswith("Uid:"):
                        real, effective = (int(x) for x in line.split()[1:3])
                        if uid in (real, effective):
                            pids.append(int(entry.name))
                        break
        except (OSError, ValueError):
            continue
    return pids


def kill_uid(uid: int, rounds: int = 50) -> int:
    """Kill every process of a sandbox uid (a kernel, and anything it forked or left behind).

    A helper process takes the uid and sends ``SIGKILL`` to every process it may signal
    (``kill(-1)``), which are exactly that uid's, until none is left; a fork bomb cannot
    outrun it for long because the uid's process count is capped.

    Parameters
    ----------
    uid : int
        A sandbox uid (never 0 or a system uid).
    rounds : int, default 50
        Attempts before giving up.

    Returns
    -------
    int
        How many processes of the uid were found alive at the first look.

    Raises
    ------
    ValueError
        If ``uid`` is not a sandbox uid (below ``UID_BASE``).
    """
    if uid < UID_BASE:
        raise ValueError(f"uid {uid} is not a sandbox uid (they start at {UID_BASE}); refusing to kill its processes")
    found = len(processes_of_uid(uid))
    for _ in range(rounds):
        if not processes_of_uid(uid):
            break
        pid = os.fork()
        if pid == 0:  # the helper: become the uid, kill everything it owns, leave
            try:
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
                os.kill(-1, signal.SIGKILL)
            except BaseException:
                pass
            os._exit(0)
        os.waitpid(pid, 0)
        time.sleep(0.02)
    return found


# ---------------------------------------------------------------- the launcher (runs as root)

def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _check(ret: int, what: str) -> None:
    if ret != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(libc, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    def enc(s: str | None) -> bytes | None:
        return s.encode() if s is not None else None

    _check(libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {source} on {target}")


def _bind(libc, source: str, target: str, *, writable: bool) -> None:
    _mount(libc, source, target, None, _MS_BIND | _MS_REC)
    flags = _MS_REMOUNT | _MS_BIND | _MS_NOSUID | _MS_NODEV | (0 if writable else _MS_RDONLY)
    _mount(libc, None, target, None, flags)


def _inside(root: str, path: str) -> str:
    return os.path.join(root, path.lstrip("/"))


def _place(libc, root: str, path: str, *, writable: bool) -> None:
    """Make ``path`` appear at the same place under ``root`` (links recreated, folders bound)."""
    target = _inside(root, path)
    if os.path.islink(path):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.lexists(target):
            os.symlink(os.readlink(path), target)
        real = os.path.realpath(path)
        if os.path.exists(real):
            _place(libc, root, real, writable=writable)
        return
    if os.path.ismount(target) or not os.path.exists(path):
        return
    if os.path.isdir(path):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            open(target, "a").close()
    _bind(libc, path, target, writable=writable)


def _copy_fontlist(home: str, uid: int) -> None:
    """Give matplotlib the grader's font list so each kernel does not rebuild it."""
    cache = os.environ.get("MPLCONFIGDIR") or os.path.expanduser("~/.cache/matplotlib")
    dest = os.path.join(home, ".mpl")
    os.makedirs(dest, exist_ok=True)
    try:
        for name in os.listdir(cache):
            if name.startswith("fontlist") and name.endswith(".json"):
                shutil.copyfile(os.path.join(cache, name), os.path.join(dest, name))
    except OSError:
        pass
    for folder, _, files in os.walk(home):
        os.chown(folder, uid, uid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, uid)


def _build_root(spec: SandboxSpec, origin: str) -> None:
    libc = _libc()
    _check(libc.unshare(_CLONE_NEWNS | _CLONE_NEWNET | _CLONE_NEWIPC | _CLONE_NEWUTS), "unshare")
    _mount(libc, None, "/", None, _MS_REC | _MS_PRIVATE)
    root = spec.root
    _mount(libc, "tmpfs", root, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=16m,mode=0755")
    # /dev: only the harmless character devices, and a private /dev/shm
    dev = _inside(root, "/dev")
    os.makedirs(dev, exist_ok=True)
    for name in _DEVICES:
        target = os.path.join(dev, name)
        if os.path.exists(f"/dev/{name}"):
            open(target, "a").close()
            _mount(libc, f"/dev/{name}", target, None, _MS_BIND)
    for name, link in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                       ("stderr", "/proc/self/fd/2")):
        os.symlink(link, os.path.join(dev, name))
    os.makedirs(os.path.join(dev, "shm"))
    _mount(libc, "tmpfs", os.path.join(dev, "shm"), "tmpfs", _MS_NOSUID | _MS_NODEV, "size=16m,mode=1777")
    tmp = _inside(root, "/tmp")
    os.makedirs(tmp, exist_ok=True)
    _mount(libc, "tmpfs", tmp, "tmpfs", _MS_NOSUID | _MS_NODEV, f"size={spec.limits.tmp_bytes},mode=1777")
    home = os.path.join(tmp, "home")
    os.makedirs(home)
    _copy_fontlist(home, spec.uid)
    for path in spec.readonly:
        _place(libc, root, path, writable=False)
    # the working folder is a size-limited tmpfs of the sandbox's own (nothing the kernel writes reaches
    # the grader's disk); the socket folder is the only host folder it may write, and the grader
    # makes it read-only as soon as the kernel's sockets exist
    work = _inside(root, spec.workdir)
    os.makedirs(work, exist_ok=True)
    _mount(libc, "tmpfs", work, "tmpfs", _MS_NOSUID | _MS_NODEV,
           f"size={spec.limits.tmp_bytes},mode=0700,uid={spec.uid},gid={spec.uid}")
    _copy_beside(origin, work, spec.uid)
    _place(libc, root, spec.ipcdir, writable=True)
    own = [os.path.abspath(p) for p in (spec.workdir, spec.ipcdir)]
    for path in spec.hidden:  # an empty, read-only, root-only folder over each
        target = _inside(root, path)
        path = os.path.abspath(path)
        covers_own = any(o == path or o.startswith(path.rstrip("/") + "/") for o in own)
        if os.path.isdir(target) and not os.path.islink(target) and not covers_own:
            _mount(libc, "tmpfs", target, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC | _MS_RDONLY,
                   "size=4k,mode=0000")
    proc = _inside(root, "/proc")
    os.makedirs(proc, exist_ok=True)
    _mount(libc, "proc", proc, "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC, "hidepid=2")
    # the root file system itself becomes read-only; writable places are mounts of their own
    _mount(libc, None, root, None, _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | _MS_NODEV, "size=16m,mode=0755")
    os.chroot(root)
    os.chdir(spec.workdir)


def _set_limits(limits: SandboxLimits) -> None:
    import resource

    for name, value in (("RLIMIT_CPU", limits.cpu_seconds), ("RLIMIT_AS", limits.memory_bytes),
                        ("RLIMIT_NPROC", limits.processes), ("RLIMIT_FSIZE", limits.file_size_bytes),
                        ("RLIMIT_NOFILE", limits.open_files), ("RLIMIT_CORE", 0)):
        # the hard CPU limit a little above the soft one: SIGXCPU first, then SIGKILL
        hard = value + 5 if name == "RLIMIT_CPU" else value
        resource.setrlimit(getattr(resource, name), (value, hard))


def _kernel_env(spec: SandboxSpec) -> dict[str, str]:
    python_bin = os.path.dirname(sys.argv[sys.argv.index("--") + 1]) if "--" in sys.argv else ""
    env = {
        "PATH": os.pathsep.join(p for p in (python_bin, "/usr/local/bin", "/usr/bin", "/bin") if p),
        "HOME": "/tmp/home", "USER": "learner", "LOGNAME": "learner", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "TMPDIR": "/tmp", "MPLCONFIGDIR": "/tmp/home/.mpl", "MPLBACKEND": "agg", "IPYTHONDIR": "/tmp/home/.ipython",
        "JUPYTER_RUNTIME_DIR": spec.ipcdir, "JUPYTER_DATA_DIR": "/tmp/home/.jupyter-data",
        "JUPYTER_CONFIG_DIR": "/tmp/home/.jupyter", "PYTHONNOUSERSITE": "1", "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "autograde"),
    }
    if os.environ.get("INFUSE_ROOT"):
        env["INFUSE_ROOT"] = os.environ["INFUSE_ROOT"]
    env.update(spec.env)
    return env


def _copy_beside(origin: str, workdir: str, uid: int) -> None:
    """Copy the files beside the notebook (not notebooks, not nbgrader's own) into the work folder."""
    try:
        names = os.listdir(origin)
    except OSError:
        return
    for name in names:
        src = os.path.join(origin, name)
        if (name.endswith(".ipynb") or name in ("timestamp.txt", "submission_secret.txt")
                or not os.path.isfile(src) or os.path.islink(src) or os.path.getsize(src) > 256 * 2**20):
            continue
        dest = os.path.join(workdir, name)
        shutil.copyfile(src, dest)
        os.chown(dest, uid, uid)


def launch(spec_path: str, argv: list[str]) -> None:
    """Build the sandbox described by a spec and ``exec`` ``argv`` inside it (never returns).

    Parameters
    ----------
    spec_path : str
        A spec written by :meth:`SandboxSpec.write`.
    argv : list of str
        The kernel command line.

    Raises
    ------
    SandboxUnavailable
        If not run as root.
    OSError
        If a namespace, mount or identity change fails.
    """
    if os.geteuid() != 0:
        raise SandboxUnavailable("the sandbox launcher must run as root (it needs to create namespaces and "
                                 "drop to an unprivileged uid)")
    spec = SandboxSpec.read(spec_path)
    uid = spec.uid
    if uid < UID_BASE:
        raise SandboxUnavailable(f"refusing to run a kernel as uid {uid}: sandbox uids start at {UID_BASE}")
    for folder in (spec.workdir, spec.ipcdir):
        os.chown(folder, uid, uid)
        os.chmod(folder, 0o700)
    if "-f" in argv:  # the connection file (holds the kernel's key) must be readable by the kernel only
        conn = argv[argv.index("-f") + 1]
        if os.path.exists(conn):
            os.chown(conn, uid, uid)
    env = _kernel_env(spec)
    if spec.quiet:  # output reaches the grader through the kernel's sockets, not its terminal
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
    _build_root(spec, os.getcwd())
    _set_limits(spec.limits)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    libc = _libc()
    _check(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(no_new_privs)")
    _check(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(pdeathsig)")
    os.umask(0o077)
    os.execve(argv[0], argv, env)


_AVAILABLE: dict[str, str | None] = {}


def check_sandbox(python: str | None = None) -> None:
    """Check that this machine can sandbox learners' code; raise if it cannot.

    Starts a throwaway sandbox and checks, from inside it, that the process is not root,
    that the network is unreachable and that a folder outside it is invisible. The answer
    is cached for the process.

    Parameters
    ----------
    python : str, optional
        The interpreter kernels run with; the current one by default.

    Returns
    -------
    None
        Returns only when the machine can sandbox.

    Raises
    ------
    SandboxUnavailable
        With the reason (not root, no namespaces, a mount refused, a check that failed).
    """
    python = python or sys.executable
    with _CHECK_LOCK:
        if python not in _AVAILABLE:
            _AVAILABLE[python] = _probe(python)
    if _AVAILABLE[python]:
        raise SandboxUnavailable(_AVAILABLE[python])


_CHECK_LOCK = threading.Lock()


def _probe(python: str) -> str | None:
    """Why this machine cannot sandbox (None when it can)."""
    import tempfile

    reason = None
    if sys.platform != "linux":
        reason = f"sandboxing needs Linux namespaces; this is {sys.platform}"
    elif os.geteuid() != 0:
        reason = (f"sandboxing needs root (to create namespaces and run each kernel as its own uid); this process "
                  f"runs as uid {os.geteuid()}. Run the grader as root (e.g. in the grading container) - learners' "
                  "code is never graded unsandboxed")
    else:
        scratch = Path(tempfile.mkdtemp(prefix="sbx-check-"))
        try:
            secret = scratch / "secret"
            secret.mkdir()
            (secret / "gradebook.db").write_text("x")
            os.chmod(scratch, 0o711)
            for name in ("root", "work", "ipc"):
                (scratch / name).mkdir()
            with uid_slot() as uid:
                reason = _run_probe(python, scratch, secret, uid)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return reason


def _run_probe(python: str, scratch: Path, secret: Path, uid: int) -> str | None:
    spec = SandboxSpec(uid=uid, root=str(scratch / "root"), workdir=str(scratch / "work"),
                       ipcdir=str(scratch / "ipc"), readonly=default_readonly_paths(),
                       hidden=[str(secret)], limits=SandboxLimits(cpu_seconds=20))
    spec_path = spec.write(scratch / "spec.json")
    probe = ("import os, socket, sys\n"
             "assert os.getuid() != 0, 'still root'\n"
             f"assert not os.path.exists({str(secret / 'gradebook.db')!r}), 'hidden folder visible'\n"
             "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=2)\n"
             "except OSError:\n    pass\nelse:\n    sys.exit('network reachable')\n"
             "print('sandbox-ok')\n")
    argv = [python, "-I", "-S", os.path.abspath(__file__), "--spec", str(spec_path), "--", python, "-c", probe]
    try:
        proc = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "the sandbox check timed out"
    finally:
        kill_uid(uid)
    if "sandbox-ok" not in proc.stdout:
        return ("the sandbox could not be built here: "
                + ((proc.stderr or proc.stdout).strip().splitlines() or ["no output"])[-1])
    return None


def sandbox_script() -> str:
    """Return the path of the launcher script (this file).

    Returns
    -------
    str
    """
    return os.path.abspath(__file__)


def _main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "--die-with-parent" and argv[1] == "--":
        # not a sandbox: run a command that is killed when its parent dies (the grader's nbgrader)
        _check(_libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(pdeathsig)")
        if os.getppid() == 1:
            return 1
        os.execv(argv[2], argv[2:])
    if len(argv) >= 4 and argv[0] == "--spec-beside" and argv[2] == "--":
        argv = ["--spec", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(argv[1]))), SPEC_FILE),
                *argv[2:]]
    if len(argv) < 4 or argv[0] != "--spec" or argv[2] != "--":
        print("usage: sandbox.py --spec SPEC.json -- COMMAND [ARG...]\n"
              "       sandbox.py --spec-beside CONNECTION_FILE -- COMMAND [ARG...]\n"
              "       sandbox.py --die-with-parent -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    try:
        launch(argv[1], argv[3:])
    except (OSError, SandboxUnavailable) as exc:
        print(f"infuse sandbox: {exc}", file=sys.stderr)
        return 111
    return 0  # not reached: launch execs


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
