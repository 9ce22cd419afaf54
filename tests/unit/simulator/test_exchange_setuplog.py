"""ExchangeSetup.log writer: the real line format (exchange-facts §4.2), checked against the real logs."""

from __future__ import annotations

import re
from datetime import datetime

from simulator.exchange.setuplog import FAILED_LINE, SetupLogWriter, error_reference_id, format_line

LINE_RE = re.compile(r"^\[\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}\.\d{4}\] \[\d\] ")


def _writer():
    out: list[str] = []
    when = datetime(2025, 7, 1, 9, 5, 7, 893_000)
    return SetupLogWriter(lambda: when, out.append), out


def test_line_format_matches_real_logs(shared_dir):
    real = (shared_dir / "fixtures" / "exchange-setup-logs" / "ExchangeSetup_Reboot_Pending.log").read_text(
        encoding="utf-8", errors="replace").splitlines()
    assert all(LINE_RE.match(line) for line in real[:40] if line)
    assert format_line(datetime(2020, 12, 21, 13, 39, 58, 893_000), 0, "x") == "[12/21/2020 13:39:58.0893] [0] x"


def test_banner_2019_and_se():
    writer, out = _writer()
    writer.banner("Subscription Edition", time_zone="(UTC) Coordinated Universal Time", setup_version="15.2.2562.17",
                  user="RPI\\svc-exchange")
    text = "".join(out)
    assert "[0] Starting Microsoft Exchange Server Subscription Edition Setup\r\n" in text
    assert re.search(r"Starting Microsoft Exchange Server (\d\d\d\d|Subscription Edition) Setup", text)  # CSS regex
    assert "Setup version: 15.2.2562.17." in text and "Logged on user: RPI\\svc-exchange." in text
    assert all(LINE_RE.match(line) for line in text.split("\r\n") if line)


def test_failure_tail_is_verbatim():
    writer, out = _writer()
    writer.end_failed(after_prereq=False, registry_missing=True)
    text = "".join(out)
    assert "didn't complete.  More details can be found in ExchangeSetup.log located in the <SystemDrive>:" in text
    assert FAILED_LINE in text and "CurrentResult setupbase.maincore:396: 1" in text and "End of Setup" in text


def test_prereq_failures_block_order():
    writer, out = _writer()
    writer.prereq_failures([("A", "msg a", "url a"), ("B", "msg b", "url b")])
    lines = [line[LINE_RE.match(line).end():] for line in "".join(out).split("\r\n") if line]
    assert lines[1:5] == ["Failed [Rule:A] [Message:msg a]", "Failed [Rule:B] [Message:msg b]", "[REQUIRED] msg a",
                          "Help URL: url a"]


def test_error_reference_format():
    ref = error_reference_id("BridgeheadComponent")
    assert re.fullmatch(r"BridgeheadComponent___[0-9a-f]{32}", ref)
    writer, out = _writer()
    writer.task_error("Install-BridgeheadRole", ref, "Boom.", "Do-It;", "System.Exception")
    text = "".join(out)
    assert f"[ERROR-REFERENCE] Id={ref} Component=EXCHANGE14:\\Current\\Release\\Shared\\Datacenter\\Setup" in text
    assert "[1] [ERROR] Boom.\r\n" in text and "Setup is stopping now because of one or more critical errors." in text
