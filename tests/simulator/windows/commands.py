"""The few command lines the simulated server understands (win_command, win_shell, raw).

Only explicitly modelled commands run; anything else returns rc 1 with a message that says the simulated
server does not model it — never a silent success (CONTRACT.md). Order: handlers other models registered
(host.register_command_handler), then executables with a program handler or an installer-catalogue entry,
then the built-ins below. PowerShell scripts with several statements run statement by statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from . import paths
from .programs import ProgramResult, ProgramRun, split_command_line
from .state import ShutdownScheduledError, WindowsHost

NOT_MODELLED = "The simulated Windows server does not model this command"


@dataclass
class Shell:
    user: str
    via: str  # "win_command" | "win_shell" | "raw"
    powershell: bool
    chdir: str = ""
    network_credentials: bool = True  # exchange-facts §6.1: False for an NTLM/Kerberos WinRM logon without become
    logon_type: str = "network"


Builtin = Callable[[WindowsHost, "re.Match[str]", Shell], ProgramResult]
_BUILTINS: list[tuple[re.Pattern[str], Builtin, bool]] = []  # (pattern, fn, powershell_only)


def builtin(pattern: str, powershell_only: bool = False) -> Callable[[Builtin], Builtin]:
    def deco(fn: Builtin) -> Builtin:
        _BUILTINS.append((re.compile(r"^\s*" + pattern + r"\s*$", re.I | re.S), fn, powershell_only))
        return fn
    return deco


def _unquote(text: str) -> str:
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return t[1:-1]
    return t


def split_statements(script: str) -> list[str]:
    """Split a PowerShell script on newlines and `;` outside quotes and braces (good enough for one-liners)."""
    out, buf, quote, depth = [], [], "", 0
    for ch in script:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        elif ch in ";\n" and depth <= 0:
            stmt = "".join(buf).strip()
            if stmt:
                out.append(stmt)
            buf = []
            continue
        buf.append(ch)
    stmt = "".join(buf).strip()
    if stmt:
        out.append(stmt)
    return out


def run(host: WindowsHost, text: str, shell: Shell) -> ProgramResult:
    """Run a command line (or a PowerShell script) and return rc/stdout/stderr."""
    text = text.strip()
    result = _run_one(host, text, shell)
    if result is not None:
        return result
    statements = split_statements(text) if shell.powershell else []
    if len(statements) > 1:
        outs, errs = [], []
        final = ProgramResult()
        for stmt in statements:
            res = _run_one(host, stmt, shell) or _not_modelled(host, stmt)
            outs.append(res.stdout)
            errs.append(res.stderr)
            final = res
            if res.rc != 0 and (not shell.powershell or res.stderr.startswith(NOT_MODELLED) or stmt.lower().startswith("exit")):
                break
        return ProgramResult(final.rc, "".join(outs), "".join(errs))
    return _not_modelled(host, text)


def _not_modelled(host: WindowsHost, text: str) -> ProgramResult:
    msg = f"{NOT_MODELLED}: {text}"
    host.log(msg)
    return ProgramResult(rc=1, stderr=msg + "\r\n")


def _run_one(host: WindowsHost, text: str, shell: Shell) -> ProgramResult | None:
    handled = host.run_command_handlers(text, shell.user)
    if handled is not None:
        return handled
    executed = _run_executable(host, text, shell)
    if executed is not None:
        return executed
    for pattern, fn, ps_only in _BUILTINS:
        if ps_only and not shell.powershell:
            continue
        m = pattern.match(text)
        if m:
            return fn(host, m, shell)
    return None


def _run_executable(host: WindowsHost, text: str, shell: Shell) -> ProgramResult | None:
    """`X.exe args`, `& 'X.exe' args`, `.\\setup.exe args`, `msiexec /i X.msi /qn`: only for modelled programs."""
    body = text
    if shell.powershell and body.startswith("&"):
        body = body[1:].strip()
        if body[:1] == "'":
            end = body.find("'", 1)
            body = f'"{body[1:end]}"{body[end + 1:]}' if end > 0 else body
    argv = split_command_line(body)
    if not argv:
        return None
    exe = argv[0]
    if exe.startswith(".\\") or exe.startswith("./"):
        if not shell.chdir:
            return None
        exe = paths.join(shell.chdir, exe[2:])
    rest = body[body.find(argv[0]) + len(argv[0]):].lstrip('"').strip() if argv[0] in body else " ".join(argv[1:])
    name = exe.replace("/", "\\").rsplit("\\", 1)[-1].lower()
    if name in ("msiexec", "msiexec.exe"):
        return _msiexec(host, argv[1:], rest, shell)
    if host.handler_for(exe) is None and host.installer_for(exe) is None:
        return None
    resolved = host.resolve_executable(exe, shell.chdir)
    if resolved is None:
        if paths.is_absolute(exe) or "\\" in exe:
            return ProgramResult(rc=2, stderr=f"The system cannot find the file specified. ({exe})\r\n")
        resolved = exe
    run = ProgramRun(resolved, rest, split_command_line(rest), shell.user, shell.via, working_directory=shell.chdir,
                     logon_type=shell.logon_type, network_credentials=shell.network_credentials)
    result = host.run_program(run, wait=True)[0]
    return result


def _msiexec(host: WindowsHost, argv: list[str], rest: str, shell: Shell) -> ProgramResult | None:
    lower = [a.lower() for a in argv]
    for flag in ("/i", "/package", "/x", "/uninstall"):
        if flag in lower and lower.index(flag) + 1 < len(argv):
            target = argv[lower.index(flag) + 1]
            if flag in ("/x", "/uninstall"):
                inst = host.product_installed(target)
                if inst is None:
                    return ProgramResult(rc=1605)  # ERROR_UNKNOWN_PRODUCT
                host.uninstall_product(target)
                return ProgramResult(rc=0)
            if host.installer_for(target) is None:
                return None
            resolved = host.resolve_executable(target, shell.chdir) or target
            if not host.fs.is_file(resolved):
                return ProgramResult(rc=1619)  # ERROR_INSTALL_PACKAGE_OPEN_FAILED
            quiet = any(q in lower for q in ("/qn", "/quiet", "/passive", "/qb"))
            run = ProgramRun(resolved, rest, split_command_line(rest), shell.user, shell.via, interactive=not quiet,
                             logon_type=shell.logon_type, network_credentials=shell.network_credentials)
            if not quiet:
                return ProgramResult(rc=1602, stderr="simulated: msiexec without /qn or /quiet waits for user input\r\n")
            result = host.run_program(run, wait=True)[0]
            return result
    return None


# ------------------------------------------------------------------------------------ built-ins
@builtin(r"whoami(\.exe)?")
def _whoami(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    return ProgramResult(stdout=host.canonical_user(shell.user).lower() + "\r\n")


@builtin(r"hostname(\.exe)?|\$env:computername")
def _hostname(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    return ProgramResult(stdout=host.hostname + "\r\n")


@builtin(r"\$env:(?P<name>[A-Za-z0-9_()]+)", powershell_only=True)
def _env_var(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    env = {k.lower(): v for k, v in host.user_env(shell.user).items()}
    value = env.get(m.group("name").lower())
    return ProgramResult(stdout=(value + "\r\n") if value else "")


@builtin(r"(echo|Write-Output|Write-Host)\s+(?P<text>.*)")
def _echo(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    return ProgramResult(stdout=_unquote(m.group("text")) + "\r\n")


@builtin(r"exit\s+(?P<rc>-?\d+)")
def _exit(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    return ProgramResult(rc=int(m.group("rc")))


@builtin(r"Restart-Service\s+(-Name\s+)?['\"]?WinRM['\"]?(\s+-Force)?", powershell_only=True)
def _restart_winrm(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    host.restart_winrm()  # exchange-facts §6.2: the WinRM connection drops; boot_id changes
    return ProgramResult()


@builtin(r"Restart-Computer(\s+-Force)?", powershell_only=True)
def _restart_computer(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    host.reboot(0, "Restart-Computer")
    return ProgramResult()


@builtin(r"(C:\\Windows\\System32\\)?shutdown(\.exe)?\s+(?P<args>.*)")
def _shutdown(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    args = [a.lower() for a in split_command_line(m.group("args"))]
    if "/a" in args:
        if host.abort_reboot():
            return ProgramResult()
        return ProgramResult(rc=1116, stderr="Unable to abort the system shutdown because no shutdown was in progress.(1116)")
    if "/r" in args:
        delay = int(args[args.index("/t") + 1]) if "/t" in args and args.index("/t") + 1 < len(args) else 30
        try:
            host.reboot(delay, "shutdown.exe /r")
        except ShutdownScheduledError:
            return ProgramResult(rc=1190, stderr="A system shutdown has already been scheduled.(1190)")
        return ProgramResult()
    return ProgramResult(rc=1, stderr=f"{NOT_MODELLED}: shutdown {m.group('args')}")


_TASK = r"(?:-TaskName\s+)?(?P<name>'[^']*'|\"[^\"]*\"|\S+)(?:\s+-TaskPath\s+(?P<path>'[^']*'|\"[^\"]*\"|\S+))?"


@builtin(r"Start-ScheduledTask\s+" + _TASK, powershell_only=True)
def _start_task(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    name = _unquote(m.group("name"))
    folder = _unquote(m.group("path")) if m.group("path") else "\\"
    task = host.get_task(name, folder)
    if task is None:
        return ProgramResult(rc=1, stderr="Start-ScheduledTask : The system cannot find the file specified.\r\n"
                                          "    + CategoryInfo          : ObjectNotFound: (PS_ScheduledTask:Root/Microsoft/"
                                          "...S_ScheduledTask) [Start-ScheduledTask], CimException\r\n")
    host.run_task(task, "Start-ScheduledTask")
    return ProgramResult()


# `schtasks.exe` as typed, or as CreateProcess resolves it (win_command argv gives the full System32 path).
@builtin(r"(?:\"?[A-Za-z]:\\Windows\\System32\\)?schtasks(\.exe)?\"?\s+/run\s+/tn\s+(?P<name>'[^']*'|\"[^\"]*\"|\S+)")
def _schtasks_run(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    full = _unquote(m.group("name"))
    folder, name = full.rpartition("\\")[::2]
    task = host.get_task(name, folder or "\\")
    if task is None:
        return ProgramResult(rc=1, stderr="ERROR: The system cannot find the file specified.\r\n")
    host.run_task(task, "schtasks /run")
    return ProgramResult(stdout=f'SUCCESS: Attempted to run the scheduled task "{full}".\r\n')


_PATH_ARG = r"(?:-(?:Literal)?Path\s+)?(?P<path>'[^']*'|\"[^\"]*\"|\S+)"


@builtin(r"Test-Path\s+" + _PATH_ARG + r"(?:\s+-PathType\s+(?P<type>\w+))?", powershell_only=True)
def _test_path(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    path = host.expand_env(_unquote(m.group("path")), shell.user)
    if path.lower().startswith(("hklm:", "hkcu:")):
        exists = host.registry.key_exists(path)
    else:
        node = host.fs.get(path)
        kind = (m.group("type") or "any").lower()
        exists = node is not None and (kind == "any" or (kind == "container") == node.is_dir)
    return ProgramResult(stdout=("True" if exists else "False") + "\r\n")


@builtin(r"(Get-Content|type|cat)\s+" + _PATH_ARG + r"(\s+-Raw)?")
def _get_content(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    path = host.expand_env(_unquote(m.group("path")), shell.user)
    node = host.fs.get(path)
    if node is None or node.is_dir:
        return ProgramResult(rc=1, stderr=f"Cannot find path '{path}' because it does not exist.\r\n")
    return ProgramResult(stdout=node.data().decode("utf-8", "replace"))


@builtin(r"Remove-Item\s+" + _PATH_ARG + r"(\s+-Force|\s+-Recurse)*\s*;?", powershell_only=True)
def _remove_item(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    """Also ansible-core's temp-dir cleanup (`Remove-Item '<tmp>' -Force -Recurse;`, wire facts §2.2)."""
    path = host.expand_env(_unquote(m.group("path")), shell.user)
    host.fs.delete(path)
    return ProgramResult()


@builtin(r"(?:\$null\s*=\s*)?New-Item\s+(?:-ItemType\s+Directory\s+)?" + _PATH_ARG + r"(\s+-ItemType\s+Directory)?(\s+-Force)?",
         powershell_only=True)
def _new_dir(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    host.fs.mkdir(host.expand_env(_unquote(m.group("path")), shell.user))
    return ProgramResult()


@builtin(r"\(Get-Service\s+(?:-Name\s+)?(?P<name>'[^']*'|\"[^\"]*\"|\S+)\)\.Status", powershell_only=True)
def _service_status(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    svc = host.get_service(_unquote(m.group("name")))
    if svc is None:
        return ProgramResult(rc=1, stderr=f"Get-Service : Cannot find any service with service name "
                                          f"'{_unquote(m.group('name'))}'.\r\n")
    return ProgramResult(stdout=svc.state.capitalize() + "\r\n")


@builtin(r"(?:Start|Stop|Restart)-Service\s+(?:-Name\s+)?(?P<name>'[^']*'|\"[^\"]*\"|[\w.$-]+)(\s+-Force)?",
         powershell_only=True)
def _service_control(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    verb = m.group(0).strip().split("-", 1)[0].lower()
    name = _unquote(m.group("name"))
    try:
        if verb in ("stop", "restart"):
            host.stop_service(name)
        if verb in ("start", "restart"):
            host.start_service(name)
    except (KeyError, RuntimeError) as err:
        return ProgramResult(rc=1, stderr=f"{m.group(0).split()[0]} : {str(err).strip(chr(39))}\r\n")
    return ProgramResult()


@builtin(r"Get-Process\s+(?:-Name\s+)?(?P<name>'[^']*'|\"[^\"]*\"|[\w.*-]+)(?P<quiet>\s+-ErrorAction\s+SilentlyContinue)?",
         powershell_only=True)
def _get_process(host: WindowsHost, m: re.Match[str], shell: Shell) -> ProgramResult:
    name = _unquote(m.group("name"))
    procs = host.find_processes(name)
    if not procs and not m.group("quiet"):
        return ProgramResult(rc=1, stderr=f"Get-Process : Cannot find a process with the name \"{name}\". Verify the "
                                          "process name and call the cmdlet again.\r\n")
    lines = ["", "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName",
             "-------  ------    -----      -----     ------     --  -- -----------"]
    lines += [f"    512      40    81234     102400       1.23 {p.pid:6d}   0 {p.name.removesuffix('.exe')}" for p in procs]
    return ProgramResult(stdout="\r\n".join(lines) + "\r\n\r\n" if procs else "")
