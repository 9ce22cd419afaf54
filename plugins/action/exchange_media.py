# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_media (documentation in plugins/modules/exchange_media.py).

The decisions are in `media_plan`; the server is touched only through standard modules:
ansible.windows.win_stat (SHA-256 of the ISO and of the licence text), ansible.windows.win_copy
(staging, its own action plugin for a file on the controller), community.windows.win_disk_image
(mount/unmount), community.windows.win_file_version (Setup.exe's version) and ansible.windows.win_file
(the staging folder).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ansible.errors import AnsibleActionFail, AnsibleError

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import facts_of_task_vars
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.media import (
    DEFAULT_LICENSE_FILE_NAMES,
    INSPECTED,
    MOUNTED,
    SETUP_FILE,
    STATES,
    MediaSource,
    describe_version,
    drive_of,
    hash_evidence,
    hash_problem,
    join_media,
    media_evidence,
    normalize_sha256,
    not_found_problem,
    plan_evidence,
    read_source,
    refusal_evidence,
    stage_evidence,
    unmount_evidence,
    version_from_file_version,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import OptionProblem, failure_message, name_variables
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

ARGUMENT_SPEC = {
    "iso": {"type": "str"},
    "src": {"type": "path"},
    "sha256": {"type": "str"},
    "dest": {"type": "str"},
    "state": {"type": "str", "default": MOUNTED, "choices": list(STATES)},
    "license_file_names": {"type": "list", "elements": "str", "default": list(DEFAULT_LICENSE_FILE_NAMES)},
    "variable_names": {"type": "dict", "default": {}},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}
TITLE = ("Medio de Exchange rechazado", "Exchange media refused")
FAILED = ("Medio de Exchange no preparado", "Exchange media not prepared")


def _local_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False
    # Option -> the inventory variable that feeds it (the task's `variable_names`), for the refusals' messages.
    _variable_names: dict[str, str] = {}

    # ------------------------------------------------------------------------------- server calls
    def _sha256(self, path: str, task_vars: dict) -> tuple[bool, str | None]:
        """(exists, lower-case SHA-256) of a file on the server, from win_stat."""
        answer = self._module("ansible.windows.win_stat", {"path": path, "get_checksum": True, "checksum_algorithm": "sha256"},
                              task_vars)
        if answer.get("failed"):
            raise AnsibleActionFail(f"win_stat {path}: {answer.get('msg')}")
        stat = answer.get("stat") or {}
        if not stat.get("exists") or stat.get("isdir"):
            return False, None
        return True, str(stat.get("checksum") or "").lower() or None

    def _media_drive_without_wmi(self, answer: dict, task_vars: dict, evidence: list) -> str | None:
        """The drive of media already attached, when win_disk_image cannot answer because WMI is disabled.

        A cumulative update's setup disables WMI while it runs (ExchangeDsc issue #496), and Mount-DiskImage and
        Get-DiskImage are CIM. A run that follows that setup (its controller died) finds the media where setup runs from
        it: the one CD-ROM volume (read through .NET by the probe) with a Setup.exe. None when WMI is not the reason, or
        when no single such drive exists."""
        if "0x80070422" not in str(answer.get("msg") or ""):
            return None
        volumes = (facts_of_task_vars(task_vars, {}) or {}).get("volumes") or []
        candidates = [str(volume.get("drive") or "").upper() for volume in volumes if str(volume.get("drive_type") or "").upper() == "CDROM"]
        with_setup = [drive for drive in candidates if drive and self._sha256(join_media(drive, SETUP_FILE), task_vars)[0]]
        if len(with_setup) != 1:
            return None
        drive = with_setup[0]
        evidence.append(Evidence(
            "note", "warning",
            f"WMI no responde (la instalación de Exchange en curso lo deshabilitó): el medio se leyó en la unidad {drive}:, "
            "donde ya estaba montado, sin montarlo de nuevo. El SHA-256 verificado es el del archivo ISO; sin WMI, la unidad "
            "no se puede asociar a ese archivo.",
            f"WMI does not answer (the Exchange setup under way disabled it): the media was read on drive {drive}:, where it "
            "was already mounted, without mounting it again. The SHA-256 verified is the ISO file's; without WMI the drive "
            "cannot be tied to that file.",
            {"drive": drive, "reason": "wmi_disabled"}).as_dict())
        return drive

    # ------------------------------------------------------------------------------- the run
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]
        self._variable_names = dict(args["variable_names"])
        evidence: list[dict[str, Any]] = []
        result.update(changed=False, rpi_report={"evidence": evidence})
        source, problems = read_source(iso=args["iso"], src=args["src"], dest=args["dest"], sha256=args["sha256"],
                                       state=args["state"])
        if source is None:
            return self._refuse(result, problems, language)
        result["source"] = source.as_dict()
        result["iso_path"] = source.image_path
        try:
            if args["state"] in (MOUNTED, INSPECTED):
                return self._mounted(result, source, args, task_vars, evidence, language, inspect_only=args["state"] == INSPECTED)
            return self._unmounted(result, source, task_vars, evidence)
        except AnsibleActionFail as error:
            result.update(failed=True, msg=f"{i18n.text(language, FAILED[0], FAILED[1])}: {error}")
            return result

    def _refuse(self, result: dict, problems: tuple[OptionProblem, ...], language: str) -> dict:
        problems = name_variables(problems, self._variable_names)
        result.update(failed=True, msg=failure_message(*TITLE, problems, language), problems=[problem.as_dict() for problem in problems])
        result["rpi_report"]["evidence"].append(refusal_evidence(problems, *TITLE))
        return result

    def _unmounted(self, result: dict, source: MediaSource, task_vars: dict, evidence: list) -> dict:
        answer = self._module("community.windows.win_disk_image", {"image_path": source.image_path, "state": "absent"}, task_vars)
        if answer.get("failed"):
            raise AnsibleActionFail(f"win_disk_image {source.image_path}: {answer.get('msg')}")
        result.update(changed=bool(answer.get("changed")), mounted=False)
        evidence.append(unmount_evidence(source.image_path, bool(answer.get("changed"))))
        return result

    def _stage(self, result: dict, source: MediaSource, expected: str, task_vars: dict, evidence: list,
               language: str) -> tuple[bool, str | None, bool]:
        """Copy the ISO to `dest` unless the right one is already there: (exists, digest, copied)."""
        exists, digest = self._sha256(source.image_path, task_vars)
        if exists and digest == expected:
            evidence.append(stage_evidence(source, copied=False))
            return exists, digest, False
        if self._task.check_mode:
            return exists, digest, True
        # win_copy creates no missing parent folder for a single file.
        folder = source.image_path.rsplit("\\", 1)[0]
        answer = self._module("ansible.windows.win_file", {"path": folder, "state": "directory"}, task_vars)
        if answer.get("failed"):
            raise AnsibleActionFail(f"win_file {folder}: {answer.get('msg')}")
        if source.origin == "controller":
            answer = self._action("ansible.windows.win_copy", {"src": source.stage_from, "dest": source.image_path}, task_vars)
        else:
            answer = self._module("ansible.windows.win_copy", {"src": source.stage_from, "dest": source.image_path,
                                                               "remote_src": True}, task_vars)
        if answer.get("failed"):
            where = source.stage_from
            raise AnsibleActionFail(i18n.text(language, f"no se pudo copiar {where} a {source.image_path}: {answer.get('msg')}",
                                              f"copying {where} to {source.image_path} failed: {answer.get('msg')}"))
        result["changed"] = True
        evidence.append(stage_evidence(source, copied=True))
        exists, digest = self._sha256(source.image_path, task_vars)
        return exists, digest, True

    def _mounted(self, result: dict, source: MediaSource, args: dict, task_vars: dict, evidence: list, language: str,
                 inspect_only: bool = False) -> dict:
        """Verify the SHA-256, then mount and read the media (`mounted`), or only read it (`inspected`, check mode)."""
        expected = normalize_sha256(args["sha256"]) or ""
        # Check mode and `inspected` leave the server as they found it: nothing is copied, and an image that is
        # not mounted is mounted only for the time it takes to read it.
        transient = inspect_only or bool(self._task.check_mode)
        if source.origin == "controller":
            # The controller's copy is checked before a single byte goes over WinRM; it is looked up
            # the way the copy actions look up `src` (the role's files/, the playbook's folder).
            try:
                local = self._find_needle("files", source.stage_from)
            except AnsibleError:
                return self._refuse(result, (not_found_problem(source.stage_from, "src"),), language)
            problem = hash_problem(local, expected, _local_sha256(local), "sha256")
            if problem is not None:
                return self._refuse(result, (problem,), language)
            source = MediaSource(source.origin, source.image_path, local)

        would_copy = False
        target: str | None = source.image_path
        if source.staged and transient:
            exists, digest = self._sha256(source.image_path, task_vars)
            if exists and digest == expected:
                evidence.append(stage_evidence(source, copied=False))
            else:
                # Not staged yet: verify (and read) the image where it is now; a controller file was verified above.
                would_copy = not inspect_only
                target = None if source.origin == "controller" else source.stage_from
                exists, digest = (True, expected) if target is None else self._sha256(target, task_vars)
        elif source.staged:
            exists, digest, _copied = self._stage(result, source, expected, task_vars, evidence, language)
        else:
            exists, digest = self._sha256(target, task_vars)
        verify_path = target or source.stage_from
        if not exists:
            option = "dest" if source.staged and verify_path == source.image_path else "iso"
            return self._refuse(result, (not_found_problem(verify_path, option),), language)
        problem = hash_problem(verify_path, expected, digest)
        result["iso_sha256"] = digest
        if problem is not None:
            return self._refuse(result, (problem,), language)
        evidence.append(hash_evidence(verify_path, digest or ""))

        if target is None:
            # A controller file not yet on the server: nothing to read until it is copied.
            result.update(changed=not inspect_only, mounted=False, msg=self._plan_msg(source, True, True, language))
            evidence.append(plan_evidence(source, True, True))
            return result
        if transient:
            # One call attaches the image when it is not attached and says where it is either way (`changed` tells which):
            # a query in check mode and then the attach cost one WinRM command more on every run (issue 19). An image
            # this call attached is detached again after reading, so the server is left as it was found.
            query = self._module("community.windows.win_disk_image", {"image_path": target, "state": "present"}, task_vars,
                                 check_mode=False)
            drive = drive_of(query.get("mount_paths"))
            attached = not query.get("changed")
            if query.get("failed"):
                drive, attached = self._media_drive_without_wmi(query, task_vars, evidence), True
                if drive is None:
                    raise AnsibleActionFail(f"win_disk_image {target}: {query.get('msg')}")
            elif drive is None:
                if not attached:
                    self._detach(target, task_vars)
                raise AnsibleActionFail(f"win_disk_image {target}: no drive letter")
            try:
                read = self._read(result, drive, args, task_vars, evidence, False, language, transient=not attached)
            finally:
                if not attached:
                    self._detach(target, task_vars)
            would_mount = not attached or would_copy
            result.update(mounted=attached and not would_copy, changed=not inspect_only and would_mount)
            if not attached:
                result["mounted_while_reading"] = True
            if read and not inspect_only and would_mount:
                result["msg"] = self._plan_msg(source, would_copy, True, language)
                evidence.append(plan_evidence(source, would_copy, True))
            elif read and not attached:
                what = result.get("label") or result.get("version")
                result["msg"] = i18n.text(language, f"Medio de Exchange {what} verificado y leído; no quedó montado.",
                                          f"Exchange media {what} verified and read; it was not left mounted.")
            return result

        answer = self._module("community.windows.win_disk_image", {"image_path": target, "state": "present"}, task_vars)
        fallback = self._media_drive_without_wmi(answer, task_vars, evidence) if answer.get("failed") else None
        if answer.get("failed") and fallback is None:
            raise AnsibleActionFail(f"win_disk_image {target}: {answer.get('msg')}")
        mounted_now = bool(answer.get("changed")) and fallback is None
        drive = fallback or drive_of(answer.get("mount_paths"))
        if drive is None:
            raise AnsibleActionFail(f"win_disk_image {target}: no drive letter")
        result["changed"] = result["changed"] or mounted_now
        result["mounted"] = True
        self._read(result, drive, args, task_vars, evidence, mounted_now, language)
        return result

    def _detach(self, image: str, task_vars: dict) -> None:
        answer = self._module("community.windows.win_disk_image", {"image_path": image, "state": "absent"}, task_vars,
                              check_mode=False)
        if answer.get("failed"):
            raise AnsibleActionFail(f"win_disk_image {image} (unmount after reading): {answer.get('msg')}")

    def _read(self, result: dict, drive: str, args: dict, task_vars: dict, evidence: list, mounted_now: bool,
              language: str, transient: bool = False) -> bool:
        """Setup.exe's version and the licence text of the media on `drive`; False when it is not Exchange 2019/SE media."""
        setup_path = join_media(drive, SETUP_FILE)
        version_answer = self._module("community.windows.win_file_version", {"path": setup_path}, task_vars)
        if version_answer.get("failed"):
            raise AnsibleActionFail(i18n.text(language, f"no se pudo leer la versión de {setup_path}: {version_answer.get('msg')}",
                                              f"the version of {setup_path} could not be read: {version_answer.get('msg')}"))
        info, problem = describe_version(version_from_file_version(version_answer))
        result.update(drive=drive, setup_path=setup_path, **info)
        result["setup_version"] = info["version"]
        if problem is not None:
            self._refuse(result, (problem,), language)
            return False
        license_path = license_sha256 = None
        for name in args["license_file_names"]:
            candidate = join_media(drive, name)
            found, digest = self._sha256(candidate, task_vars)
            if found:
                license_path, license_sha256 = candidate, digest
                break
        result.update(license_path=license_path, license_sha256=license_sha256)
        if license_sha256 is None:
            result["warnings"] = [f"No licence text found on the media (tried {', '.join(args['license_file_names'])})."]
        evidence.append(media_evidence(info, drive, license_path, license_sha256, mounted_now, transient))
        what = info.get("label") or info.get("version")
        result["msg"] = i18n.text(language, f"Medio de Exchange {what} montado en {drive}:.",
                                  f"Exchange media {what} mounted on {drive}:.")
        return True

    @staticmethod
    def _plan_msg(source: MediaSource, would_copy: bool, would_mount: bool, language: str) -> str:
        evidence = plan_evidence(source, would_copy, would_mount)
        return i18n.text(language, evidence["summary_es"], evidence["summary_en"])
