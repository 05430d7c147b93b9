"""What the demo generators share: the scale check, each generator's stream, rebuilding a sibling's files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from curriculum.councils import get_council
from curriculum.datasets import demo_dir
from curriculum.demo import DEFAULT_SEED, GENERATORS
from curriculum.demo._shared import check_scale, run_rng, same_run


@pytest.mark.parametrize("scale", [1, 0.5, 10, np.float64(2.0), np.int64(3)])
def test_check_scale_accepts_positive_numbers(scale):
    assert check_scale(scale) == float(scale)


@pytest.mark.parametrize("scale", [0, -1, True, "big", None, float("inf"), float("nan")])
def test_check_scale_names_a_bad_scale(scale):
    with pytest.raises(ValueError, match="scale must be a positive number, got"):
        check_scale(scale)


def test_run_rng_is_the_stream_write_demo_data_gives():
    """[seed, council index, generator index], and 99 in place of the council for regional files."""
    ours = run_rng(7, "Torfaen", "contracts").random(3)
    expected = np.random.default_rng([7, 8, GENERATORS.index("contracts")]).random(3)
    assert np.array_equal(ours, expected)
    assert np.array_equal(run_rng(7, None, "wimd").random(2),
                          np.random.default_rng([7, 99, GENERATORS.index("wimd")]).random(2))


def test_run_rng_names_an_unknown_generator_or_council():
    with pytest.raises(ValueError, match="generator 'nope' is unknown"):
        run_rng(1, "Cardiff", "nope")
    with pytest.raises(ValueError, match="council 'Swansea' is not a CCR council"):
        run_rng(1, "Swansea", "contracts")


def test_same_run_rebuilds_the_committed_contracts_register():
    """From the social value generator's stream, the contracts register of the committed demo run comes back."""
    council = get_council("Newport")
    rebuilt = same_run("contracts", council, run_rng(DEFAULT_SEED, council.name, "social_value"), 1)["contracts.csv"]
    committed = pd.read_csv(demo_dir("Newport") / "contracts.csv")
    assert list(rebuilt["Contract Reference"].astype(str)) == list(committed["Contract Reference"].astype(str))
