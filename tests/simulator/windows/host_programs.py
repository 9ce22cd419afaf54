"""Services, processes and started programs (the program-handler hook) of the simulated server."""

from __future__ import annotations

import time
from typing import Any, Callable

from . import paths
from .programs import Process, ProgramHandler, ProgramResult, ProgramRun
from .state_types import SYSTEM_ACCOUNT, Deadline, Service, jump_clock


class ProgramsMixin:
    """Mixin of WindowsHost (state.py); uses its lock, clock, registry, fs and diagnostics."""

    # ================================================================ services
    def add_service(self, service: Service) -> Service:
        with self.lock:
            service.display_name = service.display_name or service.name
            self.services[service.name.lower()] = service
            return service

    def get_service(self, name: str) -> Service | None:
        with self.lock:
            svc = self.services.get(name.lower())
            if svc is None:
                svc = next((s for s in self.services.values() if s.display_name.lower() == name.lower()), None)
            return svc

    def start_service(self, name: str) -> bool:
        """Start a service and its dependencies; returns True if anything changed."""
        with self.lock:
            svc = self.get_service(name)
            if svc is None:
                raise KeyError(f"Cannot find any service with service name '{name}'.")
            if svc.state == "running":
                return False
            if svc.start_mode == "disabled":
                raise RuntimeError(f"Service '{svc.display_name} ({svc.name})' cannot be started due to the following "
                                   "error: Cannot start service " f"{svc.name} on computer '.'.")
            for dep in svc.dependencies:
                if self.get_service(dep) is not None:
                    self.start_service(dep)
            for listener in list(self.service_start_listeners):
                listener(self, svc)
            svc.state = "running"
            return True

    def stop_service(self, name: str, force: bool = True) -> bool:
        with self.lock:
            svc = self.get_service(name)
            if svc is None:
                raise KeyError(f"Cannot find any service with service name '{name}'.")
            if svc.state == "stopped":
                return False
            for other in self.services.values():
                if svc.name.lower() in (d.lower() for d in other.dependencies) and other.state == "running":
                    self.stop_service(other.name, force)
            svc.state = "stopped"
            if svc.name.lower() == "winrm":
                self.restart_winrm()
            return True

    def dependents_of(self, name: str) -> list[str]:
        with self.lock:
            return sorted(s.name for s in self.services.values() if name.lower() in (d.lower() for d in s.dependencies))

    # ================================================================ processes and programs
    def register_program_handler(self, executable: str, handler: ProgramHandler) -> None:
        """Call `handler(host, ProgramRun) -> ProgramResult` whenever `executable` (a file name, e.g. "setup.exe")
        is started by win_command/win_shell/win_package/a scheduled task."""
        with self.lock:
            self.program_handlers[executable.lower()] = handler

    def register_command_handler(self, pattern: Any, handler: Callable[..., ProgramResult | None]) -> None:
        """`pattern` is a compiled regex searched in win_shell/win_command/raw text; the handler gets
        (host, text, match, user) and returns a ProgramResult, or None to pass."""
        with self.lock:
            self.command_handlers.append((pattern, handler))

    def start_process(self, name: str, command_line: str = "", user: str = SYSTEM_ACCOUNT, *,
                      duration: float | None = None, real_seconds: float | None = None,
                      on_exit: Callable[[], int | None] | None = None, exit_code: int = 0, parent_pid: int = 0,
                      task_path: str = "", system: bool = False) -> Process:
        """Add a running process; with `duration` it ends by itself (simulated seconds)."""
        with self.lock:
            proc = Process(next(self._pids), name, command_line or name, self.canonical_user(user), self.clock.now(),
                           parent_pid=parent_pid, on_exit=on_exit, task_path=task_path, system=system)
            proc.exit_code = None
            if duration is not None:
                dl = self._deadline(duration, real_seconds)
                proc.ends_at = dl.sim_end
                proc._deadline = dl  # type: ignore[attr-defined]
                proc._rc = exit_code  # type: ignore[attr-defined]
                proc._real_start = time.monotonic()  # type: ignore[attr-defined]
            self.processes[proc.pid] = proc
            self.record_event("process_start", proc.name)
            return proc

    def stop_process(self, pid: int, exit_code: int = 1) -> bool:
        with self.lock:
            proc = self.processes.get(pid)
            if proc is None:
                return False
            self._end_process(proc, exit_code)
            return True

    def find_processes(self, name: str) -> list[Process]:
        """Running processes by image name, with or without ".exe" (Get-Process drops the extension)."""
        with self.lock:
            self.poll()
            want = name.lower().removesuffix(".exe")
            return [p for p in self.processes.values() if p.name.lower().removesuffix(".exe") == want]

    def _end_process(self, proc: Process, exit_code: int) -> None:
        self.processes.pop(proc.pid, None)
        rc = exit_code
        if proc.on_exit is not None:
            replaced = proc.on_exit()
            if replaced is not None:
                rc = replaced
        proc.exit_code = rc
        self.record_event("process_exit", proc.name, f"rc={rc}")
        for child in [p for p in self.processes.values() if p.parent_pid == proc.pid]:
            self._end_process(child, 0)
        for task in self.tasks.values():
            if task.running_pid == proc.pid:
                task.running_pid = 0
                task.last_task_result = rc & 0xFFFFFFFF
                task.state = "Ready" if task.enabled else "Disabled"

    def _pace(self) -> None:
        """Simulated time keeps pace with a timed process that runs scaled (speed > 0, or `real_seconds`).

        On a real server an hour-long program (Exchange setup) spends that hour working: its log grows and its state
        changes as it goes. When the run is squeezed into fewer real seconds, simulated time must move through that hour
        at the same pace, or everything the program does would only happen at the instant it ends. The clock is moved
        to where the furthest-advanced such process stands (fraction of its real duration elapsed)."""
        mono = time.monotonic()
        target = None
        for proc in self.processes.values():
            dl: Deadline | None = getattr(proc, "_deadline", None)
            real_start = getattr(proc, "_real_start", None)
            if dl is None or real_start is None or dl.real_end <= real_start:
                continue
            fraction = min(1.0, max(0.0, (mono - real_start) / (dl.real_end - real_start)))
            at = proc.start_time + (dl.sim_end - proc.start_time) * fraction
            target = at if target is None or at > target else target
        if target is not None:
            jump_clock(self.clock, (target - self.clock.now()).total_seconds())

    def _reap(self) -> None:
        self._pace()
        now = self.clock.now()
        for proc in sorted(self.processes.values(), key=lambda p: p.pid):
            dl: Deadline | None = getattr(proc, "_deadline", None)
            if proc.pid in self.processes and dl is not None and dl.reached(now):
                jump_clock(self.clock, (dl.sim_end - self.clock.now()).total_seconds())
                self._end_process(proc, getattr(proc, "_rc", 0))

    def handler_for(self, executable: str) -> ProgramHandler | None:
        return self.program_handlers.get(paths.basename(executable).lower() if "\\" in executable or "/" in executable
                                         else executable.lower())

    def resolve_executable(self, exe: str, working_directory: str = "") -> str | None:
        """Find an executable like CreateProcess would: absolute path, working dir, then System32/PATH."""
        exe = self.expand_env(exe.strip().strip('"'))
        candidates = [exe] if exe.lower().endswith((".exe", ".msi", ".bat", ".cmd", ".ps1")) else [exe + ".exe", exe]
        for cand in candidates:
            if paths.is_absolute(cand):
                if self.fs.is_file(cand):
                    return paths.normalize(cand)
                continue
            search = ([working_directory] if working_directory else []) + self.env.get("PATH", "").split(";")
            for folder in search:
                if folder and paths.is_absolute(folder) and self.fs.is_file(paths.join(folder, cand)):
                    return paths.join(folder, cand)
        return None

    def run_program(self, run: ProgramRun, *, wait: bool = True) -> tuple[ProgramResult, Process | None]:
        """Start an executable through its handler (or the installer catalogue).

        wait=True (win_command): the clock advances by the run's duration, the result is final.
        wait=False (scheduled task): a Process stays alive for the duration; the result's rc is the exit code.
        """
        with self.lock:
            handler = self.handler_for(run.executable)
            if handler is None:
                spec = self.installer_for(run.executable)
                if spec is not None:
                    result = self.run_installer(spec, run)
                else:
                    exists = self.fs.is_file(run.executable) if paths.is_absolute(run.executable) else False
                    msg = (f"The simulated server does not model running '{run.executable}'" if exists else
                           f"The system cannot find the file specified: '{run.executable}'")
                    self.diagnostics.append(msg)
                    return ProgramResult(rc=1 if exists else 2, stderr=msg), None
            else:
                self.diagnostics.append(f"run {run.name} as {run.user} via {run.via}: {run.arguments}")
                result = handler(self, run)
            if wait:
                proc = self.start_process(paths.basename(run.executable) or run.executable,
                                          f'"{run.executable}" {run.arguments}'.strip(), run.user, duration=None)
                for child in result.child_processes:
                    self.start_process(child.rsplit("\\", 1)[-1] or child, child, run.user, parent_pid=proc.pid)
        if wait:
            # Outside the lock (unless the caller holds it): other sessions see the process while it "runs".
            self.clock.advance(result.duration_seconds)
            with self.lock:
                self.processes.pop(proc.pid, None)
                for child in [p for p in self.processes.values() if p.parent_pid == proc.pid]:
                    self.processes.pop(child.pid, None)
                if result.on_exit is not None:
                    replaced = result.on_exit()
                    if replaced is not None:
                        result.rc = replaced
            return result, None
        with self.lock:
            proc = self.start_process(paths.basename(run.executable) or run.executable,
                                      f'"{run.executable}" {run.arguments}'.strip(), run.user,
                                      duration=result.duration_seconds, on_exit=result.on_exit, exit_code=result.rc,
                                      task_path=run.task_path, real_seconds=result.real_seconds)
            for child in result.child_processes:
                self.start_process(child.rsplit("\\", 1)[-1] or child, child, run.user, parent_pid=proc.pid)
            return result, proc

    def run_command_handlers(self, text: str, user: str) -> ProgramResult | None:
        with self.lock:
            for pattern, handler in list(self.command_handlers):
                match = pattern.search(text)
                if match:
                    result = handler(self, text, match, user)
                    if result is not None:
                        return result
            return None
