# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: winrm_config
short_description: Restore WinRM's configuration before Exchange setup, as ExchangeDsc does, keeping the listeners
version_added: 0.3.0
description:
  - Without the C(UpdatedConfig) value under C(HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN), Exchange setup restarts
    WinRM mid-setup. ExchangeDsc restores WinRM's configuration (C(winrm invoke Restore winrm/config @{}) from
    C(%windir%\System32\inetsrv)) and restarts the server before it starts setup; this module does the same.
  - The restore puts back WinRM's default configuration, which has no listener, so it would remove the HTTPS listener the
    run connects through. The restore and the re-creation of every listener WinRM had for all addresses (C(*+HTTPS) with
    its port, host name and certificate thumbprint; C(*+HTTP) with its port) are therefore two actions of one scheduled task
    that runs as SYSTEM, outside WinRM (M(community.windows.win_scheduled_task), started with C(schtasks.exe /Run)); the
    module waits for it, reconnecting, checks that C(UpdatedConfig) is written and each listener is back as it was, removes
    the task, and restarts the server through the action plugin of M(rpi.exchange.server_restart).
  - Does nothing when C(UpdatedConfig) is present, or while the setup task of an earlier run is still running.
  - Refuses before any change, naming what the administrator does at the server's console instead, when the listener the
    run connects through is not one WinRM's configuration holds for all addresses (a Group Policy listener, one bound to
    a single address) or a listener cannot be created again exactly (no certificate thumbprint).
  - The restore also resets WinRM's service settings to their defaults (Kerberos and Negotiate on; Basic, CredSSP and
    unencrypted traffic off); the RPI's HTTPS connection with NTLM or Kerberos keeps working.
  - This is an action plugin; it runs on the controller and calls Windows modules on the server.
options:
  reboot_timeout:
    description:
      - Seconds to wait for the server to come back from the restart.
    type: int
    default: 1800
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - rpi.exchange.windows_action
attributes:
  check_mode:
    support: full
    details: Reads WinRM's configuration and reports the restore, the listeners it would create again and the restart;
      changes nothing.
seealso:
  - module: rpi.exchange.exchange_setup
  - module: community.windows.win_scheduled_task
  - module: rpi.exchange.server_restart
  - name: ExchangeDsc Set-WSManConfigStatus
    description: Restores WinRM's configuration and restarts before Exchange setup when C(UpdatedConfig) is missing.
    link: https://github.com/dsccommunity/ExchangeDsc
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

EXAMPLES = r"""
- name: Restore WinRM's configuration before setup, keeping the HTTPS listener
  rpi.exchange.winrm_config:
    reboot_timeout: 1800
    language: es
"""

RETURN = r"""
plan:
  description: The decision, C(action) (C(none), C(restore) or C(refuse)), C(reason), the C(transport) of the run's connection,
    the C(listeners) to create again (C(transport), C(port), C(hostname), C(cert_thumbprint)) and the messages in Spanish and
    English.
  returned: always
  type: dict
restored:
  description: Whether the restore ran and every listener is back.
  returned: always
  type: bool
rebooted:
  description: Whether the server restarted afterwards.
  returned: always
  type: bool
rpi_report:
  description: Evidence for the run report (the check, the restore and the restart as changes).
  returned: always
  type: dict
"""
