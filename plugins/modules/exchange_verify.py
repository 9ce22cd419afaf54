# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: exchange_verify
short_description: Verify that the Exchange installation finished and the server is healthy
version_added: 0.1.0
description:
  - Activity 10 of manual ME-VAR-RPI-MNP-15, "Verifica y finaliza la instalación de Microsoft Exchange".
  - Reads the server with M(rpi.exchange.win_exchange_probe) (registry, C(ExSetup.exe) version, pending reboot, the tail of
    C(ExchangeSetup.log)) and with M(rpi.exchange.win_exchange_health) (the Exchange Management Shell's
    C(Get-ExchangeServer), C(Get-ServerComponentState) and C(Test-ServiceHealth), the services, the
    C(healthcheck.htm) page of each virtual directory), and decides on the controller.
  - "Checks: the last setup run succeeded (C(setup_log)); no role key keeps a setup watermark (C(watermark)); no restart is
    pending (C(pending_reboot)); the C(ExSetup.exe) version is of the media's CU family and agrees with C(AdminDisplayVersion),
    which shows the CU only (C(version)); the Exchange Management Shell loads, connected to this server and no other
    (C(management_shell)); C(Get-ExchangeServer)
    knows the server in its role (C(exchange_server)); the role's automatic services run, manual ones such as IMAP4/POP3
    are not required (C(services)); C(Test-ServiceHealth) reports every required service running (C(service_health));
    every server component is C(Active) except those in O(ignored_components) (C(component_states)); each
    C(https://localhost/<vdir>/healthcheck.htm) answers 200 with a body starting C(200 OK) (C(health_endpoints))."
  - Services, the shell and the web pages take minutes to come up after the restart that follows setup. While only those
    checks fail, the plugin reads the server again, first after O(delay) seconds and then every time half as long again,
    at most every 30 seconds, until they pass or O(timeout) seconds have passed since the first reading (the last wait
    ends on that deadline, for one last reading), the way a technician waits before calling it a failure. The wait uses
    all of O(timeout) unless O(retries) limits the readings. A shell refused for its credentials is not waited for.
  - With O(start_stopped_services=true) (activity 9, after the restart that follows setup), an automatic Exchange service
    that Windows left C(Stopped) is started once with M(ansible.windows.win_service) before it is judged, once Windows' own
    start of the services is over (no service C(StartPending)) or at the wait's last reading. Only the role's Exchange services of
    the collection's catalogue whose start type on the server is C(Automatic) are started, never a C(Manual) or C(Disabled)
    one nor Windows' own services, and never C(MSExchangeTransport) or C(MSExchangeFrontEndTransport) when
    O(setup_command_line) has C(/DoNotStartTransport) or is not given. A service that still does not run is named, with the
    error Windows gave, and is not waited for. The report records each service started (evidence C(change)) and each that
    did not start.
  - Fails when any check fails, with one message (Spanish unless O(language=en)) that lists every failed check.
  - Read-only unless O(start_stopped_services=true) starts a service, the only time RV(ignore:changed) is true. Check mode
    runs the same read-only checks and only says which services would be started.
  - This is an action plugin; it runs on the controller and calls the two Windows modules.
options:
  expected_version:
    description:
      - The build of the installation media's C(Setup.exe) (for example C(15.2.1748.10)), as the media module reports it.
      - The installed C(ExSetup.exe) must be of the same CU family (major.minor.build); a security update on top is fine.
      - When omitted, the installed version is reported but not compared.
    type: str
  role:
    description:
      - The role that was installed. C(EdgeTransport) has no web virtual directories; C(ManagementTools) has no server object,
        services or web site, so only the setup log, watermark, restart and version checks apply.
    type: str
    default: Mailbox
    choices: [Mailbox, EdgeTransport, ManagementTools]
  run_as_user:
    description:
      - The Exchange administrator (a member of Organization Management) the health module runs as, with C(become_method=runas).
      - Needed over NTLM or Kerberos WinRM, because the Exchange Management Shell is remote PowerShell to the local IIS, a
        second hop the WinRM logon's credentials cannot make. Without it the module runs as the connection user (or with the
        task's own C(become) settings).
    type: str
  run_as_password:
    description:
      - Password of O(run_as_user). Never logged nor returned.
    type: str
  health_paths:
    description:
      - Virtual directories whose C(healthcheck.htm) to request on C(https://localhost/), for example C(owa).
      - Defaults to C(owa), C(ecp), C(ews), C(Microsoft-Server-ActiveSync), C(oab), C(mapi), C(rpc) and C(autodiscover) for
        a Mailbox server and to none for the other roles. An empty list skips the check.
    type: list
    elements: str
  required_services:
    description:
      - Service short names that must be running. A listed service whose start type is Manual is not required to run;
        a Disabled or missing one fails.
      - Defaults to the role's automatic services for O(expected_version) (or the installed build) from the collection's
        catalogue (Microsoft's services overview and HealthChecker's critical services); an empty list skips the check.
    type: list
    elements: str
  ignored_components:
    description:
      - Server components allowed to be C(Inactive). Microsoft's HealthChecker skips the two that serve Office 365 only.
    type: list
    elements: str
    default: [ForwardSyncDaemon, ProvisioningRps]
  retries:
    description:
      - At most how many times to read the server again while only services, the shell or the web pages fail. V(0) reads
        once.
      - When omitted, as many times as fit in O(timeout).
    type: int
  delay:
    description:
      - Seconds to wait before the first new reading; each later wait is half as long again (at least 1 second), up to
        30 seconds.
    type: int
    default: 20
  timeout:
    description:
      - How many seconds the wait lasts at most, counted from the first reading, readings included. Unless O(retries)
        stops it first, the plugin reads the server until this deadline before it reports a failure.
    type: int
    default: 900
  request_timeout:
    description:
      - Timeout of each C(healthcheck.htm) request, in seconds.
    type: int
    default: 30
  setup_log_tail_bytes:
    description:
      - How much of the end of C(ExchangeSetup.log) to read to decide how the last setup run ended.
    type: int
    default: 262144
  start_stopped_services:
    description:
      - Start once, with M(ansible.windows.win_service), the automatic Exchange services found C(Stopped), then judge them.
      - For the wait after the restart that follows setup (activity 9); the verification of activity 10 leaves it off, so
        that a run starts them once only.
      - The services are started as the connection user (a local administrator of the server), not as O(run_as_user).
    type: bool
    default: false
  setup_command_line:
    description:
      - The C(Setup.exe) command line this run ran (M(rpi.exchange.exchange_setup)'s RV(ignore:command_line)).
      - With C(/DoNotStartTransport) in it, or when it is not given, O(start_stopped_services) leaves the transport services
        (C(MSExchangeTransport), C(MSExchangeFrontEndTransport)) as they are.
    type: str
  facts:
    description:
      - The reading M(rpi.exchange.exchange_facts) made just before (its C(ansible_facts.rpi_exchange)), when nothing that
        changes the version, the setup log or a pending restart ran since; the server is then not probed again (one WinRM
        command and its payload less). The services, components and web endpoints are read in any case.
      - Without it, or when it is not such a reading, the server is probed.
    type: dict
    version_added: 0.4.0
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Runs the same read-only checks; with O(start_stopped_services=true) it starts nothing and says which services it
      would start.
seealso:
  - module: rpi.exchange.win_exchange_health
  - module: rpi.exchange.exchange_facts
  - module: ansible.windows.win_service
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Verify and finish the Exchange installation (activity 10)
  rpi.exchange.exchange_verify:
    expected_version: "{{ media.setup_version }}"
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
  register: verification

- name: Wait after the restart, starting once the automatic services left stopped (activity 9)
  rpi.exchange.exchange_verify:
    expected_version: "{{ media.setup_version }}"
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
    timeout: 1800
    start_stopped_services: true
    setup_command_line: "{{ setup_result.command_line }}"

- name: Verify once, without waiting, in English
  rpi.exchange.exchange_verify:
    run_as_user: "{{ rpi_exchange_setup_user }}"
    run_as_password: "{{ rpi_exchange_setup_password }}"
    retries: 0
    language: en
"""

RETURN = r"""
probed:
  description: Whether the server was probed (false when O(facts) was used).
  returned: success
  type: bool
  sample: false
  version_added: 0.4.0
ok:
  description: Whether every check passed.
  returned: success
  type: bool
  sample: true
checks:
  description: Every check, in a fixed order, with C(name), C(ok), C(expected), C(actual), C(message_es), C(message_en), the
    C(source) of the rule and whether it is C(transient) (may come right by waiting).
  returned: success
  type: list
  elements: dict
  sample: [{"name": "health_endpoints", "ok": false, "expected": "200 200 OK",
            "actual": [{"path": "/owa/healthcheck.htm", "status_code": 503, "ok": false}],
            "message_es": "Directorios virtuales (healthcheck.htm): no responden 200 \"200 OK\": owa (503)...",
            "message_en": "Virtual directories (healthcheck.htm): not answering 200 \"200 OK\": owa (503)...",
            "source": "S4 Install-Exchange15 phase 6", "transient": true}]
failed_checks:
  description: The names of the checks that failed.
  returned: success
  type: list
  elements: str
  sample: [health_endpoints, pending_reboot]
attempts:
  description: How many times the server was read.
  returned: success
  type: int
  sample: 1
elapsed_seconds:
  description: Seconds from the first reading of the server to the last, waits included.
  returned: success
  type: int
  sample: 0
installed_version:
  description: The installed build, from C(ExSetup.exe) (security updates included).
  returned: success
  type: str
  sample: 15.2.1748.10
exchange_server:
  description: What C(Get-ExchangeServer) returned for the server (name, fqdn, admin_display_version, edition, is_trial,
    server_role), or null.
  returned: success
  type: dict
msg:
  description: The result in one message; on failure, the list of what failed, one line per check; after a wait, how many
    readings over how many seconds; last, the services started once (or, in check mode, those that would be).
  returned: always
  type: str
started_services:
  description: The services started once after the restart (O(start_stopped_services=true)).
  returned: when O(start_stopped_services=true)
  type: list
  elements: str
  sample: [MSExchangeIS]
services_not_started:
  description: Each service whose one start failed, with the error Windows gave.
  returned: when O(start_stopped_services=true)
  type: dict
  sample: {"MSExchangeTransport": "Service 'Microsoft Exchange Transport (MSExchangeTransport)' cannot be started due to the
    following error: Cannot start service MSExchangeTransport on computer '.'."}
services_to_start:
  description: In check mode, the services that would be started once.
  returned: when O(start_stopped_services=true)
  type: list
  elements: str
services_held:
  description: Transport services found stopped and left so, because of C(/DoNotStartTransport) (or an unknown command line).
  returned: when O(start_stopped_services=true)
  type: list
  elements: str
rpi_report:
  description: Evidence for the run report (activity 10), a summary, one item per check and the installed version, in both
    languages; C(target.exchange_after) carries the installed version. With O(start_stopped_services=true), one C(change)
    item per service started or that failed to start (with Windows' error), a C(plan) item per service check mode would
    start, and a C(note) per transport service left stopped.
  returned: success
  type: dict
"""
