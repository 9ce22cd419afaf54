"""Windows path helpers: normalisation and case-insensitive keys for the virtual file system.

Windows paths are case-insensitive but case-preserving; both `/` and `\\` separate. UNC roots
(`\\\\server\\share`) behave like a drive root.
"""

from __future__ import annotations

import ntpath
import re

_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def normalize(path: str) -> str:
    """Return the canonical display form of an absolute Windows path (no trailing separator except on roots)."""
    p = path.strip().replace("/", "\\")
    if p.startswith("\\\\?\\UNC\\"):
        p = "\\\\" + p[8:]
    elif p.startswith("\\\\?\\"):
        p = p[4:]
    if p.lower().startswith("microsoft.powershell.core\\filesystem::"):
        p = p.split("::", 1)[1]
    if p.startswith("\\\\"):
        parts = [x for x in p[2:].split("\\") if x not in ("", ".")]
        root_parts, rest = parts[:2], parts[2:]
        root = "\\\\" + "\\".join(root_parts)
    elif _DRIVE_RE.match(p):
        root = p[0].upper() + ":"
        rest = [x for x in p[2:].split("\\") if x not in ("", ".")]
    else:
        return p  # relative: callers resolve against a working directory first
    out: list[str] = []
    for part in rest:
        if part == "..":
            if out:
                out.pop()
        else:
            out.append(part.rstrip(" ") if part != "..." else part)
    if not out:
        return root + "\\"
    return root + "\\" + "\\".join(out)


def key(path: str) -> str:
    """Case-insensitive lookup key of a path."""
    return normalize(path).lower()


def is_absolute(path: str) -> bool:
    p = path.replace("/", "\\")
    return bool(_DRIVE_RE.match(p) and (len(p) == 2 or p[2] == "\\")) or p.startswith("\\\\")


def join(base: str, *parts: str) -> str:
    return normalize(ntpath.join(base, *parts))


def parent(path: str) -> str | None:
    """Parent directory, or None for a root."""
    n = normalize(path)
    if is_root(n):
        return None
    head = n.rsplit("\\", 1)[0]
    if _DRIVE_RE.match(head) and len(head) == 2:
        return head + "\\"
    return head


def basename(path: str) -> str:
    n = normalize(path)
    if is_root(n):
        return ""
    return n.rsplit("\\", 1)[1]


def root_of(path: str) -> str:
    """`C:\\` or `\\\\server\\share\\` for an absolute path."""
    n = normalize(path)
    if n.startswith("\\\\"):
        parts = n[2:].split("\\")
        return "\\\\" + "\\".join(parts[:2]) + "\\"
    return n[:3]


def is_root(path: str) -> bool:
    n = path.replace("/", "\\")
    if _DRIVE_RE.match(n):
        return len(n.rstrip("\\")) == 2
    if n.startswith("\\\\"):
        return len([x for x in n[2:].split("\\") if x]) <= 2
    return False


def drive_letter(path: str) -> str | None:
    n = normalize(path)
    return n[0].upper() if _DRIVE_RE.match(n) else None


def is_within(path: str, folder: str) -> bool:
    k, f = key(path), key(folder).rstrip("\\")
    return k == f or k.startswith(f + "\\")
