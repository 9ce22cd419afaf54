# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Norm 5.1: the mail server is for the exclusive use of the RPI.

Before anything changes, the target must be (a) in the RPI server group, (b) declared in the
inventory as the RPI's server, and (c) what the server itself says it is: a member of the RPI's
domain, with the host name the inventory expects. A typo in `-l`, a reused inventory or a DNS
record pointing at another ministry's machine are all stopped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

RPI_GROUP = "rpi_exchange_servers"


@dataclass(frozen=True)
class GuardProblem:
    check: str
    es: str
    en: str

    def message(self, language: str = "es") -> str:
        return i18n.text(language, self.es, self.en)


def check_rpi_server(*, inventory_hostname: str, group_names: list[str], declared: Any, rpi_domain: str,
                     expected_hostname: str | None, server_facts: dict[str, Any]) -> list[GuardProblem]:
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
    if not computer.get("domain_joined") or domain.lower() != rpi_domain.lower():
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


def guard_evidence(inventory_hostname: str, rpi_domain: str, server_facts: dict[str, Any]) -> dict[str, Any]:
    computer = server_facts.get("computer") or {}
    return Evidence(
        kind="check", level="ok",
        summary_es=f"Servidor {computer.get('fqdn') or inventory_hostname} del dominio {rpi_domain}: de uso exclusivo del RPI (norma 5.1).",
        summary_en=f"Server {computer.get('fqdn') or inventory_hostname} in domain {rpi_domain}: for the RPI's exclusive use (norm 5.1).",
        details={"inventory_hostname": inventory_hostname, "hostname": computer.get("hostname"), "domain": computer.get("domain")},
    ).as_dict()
