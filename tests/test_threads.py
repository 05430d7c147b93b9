"""One maths thread: the context manager for small fits and the pool initializer."""

from __future__ import annotations

import os

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from curriculum.threads import ONE_THREAD_VARIABLES, one_thread, single_threaded_environment


def _threads(api: str) -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == api}


def test_one_thread_limits_blas_inside_and_restores_it_after():
    """Inside the context every BLAS pool has one thread; after it, the pools are as before."""
    np.linalg.inv(np.eye(3))  # BLAS is loaded
    before = _threads("blas")
    assert before, "numpy's BLAS is listed by threadpoolctl"
    with one_thread("blas"):
        assert _threads("blas") == {1}
    assert _threads("blas") == before


def test_one_thread_sees_libraries_loaded_after_its_first_use():
    """A library imported after a first use (scikit-learn's OpenMP) is limited too."""
    with one_thread("blas"):
        pass
    import sklearn.cluster  # noqa: F401 - loads OpenMP

    if not _threads("openmp"):
        pytest.skip("this scikit-learn build has no OpenMP runtime to limit")
    with one_thread("openmp"):
        assert _threads("openmp") == {1}


def test_one_thread_rejects_an_unknown_api():
    with pytest.raises(ValueError, match="user_api must be one of"):
        one_thread("cuda")


def test_single_threaded_environment_keeps_a_chosen_value(monkeypatch):
    """Unset variables become 1; a value someone set is kept."""
    for name in ONE_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "4")
    single_threaded_environment()
    assert os.environ["OMP_NUM_THREADS"] == "1" and os.environ["OPENBLAS_NUM_THREADS"] == "1"
    assert os.environ["MKL_NUM_THREADS"] == "4"
