"""ansible.windows.win_package (plugins/modules/win_package.ps1) over the installer catalogue.

Providers as the module picks them: `.msi` -> msi (product code read from the package, installed state from
the model), anything else -> registry (installed when an Uninstall key named product_id exists; without
product_id/creates_* an exe always runs). rc 3010 -> reboot_required (exchange-facts §2.2: .NET needs a reboot).
UNC paths need credentials that can hop (Basic auth, become, or a scheduled task with a password, §6.1).
"""

from __future__ import annotations

from .. import paths
from ..programs import ProgramRun, split_command_line
from ..state import WindowsHost
from . import register
from ._common import ModuleCall
from .win_command import _quote


def unc_denied(host: WindowsHost, call: ModuleCall, path: str) -> bool:
    """Double hop (exchange-facts §6.1): an NTLM/Kerberos WinRM logon has no credentials for a file share."""
    return path.startswith("\\\\") and not call.network_credentials


def _installed(host: WindowsHost, call: ModuleCall, path: str | None, product_id: str | None) -> tuple[bool, str | None]:
    p = call.params
    spec = host.installer_for(path) if path else None
    pid = product_id
    if path and path.lower().endswith(".msi") and p["provider"] in ("auto", "msi"):
        pid = pid or (spec.product.product_id if spec else None)
        installed = bool(pid and (host.product_installed(pid) or host.uninstall_entry_exists(pid)))
    else:
        installed = bool(pid and host.uninstall_entry_exists(pid))
    if p.get("creates_path"):
        target = host.expand_env(p["creates_path"], call.user)
        installed = host.fs.exists(target)
        if p.get("creates_version") and installed:
            node = host.fs.get(target)
            if node is not None and node.is_dir:
                call.fail("creates_path must be a file not a directory when creates_version is set")
            installed = bool(node and node.version == p["creates_version"])
    if p.get("creates_service"):
        installed = host.get_service(p["creates_service"]) is not None
    return installed, pid


@register("ansible.windows.win_package")
def win_package(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    result: dict = {"changed": False, "reboot_required": False}
    state = p["state"]
    path = host.expand_env(p["path"], call.user) if p.get("path") else None
    if path and path.lower().startswith("http"):
        call.fail("The simulated Windows server is offline: win_package cannot download " + path, **result)
    if path and not call.check_mode:
        if unc_denied(host, call, path) or not host.fs.is_file(path):
            call.fail(f"the file at the path '{path}' cannot be reached", **result)
    installed, pid = _installed(host, call, path, p.get("product_id"))
    changed = (state == "present") != installed
    result["rc"] = 0
    if changed and not call.check_mode:
        arguments = p.get("arguments")
        if isinstance(arguments, list):
            arguments = " ".join(_quote(str(a)) for a in arguments)
        arguments = str(arguments or "")
        if state == "present":
            _install(host, call, path or "", arguments, result)
        elif pid and host.product_installed(pid):
            host.uninstall_product(pid)
        elif pid:
            call.fail(f"Failed to find registry uninstall string at registry path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\"
                      f"CurrentVersion\\Uninstall\\{pid}'", **result)
    if changed and not call.check_mode and p.get("checksum_algorithm") and state == "present" and path:
        node = host.fs.get(path)
        result["checksum"] = node.checksum(p["checksum_algorithm"]).upper() if node else None
    result["changed"] = changed
    return result


def _install(host: WindowsHost, call: ModuleCall, path: str, arguments: str, result: dict) -> None:
    p = call.params
    spec = host.installer_for(path)
    is_msi = path.lower().endswith(".msi")
    if is_msi:
        command = f'msiexec.exe /i {_quote(path)} /qn /norestart' + (f" {arguments}" if arguments else "")
        argv = ["/qn", *split_command_line(arguments)]
    else:
        command = _quote(path) + (f" {arguments}" if arguments else "")
        argv = split_command_line(arguments)
    run = ProgramRun(paths.normalize(path), arguments if not is_msi else "/qn " + arguments, argv, call.user,
                     "win_package", working_directory=p.get("chdir") or "", logon_type=call.logon_type,
                     network_credentials=call.network_credentials)
    if spec is None and host.handler_for(path) is None:
        call.fail(f"The simulated Windows server does not model the installer '{path}' (not in the installer catalogue)",
                  **result)
    res = host.run_program(run, wait=True)[0]
    rc = res.rc if res.rc < 2**31 else res.rc - 2**32
    result["rc"] = rc
    if rc not in [int(c) for c in p["expected_return_code"]]:
        result.update(stdout=res.stdout, stderr=res.stderr)
        call.fail(f"unexpected rc from '{command}': see rc, stdout, and stderr for more details", **result)
    # Invoke-Executable sets failed=false once rc is an expected code: without it a 3010 would read as a failure
    # (ansible-core fails a result that has a non-zero rc and no `failed` key).
    result["failed"] = False
    if rc == 3010:
        result["reboot_required"] = True
