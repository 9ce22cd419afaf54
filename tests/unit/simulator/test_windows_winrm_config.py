"""WinRM's own configuration on the simulated server (windows/winrm_config.py): listeners, the restore, the create."""

from __future__ import annotations

from simulator import presets
from simulator.host import SimulatedServer
from simulator.windows import winrm_config
from simulator.windows.testing import Runner

COMMAND = "ansible.windows.win_command"
TASK = "community.windows.win_scheduled_task"
WINRM = r"C:\Windows\System32\winrm.cmd"
INETSRV = r"C:\Windows\System32\inetsrv"
HTTPS = "winrm/config/Listener?Address=*+Transport=HTTPS"
CREATE_HTTPS = f'@{{Hostname="rpi-exch01.rpi.gob.gt";CertificateThumbprint="{winrm_config.RPI_CERT_THUMBPRINT}";Port="5986"}}'


def test_a_server_listens_on_http_5985_and_the_rpis_https_5986():
    host = presets.build("ws2022-ready")
    listeners = winrm_config.listeners(host)
    assert listeners["*+HTTPS"]["port"] == 5986 and listeners["*+HTTPS"]["certthumbprint"] == winrm_config.RPI_CERT_THUMBPRINT
    assert listeners["*+HTTP"]["port"] == 5985
    assert SimulatedServer(host).is_up() and SimulatedServer(host, transport="http").is_up()
    assert host.registry.get(winrm_config.WSMAN_KEY, "UpdatedConfig")


def test_the_restore_over_winrm_writes_updated_config_and_cuts_the_connection_it_came_through():
    """`winrm invoke Restore winrm/config @{}` puts back WinRM's default configuration, which has no listener: the
    command runs, and the HTTPS endpoint it came through answers no more, even after WinRM restarts."""
    host = presets.build("ws2022-ready")
    host.registry.delete_value(winrm_config.WSMAN_KEY, "UpdatedConfig")
    server = SimulatedServer(host)
    res = Runner(host).module(COMMAND, {"argv": ["winrm.cmd", "invoke", "Restore", "winrm/config", "@{}"], "chdir": INETSRV})
    assert res["rc"] == 0, res
    assert host.registry.get(winrm_config.WSMAN_KEY, "UpdatedConfig") == winrm_config.UPDATED_CONFIG_VALUE
    assert winrm_config.listeners(host) == {}
    assert not server.is_up() and not SimulatedServer(host, transport="http").is_up()
    host.restart_winrm(0)
    assert not server.is_up()


def test_winrm_without_cmd_is_not_found_by_win_command():
    """CreateProcess appends only .exe: `winrm` alone is not winrm.cmd."""
    host = presets.build("ws2022-ready")
    run = Runner(host)
    res = run.module(COMMAND, {"argv": ["winrm", "invoke", "Restore", "winrm/config", "@{}"]})
    assert res["rc"] != 0 and winrm_config.listeners(host)


def test_a_task_restores_and_creates_the_https_listener_again_in_one_go():
    """Two actions of one SYSTEM task run one after the other: the HTTPS listener is back with its certificate."""
    host = presets.build("ws2022-ready")
    host.registry.delete_value(winrm_config.WSMAN_KEY, "UpdatedConfig")
    run = Runner(host)
    res = run.module(TASK, {"name": "winrm", "path": "\\RPI\\", "username": "SYSTEM", "logon_type": "service_account",
                            "run_level": "highest", "actions": [
                                {"path": WINRM, "arguments": "invoke Restore winrm/config @{}", "working_directory": INETSRV},
                                {"path": WINRM, "arguments": f"create {HTTPS} {CREATE_HTTPS}", "working_directory": INETSRV}]})
    assert res["changed"] is True
    task = host.tasks["\\rpi\\winrm"]
    host.run_task(task)
    host.poll()
    assert task.last_task_result == 0 and task.state == "Ready"
    listeners = winrm_config.listeners(host)
    assert list(listeners) == ["*+HTTPS"]
    assert listeners["*+HTTPS"] == {"port": 5986, "uriprefix": "wsman", "hostname": "rpi-exch01.rpi.gob.gt",
                                    "certthumbprint": winrm_config.RPI_CERT_THUMBPRINT}
    assert SimulatedServer(host).is_up() and not SimulatedServer(host, transport="http").is_up()


def test_create_refuses_an_existing_listener_and_an_https_one_without_certificate():
    host = presets.build("ws2022-ready")
    run = Runner(host)
    again = run.module(COMMAND, {"argv": ["winrm.cmd", "create", HTTPS, CREATE_HTTPS]})
    assert again["rc"] == 1
    winrm_config.restore(host)
    bare = run.module(COMMAND, {"argv": ["winrm.cmd", "create", HTTPS, "@{}"]})
    assert bare["rc"] == 1 and "appropriate certificate" in bare["stdout"]
    assert winrm_config.listeners(host) == {}


def test_setup_restarting_winrm_keeps_the_listeners():
    """Restart-Service WinRM (Exchange setup without UpdatedConfig) reads the same configuration again."""
    host = presets.build("ws2022-ready")
    before = winrm_config.listeners(host)
    host.restart_winrm(0)
    host.poll()
    assert winrm_config.listeners(host) == before and SimulatedServer(host).is_up()


def test_a_host_that_does_not_model_winrm_listeners_is_always_served():
    host = presets.build("ws2022-ready")
    host.registry.delete_key(winrm_config.LISTENER_KEY)
    assert SimulatedServer(host).is_up()
