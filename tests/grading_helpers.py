"""What the grading suites share: whether this machine can sandbox, and nbgrader's alembic on PATH."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

from curriculum.sandbox import SandboxUnavailable, check_sandbox


def _sandbox_reason() -> str | None:
    try:
        check_sandbox()
    except SandboxUnavailable as exc:
        return str(exc)
    return None


SANDBOX_REASON = _sandbox_reason()
needs_sandbox = pytest.mark.skipif(SANDBOX_REASON is not None,
                                   reason=f"cannot sandbox on this machine: {SANDBOX_REASON}")


@contextlib.contextmanager
def with_alembic():
    """nbgrader runs `alembic` when it creates a gradebook: put the environment's bin/ on PATH meanwhile."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
        yield
