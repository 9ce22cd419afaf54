"""rpi.exchange.win_exchange_ad_readiness: the script's reads, in its order, answered from the models.

The .ps1 reads (1) the token of the account it runs as (WindowsIdentity.GetCurrent().Groups, translated to names:
local, so it works in any logon); (2) RootDSE through System.DirectoryServices (RefreshCache binds); then, only when
RootDSE answered, (3) the schema's ms-Exch-Schema-Version-Pt rangeUpper, (4) the msExchOrganizationContainer under
CN=Microsoft Exchange,CN=Services, (5) CN=Microsoft Exchange System Objects in the domain, (6) the site
(ActiveDirectorySite.GetComputerSite) and its server objects' computer objects (operatingSystem*), (7) this server's
msExchExchangeServer under the organisation. Each failure is that section's null and its error text.

What real Windows answers, from the Windows model (hostview.py) and the forest model (exchange/org.py):
- no domain (a workgroup server): the locator finds no domain: "The specified domain either does not exist or could
  not be contacted." (ERROR_NO_SUCH_DOMAIN, 0x8007054B) [UNCONFIRMED exact text through ADSI];
- a logon without network credentials (WinRM over NTLM/Kerberos without become: the double hop, exchange-facts §6.1):
  the bind fails with "An operations error occurred." (ERROR_DS_OPERATIONS_ERROR 0x80072020, the usual double-hop
  symptom of ADSI) [UNCONFIRMED exact text];
- a local account: it cannot bind to the domain either (same operations error) [UNCONFIRMED].
The token holds the account's groups, local groups, and every domain group those are nested in (Windows' token-groups
expansion; hostview.token_groups). The simulator decides nothing.
"""

from __future__ import annotations

from typing import Any

from ..exchange.hostview import domain_controller, site_domain_controllers, token_groups
from ..exchange.org import ExchangeOrg
from ..exchange.runtime import model_for
from ..windows.modules._common import ModuleCall
from ..windows.state import SYSTEM_ACCOUNT, WindowsHost

NO_DOMAIN = "The specified domain either does not exist or could not be contacted."
OPERATIONS_ERROR = "An operations error occurred."
ADMIN_GROUP = "Exchange Administrative Group (FYDIBOHF23SPDLT)"
# Groups every interactive (become) or network logon token carries besides the account's own [Microsoft Learn,
# 'Well-known SIDs'].
LOGON_GROUPS = ("Everyone", "BUILTIN\\Users", "NT AUTHORITY\\Authenticated Users", "NT AUTHORITY\\This Organization")


def _naming_contexts(host: WindowsHost) -> dict[str, str]:
    base = ",".join(f"DC={part}" for part in host.domain.forest.split("."))  # type: ignore[union-attr]
    default = ",".join(f"DC={part}" for part in host.domain.fqdn.split("."))  # type: ignore[union-attr]
    return {"configuration": f"CN=Configuration,{base}", "schema": f"CN=Schema,CN=Configuration,{base}", "default": default}


def _bind_error(host: WindowsHost, call: ModuleCall) -> str | None:
    if host.domain is None:
        return NO_DOMAIN
    account = host.find_account(call.user)
    if call.user != SYSTEM_ACCOUNT and (account is None or account.is_local):
        return OPERATIONS_ERROR
    return None if call.network_credentials else OPERATIONS_ERROR


def _token(host: WindowsHost, call: ModuleCall, org: ExchangeOrg) -> dict[str, Any]:
    groups = sorted(token_groups(host, call.user, org)) if call.user != SYSTEM_ACCOUNT else ["BUILTIN\\Administrators"]
    return {"groups": [*LOGON_GROUPS, *groups], "local_administrator": host.is_admin(call.user)}


def run(host: WindowsHost, call: ModuleCall) -> dict[str, Any]:
    model = model_for(host)
    org = model.org if model is not None else ExchangeOrg()
    server_name = str(call.params.get("server_name") or host.hostname)
    errors: dict[str, str] = {}
    result: dict[str, Any] = {"changed": False, "account": call.user, "domain_controller": None, "naming_contexts": None,
                              "functional_levels": None, "schema": None, "organization": None, "domain": None, "site": None,
                              "server_object": None, "account_groups": _token(host, call, org)}
    # (2) RootDSE
    failure = _bind_error(host, call)
    if failure is not None:
        for section in ("root_dse", "schema", "organization", "domain", "site", "server_object"):
            errors[section] = failure
        result["errors"] = errors
        return result
    contexts = _naming_contexts(host)
    directory = org.directory
    result.update(naming_contexts=contexts, domain_controller=str(call.params.get("domain_controller") or domain_controller(host)),
                  functional_levels={"forest": directory.forest_functional_level, "domain": directory.domain_functional_level})
    # (3) schema, (4) organisation, (5) domain: absent objects are "not found", not errors.
    result["schema"] = {"range_upper": org.schema_range_upper or None}
    org_dn = f"CN={org.name},CN=Microsoft Exchange,CN=Services,{contexts['configuration']}" if org.exists else None
    result["organization"] = {"exists": org.exists, "name": org.name or None, "object_version": org.org_object_version or None,
                              "distinguished_name": org_dn}
    result["domain"] = {"exists": bool(org.domain_object_version), "object_version": org.domain_object_version or None}
    # (6) the site's DCs, through their computer objects
    result["site"] = {"name": host.domain.site, "domain_controllers": [  # type: ignore[union-attr]
        {"name": dc.name, "dns_host_name": dc.dns_host_name, "operating_system": dc.operating_system,
         "operating_system_version": dc.operating_system_version} for dc in site_domain_controllers(host, org)]}
    # (7) this server's Exchange object
    obj = org.server(server_name) if org.exists else None
    server: dict[str, Any] = {"exists": False, "name": server_name, "distinguished_name": None, "install_path": None,
                              "serial_number": None}
    if obj is not None:
        build = obj.build
        server.update(exists=True, install_path=obj.install_path,
                      distinguished_name=f"CN={obj.name},CN=Servers,CN={ADMIN_GROUP},CN=Administrative Groups,{org_dn}",
                      serial_number=f"Version {build.major}.{build.minor} (Build {build.build}.{build.revision})")
    result["server_object"] = server
    result["errors"] = errors
    return result
