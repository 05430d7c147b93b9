"""What the demo generators share: argument checks and the random stream of each generator.

:func:`curriculum.demo.write_demo_data` gives every generator its own stream,
``[seed, council index, generator index]`` (``99`` in place of the council for regional
files). :func:`run_rng` is that rule, written once; :func:`same_run` uses it to rebuild
another generator's files of the same run, so that, for instance, the social value tracker
follows the very contracts the contracts register of that run holds.

Nothing happens on import.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council

__all__ = ["REGION", "check_scale", "run_rng", "same_run"]

REGION = 99  # the "council index" of regional files


def check_scale(scale) -> float:
    """Return ``scale`` as a float, or stop when it is not a positive, finite number.

    Parameters
    ----------
    scale : int or float
        Volume multiplier (1 is the demo volume).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``scale`` is a bool, not a number, not finite or not above zero.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) \
            or not np.isfinite(scale) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    return float(scale)


def run_rng(seed: int, council: str | None, generator: str) -> np.random.Generator:
    """Return the random stream a generator gets in the demo-data run of ``seed``.

    Parameters
    ----------
    seed : int
        The run's master seed.
    council : str or None
        A CCR council's name, or None for a generator's regional files.
    generator : str
        A name in :data:`curriculum.demo.GENERATORS`.

    Returns
    -------
    numpy.random.Generator

    Raises
    ------
    ValueError
        If ``generator`` or ``council`` is unknown.
    """
    from curriculum.demo import GENERATORS

    if generator not in GENERATORS:
        raise ValueError(f"generator {generator!r} is unknown; the generators are: {', '.join(GENERATORS)}")
    if council is not None and council not in COUNCIL_NAMES:
        raise ValueError(f"council {council!r} is not a CCR council; the councils are: {', '.join(COUNCIL_NAMES)}")
    where = REGION if council is None else COUNCIL_NAMES.index(council)
    return np.random.default_rng([seed, where, GENERATORS.index(generator)])


def same_run(generator: str, council: Council, rng: np.random.Generator, scale: float) -> dict[str, pd.DataFrame]:
    """Rebuild another generator's files for ``council`` from the run that made ``rng``.

    Parameters
    ----------
    generator : str
        The other generator's name in :data:`curriculum.demo.GENERATORS`.
    council : Council
        The council being generated.
    rng : numpy.random.Generator
        The stream the calling generator was given (its run's seed is read back from it,
        see :func:`curriculum.demo.postcodes.run_seed`).
    scale : float
        The run's volume multiplier.

    Returns
    -------
    dict of str to pandas.DataFrame
        The other generator's files, exactly as the run writes them.

    Raises
    ------
    ValueError
        If ``generator`` is unknown.
    """
    from curriculum.demo.postcodes import run_seed

    stream = run_rng(run_seed(rng, council), council.name, generator)
    return importlib.import_module(f"curriculum.demo.{generator}").generate(council, stream, scale)
