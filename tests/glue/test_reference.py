"""The versioned reference data agree with each other."""

import pytest
from order_lines.reference import FILES, load, parse


def test_there_are_36_states_and_every_alias_and_zone_names_one_of_them(ref):
    assert len(ref.states) == 36
    assert set(ref.state_aliases.values()) - {""} <= set(ref.states)
    assert {s for group in ref.pin_zones.values() for s in group} <= set(ref.states)
    assert all(len(z) == 2 and z.isdigit() for z in ref.pin_zones)


def test_every_state_is_reachable_from_some_pin_zone(ref):
    assert {s for group in ref.pin_zones.values() for s in group} == set(ref.states)


def test_city_aliases_point_at_known_cities(ref):
    assert set(ref.cities.values()) <= ref.known_cities


def test_an_alias_to_a_state_that_does_not_exist_is_refused():
    import pkgutil

    texts = {f: pkgutil.get_data("order_lines", f"reference/{f}").decode() for f in FILES}
    texts["state_aliases.csv"] += "MARS,RED PLANET\n"
    with pytest.raises(ValueError, match="RED PLANET"):
        parse(texts)


def test_the_reference_checksum_changes_with_the_data():
    assert len(load().sha256) == 64
