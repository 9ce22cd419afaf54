# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 1: who runs the procedure, as the manual names him.

Norm 5.5 makes everyone who takes part in section 7 co-responsible, and the report names them: the
technician by his name and position (the manual's "Técnico de Operaciones y Seguridad Informática"),
not by the login of the equipo de control, which is a shared or service account as often as not. So
`rpi_exchange_technician` is required, a mapping `{name, position}`; without it the run stops in
activity 1, before anything is sent to the server. The operating-system user stays in the report as a
technical detail (run.controller.user).

A plain text ("Ing. Juan Pérez, Técnico ...") was accepted before 0.4.0; it is refused now with the
mapping to write, because a name and a position cannot be told apart reliably in free text.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

VARIABLE = "rpi_exchange_technician"
MIN_TEXT = 3
MAX_TEXT = 200
EXAMPLE = '{name: "Ing. Juan Pérez", position: "Técnico de Operaciones y Seguridad Informática"}'
WHERE_ES = ("Defínalo en el inventario (group_vars/rpi_exchange_servers/exchange.yml) o con -e, con su nombre y cargo: "
            f"{VARIABLE}: {EXAMPLE}")
WHERE_EN = ("Set it in the inventory (group_vars/rpi_exchange_servers/exchange.yml) or with -e, with name and position: "
            f"{VARIABLE}: {EXAMPLE}")


@dataclass(frozen=True)
class TechnicianProblem:
    field: str
    es: str
    en: str

    def message(self, language: str = "es") -> str:
        return f"{self.field}: {i18n.text(language, self.es, self.en)}"


@dataclass(frozen=True)
class Technician:
    name: str
    position: str
    problems: list[TechnicianProblem] = field(default_factory=list)

    def label(self) -> str:
        """How a person reads him: "Ing. Juan Pérez, Técnico de Operaciones y Seguridad Informática"."""
        return f"{self.name}, {self.position}" if self.name and self.position else self.name

    def as_record(self) -> dict[str, str]:
        return {"name": self.name, "position": self.position}


def _text(raw: t.Mapping[str, t.Any], key: str, problems: list[TechnicianProblem], what_es: str, what_en: str) -> str:
    value = raw.get(key)
    if isinstance(value, str) and MIN_TEXT <= len(value.strip()) <= MAX_TEXT:
        return value.strip()
    too_long = isinstance(value, str) and len(value.strip()) > MAX_TEXT
    problems.append(TechnicianProblem(
        f"{VARIABLE}.{key}",
        f"{what_es} {'tiene más de ' + str(MAX_TEXT) + ' caracteres' if too_long else 'falta o está vacío'}. Escríbalo como lo nombra "
        "el manual (norma 5.5: el informe nombra a cada responsable).",
        f"{what_en} {'is longer than ' + str(MAX_TEXT) + ' characters' if too_long else 'is missing or empty'}. Write it as the "
        "manual names it (norm 5.5: the report names everyone responsible)."))
    return ""


def parse_technician(raw: t.Any) -> Technician:
    """The technician from `rpi_exchange_technician`; every problem at once, each naming the key to correct."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Technician("", "", [TechnicianProblem(
            VARIABLE,
            "falta quién ejecuta el procedimiento (el Técnico de Operaciones y Seguridad Informática; norma 5.5: el informe nombra a "
            f"cada responsable, no al usuario del equipo de control). {WHERE_ES}",
            "who runs the procedure is missing (the Técnico de Operaciones y Seguridad Informática; norm 5.5: the report names "
            f"everyone responsible, not the equipo de control's user). {WHERE_EN}")])
    if isinstance(raw, str):
        return Technician("", "", [TechnicianProblem(
            VARIABLE,
            f"desde la versión 0.4.0 es un diccionario con name (nombre) y position (cargo), no un texto («{raw.strip()[:MAX_TEXT]}»). "
            f"Corríjalo así: {VARIABLE}: {EXAMPLE}",
            f"since release 0.4.0 it is a mapping with name and position, not a text ('{raw.strip()[:MAX_TEXT]}'). "
            f"Write it as: {VARIABLE}: {EXAMPLE}")])
    if not isinstance(raw, t.Mapping):
        return Technician("", "", [TechnicianProblem(
            VARIABLE, f"debe ser un diccionario con name y position. {WHERE_ES}", f"must be a mapping with name and position. {WHERE_EN}")])
    problems: list[TechnicianProblem] = []
    name = _text(raw, "name", problems, "El nombre del técnico", "The technician's name")
    position = _text(raw, "position", problems, "El cargo del técnico", "The technician's position")
    unknown = sorted(str(key) for key in raw if key not in ("name", "position"))
    if unknown:
        problems.append(TechnicianProblem(
            VARIABLE, f"clave(s) desconocida(s) {', '.join(unknown)}; solo name y position.",
            f"unknown key(s) {', '.join(unknown)}; only name and position."))
    return Technician(name, position, problems)
