# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep secrets out of every report artefact.

Three nets, because one is never enough for a document that is e-mailed and printed:
  1. by name: a value stored under a key that looks like a secret (password, token,
     product_key, ...) is masked wherever it appears in foreign content;
  2. by value: the values of variables with such names, of the variables the roles declare
     `no_log: true` and of ansible-core's connection and become passwords (extra vars,
     inventory, play vars, set_fact, module arguments) are collected as the run goes and
     replaced in the report: a field whose whole value is a secret is masked whatever its
     length; inside text (task names, error messages) a secret is searched for only when it
     has MIN_SECRET_LENGTH characters or more, as a whole token when it is made of letters
     and digits, and never when it looks like an ordinary word ("features", "Guatemala"):
     searching for those would mask the same word in every sentence. The secrets not searched
     for are counted (`not_searched`) and the report says so, never with their values. Only
     those values are ever made plain (`collect_secrets`);
  3. by shape: an Exchange product key (`rpi_exchange_product_key`, in any case), and `password=...`-style fragments in
     text.
Results censored by `no_log` never reach this module: the callback keeps only their status.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import MASK

# Words that make a name secret wherever they appear inside it.
_STRONG = ("password", "passwd", "passphrase", "secret", "token", "credential", "productkey", "apikey", "privatekey")
# Words that make a name secret only as a whole segment (`smtp_key`, not `keyboard`).
_WEAK_SEGMENTS = frozenset(("key", "pwd", "pass", "pin"))
# A name that is only one of these names an identifier (dict2items' `key`, a catalogue's key), not a secret.
_ALONE_NOT_SECRET = frozenset(("key",))
# A `key` that names a place, not a secret (`registry_key_path`, `ssh_private_key_file`).
_NOT_SECRET_LAST = frozenset(("file", "path", "dir", "directory", "length", "size", "count"))
# Secrets shorter than this are not searched for in text: masking every "abc" or "ucma4" would wreck the report. They are
# still masked where they are a whole value (a field, a secret key's value).
MIN_SECRET_LENGTH = 8
# Letters only, in the case a word is written in (features, Features, FEATURES): an ordinary word, masked only as a value.
_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_A-Z]*|[^\W\d_a-z]+)$")
# Letters, digits and underscores: searched for as a whole token, so `vcredist2012x` keeps its `vcredist2012`.
_TOKEN = re.compile(r"^\w+$")
SHORT, WORD = "short", "word"

# Exchange takes a product key in any case (rpi_exchange_product_key, activity 10): masked whole by shape in either case. The
# report shows a key only as product_key.mask() writes it (`*****-*****-*****-*****-ABCDE`), which this never matches.
_PRODUCT_KEY = re.compile(r"\b[A-Z0-9]{5}(?:-[A-Z0-9]{5}){4}\b", re.IGNORECASE)
# The variables ansible-core and its connection and become plugins document as passwords (ssh, paramiko, winrm, psrp,
# httpapi; become, sudo, su, runas). Every one also looks secret by name: the list says so, and a test holds it to it.
CONNECTION_SECRETS = frozenset((
    "ansible_password", "ansible_ssh_pass", "ansible_ssh_password", "ansible_paramiko_pass", "ansible_paramiko_password",
    "ansible_winrm_pass", "ansible_winrm_password", "ansible_psrp_pass", "ansible_psrp_password",
    "ansible_httpapi_pass", "ansible_httpapi_password",
    "ansible_become_password", "ansible_become_pass", "ansible_sudo_pass", "ansible_sudo_password",
    "ansible_su_pass", "ansible_su_password", "ansible_runas_pass", "ansible_runas_password",
))

_ASSIGNMENT = re.compile(r"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|product[_-]?key)(\s*[=:]\s*)(?!\*{8})(\"[^\"]*\"|'[^']*'|[^\s,;]+)")


def is_secret_name(name: object) -> bool:
    """Whether a variable or key name looks like it holds a secret."""
    if not isinstance(name, str) or not name:
        return False
    # camelCase and kebab-case become snake_case segments: smtpPassword -> smtp_password
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace("-", "_")
    squashed = snake.replace("_", "")
    segments = [segment for segment in snake.split("_") if segment]
    if segments and segments[-1] in _NOT_SECRET_LAST:
        return False
    if len(segments) == 1 and segments[0] in _ALONE_NOT_SECRET:
        return False
    if any(word in squashed for word in _STRONG):
        return True
    return any(segment in _WEAK_SEGMENTS for segment in segments)


def _not_searched_reason(secret: str) -> str | None:
    """Why a secret is not searched for in text (`short`, `word`), or None when it is."""
    if len(secret) < MIN_SECRET_LENGTH:
        return SHORT
    if _WORD.match(secret):
        return WORD
    return None


class Scrubber:
    """Collects secret values during a run and removes them from what is written."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    @property
    def secret_count(self) -> int:
        return len(self._values)

    @property
    def not_searched(self) -> dict[str, int]:
        """How many known secrets are not searched for in text, and why: `short` (under MIN_SECRET_LENGTH characters),
        `word` (an ordinary word). Counts only: the values never leave this object."""
        counts = {SHORT: 0, WORD: 0}
        for secret in self._values:
            reason = _not_searched_reason(secret)
            if reason:
                counts[reason] += 1
        return {reason: count for reason, count in counts.items() if count}

    def add_value(self, value: object) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            return
        text = str.__str__(value)
        if text.strip() and text != MASK and "{{" not in text and text not in self._values:
            self._values.add(text)
            self._pattern = None

    def collect(self, variables: object, depth: int = 0) -> None:
        """Walk variables (nested) and remember every value kept under a secret-looking name."""
        if depth > 8:
            return
        if isinstance(variables, t.Mapping):
            for name, value in variables.items():
                if is_secret_name(name):
                    self._add_all(value, depth)
                else:
                    self.collect(value, depth + 1)
        elif isinstance(variables, (list, tuple)):
            for item in variables:
                self.collect(item, depth + 1)

    def collect_secrets(self, variables: object, names: t.Collection[str] = (), native: t.Callable[[t.Any], t.Any] | None = None,
                        depth: int = 0) -> None:
        """Learn the secrets among raw variables without reading the rest: the values kept under one of `names` (declared
        secret) or under a secret-looking name, at any depth. Only those values go through `native` (which makes a vaulted
        value plain); every other value is left as it is, its containers walked only to find nested secret names."""
        if depth > 8:
            return
        if isinstance(variables, t.Mapping):
            for name, value in variables.items():
                if isinstance(name, str) and (name in names or is_secret_name(name)):
                    self._add_all(native(value) if native is not None else value, depth)
                elif isinstance(value, (t.Mapping, list, tuple)):
                    self.collect_secrets(value, names, native, depth + 1)
        elif isinstance(variables, (list, tuple)):
            for item in variables:
                if isinstance(item, (t.Mapping, list, tuple)):
                    self.collect_secrets(item, names, native, depth + 1)

    def _add_all(self, value: object, depth: int) -> None:
        """Every scalar under a secret name is secret (a dict of passwords, a list of keys)."""
        if isinstance(value, t.Mapping):
            for item in value.values():
                self._add_all(item, depth + 1)
        elif isinstance(value, (list, tuple)) and depth <= 8:
            for item in value:
                self._add_all(item, depth + 1)
        else:
            self.add_value(value)

    def _search(self) -> re.Pattern[str]:
        if self._pattern is None:
            parts = []
            for secret in sorted(self._values, key=len, reverse=True):
                if _not_searched_reason(secret):
                    continue
                escaped = re.escape(secret)
                parts.append(rf"(?<!\w){escaped}(?!\w)" if _TOKEN.match(secret) else escaped)
            self._pattern = re.compile("|".join(parts)) if parts else re.compile(r"(?!)")
        return self._pattern

    def text(self, value: str) -> str:
        """A string with every searchable secret, product key and `password=...` value masked."""
        if self._values:
            value = self._search().sub(MASK, value)
        value = _PRODUCT_KEY.sub(MASK, value)
        return _ASSIGNMENT.sub(lambda match: match.group(1) + match.group(2) + MASK, value)

    def deep(self, value: t.Any, mask_names: bool = False) -> t.Any:
        """A scrubbed copy of plain JSON data; `mask_names` (foreign content: evidence, failures) also masks the values
        under secret keys and every string that is, as a whole, a known secret, whatever its length."""
        if isinstance(value, str):
            return MASK if mask_names and value in self._values else self.text(value)
        if isinstance(value, dict):
            cleaned = {}
            for key, item in value.items():
                if mask_names and is_secret_name(key) and item not in (None, "", [], {}) and not isinstance(item, bool):
                    self._add_all(item, 0)
                    cleaned[key] = MASK
                else:
                    cleaned[key] = self.deep(item, mask_names)
            return cleaned
        if isinstance(value, list):
            return [self.deep(item, mask_names) for item in value]
        return value


def not_searched_notice(counts: t.Mapping[str, int]) -> tuple[str, str] | None:
    """The report's notice for the secrets not searched for in text (`Scrubber.not_searched`): counts, never values."""
    short, word = counts.get(SHORT, 0), counts.get(WORD, 0)
    if not short and not word:
        return None
    spanish, english = [], []
    if short:
        spanish.append(f"{short} secreto(s) de menos de {MIN_SECRET_LENGTH} caracteres no se buscan en el texto del informe: "
                       "buscarlos enmascararía letras y números comunes en cada frase.")
        english.append(f"{short} secret(s) shorter than {MIN_SECRET_LENGTH} characters are not searched for in the report's text: "
                       "searching for them would mask common letters and digits in every sentence.")
    if word:
        spanish.append(f"{word} secreto(s) que son una palabra común no se buscan en el texto del informe: buscarlos enmascararía "
                       "esa palabra en cada frase.")
        english.append(f"{word} secret(s) that are an ordinary word are not searched for in the report's text: searching for them "
                       "would mask that word in every sentence.")
    spanish.append("Se enmascaran donde son el valor de un campo secreto. Revise los nombres de tareas y los mensajes antes de "
                   "difundir el informe, y use contraseñas de al menos " + f"{MIN_SECRET_LENGTH} caracteres.")
    english.append("They are masked where they are a secret field's value. Check task names and messages before sharing the "
                   f"report, and use passwords of at least {MIN_SECRET_LENGTH} characters.")
    return " ".join(spanish), " ".join(english)
