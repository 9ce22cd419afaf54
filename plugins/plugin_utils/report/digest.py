# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SHA-256 digests that bind the IT Head's validation to the report he read.

Canonical JSON: keys sorted, no whitespace between tokens, UTF-8, non-ASCII characters
kept as they are (json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)).
Any JSON reader that keeps numbers and strings as written reproduces the same bytes.

  report_sha256 = SHA-256(canonical(report.json without its `validation` block))
  html_sha256   = SHA-256(report.html bytes, as written with the validation shown)
  digest        = SHA-256(canonical({report_sha256, html_sha256, name, decision, comment, recorded_at}))

The page shows report_sha256 (it cannot show a digest of its own bytes); `digest` covers
the content, the page and the decision together.
"""

from __future__ import annotations

import hashlib
import json
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.document import without_validation

ALGORITHM = "sha256"
SEALED_FIELDS = ("name", "decision", "comment", "recorded_at")


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_sha256(document: t.Mapping[str, t.Any]) -> str:
    return sha256(canonical(without_validation(document)))


def validation_digest(report_digest: str, html_digest: str, validation: t.Mapping[str, t.Any]) -> str:
    sealed = {name: validation.get(name) for name in SEALED_FIELDS}
    sealed.update(report_sha256=report_digest, html_sha256=html_digest)
    return sha256(canonical(sealed))
