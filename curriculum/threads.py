"""One maths thread: for small fits inside a kernel, and for every process of a parallel pool.

Learners' kernels share a hub, and batch runs and autograding start one kernel per core.
Linear algebra (OpenBLAS, MKL) and OpenMP code (k-means) start a thread per core by
default, so several kernels fight over the same cores and a small fit can run tens of
times slower, not faster. Two tools keep each to one thread:

- :func:`one_thread`, a context manager around a fit, through threadpoolctl;
- :func:`single_threaded_environment`, for a pool's initializer: the variables the maths
  libraries read when they load, so every kernel a worker starts inherits them.

Nothing happens on import.
"""

from __future__ import annotations

import contextlib
import os
import sys

__all__ = ["ONE_THREAD_VARIABLES", "one_thread", "single_threaded_environment"]

ONE_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_USER_APIS = (None, "blas", "openmp")
# a threadpoolctl controller with the number of Python modules loaded when it was made: it lists
# the thread pools of the libraries loaded at that time, so it is made again once more are imported
_CONTROLLER: dict = {}


def one_thread(user_api: str | None = None):
    """Return a context in which linear algebra and/or OpenMP code runs on one thread.

    threadpoolctl comes with scikit-learn; without it the context changes nothing.

    Parameters
    ----------
    user_api : {None, "blas", "openmp"}, default None
        Which thread pools to limit; None limits both.

    Returns
    -------
    contextlib.AbstractContextManager

    Raises
    ------
    ValueError
        If ``user_api`` is not one of the above.
    """
    if user_api not in _USER_APIS:
        raise ValueError(f"user_api must be one of {_USER_APIS}, got {user_api!r}")
    if _CONTROLLER.get("modules") != len(sys.modules):
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - scikit-learn brings it
            controller = None
        else:
            controller = ThreadpoolController()
        _CONTROLLER.update(controller=controller, modules=len(sys.modules))
    controller = _CONTROLLER["controller"]
    if controller is None:  # pragma: no cover
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api=user_api)


def single_threaded_environment() -> None:
    """Ask the maths libraries of this process's future kernels for one thread each.

    Sets :data:`ONE_THREAD_VARIABLES` to 1 where they are not already set (a value the
    user chose is kept). Meant as a process pool's initializer.

    Returns
    -------
    None
    """
    for name in ONE_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
