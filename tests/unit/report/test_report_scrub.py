"""Secrets out of every report (plugins/plugin_utils/report/scrub.py)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import MASK, to_plain
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.scrub import CONNECTION_SECRETS, Scrubber, is_secret_name


@pytest.mark.parametrize("name", ["password", "ansible_password", "rpi_exchange_setup_password", "smtpPassword", "db-passwd",
                                  "api_token", "client_secret", "product_key", "rpi_exchange_product_key", "ProductKey", "smtp_key",
                                  "license_key", "vault_pass", "credentials", "sharepoint_apikey", "ssh_privatekey"])
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["keyboard", "monkey", "hostname", "passage", "ssh_private_key_file", "registry_key_path",
                                  "key_count", "os", "version", "compass", "", None, 3])
def test_names_that_are_not_secret(name):
    assert not is_secret_name(name)


def test_collected_values_are_masked_in_any_text():
    scrubber = Scrubber()
    scrubber.collect({"rpi_exchange_setup_password": "Sup3r-Secret", "smtp": {"password": "inner-pw", "host": "relay"},
                      "tokens": {"api_token": ["tok-one-1", "tok-two-2"]}, "harmless": "Sup3r"})
    assert scrubber.text("login Sup3r-Secret failed; inner-pw; tok-two-2; relay") == f"login {MASK} failed; {MASK}; {MASK}; relay"
    assert scrubber.secret_count == 4


def test_ansible_cores_connection_and_become_passwords_look_secret_too():
    assert {"ansible_password", "ansible_become_password", "ansible_become_pass", "ansible_winrm_password"} <= CONNECTION_SECRETS
    assert all(is_secret_name(name) for name in CONNECTION_SECRETS)


def test_collect_secrets_reads_only_the_values_under_secret_names():
    made_plain: list[object] = []

    def native(value):
        made_plain.append(value)
        return value.upper() if isinstance(value, str) else value

    scrubber = Scrubber()
    scrubber.collect_secrets({"setup_account": "declared-by-a-role", "smtp": {"password": "inner-pw", "host": "relay-host"},
                              "servers": [{"api_token": ["tok-one-1"]}], "media": {"iso": "D:\\media.iso"}, "harmless": "plain-value"},
                             names={"setup_account"}, native=native)
    assert made_plain == ["declared-by-a-role", "inner-pw", ["tok-one-1"]], "nothing else is converted"
    assert scrubber.text("DECLARED-BY-A-ROLE INNER-PW tok-one-1 relay-host plain-value") == f"{MASK} {MASK} {MASK} relay-host plain-value"
    assert scrubber.secret_count == 3


def test_short_templated_and_boolean_values_are_not_searched_for():
    scrubber = Scrubber()
    scrubber.collect({"pin": "123", "password": "{{ vault_password }}", "use_password": True, "api_key": 98765})
    assert scrubber.text("123 {{ vault_password }} True 98765") == "123 {{ vault_password }} True 98765"
    assert scrubber.not_searched == {"short": 2}
    assert scrubber.deep({"note": "98765"}, mask_names=True) == {"note": MASK}, "a field that is the short secret as a whole"


def test_longer_secrets_are_masked_before_their_prefixes():
    scrubber = Scrubber()
    scrubber.add_value("abcd-1234")
    scrubber.add_value("abcd-1234-efgh")
    assert scrubber.text("abcd-1234-efgh abcd-1234") == f"{MASK} {MASK}"


def test_product_keys_and_assignments_are_masked_by_shape():
    scrubber = Scrubber()
    text = scrubber.text("Setup /PKey:ABCDE-FGHIJ-KLMNO-PQRST-UVWXY password=hunter2 token: 'abc def' ok")
    assert "ABCDE" not in text and "hunter2" not in text and "abc def" not in text
    assert text.endswith(" ok")


def test_deep_masks_secret_keys_and_learns_their_values():
    scrubber = Scrubber()
    cleaned = scrubber.deep({"details": {"smtp_password": "p4ssw0rd!", "nested": [{"token": "t0k3n-x9z"}], "enabled_key": False,
                                         "note": "used p4ssw0rd! here"}}, mask_names=True)
    assert cleaned == {"details": {"smtp_password": MASK, "nested": [{"token": MASK}], "enabled_key": False,
                                   "note": f"used {MASK} here"}}
    assert scrubber.text("t0k3n-x9z") == MASK


def test_vaulted_values_never_become_text():
    class EncryptedString:  # the name is what gives a vaulted value away
        def __str__(self):
            return "decrypted!"

    assert to_plain({"x": EncryptedString()}) == {"x": MASK}


def test_to_plain_bounds_what_a_task_returned():
    value = to_plain({"b": b"bytes", "s": {1, 2}, "f": float("nan"), "deep": [[[[[[[[[[[[[["x"]]]]]]]]]]]]]], "long": "x" * 30000})
    assert value["b"] == "bytes" and sorted(value["s"]) == [1, 2] and value["f"] == "nan"
    assert "[...]" in str(value["deep"]) and len(value["long"]) == 20000


def test_the_product_key_is_masked_in_any_case_and_its_masked_form_is_kept():
    scrubber = Scrubber()
    scrubber.collect({"rpi_exchange_product_key": "rpi00-demo0-stand-ard00-0key1"})
    text = scrubber.text("key rpi00-demo0-stand-ard00-0key1 and RPI00-DEMO0-STAND-ARD00-0KEY1; shown as *****-*****-*****-*****-0KEY1")
    assert "rpi00" not in text and "RPI00" not in text
    assert text.endswith("*****-*****-*****-*****-0KEY1")
