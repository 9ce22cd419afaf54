# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's two languages, in one place.

Spanish is the RPI's language and the default; English is given on request (`language: en`).
Every plugin says a thing in both and picks one with `text(language, es, en)`, or keeps the
pair as a `Text` and picks later. The report's own words stay in report/i18n.py.
"""

from __future__ import annotations

import typing as t

SPANISH = "es"
ENGLISH = "en"
LANGUAGES = (SPANISH, ENGLISH)


def check_language(value: object) -> str:
    """`es` or `en` (case-insensitive); ValueError otherwise. None means Spanish, the manual's language."""
    if value is None:
        return SPANISH
    text_value = str(value).strip().lower()
    if text_value not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
    return text_value


def text(language: object, es: t.Any, en: t.Any) -> t.Any:
    """`es` when `language` is Spanish, else `en`."""
    return es if language == SPANISH else en


class Text(t.NamedTuple):
    """One thing said in both languages."""

    es: str
    en: str

    def pick(self, language: object) -> str:
        return text(language, self.es, self.en)
