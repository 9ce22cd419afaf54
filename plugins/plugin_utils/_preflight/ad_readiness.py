# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is Active Directory ready for the media about to run, and may the setup account prepare it? (issue 17, items 1-2)

Decided in activity 2, before any change, from what `rpi.exchange.win_exchange_ad_readiness` read on the server's own
domain controller as the setup account (become), against the catalogue (`catalogue/ad_versions.py`).

Interface (published for the other parts of issue 17: /PrepareSchema and /PrepareAD as a step, RecoverServer)
===========================================================================================================

**Facts** — what the PowerShell module returns (every section is null when it could not be read, with the reason in
`errors[<section>]`; the module never fails for an unreachable DC)::

    account: "RPI\\svc-exchange"              # WindowsIdentity.GetCurrent().Name: who the read ran as
    domain_controller: "RPI-DC01.rpi.gob.gt"  # RootDSE dnsHostName (the DC this server uses)
    naming_contexts: {default: "DC=rpi,DC=gob,DC=gt", configuration: "CN=Configuration,...", schema: "CN=Schema,..."}
    functional_levels: {forest: 7, domain: 7}  # msDS-Behavior-Version (6 = 2012 R2, 7 = 2016, 10 = 2025)
    schema: {range_upper: 17003 | null}        # ms-Exch-Schema-Version-Pt rangeUpper; null = schema never extended
    organization: {exists: bool, name: "RPI" | null, object_version: 16762 | null, distinguished_name: str | null}
    domain: {exists: bool, object_version: 13243 | null}   # CN=Microsoft Exchange System Objects,<domain NC>
    site: {name: "Default-First-Site-Name",
           domain_controllers: [{name, dns_host_name, operating_system, operating_system_version: "10.0 (20348)"}]}
    server_object: {exists: bool, name: "RPI-EXCH01", distinguished_name: str | null,
                    install_path: "C:\\Program Files\\Microsoft\\Exchange Server\\V15" | null,
                    serial_number: "Version 15.2 (Build 1544.4)" | null}
    account_groups: {groups: ["RPI\\Schema Admins", "BUILTIN\\Administrators", ...], local_administrator: bool}
    # (account_groups, not "token": the report masks any key that contains "token" as a secret)
    errors: {root_dse | schema | organization | domain | site | server_object | account_groups: "text"}

**Decision** — `decide(...)` returns a plain dict (JSON-safe; the action returns it as `decision` and registers it)::

    state: "prepared" | "setup_prepares" | "refuse" | "not_needed"   # not_needed: no setup runs (mode "nothing")
    prepares: ["schema", "organization", "domain"]   # what setup (or /PrepareSchema, /PrepareAD) must still write
    required: {schema, organization, domain}         # the catalogue's levels for the media (null: media not 2019/SE)
    current: {schema, organization, domain}          # what AD holds (0 = never prepared)
    organization_name: "RPI" | null                  # the existing organisation, else the inventory's for a new one
    reasons: ["functional_level", "dc_os", "organization_name_differs", "organization_name_missing",
              "no_organization", "ad_unreadable", "rights_missing", ...]   # every refusal reason found
    rights_needed: ["Schema Admins", "Enterprise Admins", "Administrators"] | ["Organization Management", ...]
    rights_missing: [...]                            # of rights_needed, what the token lacks
    account: "RPI\\svc-exchange"
    server_object: {exists: bool | null, install_path: str | null, version: "15.2.1544.4" | null}
    messages: [{code, level: "error" | "warning" | "ok", message_es, message_en}]
    message_es / message_en: one summary (the refusal's reasons, or what setup will prepare)
    ok: bool                                          # False when state is refuse

Rights (Microsoft "Prepare Active Directory and domains" and "unattended installs" [S1], exchange-facts §1.4):
extending the schema or creating/updating the organisation needs Schema Admins and Enterprise Admins, plus local
Administrators on the server; preparing only the domain needs Domain Admins (or Enterprise Admins); an additional
server or a CU that changes nothing in AD needs Organization Management (plus local Administrators).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.mode import (
    MODE_INSTALL,
    MODE_NOTHING,
    MODE_RECOVER,
    MODE_RESUME,
    MODE_UPGRADE,
    decide_mode,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import RECOVER_SERVER, UPGRADE
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.ad_versions import (
    DC_OS_NAMES,
    DC_REQUIREMENT,
    MIN_FUNCTIONAL_LEVEL,
    ad_levels,
    dc_os_supported,
    functional_level_name,
)

STATE_PREPARED = "prepared"
STATE_SETUP_PREPARES = "setup_prepares"
STATE_REFUSE = "refuse"
STATE_NOT_NEEDED = "not_needed"

SCHEMA_ADMINS = "Schema Admins"
ENTERPRISE_ADMINS = "Enterprise Admins"
DOMAIN_ADMINS = "Domain Admins"
ORGANIZATION_MANAGEMENT = "Organization Management"
LOCAL_ADMINISTRATORS = "Administrators"  # BUILTIN\Administrators, S-1-5-32-544

MODES = ("install", "upgrade", "recover", "nothing")
_SERIAL = re.compile(r"Version\s+(\d+)\.(\d+)\s+\(Build\s+(\d+)\.(\d+)\)", re.IGNORECASE)
_OS_BUILD = re.compile(r"\((\d+)\)")


def setup_mode_of(facts: Mapping[str, Any], media_version: str, role: str | None = None) -> str:
    """install / upgrade / recover / nothing, as the setup decision (activity 3) will take it without the AD reading; a
    refusal there is that decision's to explain, so here it counts as no setup run. A resumed setup counts as what it
    resumes (an interrupted upgrade is an upgrade)."""
    decision = decide_mode(facts, media_version, role=role)
    if decision.mode in (MODE_INSTALL, MODE_UPGRADE):
        return decision.mode
    if decision.mode == MODE_RECOVER:
        return "recover"
    if decision.mode == MODE_RESUME and decision.setup_mode:
        return {UPGRADE: "upgrade", RECOVER_SERVER: "recover"}.get(decision.setup_mode, "install")
    return MODE_NOTHING


def _message(code: str, level: str, es: str, en: str) -> dict[str, str]:
    return {"code": code, "level": level, "message_es": es, "message_en": en}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def server_object_version(serial_number: Any) -> str | None:
    """'Version 15.2 (Build 1544.4)' (serialNumber of the msExchExchangeServer object) -> '15.2.1544.4'."""
    match = _SERIAL.search(str(serial_number or ""))
    return ".".join(match.groups()) if match else None


def dc_os_build(operating_system_version: Any) -> int | None:
    """'10.0 (20348)' (operatingSystemVersion of a DC's computer object) -> 20348."""
    match = _OS_BUILD.search(str(operating_system_version or ""))
    return int(match.group(1)) if match else None


def token_has(groups: Any, name: str) -> bool:
    """True when the token holds the group `name` ('Schema Admins' matches 'RPI\\Schema Admins')."""
    want = name.lower()
    return any(str(group).lower().rsplit("\\", 1)[-1] == want for group in groups or [])


def server_object(facts: Mapping[str, Any]) -> dict[str, Any]:
    """This server's Exchange object in AD, as RecoverServer needs it; `exists` None when it could not be read."""
    obj = facts.get("server_object")
    if not isinstance(obj, Mapping):
        return {"exists": None, "install_path": None, "version": None}
    return {"exists": bool(obj.get("exists")), "install_path": obj.get("install_path") or None,
            "version": server_object_version(obj.get("serial_number"))}


def _current(facts: Mapping[str, Any]) -> dict[str, int | None]:
    schema, org, domain = facts.get("schema"), facts.get("organization"), facts.get("domain")
    return {
        "schema": None if not isinstance(schema, Mapping) else (_int(schema.get("range_upper")) or 0),
        "organization": None if not isinstance(org, Mapping) else (_int(org.get("object_version")) or 0),
        "domain": None if not isinstance(domain, Mapping) else (_int(domain.get("object_version")) or 0),
    }


def _unreadable(facts: Mapping[str, Any], account: str) -> list[dict[str, str]]:
    errors = facts.get("errors") or {}
    missing = [name for name in ("root_dse", "schema", "organization", "domain", "account_groups")
               if facts.get(name if name != "root_dse" else "naming_contexts") is None]
    if not missing:
        return []
    detail = "; ".join(f"{name}: {errors.get(name, '?')}" for name in missing)
    return [_message(
        "ad_unreadable", "error",
        f"No se pudo leer Active Directory desde el servidor como la cuenta de instalación {account} ({detail}). Sin "
        "esa lectura no se sabe si el bosque está preparado ni si la cuenta tiene los permisos. Revise que el "
        "controlador de dominio del sitio del servidor responda y que rpi_exchange_setup_user y "
        "rpi_exchange_setup_password sean los de una cuenta del dominio, y ejecute de nuevo.",
        f"Active Directory could not be read from the server as the setup account {account} ({detail}). Without it "
        "neither the forest's preparation nor the account's rights are known. Check that the domain controller of the "
        "server's site answers and that rpi_exchange_setup_user and rpi_exchange_setup_password are a domain "
        "account's, and run again.")]


def _platform(facts: Mapping[str, Any], media_version: str) -> list[dict[str, str]]:
    out = []
    levels = facts.get("functional_levels") or {}
    minimum = functional_level_name(MIN_FUNCTIONAL_LEVEL)
    for which, es_word, en_word in (("forest", "del bosque", "forest"), ("domain", "del dominio", "domain")):
        level = _int(levels.get(which))
        if level is not None and level < MIN_FUNCTIONAL_LEVEL:
            out.append(_message(
                "functional_level", "error",
                f"El nivel funcional {es_word} del RPI (rpi_exchange_rpi_domain) es {functional_level_name(level)} ({level}); Exchange {media_version} "
                f"exige {minimum} o superior (matriz de compatibilidad de Microsoft). Pida al "
                f"administrador del dominio que eleve el nivel funcional {es_word} a {minimum} o superior y ejecute "
                "de nuevo.",
                f"The functional level of the RPI's {en_word} (rpi_exchange_rpi_domain) is {functional_level_name(level)} ({level}); Exchange {media_version} "
                f"requires {minimum} or higher (Microsoft's supportability matrix). Ask the domain "
                f"administrator to raise the {en_word} functional level to {minimum} or higher and run again."))
    site = facts.get("site") or {}
    for dc in site.get("domain_controllers") or []:
        build = dc_os_build(dc.get("operating_system_version"))
        if build is None or dc_os_supported(media_version, build):
            continue
        name = dc.get("dns_host_name") or dc.get("name") or "?"
        os_name = dc.get("operating_system") or DC_OS_NAMES.get(build, str(build))
        out.append(_message(
            "dc_os", "error",
            f"El controlador de dominio {name} del sitio del servidor ejecuta {os_name} ({dc.get('operating_system_version')}), "
            f"que Microsoft no admite para Exchange {media_version} (mínimo {DC_OS_NAMES[DC_REQUIREMENT.min_os_build]}; "
            "Windows Server 2022 desde 2019 CU12, Windows Server 2025 desde 2019 CU14). Actualice o "
            "retire ese controlador de dominio, o indique en rpi_exchange_media los medios de una versión que lo admita, y ejecute de nuevo.",
            f"Domain controller {name} in the server's site runs {os_name} ({dc.get('operating_system_version')}), which "
            f"Microsoft does not support for Exchange {media_version} (minimum {DC_OS_NAMES[DC_REQUIREMENT.min_os_build]}; "
            "Windows Server 2022 from 2019 CU12, Windows Server 2025 from 2019 CU14). Upgrade or "
            "retire that domain controller, or set rpi_exchange_media to media of a version that supports it, and run again."))
    return out


def _organization(org_name: str | None, mode: str, first_server: bool, wanted: str | None) -> list[dict[str, str]]:
    if org_name:
        if wanted and wanted.strip().lower() != org_name.strip().lower():
            return [_message(
                "organization_name_differs", "error",
                f"El bosque ya tiene la organización de Exchange «{org_name}», y el inventario pide «{wanted}» "
                "(rpi_exchange_organization_name). Un bosque tiene una sola organización. Corrija "
                f"rpi_exchange_organization_name a «{org_name}» (o quítela) y ejecute de nuevo.",
                f"The forest already holds the Exchange organisation '{org_name}', and the inventory asks for '{wanted}' "
                "(rpi_exchange_organization_name). A forest has one organisation. Set "
                f"rpi_exchange_organization_name to '{org_name}' (or remove it) and run again.")]
        return []
    if mode != "install":
        return []
    if not first_server:
        return [_message(
            "no_organization", "error",
            "El bosque no tiene organización de Exchange, y el inventario dice que este no es el primer servidor "
            "(rpi_exchange_first_server: false). Si es el primer servidor de Exchange del RPI, ponga "
            "rpi_exchange_first_server: true y rpi_exchange_organization_name; si no, revise que el servidor use el "
            "dominio del RPI.",
            "The forest holds no Exchange organisation, and the inventory says this is not the first server "
            "(rpi_exchange_first_server: false). If it is the RPI's first Exchange server, set "
            "rpi_exchange_first_server: true and rpi_exchange_organization_name; otherwise check that the server uses "
            "the RPI's domain.")]
    if not wanted:
        return [_message(
            "organization_name_missing", "error",
            "El bosque no tiene organización de Exchange y este es el primer servidor: Setup la crea con el nombre que "
            "dé rpi_exchange_organization_name, que está vacía. Defina rpi_exchange_organization_name "
            "(por ejemplo «RPI») y ejecute de nuevo.",
            "The forest holds no Exchange organisation and this is the first server: setup creates it with the name in "
            "rpi_exchange_organization_name, which is empty. Set rpi_exchange_organization_name "
            "(for example 'RPI') and run again.")]
    return []


_WHY = {
    "schema": ("extender el esquema de Active Directory", "extend the Active Directory schema"),
    "organization": ("crear o actualizar la organización de Exchange en Active Directory",
                     "create or update the Exchange organisation in Active Directory"),
    "domain": ("preparar el dominio (Microsoft Exchange System Objects)", "prepare the domain (Microsoft Exchange System Objects)"),
    "server": ("instalar o actualizar un servidor en una organización ya preparada",
               "install or update a server in an organisation already prepared"),
}


def _join(items: list[str], word: str) -> str:
    """'a', 'a y b', 'a, b y c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def rights_needed(prepares: list[str]) -> list[str]:
    """The groups the setup account's token must hold for what this run makes setup do [S1 prepare-ad-and-domains]."""
    if "schema" in prepares or "organization" in prepares:
        return [SCHEMA_ADMINS, ENTERPRISE_ADMINS, LOCAL_ADMINISTRATORS]
    if "domain" in prepares:
        return [DOMAIN_ADMINS, ORGANIZATION_MANAGEMENT, LOCAL_ADMINISTRATORS]
    return [ORGANIZATION_MANAGEMENT, LOCAL_ADMINISTRATORS]


def _has_right(token: Mapping[str, Any], group: str) -> bool:
    groups = token.get("groups") or []
    if group == LOCAL_ADMINISTRATORS:
        return bool(token.get("local_administrator")) or token_has(groups, LOCAL_ADMINISTRATORS)
    if group == ORGANIZATION_MANAGEMENT:  # Enterprise Admins may also install a server (setup's GlobalServerInstall)
        return token_has(groups, group) or token_has(groups, ENTERPRISE_ADMINS)
    if group == DOMAIN_ADMINS:
        return token_has(groups, group) or token_has(groups, ENTERPRISE_ADMINS)
    return token_has(groups, group)


def _rights_message(account: str, missing: list[str], prepares: list[str]) -> dict[str, str]:
    why = [p for p in prepares if p in _WHY] or ["server"]
    why_es = ", ".join(_WHY[p][0] for p in why)
    why_en = ", ".join(_WHY[p][1] for p in why)
    groups = _join([f"«{g}»" for g in missing], "y")
    groups_en = _join([f"'{g}'" for g in missing], "and")
    return _message(
        "rights_missing", "error",
        f"La cuenta de instalación {account} (rpi_exchange_setup_user) no es miembro de {groups}, y esta ejecución lo "
        f"necesita porque Setup debe {why_es}. Pida al "
        f"administrador del dominio que agregue {account} a {groups} (o indique en rpi_exchange_setup_user una cuenta "
        "que lo sea), cierre las sesiones de esa cuenta para que su token tome los grupos y ejecute de nuevo.",
        f"The setup account {account} (rpi_exchange_setup_user) is not a member of {groups_en}, and this run needs it "
        f"because setup must {why_en}. Ask the domain "
        f"administrator to add {account} to {groups_en} (or set rpi_exchange_setup_user to an account that is), sign "
        "that account's sessions out so its token picks up the groups, and run again.")


def decide(facts: Mapping[str, Any] | None, media_version: str, *, mode: str = "install", first_server: bool = True,
           organization_name: str | None = None, account: str | None = None) -> dict[str, Any]:
    """The AD readiness decision (shape in the module docstring). `mode`: install, upgrade, recover or nothing (the
    setup decision's mode); `first_server` / `organization_name`: rpi_exchange_first_server / _organization_name."""
    facts = facts or {}
    account = str(facts.get("account") or account or "?")
    required_levels = ad_levels(media_version)
    required = None if required_levels is None else {
        "schema": required_levels.schema, "organization": required_levels.organization, "domain": required_levels.domain}
    current = _current(facts)
    org = facts.get("organization") if isinstance(facts.get("organization"), Mapping) else {}
    existing = (org or {}).get("name") if (org or {}).get("exists") else None
    wanted = (organization_name or "").strip() or None
    result: dict[str, Any] = {
        "state": STATE_PREPARED, "prepares": [], "required": required, "current": current,
        "organization_name": existing or (wanted if mode == "install" and first_server else None),
        "reasons": [], "rights_needed": [], "rights_missing": [], "account": account,
        "server_object": server_object(facts), "messages": [], "mode": mode,
    }
    if mode == "nothing":
        result["state"] = STATE_NOT_NEEDED
        result["messages"].append(_message(
            "not_needed", "ok",
            "Setup no se ejecuta en esta corrida (el servidor ya tiene esta versión): Active Directory se leyó solo "
            "como evidencia.",
            "Setup does not run in this run (the server already has this version): Active Directory was read as "
            "evidence only."))
        return _finish(result)
    messages: list[dict[str, str]] = _unreadable(facts, account)
    if messages:
        result["messages"] = messages
        result["reasons"] = ["ad_unreadable"]
        result["state"] = STATE_REFUSE
        return _finish(result)
    messages += _platform(facts, media_version)
    messages += _organization(existing, mode, first_server, wanted)
    if required is not None:
        result["prepares"] = [part for part in ("schema", "organization", "domain")
                              if (current[part] or 0) < required[part]]
    token = facts.get("account_groups") or {}
    result["rights_needed"] = rights_needed(result["prepares"])
    result["rights_missing"] = [group for group in result["rights_needed"] if not _has_right(token, group)]
    if result["rights_missing"]:
        messages.append(_rights_message(account, result["rights_missing"], result["prepares"]))
    result["messages"] = messages
    result["reasons"] = [m["code"] for m in messages if m["level"] == "error"]
    if result["reasons"]:
        result["state"] = STATE_REFUSE
    elif result["prepares"]:
        result["state"] = STATE_SETUP_PREPARES
    return _finish(result)


def _finish(result: dict[str, Any]) -> dict[str, Any]:
    state, prepares = result["state"], result["prepares"]
    errors = [m for m in result["messages"] if m["level"] == "error"]
    names_es = {"schema": "el esquema", "organization": "la organización", "domain": "el dominio"}
    names_en = {"schema": "the schema", "organization": "the organisation", "domain": "the domain"}
    if state == STATE_REFUSE:
        summary_es = " ".join(m["message_es"] for m in errors)
        summary_en = " ".join(m["message_en"] for m in errors)
    elif state == STATE_SETUP_PREPARES:
        current, required = result["current"], result["required"] or {}
        detail = ", ".join(f"{p} {current.get(p) or 0} → {required.get(p)}" for p in prepares)
        summary_es = (f"Active Directory no está preparado para esta versión: Setup preparará "
                      f"{', '.join(names_es[p] for p in prepares)} ({detail}); la cuenta {result['account']} tiene los "
                      f"grupos necesarios ({', '.join(result['rights_needed'])}).")
        summary_en = (f"Active Directory is not prepared for this version: setup will prepare "
                      f"{', '.join(names_en[p] for p in prepares)} ({detail}); the account {result['account']} holds the "
                      f"groups needed ({', '.join(result['rights_needed'])}).")
    elif state == STATE_PREPARED:
        summary_es = (f"Active Directory ya está preparado para esta versión (esquema, organización y dominio); la cuenta "
                      f"{result['account']} tiene los grupos necesarios ({', '.join(result['rights_needed'])}).")
        summary_en = (f"Active Directory is already prepared for this version (schema, organisation and domain); the "
                      f"account {result['account']} holds the groups needed ({', '.join(result['rights_needed'])}).")
    else:
        summary_es, summary_en = result["messages"][0]["message_es"], result["messages"][0]["message_en"]
    result.update(message_es=summary_es, message_en=summary_en, ok=state != STATE_REFUSE)
    return result
