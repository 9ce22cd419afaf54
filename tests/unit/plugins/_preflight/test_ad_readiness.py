# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AD readiness decision of activity 2 (plugins/plugin_utils/_preflight/ad_readiness.py)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import ad_readiness as ad
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.ad_versions import dc_os_supported, functional_level_name

CU14, CU15, SE, CU11 = "15.2.1544.4", "15.2.1748.10", "15.2.2562.17", "15.2.986.5"
ADMIN_TOKEN = {"groups": ["RPI\\Domain Users", "RPI\\Schema Admins", "RPI\\Enterprise Admins", "RPI\\Organization Management",
                          "BUILTIN\\Administrators"], "local_administrator": True}


def facts(schema=17003, org=16762, domain=13243, name="RPI", ffl=7, dfl=7, dcs=(("RPI-DC01", "10.0 (20348)"),),
          token=None, server=None):
    return {
        "account": "RPI\\svc-exchange", "domain_controller": "RPI-DC01.rpi.gob.gt",
        "naming_contexts": {"default": "DC=rpi,DC=gob,DC=gt"},
        "functional_levels": {"forest": ffl, "domain": dfl},
        "schema": {"range_upper": schema},
        "organization": {"exists": bool(name), "name": name or None, "object_version": org if name else None},
        "domain": {"exists": domain is not None, "object_version": domain},
        "site": {"name": "Default-First-Site-Name", "domain_controllers": [
            {"name": n, "dns_host_name": f"{n}.rpi.gob.gt", "operating_system": "Windows Server", "operating_system_version": v}
            for n, v in dcs]},
        "server_object": server or {"exists": False},
        "account_groups": copy.deepcopy(token if token is not None else ADMIN_TOKEN),
        "errors": {},
    }


def test_cu14_org_and_cu15_media_setup_prepares_the_organisation():
    result = ad.decide(facts(), CU15, mode="upgrade")
    assert result["state"] == "setup_prepares" and result["prepares"] == ["organization"]
    assert result["current"]["organization"] == 16762 and result["required"]["organization"] == 16763
    assert result["rights_needed"] == ["Schema Admins", "Enterprise Admins", "Administrators"] and not result["rights_missing"]
    assert "16762 → 16763" in result["message_es"] and result["ok"]


def test_prepared_forest_needs_organization_management_only():
    token = {"groups": ["RPI\\Organization Management"], "local_administrator": True}
    result = ad.decide(facts(org=16763, token=token), SE, mode="upgrade")
    assert result["state"] == "prepared" and result["rights_needed"] == ["Organization Management", "Administrators"]
    assert not result["rights_missing"]


def test_fresh_forest_first_server_prepares_everything():
    result = ad.decide(facts(schema=None, name="", domain=None), CU15, mode="install", organization_name="RPI")
    assert result["state"] == "setup_prepares" and result["prepares"] == ["schema", "organization", "domain"]
    assert result["organization_name"] == "RPI"


def test_missing_schema_admins_refuses_naming_account_group_and_reason():
    token = {"groups": ["RPI\\Organization Management", "RPI\\Domain Admins"], "local_administrator": True}
    result = ad.decide(facts(token=token), CU15, mode="upgrade")
    assert result["state"] == "refuse" and result["rights_missing"] == ["Schema Admins", "Enterprise Admins"]
    assert result["reasons"] == ["rights_missing"] and not result["ok"]
    msg = result["message_es"]
    assert "RPI\\svc-exchange" in msg and "«Schema Admins»" in msg and "organización" in msg and "rpi_exchange_setup_user" in msg
    assert "'Enterprise Admins'" in result["message_en"]


def test_nested_membership_counts_as_the_token_lists_it():
    # Token groups are transitive: a group nested in Schema Admins puts Schema Admins itself in the token.
    token = {"groups": ["RPI\\Exchange-Instaladores", "RPI\\Schema Admins", "RPI\\Enterprise Admins"], "local_administrator": True}
    assert ad.decide(facts(token=token), CU15, mode="upgrade")["rights_missing"] == []


def test_local_administrators_needed():
    token = {"groups": ["RPI\\Schema Admins", "RPI\\Enterprise Admins"], "local_administrator": False}
    assert ad.decide(facts(token=token), CU15, mode="upgrade")["rights_missing"] == ["Administrators"]


@pytest.mark.parametrize("which", ["ffl", "dfl"])
def test_functional_level_2008r2_refuses(which):
    result = ad.decide(facts(**{which: 4}), CU15, mode="upgrade")
    assert result["state"] == "refuse" and result["reasons"] == ["functional_level"]
    assert "Windows Server 2008 R2" in result["message_es"] and "Windows Server 2012 R2" in result["message_es"]


def test_dc_os_below_minimum_or_too_new_for_the_cu():
    assert ad.decide(facts(dcs=(("OLD-DC", "6.1 (7601)"),)), CU15)["reasons"][:1] == ["dc_os"]
    assert not dc_os_supported(CU11, 20348) and dc_os_supported("15.2.1118.7", 20348)
    assert not dc_os_supported("15.2.1258.12", 26100) and dc_os_supported(CU14, 26100) and dc_os_supported(SE, 26100)
    assert dc_os_supported(CU15, 9600) and not dc_os_supported(CU15, 9200)
    assert functional_level_name(6) == "Windows Server 2012 R2"


def test_organisation_rules():
    differs = ad.decide(facts(), CU15, mode="upgrade", organization_name="OTRA")
    assert differs["reasons"] == ["organization_name_differs"] and "«RPI»" in differs["message_es"]
    assert ad.decide(facts(), CU15, mode="upgrade", organization_name="rpi")["ok"]
    fresh = facts(schema=None, name="", domain=None)
    assert ad.decide(fresh, CU15, mode="install")["reasons"] == ["organization_name_missing"]
    assert ad.decide(fresh, CU15, mode="install", first_server=False, organization_name="RPI")["reasons"] == ["no_organization"]


def test_unreadable_ad_refuses_and_nothing_mode_does_not():
    broken = facts()
    broken.update(naming_contexts=None, schema=None, organization=None, domain=None, site=None, server_object=None)
    broken["errors"] = {"root_dse": "An operations error occurred."}
    result = ad.decide(broken, CU15, mode="upgrade")
    assert result["state"] == "refuse" and result["reasons"] == ["ad_unreadable"] and "operations error" in result["message_es"]
    assert result["server_object"]["exists"] is None
    assert ad.decide(broken, CU15, mode="nothing")["state"] == "not_needed"


def test_server_object_for_recover_server():
    obj = {"exists": True, "install_path": "C:\\Program Files\\Microsoft\\Exchange Server\\V15",
           "serial_number": "Version 15.2 (Build 1544.4)"}
    result = ad.decide(facts(server=obj), CU15, mode="recover")
    assert result["server_object"] == {"exists": True, "install_path": obj["install_path"], "version": "15.2.1544.4"}
    assert ad.server_object_version("garbage") is None and ad.dc_os_build("10.0 (20348)") == 20348


@pytest.mark.parametrize("exchange, media, expected", [
    ({}, CU15, "install"),
    ({"installed": True, "version": CU14, "roles": ["Mailbox"]}, CU15, "upgrade"),
    ({"installed": True, "version": CU15, "roles": ["Mailbox"]}, CU15, "nothing"),
    ({"installed": True, "version": CU15, "roles": ["Mailbox"]}, CU14, "nothing"),  # a downgrade: activity 3 refuses it
])
def test_mode_as_activity_3_will_take_it(exchange, media, expected):
    facts = {"os": {"build": 20348, "name": "Windows Server 2022"}, "exchange": exchange}
    assert ad.setup_mode_of(facts, media, "Mailbox") == expected
