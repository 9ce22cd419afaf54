# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Norm 5.1: the mail server is for the exclusive use of the RPI.

Before anything changes, the target must be (a) in the RPI server group, (b) declared in the
inventory as the RPI's server, and (c) what the server itself says it is: a member of the RPI's
domain, with the host name the inventory expects. A typo in `-l`, a reused inventory or a DNS
record pointing at another ministry's machine are all stopped here.

An Edge Transport server stays out of the domain by design (Microsoft: "Edge Transport servers ... aren't members of
your internal Active Directory forest", Edge Transport servers, Exchange Server documentation), so for the
EdgeTransport role (c) is its primary DNS suffix instead: the registry key `Tcpip\\Parameters` `NV Domain` (what the
probe reads, and what setup uses for the Edge server's FQDN) must be the RPI's domain. Being declared the RPI's server
(b) is then the only other proof that it is the RPI's, so it stays required. The evidence names the rule applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

RPI_GROUP = "rpi_exchange_servers"
EDGE_ROLE = "EdgeTransport"
# Which part of norm 5.1's check (c) was applied; the report says it (detail "norm_5_1_rule").
RULE_DOMAIN = "domain_membership"
RULE_EDGE_SUFFIX = "edge_dns_suffix"


def rule_for(role: str | None) -> str:
    return RULE_EDGE_SUFFIX if str(role or "").replace(" ", "").lower() in ("edgetransport", "edge") else RULE_DOMAIN


@dataclass(frozen=True)
class GuardProblem:
    check: str
    es: str
    en: str

    def message(self, language: str = "es") -> str:
        return i18n.text(language, self.es, self.en)


def check_rpi_server(*, inventory_hostname: str, group_names: list[str], declared: Any, rpi_domain: str,
                     expected_hostname: str | None, server_facts: dict[str, Any], role: str | None = None) -> list[GuardProblem]:
    """Every reason this host is not the RPI's Exchange server (empty: it is)."""
    problems: list[GuardProblem] = []
    if RPI_GROUP not in group_names:
        problems.append(GuardProblem(
            "group", f"El equipo {inventory_hostname} no pertenece al grupo {RPI_GROUP} del inventario. Solo los servidores "
                     f"del RPI se instalan con este procedimiento (norma 5.1).",
            f"Host {inventory_hostname} is not in the inventory group {RPI_GROUP}. Only the RPI's servers are installed "
            f"by this procedure (norm 5.1)."))
    if declared is not True:
        problems.append(GuardProblem(
            "declared", f"El equipo {inventory_hostname} no está declarado como servidor del RPI: defina "
                        f"rpi_exchange_rpi_server: true en sus variables de host, solo si el servidor es de uso exclusivo del RPI.",
            f"Host {inventory_hostname} is not declared as the RPI's server: set rpi_exchange_rpi_server: true in its host "
            f"variables, only if the server is for the RPI's exclusive use."))
    if not rpi_domain:
        problems.append(GuardProblem(
            "rpi_domain", "Falta rpi_exchange_rpi_domain (el dominio de Active Directory del RPI) en el inventario.",
            "rpi_exchange_rpi_domain (the RPI's Active Directory domain) is missing from the inventory."))
        return problems
    computer = server_facts.get("computer") or {}
    domain = str(computer.get("domain") or "")
    if rule_for(role) == RULE_EDGE_SUFFIX:
        problems.extend(_edge_suffix_problems(inventory_hostname, rpi_domain, computer))
    elif not computer.get("domain_joined") or domain.lower() != rpi_domain.lower():
        shown = domain if computer.get("domain_joined") else "ninguno (grupo de trabajo)"
        problems.append(GuardProblem(
            "domain", f"El servidor pertenece al dominio {shown}, no al del RPI (rpi_exchange_rpi_domain: {rpi_domain}). "
                      f"Verifique que ansible_host de {inventory_hostname} en el inventario apunta al servidor del RPI.",
            f"The server belongs to domain {domain or 'none (workgroup)'}, not the RPI's (rpi_exchange_rpi_domain: {rpi_domain}). "
            f"Check that ansible_host of {inventory_hostname} in the inventory points at the RPI's server."))
    hostname = str(computer.get("hostname") or "")
    if expected_hostname and hostname.lower() != expected_hostname.split(".")[0].lower():
        problems.append(GuardProblem(
            "hostname", f"El servidor se llama {hostname}, pero el inventario espera {expected_hostname} "
                        f"(rpi_exchange_server_hostname). Verifique ansible_host de {inventory_hostname} en el inventario y el DNS.",
            f"The server is named {hostname}, but the inventory expects {expected_hostname} (rpi_exchange_server_hostname). "
            f"Check ansible_host of {inventory_hostname} in the inventory and DNS."))
    return problems


def _edge_suffix_problems(inventory_hostname: str, rpi_domain: str, computer: dict[str, Any]) -> list[GuardProblem]:
    suffix = str(computer.get("primary_dns_suffix") or "").rstrip(".")
    if suffix.lower() == rpi_domain.lower():
        return []
    shown_es, shown_en = (suffix, suffix) if suffix else ("ninguno", "none")
    return [GuardProblem(
        "dns_suffix", f"El servidor de transporte perimetral (rpi_exchange_role: EdgeTransport) tiene el sufijo DNS principal "
                      f"{shown_es}, no el dominio del RPI (rpi_exchange_rpi_domain: {rpi_domain}). Un servidor perimetral no se une "
                      f"al dominio; la norma 5.1 se comprueba con su sufijo DNS principal. Verifique que ansible_host de "
                      f"{inventory_hostname} en el inventario apunta al servidor del RPI y, si es el suyo, configure su sufijo DNS "
                      f"principal como {rpi_domain} (Propiedades del sistema, Nombre de equipo, Más) y reinícielo.",
        f"The Edge Transport server (rpi_exchange_role: EdgeTransport) has primary DNS suffix {shown_en}, not the RPI's domain "
        f"(rpi_exchange_rpi_domain: {rpi_domain}). An Edge server is not domain-joined; norm 5.1 is checked with its primary DNS "
        f"suffix. Check that ansible_host of {inventory_hostname} in the inventory points at the RPI's server and, if it is "
        f"the RPI's, set its primary DNS suffix to {rpi_domain} (System Properties, Computer Name, More) and restart it.")]


def guard_evidence(inventory_hostname: str, rpi_domain: str, server_facts: dict[str, Any], role: str | None = None) -> dict[str, Any]:
    computer = server_facts.get("computer") or {}
    name = computer.get("fqdn") or inventory_hostname
    details = {"inventory_hostname": inventory_hostname, "hostname": computer.get("hostname"), "domain": computer.get("domain"),
               "norm_5_1_rule": rule_for(role)}
    if rule_for(role) == RULE_EDGE_SUFFIX:
        details["primary_dns_suffix"] = computer.get("primary_dns_suffix")
        return Evidence(
            kind="check", level="ok",
            summary_es=f"Servidor de transporte perimetral {name}, fuera del dominio por diseño, con el sufijo DNS principal del "
                       f"dominio del RPI ({rpi_domain}) y declarado servidor del RPI: de uso exclusivo del RPI (norma 5.1, "
                       f"regla del servidor perimetral).",
            summary_en=f"Edge Transport server {name}, outside the domain by design, with the RPI's domain ({rpi_domain}) as its "
                       f"primary DNS suffix and declared the RPI's server: for the RPI's exclusive use (norm 5.1, Edge server rule).",
            details=details,
        ).as_dict()
    return Evidence(
        kind="check", level="ok",
        summary_es=f"Servidor {name} del dominio {rpi_domain}: de uso exclusivo del RPI (norma 5.1, regla de pertenencia al dominio).",
        summary_en=f"Server {name} in domain {rpi_domain}: for the RPI's exclusive use (norm 5.1, domain membership rule).",
        details=details,
    ).as_dict()
