"""Emulation of rpi.exchange.win_exchange_ad_readiness (simulator/collection_modules/win_exchange_ad_readiness.py)
and the forest model behind it (exchange/org.py Directory, hostview.token_groups)."""

from __future__ import annotations

import pytest

from simulator import collection_modules, presets
from simulator.credentials import SETUP_USER, password_of
from simulator.exchange.presets import model_of, run_setup, UPGRADE_ARGS
from simulator.windows.testing import Runner

MODULE = "rpi.exchange.win_exchange_ad_readiness"


@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


def read(host, *, become=True, auth="ntlm"):
    runner = Runner(host, auth=auth)
    if become:
        return runner.module(MODULE, {}, become_user=SETUP_USER, become_password=password_of(SETUP_USER))
    return runner.module(MODULE, {})


def test_fresh_forest_read_as_the_setup_account_with_nested_groups():
    result = read(presets.build("ws2022-forest-no-exchange"))
    assert result["account"] == SETUP_USER and result["errors"] == {}
    assert result["organization"] == {"exists": False, "name": None, "object_version": None, "distinguished_name": None}
    assert result["schema"] == {"range_upper": None} and result["domain"]["exists"] is False
    assert result["functional_levels"] == {"forest": 7, "domain": 7}
    assert [dc["operating_system_version"] for dc in result["site"]["domain_controllers"]] == ["10.0 (20348)", "10.0 (17763)"]
    groups = result["account_groups"]["groups"]
    # Not a direct member: Schema Admins comes through RPI\Exchange-Instaladores, as a real token lists it.
    assert "RPI\\Exchange-Instaladores" in groups and "RPI\\Schema Admins" in groups and "RPI\\Enterprise Admins" in groups
    assert result["account_groups"]["local_administrator"] is True
    assert result["server_object"]["exists"] is False


def test_installed_org_and_server_object():
    result = read(presets.build("ws2022-exchange-2019-cu14-no-schema-admin"))
    assert result["organization"]["name"] == "RPI" and result["organization"]["object_version"] == 16762
    assert result["schema"]["range_upper"] == 17003 and result["domain"]["object_version"] == 13243
    assert result["server_object"]["exists"] and result["server_object"]["serial_number"].startswith("Version 15.2 (Build 1544.")
    assert result["server_object"]["install_path"].rstrip("\\").endswith("V15")
    assert "RPI\\Schema Admins" not in result["account_groups"]["groups"] and "RPI\\Organization Management" in result["account_groups"]["groups"]


def test_without_become_over_ntlm_every_ad_section_fails_but_the_token_is_read():
    result = read(presets.build("ws2022-exchange-ready"), become=False)
    assert result["naming_contexts"] is None and result["schema"] is None and result["server_object"] is None
    assert result["errors"]["root_dse"] == "An operations error occurred." and result["errors"]["site"] == result["errors"]["root_dse"]
    assert result["account_groups"]["groups"] and result["account"] == "RPI\\svc-ansible"


def test_workgroup_server_has_no_domain_to_read():
    result = read(presets.build("ws2022-ready-workgroup"), become=False, auth="basic")
    assert "domain either does not exist" in result["errors"]["root_dse"]


def test_forest_2008r2_levels_and_dc():
    result = read(presets.build("ws2022-forest-2008r2"))
    assert result["functional_levels"] == {"forest": 4, "domain": 4}
    assert result["site"]["domain_controllers"][0]["operating_system_version"] == "6.3 (9600)"


def test_simulated_setup_refuses_the_org_update_without_enterprise_admins():
    host = presets.build("ws2022-exchange-2019-cu14-no-schema-admin")
    before = model_of(host).org.org_object_version
    assert run_setup(host, "2019-CU15", UPGRADE_ARGS) != 0
    log = host.fs.read("C:\\ExchangeSetupLogs\\ExchangeSetup.log").decode("utf-8", errors="replace")
    # The real NoPerm log's rule and message (../shared/fixtures/exchange-setup-logs/ExchangeSetup_NoPerm.log).
    assert "GlobalUpdateRequired" in log and "isn't a member of the 'Enterprise Admins' group" in log
    assert model_of(host).org.org_object_version == before == 16762
