# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 6 of ME-VAR-RPI-MNP-15: accept the Microsoft Exchange licence, explicitly.

In the wizard the technician ticks "I accept"; unattended, Setup.exe needs a licence
switch in every command, and from the September 2021 CUs on that switch also carries the
diagnostic-data choice (`_DiagnosticDataON/OFF`). Nothing here defaults either choice:
acceptance must be `true` and the diagnostic-data choice `ON` or `OFF`, written by a
person in the inventory. The record says who accepted, when (UTC), for which media build
and which licence text (its SHA-256, as the media module found it), so the IT Head can
see in the report what was accepted on the RPI's behalf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import base_cu_of, find_switch, license_switch, parse_version, product_line
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import LINE_2019, LINE_SE
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switches import LICENSE_LEGACY, LICENSE_SWITCHES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import (
    OptionProblem,
    name_variables,
    report_evidence,
)

DIAGNOSTIC_ON = "ON"
DIAGNOSTIC_OFF = "OFF"
DIAGNOSTIC_CHOICES = (DIAGNOSTIC_ON, DIAGNOSTIC_OFF)
EVIDENCE_KIND = "check"  # the report vocabulary (plugin_utils/report/vocabulary.py)
ACTIVITY = 6
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


def normalize_diagnostic_data(value: object) -> str | None:
    """`ON` or `OFF`, or None when the value is neither.

    YAML 1.1 reads an unquoted `ON`/`OFF` as a boolean, so true/false are the same
    explicit choice written without quotes; any other text is not a choice.
    """
    if isinstance(value, bool):
        return DIAGNOSTIC_ON if value else DIAGNOSTIC_OFF
    if value is None:
        return None
    text = str(value).strip().upper()
    return text if text in DIAGNOSTIC_CHOICES else None


@dataclass(frozen=True)
class LicenseAcceptance:
    """What was accepted, by whom and when; `switch` is the one the media's Setup.exe understands."""

    accepted_by: str
    accepted_at: str
    license_sha256: str | None
    media_version: str
    diagnostic_data: str
    switch: str

    @property
    def diagnostic_choice_in_switch(self) -> bool:
        """False for media older than the September 2021 CUs: their only switch carries no choice."""
        return self.switch != "/" + LICENSE_LEGACY

    def record(self) -> dict[str, Any]:
        """The acceptance record activity 8 takes whole (`exchange_setup`'s `license_record`)."""
        return {
            "accepted": True, "accepted_by": self.accepted_by, "accepted_at": self.accepted_at, "license_sha256": self.license_sha256,
            "media_version": self.media_version, "diagnostic_data": self.diagnostic_data, "switch": self.switch,
        }


def _accept_problems(accept: object) -> list[OptionProblem]:
    if accept is True:
        return []
    fix_es = ("Defina {var}: true en el inventario después de leer los términos de licencia de Microsoft Exchange que trae "
              "el medio de instalación, si el RPI los acepta (actividad 6 del manual ME-VAR-RPI-MNP-15).")
    fix_en = ("Set {var}: true in the inventory after reading the Microsoft Exchange licence terms on the installation "
              "media, if the RPI accepts them (activity 6 of manual ME-VAR-RPI-MNP-15).")
    if accept is None:
        return [OptionProblem("accept", "license_not_accepted", "falta la aceptación explícita.",
                              "the explicit acceptance is missing.", fix_es, fix_en)]
    if accept is False:
        return [OptionProblem("accept", "license_not_accepted", "el valor es false.", "the value is false.", fix_es, fix_en)]
    return [OptionProblem("accept", "license_accept_not_boolean", f"'{accept}' no es un valor verdadero o falso.",
                          f"'{accept}' is not true or false.", fix_es, fix_en)]


def _diagnostic_problems(value: object, choice: str | None) -> list[OptionProblem]:
    if choice is not None:
        return []
    fix_es = ("Defina {var}: \"OFF\" (no enviar datos de diagnóstico a Microsoft) o {var}: \"ON\" (enviarlos), entre comillas; "
              "la elección no tiene valor por omisión.")
    fix_en = ("Set {var}: \"OFF\" (send no diagnostic data to Microsoft) or {var}: \"ON\" (send it), quoted; the choice has no "
              "default.")
    if value is None or (isinstance(value, str) and not value.strip()):
        return [OptionProblem("diagnostic_data", "diagnostic_data_missing", "falta la elección de datos de diagnóstico.",
                              "the diagnostic-data choice is missing.", fix_es, fix_en)]
    return [OptionProblem("diagnostic_data", "diagnostic_data_invalid",
                          f"'{value}' no es una elección de datos de diagnóstico (ON u OFF).",
                          f"'{value}' is not a diagnostic-data choice (ON or OFF).", fix_es, fix_en)]


def _media_problems(media_version: object) -> tuple[str | None, list[OptionProblem]]:
    fix_es = "Use la versión de Setup.exe que informa el módulo del medio (por ejemplo 15.2.1748.10)."
    fix_en = "Use the Setup.exe version the media module reports (for example 15.2.1748.10)."
    if media_version is None or not str(media_version).strip():
        return None, [OptionProblem("media_version", "media_version_missing", "falta la versión del medio de instalación.",
                                    "the installation media's version is missing.", fix_es, fix_en)]
    try:
        version = parse_version(str(media_version))
    except ValueError:
        return None, [OptionProblem("media_version", "media_version_invalid",
                                    f"'{media_version}' no es un número de versión de Exchange.",
                                    f"'{media_version}' is not an Exchange version number.", fix_es, fix_en)]
    if product_line(version) not in (LINE_2019, LINE_SE):
        return None, [OptionProblem("media_version", "media_not_supported",
                                    f"la versión {media_version} no es de Exchange Server 2019 ni de Exchange Server SE.",
                                    f"version {media_version} is neither Exchange Server 2019 nor Exchange Server SE.",
                                    "Use el medio de Exchange Server 2019 o SE.", "Use Exchange Server 2019 or SE media.")]
    return ".".join(str(part) for part in version), []


def _hash_problems(license_sha256: object) -> tuple[str | None, list[OptionProblem]]:
    if license_sha256 is None or not str(license_sha256).strip():
        return None, []
    text = str(license_sha256).strip()
    if not _SHA256.match(text):
        return None, [OptionProblem("license_sha256", "license_sha256_invalid",
                                    "el hash del texto de la licencia no es un SHA-256 (64 dígitos hexadecimales).",
                                    "the licence text hash is not a SHA-256 (64 hexadecimal digits).",
                                    "Use el valor que devuelve el módulo del medio de instalación.",
                                    "Use the value the installation media module returns.")]
    return text.lower(), []


def check_license(*, accept: object, diagnostic_data: object, media_version: object, accepted_by: object,
                  license_sha256: object = None, variable_names: Mapping[str, str] | None = None,
                  now: datetime | None = None) -> tuple[LicenseAcceptance | None, tuple[OptionProblem, ...]]:
    """The acceptance, or None and every problem that prevents it (never only the first).

    `accept` must be exactly True and `diagnostic_data` ON/OFF (or a YAML boolean, see
    `normalize_diagnostic_data`); `media_version` is the build of the media's Setup.exe and
    decides the switch through the catalogue; `license_sha256` is optional (None when the
    media module found no licence text) but must be a SHA-256 when given.
    """
    choice = normalize_diagnostic_data(diagnostic_data)
    problems = _accept_problems(accept) + _diagnostic_problems(diagnostic_data, choice)
    version, media_problems = _media_problems(media_version)
    digest, hash_problems = _hash_problems(license_sha256)
    problems += media_problems + hash_problems
    who = "" if accepted_by is None else str(accepted_by).strip()
    if not who:
        problems.append(OptionProblem("accepted_by", "accepted_by_missing", "falta quién acepta la licencia.",
                                      "who accepts the licence is missing.", "Indique el nombre del técnico en {var}.",
                                      "Give the technician's name in {var}."))
    named = name_variables(problems, variable_names)
    if named or version is None or choice is None:
        return None, named
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return LicenseAcceptance(
        accepted_by=who,
        accepted_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        license_sha256=digest,
        media_version=version,
        diagnostic_data=choice,
        switch=license_switch(version, choice == DIAGNOSTIC_ON),
    ), ()


def _media_label(media_version: str) -> str:
    cu = base_cu_of(media_version)
    return f"{media_version} ({cu.label})" if cu else media_version


def license_evidence(acceptance: LicenseAcceptance | None, problems: tuple[OptionProblem, ...] = (),
                     language: str = SPANISH) -> dict[str, Any]:
    """The `rpi_report` evidence for activity 6: the acceptance record, or the refusal and why."""
    if acceptance is None:
        return report_evidence(
            EVIDENCE_KIND,
            "Licencia de Microsoft Exchange no aceptada: " + " ".join(problem.message(SPANISH) for problem in problems),
            "Microsoft Exchange licence not accepted: " + " ".join(problem.message("en") for problem in problems),
            {"activity": ACTIVITY, "status": "refused", "problems": [problem.as_dict() for problem in problems],
             "language": language},
            level="error",
        )
    media = _media_label(acceptance.media_version)
    digest = acceptance.license_sha256 or "no registrado"
    summary_es = (f"Licencia de Microsoft Exchange aceptada por {acceptance.accepted_by} el {acceptance.accepted_at} para el medio "
                  f"{media}; datos de diagnóstico: {acceptance.diagnostic_data}; parámetro {acceptance.switch}; "
                  f"SHA-256 del texto de la licencia: {digest}.")
    summary_en = (f"Microsoft Exchange licence accepted by {acceptance.accepted_by} at {acceptance.accepted_at} for media {media}; "
                  f"diagnostic data: {acceptance.diagnostic_data}; switch {acceptance.switch}; licence text SHA-256: "
                  f"{acceptance.license_sha256 or 'not recorded'}.")
    if not acceptance.diagnostic_choice_in_switch:
        summary_es += " Este medio es anterior a CU11: su parámetro de licencia no lleva la elección de datos de diagnóstico."
        summary_en += " This media predates CU11: its licence switch carries no diagnostic-data choice."
    details = dict(acceptance.record(), activity=ACTIVITY, status="accepted", language=language)
    return report_evidence(EVIDENCE_KIND, summary_es, summary_en, details, level="ok")


# --- activity 8: the record activity 6 returned ------------------------------------------------------------------------

RECORD_OPTION = "license_record"
_RECORD_FIX = ("Pase a rpi.exchange.exchange_setup el registro (record) que devolvió la aceptación de la licencia de la "
               "actividad 6 (rpi.exchange.exchange_license, rol rpi.exchange.accept_license) con este medio; sin ese registro "
               "no se instala.",
               "Pass rpi.exchange.exchange_setup the record that activity 6's licence acceptance returned "
               "(rpi.exchange.exchange_license, role rpi.exchange.accept_license) with this media; without it nothing is "
               "installed.")


def _record_problem(code: str, es: str, en: str) -> OptionProblem:
    return OptionProblem(RECORD_OPTION, code, es, en, *_RECORD_FIX)


def accepted_switch(record: object, media_version: object, license_sha256: object = None) -> tuple[str | None, tuple[OptionProblem, ...]]:
    """The licence switch of activity 6's acceptance `record`, for setup media `media_version`; None and why otherwise.

    Nothing is derived here: the switch is the one `check_license` chose once. The record must say `accepted: true`, be
    for this media build, carry a licence switch of the catalogue that agrees with its diagnostic-data choice, and, when
    both the record and the mounted media know the licence text's SHA-256, be for that text.
    """
    if not isinstance(record, Mapping) or not record:
        return None, (_record_problem("license_record_missing", "falta el registro de aceptación de la licencia de la actividad 6.",
                                      "activity 6's licence acceptance record is missing."),)
    if record.get("accepted") is not True:
        return None, (_record_problem("license_record_not_accepted",
                                      "el registro no dice que la licencia fue aceptada (accepted: true).",
                                      "the record does not say the licence was accepted (accepted: true)."),)
    problems = []
    try:
        wanted, given = parse_version(str(media_version)), parse_version(str(record.get("media_version")))
    except ValueError:
        wanted = given = None
    if wanted is None or wanted != given:
        problems.append(_record_problem("license_record_other_media",
                                        f"la licencia se aceptó para el medio {record.get('media_version')}, no para {media_version}.",
                                        f"the licence was accepted for media {record.get('media_version')}, not {media_version}."))
    switch = str(record.get("switch") or "").strip()
    catalogue_switch = find_switch(switch.lstrip("/")) if switch.startswith("/") else None
    choice = normalize_diagnostic_data(record.get("diagnostic_data"))
    if catalogue_switch is None or catalogue_switch.name not in LICENSE_SWITCHES or choice is None or (
            catalogue_switch.name != LICENSE_LEGACY and not catalogue_switch.name.upper().endswith("_DIAGNOSTICDATA" + choice)):
        problems.append(_record_problem("license_record_switch",
                                        f"el parámetro de licencia del registro ({switch or 'vacío'}) no es uno que Setup.exe acepte "
                                        f"con la elección de datos de diagnóstico {record.get('diagnostic_data')}.",
                                        f"the record's licence switch ({switch or 'empty'}) is not one Setup.exe accepts with the "
                                        f"diagnostic-data choice {record.get('diagnostic_data')}."))
    known, _problems = _hash_problems(record.get("license_sha256"))
    mounted, _problems = _hash_problems(license_sha256)
    if known and mounted and known != mounted:
        problems.append(_record_problem("license_record_other_text",
                                        f"la licencia aceptada (SHA-256 {known}) no es la del medio montado (SHA-256 {mounted}).",
                                        f"the accepted licence (SHA-256 {known}) is not the mounted media's (SHA-256 {mounted})."))
    if problems:
        return None, tuple(problems)
    return "/" + catalogue_switch.name, ()
