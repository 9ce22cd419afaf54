"""The Windows integration targets (tests/integration/targets): each PowerShell module run directly on a Windows host.

- `test_targets_are_well_formed` (always): aliases, YAML that parses, FQCN modules that exist, a cleanup in `always:`.
- `test_windows_integration_targets_on_a_real_vm`: `ansible-test windows-integration` against the test VM the
  RPI_EXCHANGE_TEST_* variables name (docs/windows-integration-targets.md); skipped, naming them, when they are unset.
- `test_windows_integration_targets_on_the_simulated_server` (e2e): the same runner against the simulated server,
  given to it through those variables only.

ansible-test runs only from a real `ansible_collections/<namespace>/<name>` folder (it resolves the symlink the virtual
environment has to this checkout), so the collection is copied into a scratch tree first, as tools/sanity.sh does.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from ansible.playbook.block import Block
from ansible.playbook.task import Task

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ROOT / "tests" / "integration" / "targets"
BIN = Path(sys.executable).parent
# The collections the targets use besides rpi.exchange, as the virtual environment has them.
DEPENDENCIES = ("ansible/windows", "community/windows")
DEPENDENCY_ROOT = Path(sys.prefix) / "collections" / "ansible_collections"
# What the scratch copy of the collection needs: the modules and their utilities, the metadata, the targets.
COLLECTION_PATHS = ("galaxy.yml", "meta", "plugins", "tests/integration/targets")
VM_VARIABLES = ("RPI_EXCHANGE_TEST_HOST", "RPI_EXCHANGE_TEST_USER", "RPI_EXCHANGE_TEST_PASSWORD", "RPI_EXCHANGE_TEST_CA")
# Keys of a task that are not its module: ansible-core's own task and block keywords.
TASK_KEYWORDS = set(Task.fattributes) | set(Block.fattributes) | {"local_action"}
# The dummy Setup.exe of the win_exchange_setup_status target (its folder), and how long it runs (`ping -n N`).
DUMMY_SETUP_FOLDER = "rpi-exchange-it-setup-status"
PING_COUNT = re.compile(r"-n\s+(\d+)")


def target_names() -> list[str]:
    return sorted(path.name for path in TARGETS.iterdir() if path.is_dir())


def tasks_of(node: Any) -> Iterator[dict[str, Any]]:
    """Every task of a task list, blocks' own tasks included (each block is yielded too)."""
    for task in node or []:
        yield task
        for section in ("block", "rescue", "always"):
            yield from tasks_of(task.get(section))


def module_of(task: dict[str, Any]) -> str | None:
    """The module a task calls (None for a block)."""
    if "block" in task:
        return None
    keys = [key for key in task if key not in TASK_KEYWORDS and not key.startswith("with_")]
    assert len(keys) == 1, f"task {task.get('name')!r}: expected one module, found {keys}"
    return keys[0]


def module_exists(fqcn: str) -> bool:
    namespace, collection, name = fqcn.split(".")
    if (namespace, collection) == ("ansible", "builtin"):
        import ansible  # pylint: disable=import-outside-toplevel

        return (Path(ansible.__file__).parent / "modules" / f"{name}.py").is_file()
    root = ROOT if (namespace, collection) == ("rpi", "exchange") else DEPENDENCY_ROOT / namespace / collection
    return any((root / "plugins" / "modules" / f"{name}{suffix}").is_file() for suffix in (".py", ".ps1"))


def test_targets_are_well_formed() -> None:
    names = target_names()
    assert {"win_exchange_probe", "win_exchange_setup_status", "win_exchange_run_lock"} <= set(names)
    for name in names:
        target = TARGETS / name
        aliases = [line.strip() for line in (target / "aliases").read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.startswith("#")]
        assert "windows" in aliases, f"{name}/aliases lacks `windows`"
        assert any(re.fullmatch(r"shippable/windows/group\d+", alias) for alias in aliases), f"{name}/aliases lacks a windows group"
        files = sorted(target.rglob("*.yml"))
        assert target / "tasks" / "main.yml" in files
        for path in files:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            if path.parent.name != "tasks":
                continue
            for task in tasks_of(document):
                module = module_of(task)
                if module is None:
                    continue
                assert module.count(".") == 2, f"{path.relative_to(ROOT)}: {module} is not a fully qualified collection name"
                assert module_exists(module), f"{path.relative_to(ROOT)}: no module {module}"
                if module == "ansible.builtin.include_tasks":
                    assert (path.parent / task[module]).is_file(), f"{path.relative_to(ROOT)}: no {task[module]}"
        # Whatever the target does on the host is undone even when an assertion fails.
        main = yaml.safe_load((target / "tasks" / "main.yml").read_text(encoding="utf-8"))
        assert any(task.get("always") for task in main), f"{name}/tasks/main.yml has no block with `always:`"


def collection_tree(scratch: Path) -> Path:
    """A copy of the collection at scratch/ansible_collections/rpi/exchange, its dependencies linked beside it."""
    collection = scratch / "ansible_collections" / "rpi" / "exchange"
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z", "--", *COLLECTION_PATHS], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8")
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():  # listed but deleted since (another developer's work in progress)
            (collection / relative).parent.mkdir(parents=True, exist_ok=True)
            (collection / relative).write_bytes(source.read_bytes())
    for dependency in DEPENDENCIES:
        link = scratch / "ansible_collections" / dependency
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(DEPENDENCY_ROOT / dependency)
    return collection


def ini_value(value: Any) -> str:
    """A value as the INI inventory reads it back unchanged (shlex-quoted: a backslash in DOMAIN\\user stays)."""
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_inventory(collection: Path, host_vars: dict[str, Any]) -> Path:
    """tests/integration/inventory.winrm (the file ansible-test reads) with one host in the `windows` group, and the
    password in integration_config.yml (which ansible-test loads as vars), tagged !unsafe so that no character of it is
    read as a template or a Python literal. Both are readable by their owner only."""
    integration = collection / "tests" / "integration"
    settings = {key: value for key, value in host_vars.items() if key != "ansible_password"}
    inventory = integration / "inventory.winrm"
    inventory.touch(mode=0o600)
    inventory.write_text("[windows]\nwindows-test-host " + " ".join(f"{key}={ini_value(value)}" for key, value in settings.items())
                         + "\n", encoding="utf-8")
    config = integration / "integration_config.yml"
    config.touch(mode=0o600)
    password = str(host_vars["ansible_password"])
    quoted = "'" + password.replace("'", "''") + "'"  # a YAML single-quoted scalar: only ' is escaped, by doubling it
    config.write_text(f"ansible_password: !unsafe {quoted}\n", encoding="utf-8")
    return inventory


def forget_secrets(collection: Path) -> None:
    for name in ("inventory.winrm", "integration_config.yml"):
        (collection / "tests" / "integration" / name).unlink(missing_ok=True)


def ansible_test(collection: Path, inventory: Path, *targets: str, timeout: int = 1800) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "ansible-test"), "windows-integration", "--color", "no", "--inventory", str(inventory), *targets]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "ANSIBLE_NOCOLOR": "1"}
    return subprocess.run(command, cwd=collection, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def why(done: subprocess.CompletedProcess[str]) -> str:
    return f"ansible-test exited {done.returncode}:\n{(done.stdout + done.stderr)[-6000:]}"


def vm_host_vars(environ: dict[str, str]) -> dict[str, Any]:
    """The test VM's connection, from the RPI_EXCHANGE_TEST_* variables (as extensions/molecule/windows reads them)."""
    return {
        "ansible_host": environ["RPI_EXCHANGE_TEST_HOST"],
        "ansible_port": environ.get("RPI_EXCHANGE_TEST_PORT") or "5986",
        "ansible_user": environ["RPI_EXCHANGE_TEST_USER"],
        "ansible_password": environ["RPI_EXCHANGE_TEST_PASSWORD"],
        "ansible_connection": "winrm",
        "ansible_winrm_transport": environ.get("RPI_EXCHANGE_TEST_TRANSPORT") or "ntlm",
        "ansible_winrm_scheme": "https",
        # Validation stays on, as in production: the CA that issued the VM's WinRM listener certificate.
        "ansible_winrm_server_cert_validation": "validate",
        "ansible_winrm_ca_trust_path": str(Path(environ["RPI_EXCHANGE_TEST_CA"]).resolve()),
        "ansible_winrm_operation_timeout_sec": "60",
        "ansible_winrm_read_timeout_sec": "120",
    }


def run_targets(scratch: Path, environ: dict[str, str], *targets: str, timeout: int = 1800) -> subprocess.CompletedProcess[str]:
    """ansible-test windows-integration against the VM `environ` names; the files holding its secrets are deleted after."""
    collection = collection_tree(scratch)
    try:
        return ansible_test(collection, write_inventory(collection, vm_host_vars(environ)), *(targets or target_names()), timeout=timeout)
    finally:
        forget_secrets(collection)


def test_windows_integration_targets_on_a_real_vm(tmp_path: Path) -> None:
    missing = [name for name in VM_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.skip("no real Windows VM: to run the Windows integration targets against one, set " + ", ".join(missing)
                    + " (see docs/windows-integration-targets.md)")
    done = run_targets(tmp_path, dict(os.environ))
    assert done.returncode == 0, why(done)


def dummy_setup_handler(original: Any) -> Any:
    """The simulated server runs any Setup.exe as Exchange setup. The win_exchange_setup_status target's Setup.exe is
    cmd.exe running `ping -n N 127.0.0.1`: that one only stays alive for N - 1 real seconds and ends with 0."""
    from simulator.windows.programs import ProgramResult  # pylint: disable=import-outside-toplevel

    def handle(host: Any, run: Any) -> Any:
        if DUMMY_SETUP_FOLDER not in run.executable.lower():
            return original(host, run) if original else ProgramResult(rc=2, stderr=f"no handler for {run.executable}")
        count = PING_COUNT.search(run.arguments or "")
        seconds = max(0, int(count.group(1)) - 1) if count else 0
        return ProgramResult(duration_seconds=seconds, real_seconds=seconds)

    return handle


@pytest.mark.e2e
@pytest.mark.baseline_core  # ansible-test's own run of the modules; the 2.21 line's WinRM path is covered elsewhere
@pytest.mark.parametrize(("preset", "targets"), [
    ("ws2022-exchange-se", ()),
    # A server without Exchange, with Windows on D:: the probe's bare branch, and every path found on the host.
    ("ws2022-ready-windows-on-d", ()),
])
def test_windows_integration_targets_on_the_simulated_server(preset: str, targets: tuple[str, ...], simulator_factory,
                                                             tmp_path: Path) -> None:
    """The targets, through ansible-test as on the VM, against a bare server, an Exchange server, and Windows on D:."""
    running = simulator_factory(preset)
    running.host.register_program_handler("setup.exe", dummy_setup_handler(running.host.handler_for("setup.exe")))
    # The simulated server reached through the VM's variables only, so that CI runs the real VM's code path.
    environ = {
        "RPI_EXCHANGE_TEST_HOST": str(running.host_vars["ansible_host"]),
        "RPI_EXCHANGE_TEST_PORT": str(running.host_vars["ansible_port"]),
        "RPI_EXCHANGE_TEST_USER": running.host_vars["ansible_user"],
        "RPI_EXCHANGE_TEST_PASSWORD": running.host_vars["ansible_password"],
        "RPI_EXCHANGE_TEST_CA": str(running.host_vars["ansible_winrm_ca_trust_path"]),
        "RPI_EXCHANGE_TEST_TRANSPORT": running.host_vars["ansible_winrm_transport"],
    }
    done = run_targets(tmp_path, environ, *targets, timeout=600)
    assert done.returncode == 0, why(done)
    output = done.stdout + done.stderr
    assert ("Exchange server: Exchange 15." in output) == (preset == "ws2022-exchange-se"), "the probe target took the wrong branch"
