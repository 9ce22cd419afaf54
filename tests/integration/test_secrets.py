"""No secret leaves the vault: a whole install, at -vvv, searched for the run's passwords and the Exchange product key
everywhere they could land.

Searched: the run's console output, report.json and report.html, every file and registry value on the simulated
server afterwards (the setup log, the run lock, Ansible's temporary files), every process command line and every
scheduled-task definition the server saw during the run. The passwords did reach the server (it authenticated the
WinRM session and the setup task's logon with them): the test proves they went only where they must.
"""

from __future__ import annotations

import pytest

import yaml

from simulator import credentials
from simulator.exchange import verify
from simulator.exchange.runtime import model_for

# Slow (real setups, a killed controller): once, on the baseline ansible-core line (see pytest.ini).
pytestmark = pytest.mark.baseline_core

PLAYBOOK = "playbooks/install_exchange.yml"


def test_no_secret_in_the_console_the_report_or_anywhere_on_the_server(rpi_simulator, ansible_playbook, instruction_file, tmp_path):
    simulator = rpi_simulator("ws2022-bare")
    host = simulator.host
    # The product key (issue 18): entered in activity 10, shown only masked to its last five characters.
    product_key = next(key for key, edition in verify.TEST_PRODUCT_KEYS.items() if edition == "Standard")
    key_file = tmp_path / "clave.yml"
    key_file.write_text(yaml.safe_dump({"rpi_exchange_product_key": product_key}), encoding="utf-8")
    secrets = {
        "WinRM password (ansible_password)": simulator.host_vars["ansible_password"],
        "setup account password (rpi_exchange_setup_password)": credentials.password_of(credentials.SETUP_USER),
        "product key (rpi_exchange_product_key)": product_key,
    }
    seen_commands: list[str] = []
    seen_tasks: list[str] = []
    start_process, register_task = host.start_process, host.register_task

    def recording_start_process(name, command_line="", *args, **kwargs):
        seen_commands.append(f"{name} {command_line}")
        return start_process(name, command_line, *args, **kwargs)

    def recording_register_task(task, password=None):
        seen_tasks.append(repr(task))  # the definition Windows keeps; the password goes to the credential store
        return register_task(task, password)

    host.start_process, host.register_task = recording_start_process, recording_register_task
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-vvv", "-e", f"@{instruction_file}", "-e", f"@{key_file}")
    assert run.rc == 0, run.output[-3000:]
    assert model_for(host).org.server(host.hostname).product_key == product_key, "the key reached Exchange"
    assert any("Setup.exe" in command or "ExSetup" in command for command in seen_commands), "setup's command line was seen"
    assert seen_tasks, "the setup task's definition was seen"

    report_dir = run.report_dir / "latest"
    places: dict[str, str] = {
        "console output (-vvv)": run.output,
        "report.json": (report_dir / "report.json").read_text(encoding="utf-8"),
        "report.html": (report_dir / "report.html").read_text(encoding="utf-8"),
        "process command lines": "\n".join(seen_commands),
        "scheduled task definitions": "\n".join(seen_tasks),
    }
    with host.lock:
        for node in list(host.fs._nodes.values()):  # pylint: disable=protected-access
            if not node.is_dir and node.content is not None:
                places[f"file {node.path}"] = node.data().decode("utf-8", errors="replace")
        keys = host.registry._keys.items()  # pylint: disable=protected-access
        places["registry"] = "\n".join(f"{key} {name}={value.data!r}" for key, (_name, values) in keys for name, value in values.items())
    leaks = [f"{what} in {where}" for what, secret in secrets.items() for where, text in places.items() if secret in text]
    assert leaks == [], leaks
    assert len(places) > 20, f"searched {len(places)} places"
    print(f"\nsecrets searched: {len(secrets)}; places searched: {len(places)}; found: {len(leaks)}")
