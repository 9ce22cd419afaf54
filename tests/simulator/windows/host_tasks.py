"""Scheduled tasks and disk-image mounting of the simulated server."""

from __future__ import annotations

from . import paths
from .filesystem import DiskImage, FileNode, FsError, Volume
from .programs import ProgramResult, ProgramRun, split_command_line
from .state_types import SYSTEM_ACCOUNT
from .tasks import (DISABLE_DOMAIN_CREDS, ERROR_FILE_NOT_FOUND_HRESULT, LSA_KEY, NO_SUCH_LOGON_SESSION, SCHED_S_TASK_RUNNING,
                    STORED_PASSWORD_LOGONS, ScheduledTask, TaskRegistrationError, task_key)


class TasksMixin:
    """Mixin of WindowsHost (state.py); uses its lock, clock, registry, fs and diagnostics."""

    # ================================================================ scheduled tasks
    def register_task(self, task: ScheduledTask, password: str | None = None) -> ScheduledTask:
        """Register (create or replace). A Password logon is checked against the account, then forgotten."""
        with self.lock:
            if task.logon_type == "password":
                if password is None or not self.authenticate(task.username, password):
                    raise PermissionError("The user name or password is incorrect. (Exception from HRESULT: 0x8007052E)")
            if task.logon_type in STORED_PASSWORD_LOGONS and password is not None and \
                    int(self.registry.get(LSA_KEY, DISABLE_DOMAIN_CREDS) or 0) != 0:
                # The password checks out, but the policy forbids storing it (tasks.py).
                raise TaskRegistrationError(NO_SUCH_LOGON_SESSION)
            if task.username and task.username.upper() not in ("SYSTEM", SYSTEM_ACCOUNT) and \
                    self.find_account(task.username) is None and task.logon_type not in ("group",):
                raise LookupError("No mapping between account names and security IDs was done. "
                                  "(Exception from HRESULT: 0x80070534)")
            old = self.tasks.get(task.key)
            if old is not None:
                task.last_run_time, task.last_task_result = old.last_run_time, old.last_task_result
                task.running_pid, task.run_count = old.running_pid, old.run_count
                task.state = old.state if old.state == "Running" else task.state
            if not task.enabled and task.state != "Running":
                task.state = "Disabled"
            self.tasks[task.key] = task
            return task

    def get_task(self, name: str, folder: str = "\\") -> ScheduledTask | None:
        with self.lock:
            self.poll()
            return self.tasks.get(task_key(name, folder))

    def delete_task(self, name: str, folder: str = "\\") -> bool:
        with self.lock:
            return self.tasks.pop(task_key(name, folder), None) is not None

    def run_task(self, task: ScheduledTask, trigger: str = "demand") -> int:
        """Start a task's first action (Start-ScheduledTask, or a registration trigger). Returns the pid or 0."""
        with self.lock:
            self.poll()
            if task.state == "Running":
                return task.running_pid  # MultipleInstances default IgnoreNew
            if not task.enabled:
                raise RuntimeError("The task is disabled. (0x80041326)")
            if not task.actions:
                return 0
            user = self.canonical_user(task.username) if task.username else SYSTEM_ACCOUNT
            task.last_run_time = self.clock.now()
            task.run_count += 1
            # A task's actions run one after the other ("Actions... are performed sequentially", up to 32); the model runs
            # the earlier ones to their end at the start and keeps the last as the task's running process. An earlier
            # action that fails ends the run with its exit code [modelling choice: the product checks each effect].
            for earlier in task.actions[:-1]:
                rc = self._run_action_now(task, earlier, user, trigger)
                if rc != 0:
                    task.last_task_result = rc & 0xFFFFFFFF
                    return 0
            action = task.actions[-1]
            exe = self.expand_env(action.path)
            arguments = self.expand_env(action.arguments or "")
            resolved = self.resolve_executable(exe, action.working_directory) or exe
            unwrapped = self._unwrap_shell(resolved, arguments)
            if unwrapped is not None:
                resolved, arguments = unwrapped
            if task.logon_type in ("interactive_token", "group") and user != SYSTEM_ACCOUNT:
                # "Run only when user is logged on": nobody is logged on to the simulated server's desktop.
                task.last_task_result = 0x800710E0  # The operator or administrator has refused the request
                self.diagnostics.append(f"task {task.path}: not started, {user} has no interactive session "
                                        f"(logon_type {task.logon_type})")
                return 0
            run = ProgramRun(resolved, arguments, split_command_line(arguments), user, "scheduled_task",
                             working_directory=action.working_directory, elevated=task.run_level == "highest" or user == SYSTEM_ACCOUNT,
                             task_path=task.path, logon_type=task.logon_type,
                             network_credentials=task.logon_type == "password" or user == SYSTEM_ACCOUNT,
                             priority_class=task.priority_class)
            self.diagnostics.append(f"task {task.path} started ({trigger}) as {user}: {resolved} {arguments}")
            if self.handler_for(resolved) is None and self.installer_for(resolved) is None:
                handled = self.run_command_handlers(f"{resolved} {arguments}", user)
                if handled is None:
                    found = self.resolve_executable(resolved, action.working_directory)
                    task.last_task_result = 1 if found else ERROR_FILE_NOT_FOUND_HRESULT
                    self.diagnostics.append(f"task {task.path}: '{resolved}' is not modelled by the simulated server")
                    return 0
                result: ProgramResult = handled
                proc = self.start_process(paths.basename(resolved) or resolved, f"{resolved} {arguments}", user,
                                          duration=result.duration_seconds, on_exit=result.on_exit,
                                          exit_code=result.rc, task_path=task.path, real_seconds=result.real_seconds)
            else:
                result, proc = self.run_program(run, wait=False)
                if proc is None:
                    task.last_task_result = result.rc & 0xFFFFFFFF
                    return 0
            self._set_priority_class(proc.pid, task.priority_class)
            task.state = "Running"
            task.running_pid = proc.pid
            task.last_task_result = SCHED_S_TASK_RUNNING
            self.poll()
            return proc.pid

    def _run_action_now(self, task: ScheduledTask, action, user: str, trigger: str) -> int:
        """One of a task's earlier actions, run to its end (a modelled program only); its exit code."""
        exe = self.resolve_executable(self.expand_env(action.path), action.working_directory) or self.expand_env(action.path)
        arguments = self.expand_env(action.arguments or "")
        if self.handler_for(exe) is None and self.installer_for(exe) is None:
            self.diagnostics.append(f"task {task.path}: '{exe}' is not modelled by the simulated server")
            return 1 if self.resolve_executable(exe) else ERROR_FILE_NOT_FOUND_HRESULT
        self.diagnostics.append(f"task {task.path} action ({trigger}) as {user}: {exe} {arguments}")
        run = ProgramRun(exe, arguments, split_command_line(arguments), user, "scheduled_task",
                         working_directory=action.working_directory, elevated=task.run_level == "highest" or user == SYSTEM_ACCOUNT,
                         task_path=task.path, logon_type=task.logon_type,
                         network_credentials=task.logon_type == "password" or user == SYSTEM_ACCOUNT,
                         priority_class=task.priority_class)
        return self.run_program(run, wait=True)[0].rc

    def _set_priority_class(self, pid: int, priority_class: str) -> None:
        """The task's process starts at its priority's class; its children inherit a BelowNormal or Idle class
        ("unless the priority class of the creating process is IDLE_PRIORITY_CLASS or BELOW_NORMAL_PRIORITY_CLASS",
        Microsoft Learn, CreateProcessW, dwCreationFlags), so ExSetup.exe runs at Setup.exe's class."""
        inherited = priority_class in ("BelowNormal", "Idle")
        for proc in self.processes.values():
            if proc.pid == pid or (inherited and proc.parent_pid == pid):
                proc.priority_class = priority_class

    def stop_task(self, task: ScheduledTask) -> bool:
        with self.lock:
            if task.running_pid and task.running_pid in self.processes:
                self._end_process(self.processes[task.running_pid], 0x41306)  # SCHED_S_TASK_TERMINATED
                return True
            return False

    def _unwrap_shell(self, exe: str, arguments: str) -> tuple[str, str] | None:
        """`cmd.exe /c "X" args` or `powershell.exe -Command "& 'X' args"` -> (X, args) when X has a handler."""
        base = paths.basename(exe).lower() if "\\" in exe else exe.lower()
        argv = split_command_line(arguments)
        inner = ""
        if base in ("cmd.exe", "cmd") and argv and argv[0].lower() in ("/c", "/k"):
            inner = arguments.split(argv[0], 1)[1].strip()
            if inner.startswith('"') and inner.endswith('"') and inner.count('"') > 2:
                inner = inner[1:-1]
        elif base in ("powershell.exe", "powershell", "pwsh.exe"):
            low = [a.lower() for a in argv]
            for flag in ("-command", "-c"):
                if flag in low:
                    inner = " ".join(argv[low.index(flag) + 1:]).strip()
                    break
            inner = inner.lstrip("&").strip()
            if inner[:1] in ("'", '"'):
                q = inner[0]
                end = inner.find(q, 1)
                if end > 0:
                    inner = f'"{inner[1:end]}"{inner[end + 1:]}'
        if not inner:
            return None
        inner_argv = split_command_line(inner)
        if not inner_argv:
            return None
        target = inner_argv[0]
        if self.handler_for(target) is None and self.installer_for(target) is None:
            return None
        rest = inner.split(target, 1)[1].lstrip('"').strip() if target in inner else " ".join(inner_argv[1:])
        return (self.resolve_executable(target) or target), rest

    # ================================================================ disk images
    def mount_image(self, image_path: str) -> str:
        """Mount-DiskImage: returns the assigned drive letter ("E"). Mounting twice returns the same letter."""
        with self.lock:
            node = self.fs.get(image_path)
            if node is None or node.is_dir:
                raise FsError(f"The system cannot find the file specified: '{image_path}'")
            image: DiskImage | None = node.image
            if image is None and node.content is not None:
                image = next((found for reader in self.disk_image_readers if (found := reader(node.content)) is not None), None)
            if image is None:
                raise FsError("The file or directory is corrupted and unreadable.")
            k = paths.key(image_path)
            if k in self.mounted_images:
                return self.mounted_images[k]
            used = set(self.fs.volumes) | set(self.mounted_images.values())
            letter = next(c for c in "DEFGHIJKLMNOPQRSTUVWXYZ" if c not in used)
            vol = self.fs.add_volume(Volume(letter, image.label, "UDF", "CD-ROM", size=2**62,
                                            image_path=paths.normalize(image_path)))
            for rel, template in image.files.items():
                self.fs.add(FileNode(**{**template.__dict__, "path": paths.join(vol.root, rel)}))
            vol.size = max(node.size, vol.used_files)  # an ISO volume is always full
            vol.used_base = vol.size - vol.used_files
            vol.read_only = True
            self.mounted_images[k] = letter
            return letter

    def dismount_image(self, image_path: str) -> bool:
        with self.lock:
            k = paths.key(image_path)
            if k not in self.mounted_images:
                return False
            self._dismount(k)
            return True

    def _dismount(self, image_key: str) -> None:
        letter = self.mounted_images.pop(image_key)
        self.fs.remove_volume(letter)

    def image_letter(self, image_path: str) -> str | None:
        with self.lock:
            return self.mounted_images.get(paths.key(image_path))
