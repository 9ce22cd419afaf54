"""A comparable picture of a simulated server's state, to prove a run changed nothing.

Tests take one before and one after a run that must not change the server (a refusal, check
mode) and compare them. Ansible's own transient temp folders and the clock are left out: they
are not changes to the server's configuration.
"""

from __future__ import annotations

from typing import Any

from .exchange.runtime import model_for
from .windows.state import WindowsHost

# Per-user temp folders where Ansible's connection plumbing works; emptied again by Ansible.
_TRANSIENT_PATH_PARTS = ("\\appdata\\local\\temp\\", "\\windows\\temp\\ansible-")


def _transient(path: str) -> bool:
    lowered = path.lower() + "\\"
    return any(part in lowered for part in _TRANSIENT_PATH_PARTS)


def active_directory(host: WindowsHost) -> dict[str, Any]:
    """The forest as Exchange setup changes it: the schema, the organisation and domain containers, the server objects
    (with their licence), the functional levels. A refused run must leave AD as it found it, not only the server."""
    model = model_for(host)
    if model is None:
        return {}
    org = model.org
    return {
        "organization": (org.name, org.schema_range_upper, org.org_object_version, org.domain_object_version),
        "server_objects": {name: (str(server.build), server.install_path, server.edition, bool(server.product_key))
                           for name, server in sorted(org.servers.items())},
        "functional_levels": (org.directory.forest_functional_level, org.directory.domain_functional_level),
    }


def snapshot(host: WindowsHost) -> dict[str, Any]:
    ad = active_directory(host)
    with host.lock:
        registry = {key: {name: (value.type, repr(value.data)) for name, value in values.items()}
                    for key, (_name, values) in host.registry._keys.items()}  # pylint: disable=protected-access
        files = {key: (node.is_dir, node.size, node.version)
                 for key, node in host.fs._nodes.items() if not _transient(node.path)}  # pylint: disable=protected-access
        return {
            "registry": registry,
            "files": files,
            "features": sorted(host.features.installed | host.features.install_pending),
            "products": sorted(host.products),
            "services": {name: (service.state, service.start_mode) for name, service in host.services.items()},
            "tasks": sorted(host.tasks),
            "mounted_images": dict(host.mounted_images),
            "boot_time": host.boot_time.isoformat(),
            "processes": sorted(process.name for process in host.processes.values() if not process.system),
            "active_directory": ad,
        }


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Human-readable list of what changed between two snapshots (empty: nothing)."""
    changes = []
    for section in before:
        old, new = before[section], after[section]
        if old == new:
            continue
        if isinstance(old, dict):
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    changes.append(f"{section}: {key}: {old.get(key)!r} -> {new.get(key)!r}")
        else:
            changes.append(f"{section}: {old!r} -> {new!r}")
    return changes
