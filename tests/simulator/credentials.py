"""The accounts of the simulated RPI domain that the inventory uses.

Test credentials of a simulated domain, not secrets: they exist only inside the simulator.
"""

from __future__ import annotations

from .windows.presets import PASSWORDS

# WinRM logon used by Ansible (a member of the local Administrators group); a server outside the
# domain only knows its local Administrator.
WINRM_USER = "RPI\\svc-ansible"
LOCAL_WINRM_USER = "RPI-EXCH01\\Administrator"
# The account Setup.exe runs as (Schema/Enterprise Admins, Organization Management).
SETUP_USER = "RPI\\svc-exchange"


def winrm_user(domain_joined: bool) -> str:
    return WINRM_USER if domain_joined else LOCAL_WINRM_USER


def password_of(user: str) -> str:
    return PASSWORDS[user]
