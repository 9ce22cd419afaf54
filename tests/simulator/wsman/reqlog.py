"""In-memory (and optionally on-disk JSON lines) log of what the endpoint served.

Benchmarks count commands and bytes from it. It records sizes, actions and ids only: never
passwords, Authorization headers, stdin or output content.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class RequestRecord:
    """One HTTP request (method POST/...) or one executed command (method EXEC)."""

    time: float
    method: str
    action: str  # Create, Command, Send, Receive, Signal, Delete; for EXEC the invocation kind/module
    status: int  # HTTP status; for EXEC the command's exit code
    duration: float
    bytes_in: int
    bytes_out: int
    user: str = ""
    shell_id: str = ""
    command_id: str = ""
    note: str = ""  # e.g. a fault code, "auth rejected"


class RequestLog:
    def __init__(self, path: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []
        self.path = Path(path) if path else None

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(asdict(record), sort_keys=True) + "\n")

    def records(self, method: str | None = None, action: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [
                r for r in self._records
                if (method is None or r.method == method) and (action is None or r.action == action)
            ]

    def count(self, action: str | None = None, method: str | None = None) -> int:
        return len(self.records(method=method, action=action))

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def summary(self) -> dict[str, object]:
        """Totals for benchmarks: requests per action, commands executed, bytes in/out."""
        http = self.records()
        http_only = [r for r in http if r.method != "EXEC"]
        return {
            "requests": len(http_only),
            "by_action": dict(Counter(r.action for r in http_only)),
            "commands": sum(1 for r in http_only if r.action == "Command"),
            "executions": dict(Counter(r.action for r in http if r.method == "EXEC")),
            "bytes_in": sum(r.bytes_in for r in http_only),
            "bytes_out": sum(r.bytes_out for r in http_only),
            "seconds": round(sum(r.duration for r in http_only), 6),
        }
