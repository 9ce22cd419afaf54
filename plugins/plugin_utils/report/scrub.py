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
     replaced wherever they appear in any string of the report, including task names and
     error messages; only those values are ever made plain (`collect_secrets`);
  3. by shape: an Exchange product key, and `password=...`-style fragments in text.
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
# A `key` that names a place, not a secret (`registry_key_path`, `ssh_private_key_file`).
_NOT_SECRET_LAST = frozenset(("file", "path", "dir", "directory", "length", "size", "count"))
# Secrets shorter than this are not searched for: masking every "abc" would wreck the report.
MIN_SECRET_LENGTH = 4

_PRODUCT_KEY = re.compile(r"\b[A-Z0-9]{5}(?:-[A-Z0-9]{5}){4}\b")
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
    if any(word in squashed for word in _STRONG):
        return True
    return any(segment in _WEAK_SEGMENTS for segment in segments)


class Scrubber:
    """Collects secret values during a run and removes them from what is written."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    @property
    def secret_count(self) -> int:
        return len(self._values)

    def add_value(self, value: object) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, (int, float)):
            value = str(value)
        if not isinstance(value, str):
            return
        text = str.__str__(value)
        if len(text) >= MIN_SECRET_LENGTH and text != MASK and "{{" not in text and text not in self._values:
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

    def text(self, value: str) -> str:
        """A string with every known secret, product key and `password=...` value masked."""
        if self._values:
            if self._pattern is None:
                ordered = sorted(self._values, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(secret) for secret in ordered))
            value = self._pattern.sub(MASK, value)
        value = _PRODUCT_KEY.sub(MASK, value)
        return _ASSIGNMENT.sub(lambda match: match.group(1) + match.group(2) + MASK, value)

    def deep(self, value: t.Any, mask_names: bool = False) -> t.Any:
        """A scrubbed copy of plain JSON data; `mask_names` also masks values under secret keys."""
        if isinstance(value, str):
            return self.text(value)
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
