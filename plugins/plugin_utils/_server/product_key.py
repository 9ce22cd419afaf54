# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 10: the Exchange product key. Decided in Python; `win_exchange_product_key` only reads and acts.

Microsoft, "Enter your Exchange Server product key" (learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/
enter-product-key):

- without a key "your server is automatically licensed as a trial edition", which "functions just like an Exchange
  Standard Edition server" for "up to 180 days" (TRIAL_DAYS);
- in the Exchange Management Shell: ``Set-ExchangeServer <ServerName> -ProductKey <ProductKey>``, which "works to license
  an unlicensed server or to upgrade a licensed server from a Standard Edition license to an Enterprise Edition license";
- "After you license a Mailbox server, run ... ``Restart-Service MSExchangeIS``";
- verify with ``Get-ExchangeServer <ServerName> | Format-List Name,Edition,*Trial*``;
- "You can't downgrade from an Enterprise Edition license to a Standard Edition license without reinstalling Exchange"
  (also "Exchange Server editions and versions", .../plan-and-deploy/deployment-ref/editions-and-versions).

Idempotence. A key cannot be read back (Get-ExchangeServer shows a ProductID, not the key), and its edition is known only
once Exchange has taken it. Entering the same key again would restart the Information Store (mail stops for a moment)
for nothing. So: the key is entered only while the server is a trial, or when the inventory asks for Enterprise
(`rpi_exchange_product_edition`) on a server licensed Standard (Microsoft's one documented upgrade). A licensed server of
the expected edition (or of any edition, when none is expected) is left as it is. After entering it, the server must no
longer be a trial and, when an edition is expected, be of that edition.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timezone
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

VARIABLE = "rpi_exchange_product_key"
EDITION_VARIABLE = "rpi_exchange_product_edition"
SOURCE = "learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/enter-product-key"
# "you can only use an Exchange server licensed as a trial edition for up to 180 days" [SOURCE].
TRIAL_DAYS = 180
STANDARD, ENTERPRISE = "Standard", "Enterprise"
EDITIONS = (STANDARD, ENTERPRISE)
# Five groups of five letters or digits, separated by dashes: Microsoft's example is 12345-12345-12345-12345-12345 [SOURCE].
_KEY = re.compile(r"^[A-Za-z0-9]{5}(?:-[A-Za-z0-9]{5}){4}$")
MASK_CHAR = "*"
VISIBLE = 5
# What the decision can be.
ENTER, NOTHING, NOT_APPLICABLE = "enter", "nothing", "not_applicable"


def normalize_key(value: object) -> str:
    """The key as Exchange takes it: without surrounding blanks, in capitals."""
    return str(value or "").strip().upper()


def well_formed(value: object) -> bool:
    """Five groups of five letters or digits separated by dashes."""
    return bool(_KEY.match(str(value or "").strip()))


# Why a malformed key is refused and how to fix it, never with the key in the words.
SHAPE_ES = ("no tiene la forma de una clave de producto de Exchange: cinco grupos de cinco letras o dígitos separados por "
            "guiones (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX)")
SHAPE_EN = ("is not shaped like an Exchange product key: five groups of five letters or digits separated by dashes "
            "(XXXXX-XXXXX-XXXXX-XXXXX-XXXXX)")
FIX_ES = "Corrija el valor en el almacén cifrado (ansible-vault edit), o quite la variable para dejar el servidor en edición de prueba."
FIX_EN = "Correct the value in the vault (ansible-vault edit), or remove the variable to leave the server in its trial edition."
MALFORMED = "product_key_malformed"


def format_problem(value: object) -> i18n.Text | None:
    """Why the key is refused before any change (never with the key in the words), or None when it is well formed."""
    if well_formed(value):
        return None
    return i18n.Text(f"{VARIABLE} {SHAPE_ES}. {FIX_ES}", f"{VARIABLE} {SHAPE_EN}. {FIX_EN}")


def mask(value: object) -> str:
    """`*****-*****-*****-*****-ABCDE`: only the last five characters show; anything not shaped like a key shows nothing."""
    key = normalize_key(value)
    if not well_formed(key):
        return MASK_CHAR * 8
    return "-".join([MASK_CHAR * 5] * 4 + [key[-VISIBLE:]])


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _as_date(parsed)


_SPAN = re.compile(r"^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$")


def days_of_span(value: object) -> int | None:
    """The whole days of a .NET TimeSpan as PowerShell prints it (`179.23:59:59.1234567`, `00:00:00`), or None."""
    match = _SPAN.match(str(value or "").strip())
    return int(match.group(1) or 0) if match else None


def trial_days_left(installed_on: object, today: object, remaining: object = None) -> int | None:
    """Days of the 180-day trial left on `today`, counted from the day Exchange was installed (the server object's
    creation); without an install date, from Get-ExchangeServer's RemainingTrialPeriod. Never below 0; None when neither
    is known."""
    start, now = _as_date(installed_on), _as_date(today)
    if start is not None and now is not None:
        return max(0, TRIAL_DAYS - max(0, (now - start).days))
    days = days_of_span(remaining)
    return None if days is None else max(0, days)


@dataclasses.dataclass(frozen=True)
class ServerLicence:
    """What Get-ExchangeServer says: `edition` (Standard, Enterprise, StandardEvaluation...), `trial`, the install date."""

    found: bool
    edition: str = ""
    trial: bool = False
    installed_on: str | None = None
    remaining: str | None = None
    server_role: str = ""

    @classmethod
    def from_module(cls, answer: Mapping[str, Any]) -> "ServerLicence":
        server = answer.get("exchange_server") if isinstance(answer.get("exchange_server"), Mapping) else None
        if not server:
            return cls(found=False)
        return cls(found=True, edition=str(server.get("edition") or ""), trial=bool(server.get("is_trial")),
                   installed_on=server.get("when_created_utc") or None, remaining=server.get("remaining_trial_period") or None,
                   server_role=str(server.get("server_role") or ""))

    @property
    def licensed_edition(self) -> str | None:
        """Standard or Enterprise once licensed; None for a trial."""
        if self.trial:
            return None
        for edition in EDITIONS:
            if self.edition.lower() == edition.lower():
                return edition
        return self.edition or None


@dataclasses.dataclass(frozen=True)
class Decision:
    action: str
    reason: str
    es: str
    en: str

    def message(self, language: str = SPANISH) -> str:
        return i18n.text(language, self.es, self.en)


def decide(server: ServerLicence, key: object, expected_edition: str | None = None) -> Decision:
    """Whether to enter the key (see the module docstring for why a licensed server is left alone)."""
    if not server.found:
        return Decision(NOT_APPLICABLE, "no_server", "Get-ExchangeServer no conoce este servidor: no hay licencia que revisar.",
                        "Get-ExchangeServer does not know this server: there is no licence to look at.")
    has_key = bool(normalize_key(key))
    if server.trial:
        if not has_key:
            return Decision(NOTHING, "trial_without_key",
                            f"Exchange funciona como edición de prueba y no se indicó {VARIABLE}: no se ingresa ninguna clave.",
                            f"Exchange runs as a trial edition and {VARIABLE} is not given: no key is entered.")
        return Decision(ENTER, "trial", "Exchange funciona como edición de prueba: se ingresa la clave de producto.",
                        "Exchange runs as a trial edition: the product key is entered.")
    current = server.licensed_edition or "?"
    if has_key and expected_edition == ENTERPRISE and current == STANDARD:
        return Decision(ENTER, "upgrade", "El servidor tiene licencia Standard y se espera Enterprise: se ingresa la clave.",
                        "The server is licensed Standard and Enterprise is expected: the key is entered.")
    return Decision(NOTHING, "licensed", f"Exchange ya tiene licencia (edición {current}): no se cambia.",
                    f"Exchange is already licensed ({current} edition): nothing is changed.")


def verify(after: ServerLicence, expected_edition: str | None = None) -> i18n.Text | None:
    """What is wrong once the key was entered, or None: still a trial, or not the edition the inventory expects."""
    if not after.found:
        return i18n.Text("Tras ingresar la clave, Get-ExchangeServer no devolvió el servidor.",
                         "After the key was entered, Get-ExchangeServer did not return the server.")
    if after.trial:
        return i18n.Text(f"Tras ingresar la clave, Exchange sigue como edición de prueba ({after.edition}). Revise que la clave "
                         f"de {VARIABLE} corresponda a esta versión de Exchange.",
                         f"After the key was entered, Exchange is still a trial edition ({after.edition}). Check that the key in "
                         f"{VARIABLE} is for this version of Exchange.")
    if expected_edition and after.licensed_edition != expected_edition:
        return i18n.Text(f"La clave dejó la edición {after.licensed_edition}, pero {EDITION_VARIABLE} espera {expected_edition}. "
                         "Revise que la clave sea de la edición comprada.",
                         f"The key left the {after.licensed_edition} edition, but {EDITION_VARIABLE} expects {expected_edition}. "
                         "Check that the key is of the edition purchased.")
    return None


def restarts_information_store(server: ServerLicence) -> bool:
    """Microsoft restarts the Information Store "after you license a Mailbox server"; an Edge server has none."""
    return "edge" not in server.server_role.lower()


def licence_notice(server: ServerLicence, *, key: object = None, today: object = None, entered: bool = False,
                   check_mode: bool = False) -> dict[str, Any]:
    """The evidence the report's first page shows (a `notice`): the trial days left, or the edition and the key masked
    except its last five characters. `key` is the inventory's, only ever shown masked."""
    if server.trial and not (entered and check_mode):
        left = trial_days_left(server.installed_on, today, server.remaining)
        left_es = f"quedan {left} de {TRIAL_DAYS} días" if left is not None else f"prueba de {TRIAL_DAYS} días"
        left_en = f"{left} of {TRIAL_DAYS} days left" if left is not None else f"{TRIAL_DAYS}-day trial"
        details: dict[str, Any] = {"edition": server.edition, "trial": True, "trial_days_left": left,
                                   "installed_on": server.installed_on, "first_page": True, "source": SOURCE}
        return Evidence(kind="notice", level="warning",
                        summary_es=f"Exchange funciona como edición de prueba ({left_es}). Ingrese la clave de producto "
                                   f"({VARIABLE}) antes de validar la instalación.",
                        summary_en=f"Exchange runs as a trial edition ({left_en}). Enter the product key ({VARIABLE}) before "
                                   "validating the installation.", details=details).as_dict()
    masked = mask(key) if normalize_key(key) else None
    edition = server.licensed_edition or server.edition
    # A key not entered by this run is the inventory's: the server may hold it, but cannot say so (no key is read back).
    key_es = (f", clave {masked}" if entered else f", clave del inventario {masked}, no se vuelve a ingresar") if masked else ""
    key_en = (f", key {masked}" if entered else f", the inventory's key {masked}, not entered again") if masked else ""
    if entered and check_mode:
        return Evidence(kind="notice", level="info",
                        summary_es=f"Se ingresaría la clave de producto {masked} (modo de comprobación: no se cambió nada).",
                        summary_en=f"The product key {masked} would be entered (check mode: nothing changed).",
                        details={"trial": True, "licence_masked": masked, "first_page": True, "source": SOURCE}).as_dict()
    return Evidence(kind="notice", level="info",
                    summary_es=f"Exchange con licencia: edición {edition}{key_es}.",
                    summary_en=f"Exchange is licensed: {edition} edition{key_en}.",
                    details={"edition": edition, "trial": False, "licence_masked": masked, "first_page": True,
                             "source": SOURCE}).as_dict()
