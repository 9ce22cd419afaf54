"""Details whose values are words of the code read in the report's language (report/detail_fields.py)."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.detail_fields import fields_html


def test_what_setup_will_prepare_and_why_a_run_is_refused_read_as_words():
    details = {"state": "setup_prepares", "prepares": ["schema", "organization"], "reasons": ["rights_missing"]}
    spanish, english = fields_html(details, "es"), fields_html(details, "en")
    for words in ("Setup lo preparará", "esquema de Active Directory", "organización de Exchange", "faltan permisos"):
        assert words in spanish, spanish
    for words in ("setup will prepare it", "Active Directory schema", "Exchange organization", "the setup account lacks rights"):
        assert words in english, english


def test_a_word_under_another_key_stays_as_written():
    # "domain" is a word of the AD decision, but under a free-text key it is whatever the server said.
    assert "dominio" not in fields_html({"hostname": "domain"}, "es")
