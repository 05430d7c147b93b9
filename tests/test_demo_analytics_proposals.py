"""Tests of the demo analytics proposals generator (curriculum.demo.analytics_proposals) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import analytics_proposals as gen
from curriculum.governance import screen_proposals

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _file(name: str, seed: int = DEFAULT_SEED, scale: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng([seed, COUNCIL_NAMES.index(name), GENERATORS.index("analytics_proposals")])
    return gen.generate(get_council(name), rng, scale)["analytics_proposals.csv"]


@pytest.fixture(scope="module")
def screens() -> dict[str, pd.DataFrame]:
    """Each council's committed register, loaded through the mapping and screened."""
    return {name: screen_proposals(curriculum.load("analytics_proposals", council=name)) for name in COUNCIL_NAMES}


def test_columns_match_the_mapping():
    """The file and its columns are exactly those the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["analytics_proposals"]
    assert gen.FILES == (mapping["file"],), "FILES should follow the mapping"
    assert list(_file("Torfaen").columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same file; another seed gives another."""
    pd.testing.assert_frame_equal(_file("Newport"), _file("Newport"))
    assert not _file("Newport").equals(_file("Newport", seed=7)), "another run should give another register"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed files equal what the generator writes for the default seed."""
    write_generator_files("analytics_proposals", tmp_path)
    for name in COUNCIL_NAMES:
        slug = get_council(name).slug
        assert (DEMO / slug / "analytics_proposals.csv").read_bytes() == \
            (tmp_path / slug / "analytics_proposals.csv").read_bytes(), f"{name}'s file differs"


def test_files_are_small_and_registers_the_right_size():
    """8 to 12 proposals per council at scale 1, and well under 200 KB in all."""
    sizes = [len(_file(n)) for n in COUNCIL_NAMES]
    assert min(sizes) >= 8 and max(sizes) <= 12, sizes
    total = sum((DEMO / get_council(n).slug / "analytics_proposals.csv").stat().st_size for n in COUNCIL_NAMES)
    assert total < 100_000, f"{total} bytes"


def test_planted_structure(screens):
    """One missing basis and one missing agreement each; DPIA and ATRS gaps; the school readiness model everywhere."""
    for name, screen in screens.items():
        assert screen["lacks_lawful_basis"].sum() == 1, name
        assert screen["agreement_missing"].sum() == 1, name
        assert screen["dpia_missing"].any() and (screen["needs_dpia"] & screen["dpia_done"]).any(), name
        assert screen["atrs_missing"].any(), name
        assert (~screen["personal_data"]).sum() >= 2, name
        assert (screen["proposal"] == "School readiness early help model").sum() == 1, name


def test_partners_are_the_councils_own(screens):
    """The health board and police force named are the council's own."""
    for name in COUNCIL_NAMES:
        register = curriculum.load("analytics_proposals", council=name)
        partners = " ".join(register["partners"].dropna())
        board = ("Cardiff and Vale" if name in {"Cardiff", "Vale of Glamorgan"}
                 else "Cwm Taf Morgannwg" if name in {"Bridgend", "Merthyr Tydfil", "Rhondda Cynon Taf"} else "Aneurin Bevan")
        assert board in partners, f"{name} should share with {board} University Health Board"
        if "Police" in partners:
            assert ("Gwent" in partners) == (board == "Aneurin Bevan"), name


def test_answers_vary_between_councils(screens):
    """The questions do not have one answer for the whole cohort."""
    assert len({int(s["needs_dpia"].sum()) for s in screens.values()}) > 1
    assert len({tuple(s.loc[s["lacks_lawful_basis"], "proposal_id"]) for s in screens.values()}) > 1


def test_scale_multiplies_the_register():
    """Scale 5 gives about five times the proposals, with unique references and further phases."""
    one, five = _file("Cardiff"), _file("Cardiff", scale=5)
    assert 3.5 < len(five) / len(one) < 6.5
    assert five["Ref"].is_unique and five["Proposal"].str.contains(r"\(phase \d+\)").any()


@pytest.mark.parametrize("council, scale, match", [
    ("Cardiff", 0, "scale must be a positive number"),
    ("Cardiff", True, "scale must be a positive number"),
    ("Calderdale", 1, "council must be one of the ten CCR councils"),
])
def test_generate_rejects_bad_arguments(council, scale, match):
    """A council outside the region or a scale that is not positive is refused, naming the argument."""
    who = get_council(council) if council in COUNCIL_NAMES else council
    with pytest.raises(ValueError, match=match):
        gen.generate(who, np.random.default_rng(1), scale)
