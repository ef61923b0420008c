"""Place lookup (issue 11): transliteration, a similarity threshold, "not in this network"."""

from __future__ import annotations

import pytest

from corridor.errors import UnknownNameError
from corridor.network import Network, load_network
from corridor.network._places import SIMILARITY, km_between, latin


@pytest.fixture(scope="module")
def net() -> Network:
    return load_network("middle-corridor")


@pytest.mark.parametrize(
    ("spelling", "node"),
    [("Кашгар", "CNKHG"), ("喀什", "CNKHG"), ("Ташкент", "UZTAS"), ("Алматы", "almaty"), ("乌鲁木齐", "CNURM"),
     ("西安", "CNXIA"), ("Xian", "CNXIA"), ("  tashkent ", "UZTAS"), ("Ürümqi", "CNURM"), ("重庆", "CNCKG")],
)  # fmt: skip
def test_cyrillic_chinese_and_unaccented_spellings_resolve(net: Network, spelling: str, node: str) -> None:
    assert net.resolve(spelling).id == node


def test_transliteration_by_hand() -> None:
    assert latin("Кашгар") == "kashgar"
    assert latin("Қарағанды") == "karagandy"
    assert latin("西安") == "xian"
    assert latin("Ələt") == "elet"


def test_suggestions_only_above_the_threshold(net: Network) -> None:
    with pytest.raises(UnknownNameError) as err:
        net.resolve("Istambul")
    assert err.value.suggestions == ("Istanbul (TRIST)",)
    with pytest.raises(UnknownNameError) as err:
        net.resolve("Samarkand")  # a real city, not in the network: no far-fetched "did you mean"
    assert err.value.suggestions == ()
    assert "not in network 'middle-corridor'" in str(err.value)
    assert 0.5 < SIMILARITY < 1


def test_coordinates_list_the_nearest_places_by_distance(net: Network) -> None:
    with pytest.raises(UnknownNameError) as err:
        net.resolve("41.31,69.28")  # central Tashkent
    first = err.value.suggestions[0]
    assert first.startswith("Tashkent (UZTAS, ")
    assert "not a network place" in str(err.value)
    # by hand: 0.52 deg of latitude = 58 km, 3.10 deg of longitude x cos 41 deg = 260 km, so ~266 km
    assert km_between((41.3, 69.24), (40.78, 72.34)) == pytest.approx(265, rel=0.05)
