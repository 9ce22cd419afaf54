"""ansible.windows.win_whoami: the token of the user the module runs as (so `become` can be checked)."""

from __future__ import annotations

import zlib

from ..state import SYSTEM_ACCOUNT, WindowsHost
from . import register
from ._common import ModuleCall, iso

_WELL_KNOWN_RIDS = {"domain admins": 512, "domain users": 513, "schema admins": 518, "enterprise admins": 519}
_BUILTIN_SIDS = {"administrators": "S-1-5-32-544", "users": "S-1-5-32-545", "remote management users": "S-1-5-32-580"}
_ENABLED = ["Mandatory", "Enabled by default", "Enabled"]


def group_sid(host: WindowsHost, group: str) -> str:
    domain, name = group.partition("\\")[::2]
    if domain.upper() == "BUILTIN":
        return _BUILTIN_SIDS.get(name.lower(), "S-1-5-32-" + str(600 + zlib.crc32(name.lower().encode()) % 100))
    base = "S-1-5-21-1004336348-1177238915-682003330"
    rid = _WELL_KNOWN_RIDS.get(name.lower(), 1100 + zlib.crc32(name.lower().encode()) % 8000)
    return f"{base}-{rid}"


@register("ansible.windows.win_whoami")
def win_whoami(host: WindowsHost, call: ModuleCall) -> dict:
    user = call.user
    became = bool(call.become_user)
    if user == SYSTEM_ACCOUNT:
        account = {"account_name": "SYSTEM", "domain_name": "NT AUTHORITY", "sid": "S-1-5-18", "type": "WellKnownGroup"}
        groups, admin, upn = [], True, ""
    else:
        acct = host.find_account(user)
        domain, name = user.split("\\", 1) if "\\" in user else (host.hostname, user)
        account = {"account_name": name, "domain_name": domain, "sid": acct.sid if acct else "", "type": "User"}
        groups = []
        for g in sorted(host.groups_of(user)):
            gdom, gname = g.partition("\\")[::2]
            attrs = _ENABLED + (["Owner"] if gname.lower() == "administrators" else [])
            groups.append({"account_name": gname, "domain_name": gdom, "sid": group_sid(host, g), "attributes": attrs,
                           "type": "Alias" if gdom == "BUILTIN" else "Group"})
        admin = host.is_admin(user)
        upn = f"{name}@{host.domain.fqdn}" if acct and not acct.is_local and host.domain else ""
    label = ({"account_name": "High Mandatory Level", "sid": "S-1-16-12288"} if admin else
             {"account_name": "Medium Mandatory Level", "sid": "S-1-16-8192"})
    label.update({"domain_name": "Mandatory Label", "type": "Label"})
    is_domain = host.domain is not None and not user.upper().startswith(host.hostname + "\\") and user != SYSTEM_ACCOUNT
    result = {
        "changed": False,
        "account": account,
        "authentication_package": "NTLM" if not became else "Negotiate",
        "dns_domain_name": host.domain.fqdn.upper() if is_domain else "",
        "groups": groups,
        "impersonation_level": "SecurityAnonymous",
        "label": label,
        "login_domain": account["domain_name"],
        "login_time": iso(host.boot_time if user == SYSTEM_ACCOUNT else host.now()),
        "logon_id": 0x3E7 if user == SYSTEM_ACCOUNT else 0x1A2B3C,
        "logon_server": (host.domain.dc_hostname.split(".")[0] if is_domain and host.domain else host.hostname),
        "logon_type": "Interactive" if became else "Network",
        "privileges": {"SeBackupPrivilege": "disabled", "SeShutdownPrivilege": "disabled",
                       "SeChangeNotifyPrivilege": "enabled-by-default", "SeDebugPrivilege": "disabled"} if admin else
                      {"SeChangeNotifyPrivilege": "enabled-by-default", "SeIncreaseWorkingSetPrivilege": "disabled"},
        "token_type": "TokenPrimary",
        "upn": upn,
        "user_flags": [],
    }
    if admin:
        result["rights"] = ["SeNetworkLogonRight", "SeInteractiveLogonRight", "SeBatchLogonRight",
                            "SeRemoteInteractiveLogonRight"]
    return result
