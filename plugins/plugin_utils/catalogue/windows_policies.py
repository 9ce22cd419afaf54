# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows settings outside Exchange that decide whether the unattended setup can run: where they live and what they do.

- The security option "Network access: Do not allow storage of passwords and credentials for network authentication"
  (registry `HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa`, value `DisableDomainCreds`; CIS benchmarks recommend
  enabling it) forbids the Credential Manager to keep an account's password. Setup runs as a scheduled task with the
  setup account's password (logon type Password, setup_runner.py): with the policy on, Task Scheduler refuses to
  register it, "A specified logon session does not exist. It may already have been terminated." (0x80070520,
  ERROR_NO_SUCH_LOGON_SESSION). An S4U task stores no password, but has no network access either, so it cannot reach
  Active Directory (exchange-facts §6.1): the policy has to be off on the Exchange server while setup runs.
- WinRM's configuration (`HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN`): without its `UpdatedConfig` value,
  Exchange setup restarts WinRM mid-setup; ExchangeDsc restores WinRM's configuration first
  (`winrm invoke Restore winrm/config @{}` from `%windir%\\System32\\inetsrv`, then a restart) [S5 Set-WSManConfigStatus].
  The listeners WinRM was told to create live under `WSMAN\\Listener\\<Address>+<Transport>` (`*+HTTPS`: values `Port`,
  `hostname`, `certThumbprint`, `uriprefix`); the restore puts back WinRM's default configuration, which has no
  listener ("By default, the server is configured with no listeners", MS-WSMV; winrm.vbs help: "Restore the default
  winrm configuration"), so the HTTPS listener the RPI connects through must be created again in the same go.

This module is imported directly (`catalogue.windows_policies`); it is not re-exported from the package's `__init__`.
"""

from __future__ import annotations

LSA_KEY = r"HKLM:\SYSTEM\CurrentControlSet\Control\Lsa"
DISABLE_DOMAIN_CREDS = "DisableDomainCreds"
DISABLE_DOMAIN_CREDS_POLICY_EN = "Network access: Do not allow storage of passwords and credentials for network authentication"
DISABLE_DOMAIN_CREDS_POLICY_ES = ("Acceso de red: no permitir el almacenamiento de contraseñas y credenciales para la "
                                  "autenticación de red")
SECURITY_OPTIONS_PATH_ES = ("Configuración del equipo > Directivas > Configuración de Windows > Configuración de seguridad > "
                            "Directivas locales > Opciones de seguridad")
SECURITY_OPTIONS_PATH_EN = ("Computer Configuration > Policies > Windows Settings > Security Settings > Local Policies > "
                            "Security Options")
NO_SUCH_LOGON_SESSION_HRESULT = 0x80070520

WSMAN_KEY = r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN"
UPDATED_CONFIG = "UpdatedConfig"
WSMAN_LISTENER_KEYS = {
    "HTTPS": WSMAN_KEY + r"\Listener\*+HTTPS",
    "HTTP": WSMAN_KEY + r"\Listener\*+HTTP",
}
# Where ExchangeDsc runs the restore from [S5].
WINRM_RESTORE_DIRECTORY = r"%windir%\System32\inetsrv"


def policy_registry_keys() -> tuple[str, ...]:
    """The keys win_exchange_probe must read for these decisions (its `registry_keys`)."""
    return (LSA_KEY, WSMAN_KEY, *WSMAN_LISTENER_KEYS.values())


def value_of(values: dict | None, name: str):
    """A registry value by name, as Windows compares names: case-insensitively (Windows writes `disabledomaincreds`)."""
    for key, value in (values or {}).items():
        if str(key).lower() == name.lower():
            return value
    return None
