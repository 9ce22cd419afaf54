"""Records WinRS commands (command line + complete stdin) as payload fixtures.

One gzip'ed JSON file per command: {"command_line": str, "stdin": str}, stdin decoded as
latin-1 so every byte round-trips. Recordings hold whatever was sent, secrets included: record
only runs that use obvious test passwords.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class PayloadRecorder:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._count = 0

    def record(self, command_line: str, stdin: bytes, label: str) -> Path:
        with self._lock:
            self._count += 1
            number = self._count
        path = self.directory / f"{number:04d}-{_UNSAFE.sub('_', label)[:60]}.json.gz"
        save_recording(path, command_line, stdin)
        return path


def save_recording(path: str | Path, command_line: str, stdin: bytes) -> None:
    data = json.dumps({"command_line": command_line, "stdin": stdin.decode("latin-1")}, indent=0)
    # mtime=0 keeps the file identical between captures of the same payload.
    Path(path).write_bytes(gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0))


def load_recording(path: str | Path) -> tuple[str, bytes]:
    """(command line, stdin) of a recording."""
    data = json.loads(gzip.decompress(Path(path).read_bytes()))
    return data["command_line"], data["stdin"].encode("latin-1")
