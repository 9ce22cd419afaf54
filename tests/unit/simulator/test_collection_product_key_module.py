"""Emulation of rpi.exchange.win_exchange_product_key and the licence model it goes through (simulator.exchange.verify):
a trial until a valid key is entered, the key's own edition, an invalid key refused by Set-ExchangeServer, the
Information Store restarted after it (Microsoft's "Enter your Exchange Server product key")."""

from __future__ import annotations

import pytest

from simulator import collection_modules, presets
from simulator.exchange import verify
from simulator.exchange.runtime import model_for
from simulator.windows.presets import PASSWORDS
from simulator.windows.testing import Runner

MODULE = "rpi.exchange.win_exchange_product_key"
ADMIN = "RPI\\svc-exchange"
STANDARD_KEY, ENTERPRISE_KEY = list(verify.TEST_PRODUCT_KEYS)


@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


@pytest.fixture()
def host():
    return presets.build("ws2022-exchange-2019-cu15")


def as_admin(runner: Runner, args=None, **kwargs):
    return runner.module(MODULE, dict(args or {}), become_user=ADMIN, become_password=PASSWORDS[ADMIN], **kwargs)


def _server(host):
    return model_for(host).org.server(host.hostname)


def test_reads_the_trial_without_a_key(host) -> None:
    result = as_admin(Runner(host))
    assert result["changed"] is False and result["shell"]["loaded"] is True
    licence = result["exchange_server"]
    assert licence["edition"] == "StandardEvaluation" and licence["is_trial"] is True
    assert licence["when_created_utc"] and licence["remaining_trial_period"].split(".")[0] in ("179", "180")
    assert result["after"] is None and result["entered"] is False


def test_a_key_licenses_the_server_with_its_edition_and_restarts_the_store(host) -> None:
    result = as_admin(Runner(host), {"product_key": STANDARD_KEY.lower()})
    assert result["changed"] is True and result["entered"] is True
    assert result["after"]["is_trial"] is False and result["after"]["edition"] == "Standard"
    assert result["information_store"] == {"restarted": True, "status": "Running", "error": None}
    assert any("Information Store" in warning for warning in result["warnings_from_exchange"])
    assert _server(host).store_restart_pending is False
    assert STANDARD_KEY not in repr(result) and STANDARD_KEY.lower() not in repr(result)


def test_without_the_restart_the_store_has_not_applied_it(host) -> None:
    result = as_admin(Runner(host), {"product_key": ENTERPRISE_KEY, "restart_information_store": False})
    assert result["after"]["edition"] == "Enterprise" and result["information_store"]["restarted"] is False
    assert _server(host).store_restart_pending is True


def test_an_invalid_key_is_set_exchange_servers_error_and_changes_nothing(host) -> None:
    result = as_admin(Runner(host), {"product_key": "ABCDE-12345-FGHIJ-67890-KLMNO"})
    assert result["entered"] is False and result["changed"] is False
    assert result["errors"] == [{"source": "Set-ExchangeServer", "message": verify.INVALID_KEY}]
    assert _server(host).edition == "StandardEvaluation" and not _server(host).product_key


def test_check_mode_reads_and_says_it_would_enter(host) -> None:
    result = as_admin(Runner(host), {"product_key": STANDARD_KEY}, check=True)
    assert result["would_enter"] is True and result["changed"] is True and result["entered"] is False
    assert _server(host).edition == "StandardEvaluation"


def test_no_downgrade_and_the_same_edition_only_warns(host) -> None:
    assert as_admin(Runner(host), {"product_key": ENTERPRISE_KEY})["after"]["edition"] == "Enterprise"
    again = verify.set_product_key(host, ENTERPRISE_KEY)
    assert again == [verify.ALREADY_LICENSED.format(name=_server(host).name)]
    with pytest.raises(verify.ProductKeyError):
        verify.set_product_key(host, STANDARD_KEY)


def test_the_trial_counts_from_the_server_objects_creation(host) -> None:
    server = _server(host)
    server.when_created = host.clock.now() - verify.timedelta(days=30, hours=1)
    answer = verify.get_exchange_server(host)
    assert answer["RemainingTrialPeriod"].startswith("149.") and answer["IsExpiredExchangeTrialEdition"] is False
    server.when_created = host.clock.now() - verify.timedelta(days=200)
    answer = verify.get_exchange_server(host)
    assert answer["RemainingTrialPeriod"] == "00:00:00" and answer["IsExpiredExchangeTrialEdition"] is True
