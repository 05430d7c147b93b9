"""The ten CCR councils, codes and populations."""

import pytest

from curriculum import UnknownCouncilError, councils, get_council


def test_ten_councils_with_welsh_codes():
    """Ten councils, unique W06 codes, and Census 2021 populations summing to the region's ~1.5 million."""
    table = councils()
    assert len(table) == 10 and table["code"].is_unique
    assert table["code"].str.match(r"^W06\d{6}$").all()
    assert 1_500_000 < table["population_2021"].sum() < 1_550_000
    assert table.set_index("name").loc["Merthyr Tydfil", "population_2021"] == table["population_2021"].min()


@pytest.mark.parametrize("key", ["Cardiff", "cardiff", "W06000015", "  CARDIFF ", "cardiff"])
def test_lookup_by_name_slug_or_code(key):
    """Names, slugs and codes all find the council."""
    assert get_council(key).code == "W06000015"


@pytest.mark.parametrize("bad", ["Swansea", "", None, 42])
def test_unknown_council(bad):
    """Anything else raises UnknownCouncilError naming the ten councils."""
    with pytest.raises(UnknownCouncilError, match="Blaenau Gwent"):
        get_council(bad)
