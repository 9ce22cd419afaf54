"""AD preparation as its own step (plugin_utils/_setup/prepare.py; issue 17, item 3)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import PlanError
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.prepare import (
    build_prepare_command,
    organization_for,
    steps_for,
)

SE = "15.2.2562.17"
OFF = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"


@pytest.mark.parametrize("prepares, steps", [
    (["schema", "organization", "domain"], ["schema", "ad"]),
    (["organization"], ["ad"]),
    (["domain"], ["ad"]),            # /PrepareAD prepares the local domain too
    (["schema"], ["schema"]),
    ([], []),                        # a re-run: all prepared, nothing runs
    (None, []),
])
def test_steps_follow_what_ad_still_needs(prepares, steps):
    assert steps_for(prepares) == steps


def test_prepare_schema_command_line():
    command = build_prepare_command("schema", media_root="E:\\", media_version=SE, license_switch=OFF)
    assert command.command_line == f"E:\\Setup.exe {OFF} /PrepareSchema"
    assert command.mode == "PrepareSchema" and command.working_directory == "E:\\"


def test_prepare_ad_names_a_new_organisation_and_the_domain_controller():
    command = build_prepare_command("ad", media_root="E:\\", media_version=SE, license_switch=OFF,
                                    organization_name="RPI Guatemala", domain_controller="RPI-DC01.rpi.gob.gt")
    assert command.arguments == (OFF, "/PrepareAD", '/OrganizationName:"RPI Guatemala"', "/DomainController:RPI-DC01.rpi.gob.gt")


def test_organisation_name_only_for_a_first_server():
    new = {"current": {"schema": 0, "organization": 0, "domain": 0}, "organization_name": "RPI"}
    existing = {"current": {"schema": 17003, "organization": 16133, "domain": 13243}, "organization_name": "RPI"}
    assert organization_for("ad", new) == "RPI"
    assert organization_for("ad", existing) is None
    assert organization_for("schema", new) is None


@pytest.mark.parametrize("kwargs", [
    {"license_switch": "/Mode:Install"},                               # not a licence switch
    {"media_version": "no-version"},
    {"organization_name": "RPI", "step": "schema"},                   # /OrganizationName is /PrepareAD's
    {"step": "domain"},                                               # not a step
])
def test_invalid_preparation_plans_are_refused(kwargs):
    args = {"step": "ad", "media_root": "E:\\", "media_version": SE, "license_switch": OFF, **kwargs}
    step = args.pop("step")
    with pytest.raises(PlanError):
        build_prepare_command(step, **args)
