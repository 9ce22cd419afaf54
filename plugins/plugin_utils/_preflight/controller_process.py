# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which controller process runs the playbook, and whether a process of this controller still runs one.

Action plugins run in worker processes that ansible-playbook starts per task, so the run's own process is an
ancestor, not `os.getpid()`. On Linux /proc tells; elsewhere the parent is the best answer available.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
MAX_ANCESTORS = 5


def _cmdline(pid: int, proc: Path = PROC) -> list[str] | None:
    try:
        raw = (proc / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]


def _parent(pid: int, proc: Path = PROC) -> int | None:
    try:
        stat = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # Field 4 is the parent pid; the command name (field 2) is in parentheses and may hold spaces.
    fields = stat.rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else None


def runs_ansible(pid: int, proc: Path = PROC) -> bool:
    """Is `pid` an ansible command (ansible-playbook, or Python running it)?"""
    command = _cmdline(pid, proc)
    return bool(command) and any(Path(part).name.startswith("ansible") for part in command[:3])


def playbook_pid(proc: Path = PROC) -> int:
    """The ansible-playbook process this worker belongs to."""
    pid = os.getppid()
    candidate: int | None = pid
    for _step in range(MAX_ANCESTORS):
        if candidate is None or candidate <= 1:
            break
        command = _cmdline(candidate, proc)
        if command and any(Path(part).name == "ansible-playbook" for part in command[:3]):
            return candidate
        candidate = _parent(candidate, proc)
    return pid


def process_alive(pid: int, proc: Path = PROC) -> bool:
    """Does this controller still run process `pid` as an ansible command? A reused number running something else is not alive."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists, and we cannot tell more
    if not proc.is_dir():
        return True
    return runs_ansible(pid, proc)
