"""The evidence contract (plugins/plugin_utils/report/evidence.py)."""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload


def test_a_complete_payload_is_kept():
    payload = normalize_payload({
        "evidence": [{"kind": "command", "summary_es": "Línea", "summary_en": "Line", "level": "ok",
                      "details": {"command_line": "Setup.exe /Mode:Upgrade"}}],
        "run": {"instruction": {"who": "Ing. Ana López", "reference": "OF-1", "planned_window": {"start": "22:00", "end": "02:00"}},
                "technician": "Téc. Juan"},
        "target": {"host": "RPI-EXCH01", "mode": "upgrade", "os": {"name": "Windows Server 2022", "build": 20348},
                   "exchange_before": {"installed": False}, "exchange_after": "15.2.1748.10"},
    })
    assert payload.problems == []
    assert payload.evidence == [{"kind": "command", "level": "ok", "summary_es": "Línea", "summary_en": "Line",
                                 "details": {"command_line": "Setup.exe /Mode:Upgrade"}}]
    assert payload.run["instruction"]["planned_window"] == {"start": "22:00", "end": "02:00"}
    assert payload.run["technician"] == {"name": "Téc. Juan", "source": "report"}
    assert payload.target["os"] == {"name": "Windows Server 2022", "build": "20348"}
    assert payload.target["exchange_before"] == {"installed": False}
    assert payload.target["exchange_after"] == {"installed": True, "version": "15.2.1748.10"}


def test_one_summary_stands_for_both_languages_and_a_single_mapping_is_a_list():
    payload = normalize_payload({"evidence": {"kind": "note", "summary_en": "Only English"}})
    assert payload.evidence[0]["summary_es"] == payload.evidence[0]["summary_en"] == "Only English"
    assert payload.evidence[0]["level"] == "info" and payload.evidence[0]["details"] == {}


def test_mistakes_are_named():
    payload = normalize_payload({"evidence": [{"kind": "magic", "summary_es": "x"}, {"kind": "note"}, "text",
                                              {"kind": "note", "summary_es": "x", "level": "loud", "colour": 1}],
                                 "run": {"who": "x", "instruction": {"by": "y"}}, "target": {"mode": "reinstall", "ram": 4},
                                 "other": 1})
    text = " | ".join(payload.problems)
    for expected in ("kind 'magic'", "needs summary_es", "must be a mapping", "level 'loud'", "unknown field(s) colour",
                     "run has unknown field(s) who", "run.instruction has unknown field(s) by", "target.mode 'reinstall'",
                     "target has unknown field(s) ram", "rpi_report has unknown field(s) other"):
        assert expected in text, expected
    assert [item["summary_es"] for item in payload.evidence] == ["x"]


def test_oversized_details_are_cut_not_refused():
    payload = normalize_payload({"evidence": [{"kind": "note", "summary_es": "big", "details": {"lines": ["x" * 1000] * 100}}]})
    assert payload.evidence[0]["details"]["truncated"] is True


def test_not_a_mapping():
    assert normalize_payload(["x"]).problems == ["rpi_report must be a mapping"]
