# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: win_exchange_health
short_description: Read what the Exchange Management Shell, the services and the health pages say about a server
version_added: 0.1.0
description:
  - Loads the Exchange Management Shell locally and returns the raw answers of C(Get-ExchangeServer),
    C(Get-ServerComponentState) and C(Test-ServiceHealth) for this server. On a Mailbox server it dot-sources
    C(RemoteExchange.ps1), with the console's banner and tip of the day (C(Get-ExBanner), C(Get-Tip)) silenced, and runs
    C(Connect-ExchangeServer -ServerFqdn) with this server's own FQDN, never C(-Auto), which would fall back to another
    Exchange server of the site and leave this server's C(/PowerShell) endpoint untested. On Edge Transport it adds the
    snap-ins of C(exShell.psc1) and runs C(Exchange.ps1).
  - Returns the status and start type of the services named in O(service_names), the HTTP status and start of the body of
    C(https://localhost/<path>) for each of O(health_paths), and the C(FileVersion) of C(ExSetup.exe) in the install folder.
  - For the C(localhost) health pages only, the certificate check accepts the server's self-signed certificate
    (it names the server, not C(localhost)).
  - Read-only. It does not fail when the shell cannot load; RV(shell) says why, and the other answers are still returned.
    M(rpi.exchange.exchange_verify) interprets the answers; use that action instead of calling this module directly.
options:
  service_names:
    description:
      - Short names of the services (as C(Get-Service -Name) takes them) whose status and start type to return.
    type: list
    elements: str
    default: []
  health_paths:
    description:
      - Paths on C(https://localhost/) to request, for example C(/owa/healthcheck.htm).
    type: list
    elements: str
    default: []
  timeout_seconds:
    description:
      - Timeout of each health page request, in seconds, both to get its answer and for each read of its body.
    type: int
    default: 30
  skip_shell:
    description:
      - Do not load the Exchange Management Shell; return only services, health pages and the C(ExSetup.exe) version.
      - For a server with the management tools only, or when the shell is known not to load.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: It never changes anything.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: windows
notes:
  - Run it as an Exchange administrator with C(become) (C(become_method=runas)). The shell is remote PowerShell to the local
    IIS, a second hop from a WinRM logon without delegable credentials (NTLM or Kerberos), which would otherwise fail.
seealso:
  - module: rpi.exchange.exchange_verify
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Read the server's health as the Exchange administrator
  rpi.exchange.win_exchange_health:
    service_names:
      - MSExchangeADTopology
      - MSExchangeIS
    health_paths:
      - /owa/healthcheck.htm
      - /ecp/healthcheck.htm
  become: true
  become_method: ansible.builtin.runas
  become_user: RPI\svc-exchange
  register: health
"""

RETURN = r"""
shell:
  description:
    - Whether the Exchange Management Shell was C(requested) and C(loaded), how (C(kind) C(remote) or C(snapin)), the
      account it ran as (C(user)), the C(error) that stopped it and the warnings and error C(messages) written while
      loading.
    - For C(remote), C(target) is this server's FQDN (host name and primary DNS suffix), the only server it connects to,
      and C(server) the FQDN it connected to (null when it did not).
  returned: always
  type: dict
  sample: {"requested": true, "loaded": true, "kind": "remote", "target": "RPI-EXCH01.rpi.gob.gt",
           "server": "RPI-EXCH01.rpi.gob.gt", "error": null, "messages": [], "user": "RPI\\svc-exchange"}
exchange_server:
  description: The fields of C(Get-ExchangeServer) for this server, or null when the shell did not load or the cmdlet failed.
  returned: always
  type: dict
  sample: {"name": "RPI-EXCH01", "fqdn": "RPI-EXCH01.rpi.gob.gt", "admin_display_version": "Version 15.2 (Build 1748.10)",
           "edition": "StandardEvaluation", "is_trial": true, "server_role": "Mailbox"}
component_states:
  description: Each server component with its C(state) and the C(requesters) (requester and state) of its local and remote states.
  returned: always
  type: list
  elements: dict
  sample: [{"component": "ServerWideOffline", "state": "Active", "requesters": [{"requester": "Functional", "state": "Active"}]}]
service_health:
  description: The rows of C(Test-ServiceHealth) for this server.
  returned: always
  type: list
  elements: dict
  sample: [{"role": "Mailbox Server Role", "required_services_running": true, "services_not_running": []}]
services:
  description: For each of O(service_names), whether it C(exists), its C(status) and C(start_type) (C(Automatic), C(Manual), C(Disabled)).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "MSExchangeIS", "exists": true, "status": "Running", "start_type": "Automatic"}]
health:
  description: For each of O(health_paths), the C(url), the HTTP C(status_code) (0 without an HTTP answer), the start of the C(body)
    and the C(error) text when the request failed. A page whose headers came but whose body could not be read (it stalled
    past O(timeout_seconds) or the connection was closed) keeps the C(status_code) of its headers, an empty C(body) and
    that C(error); one page's failure never fails the module.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/owa/healthcheck.htm", "url": "https://localhost/owa/healthcheck.htm", "status_code": 200,
            "body": "200 OK<br/>RPI-EXCH01.rpi.gob.gt<br/>15.2.1748.10", "error": null}]
exsetup_file_version:
  description: The C(FileVersion) of C(<install path>\Bin\ExSetup.exe), the exact build including security updates; null when absent.
  returned: always
  type: str
  sample: 15.02.1748.010
install_path:
  description: C(MsiInstallPath) of the Exchange setup registry key; null when Exchange is not installed.
  returned: always
  type: str
  sample: C:\Program Files\Microsoft\Exchange Server\V15\
errors:
  description: Cmdlets that failed after the shell loaded, each with its C(source) (the cmdlet) and C(message).
  returned: always
  type: list
  elements: dict
"""
