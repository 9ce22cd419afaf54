"""The snapshot that proves a refused run changed nothing covers Active Directory too (simulator/snapshot.py):
a preparation, a new server object or a product key shows as a difference; a bare host has no forest to compare."""

from __future__ import annotations

from simulator import presets
from simulator.exchange.presets import model_of
from simulator.snapshot import differences, snapshot


def test_an_untouched_forest_gives_no_differences():
    host = presets.build("ws2022-exchange-2019-cu14")
    assert differences(snapshot(host), snapshot(host)) == []


def test_preparing_the_organisation_is_a_difference():
    host = presets.build("ws2022-exchange-2019-cu14")
    before = snapshot(host)
    model_of(host).org.org_object_version += 1  # what /PrepareAD of CU15 does (16762 -> 16763)
    changes = differences(before, snapshot(host))
    assert changes and all(change.startswith("active_directory: organization") for change in changes), changes


def test_a_product_key_on_the_server_object_is_a_difference():
    host = presets.build("ws2022-exchange-2019-cu14")
    before = snapshot(host)
    server = next(iter(model_of(host).org.servers.values()))
    server.edition, server.product_key = "Standard", "simulated"
    assert any(change.startswith("active_directory: server_objects") for change in differences(before, snapshot(host)))
