"""The product key (issue 18, item 2; issue 20, item 7) through the whole procedure against the simulated RPI server.

One server, installed once without a key (a trial: the report's first page says how many days are left and the
verification passes only with a warning), then with the key: `--check` says it would enter it and changes nothing; a run
enters it (Set-ExchangeServer -ProductKey, then the Information Store restarted) and the report shows the edition and the
key masked to its last five characters, nowhere the key; a second run changes nothing.
"""

from __future__ import annotations

import json

import yaml

from simulator.exchange import verify
from simulator.exchange.runtime import model_for

PLAYBOOK = "playbooks/install_exchange.yml"
KEY = next(key for key, edition in verify.TEST_PRODUCT_KEYS.items() if edition == "Standard")
MASKED = "*****-*****-*****-*****-" + KEY[-5:]


def activity(report: dict, number: int) -> dict:
    return next(entry for entry in report["activities"] if entry["number"] == number)


def notices(report: dict) -> list[dict]:
    return [item for item in activity(report, 10)["evidence"] if item["kind"] == "notice"]


def test_trial_then_check_then_key_then_nothing(rpi_simulator, ansible_playbook, instruction_file, tmp_path):
    simulator = rpi_simulator("ws2022-bare")

    def server():
        return model_for(simulator.host).org.server(simulator.host.hostname)

    key_file = tmp_path / "clave.yml"
    # Lower case on purpose: Exchange takes it in any case, and the report must not show it in either.
    key_file.write_text(yaml.safe_dump({"rpi_exchange_product_key": KEY.lower(), "rpi_exchange_product_edition": "Standard"}),
                        encoding="utf-8")

    trial = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert trial.rc == 0, trial.output[-3000:]
    assert server().edition == "StandardEvaluation" and not server().product_key
    report = trial.latest_report()
    [notice] = notices(report)
    assert notice["level"] == "warning" and notice["details"]["trial_days_left"] == 180
    assert "quedan 180 de 180 días" in notice["summary_es"] and "rpi_exchange_product_key" in notice["summary_es"]
    verification = next(item for item in activity(report, 10)["evidence"] if item["kind"] == "verification")
    assert verification["level"] == "warning" and "con una advertencia" in verification["summary_es"]
    html = (trial.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
    assert 'id="notices"' in html and "quedan 180 de 180 días" in html

    planned = ansible_playbook(PLAYBOOK, simulator.inventory_path, "--check", "-e", f"@{instruction_file}", "-e", f"@{key_file}")
    assert planned.rc == 0, planned.output[-3000:]
    assert server().edition == "StandardEvaluation" and not server().product_key
    plans = [item for item in activity(planned.latest_report(), 10)["evidence"] if item["kind"] == "plan"]
    assert any(MASKED in item["summary_es"] and "Se ingresaría" in item["summary_es"] for item in plans), plans

    licensed = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", "-e", f"@{key_file}")
    assert licensed.rc == 0, licensed.output[-3000:]
    assert server().edition == "Standard" and server().product_key == KEY and server().store_restart_pending is False
    assert simulator.host.get_service("MSExchangeIS").state == "running"
    report = licensed.latest_report()
    [notice] = notices(report)
    assert notice["summary_es"] == f"Exchange con licencia: edición Standard, clave {MASKED}."
    verification = next(item for item in activity(report, 10)["evidence"] if item["kind"] == "verification")
    assert verification["level"] == "ok", verification
    html = (licensed.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
    assert MASKED in html and "edición Standard" in html
    for run in (planned, licensed):
        text = run.output + json.dumps(run.latest_report()) + (run.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
        assert KEY not in text.upper(), "the product key leaked"

    again = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", "-e", f"@{key_file}")
    assert again.rc == 0, again.output[-3000:]
    assert again.recap()["changed"] == 0, again.stdout
    [notice] = notices(again.latest_report())
    assert "edición Standard" in notice["summary_es"] and "no se vuelve a ingresar" in notice["summary_es"]
