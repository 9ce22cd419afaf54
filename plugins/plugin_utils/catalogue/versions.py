# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exchange version numbers as comparable tuples.

Exchange writes the same build in several shapes: `15.2.1544.4` (ExSetup.exe, the setup
log), `15.02.1544.004` (the docs page, Install-Exchange15) and `Version 15.2 (Build 1544.4)`
(AdminDisplayVersion). Every rule in the catalogue compares builds, so they all go through
`parse_version` and compare as `(major, minor, build, revision)` tuples, never as strings.
"""

from __future__ import annotations

import re

Version = tuple[int, int, int, int]
# What the query functions accept: any shape `parse_version` reads.
VersionInput = str | tuple[int, ...] | list[int]

_DOTTED = re.compile(r"^\s*v?(\d{1,5})\.(\d{1,5})\.(\d{1,6})(?:\.(\d{1,6}))?\s*\.?\s*$")
_ADMIN_DISPLAY = re.compile(r"^\s*Version\s+(\d{1,5})\.(\d{1,5})\s+\(Build\s+(\d{1,6})\.(\d{1,6})\)\s*$", re.IGNORECASE)


def parse_version(value: object) -> Version:
    """Read any of the shapes Exchange prints into a 4-tuple; raise ValueError otherwise.

    A missing revision (`15.2.1544`) reads as 0 so that it sorts before every real build
    of that CU family.
    """
    if isinstance(value, (tuple, list)):
        parts = [int(part) for part in value]
        if not 3 <= len(parts) <= 4 or any(part < 0 for part in parts):
            raise ValueError(f"not an Exchange version: {value!r}")
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 0)
    if not isinstance(value, str):
        raise ValueError(f"not an Exchange version: {value!r}")
    match = _DOTTED.match(value) or _ADMIN_DISPLAY.match(value)
    if not match:
        raise ValueError(f"not an Exchange version: {value!r}")
    major, minor, build, revision = match.groups()
    return (int(major), int(minor), int(build), int(revision or 0))


def try_parse_version(value: object) -> Version | None:
    """`parse_version` for callers that treat garbage as 'unknown' rather than an error."""
    try:
        return parse_version(value)
    except (TypeError, ValueError):
        return None


def format_version(version: Version) -> str:
    """Short form, as ExSetup.exe and the setup log print it: `15.2.1544.4`."""
    return ".".join(str(part) for part in version)


def format_long_version(version: Version) -> str:
    """Zero-padded form of Microsoft's build-number page: `15.02.1544.004`."""
    major, minor, build, revision = version
    return f"{major}.{minor:02d}.{build:04d}.{revision:03d}"


def family(version: Version) -> tuple[int, int, int]:
    """The CU family of a build: every SU/HU of a CU shares major.minor.build with it."""
    return version[:3]
