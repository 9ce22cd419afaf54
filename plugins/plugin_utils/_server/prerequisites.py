# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Exchange prerequisites a server lacks, and how to install them: decided in Python.

Input is what `server_facts.interpret()` says about the server (one probe), the Exchange
build the media carries and the role. Output is a `PrerequisitePlan`: the Windows features
to add (one `win_feature` call), the installers to run in the catalogue's order (one
`win_package` each, with the catalogue's arguments and product code), whether a reboot must
come first, and every reason to refuse before the first change. The action plugin
`rpi.exchange.exchange_prerequisites` only carries the plan out; nothing here talks to a server.

Exchange facts (what each version/OS/role needs, detection keys, installer arguments, product
codes) come from the catalogue. What is not an Exchange fact and therefore lives here: the file
names the installers have on the RPI's share, and the .NET installer's arguments, which the
catalogue's .NET item does not carry (see the comments below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import (
    base_cu_of,
    format_version,
    is_os_supported,
    os_from_build,
    parse_version,
    product_line,
    required_dotnet_release,
    required_prerequisites,
    supported_os,
    windows_features,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import LINE_2019, LINE_SE
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.dotnet import NET481_RELEASE, dotnet_version_of
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import normalize_installation_type, normalize_role
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH, SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import OptionProblem
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

DOTNET = "dotnet"
DOTNET_48 = "dotnet48"
DOTNET_481 = "dotnet481"
DOTNET_RECOMMENDED = "recommended"
DOTNET_MINIMUM = "minimum"
DOTNET_CHOICES = (DOTNET_RECOMMENDED, DOTNET_MINIMUM)

# Not Exchange facts, so not in the catalogue: the installers' file names. .NET keeps Microsoft's
# download names; both Visual C++ packages download as `vcredist_x64.exe`, so the RPI's share keeps
# them renamed by year. Any of them can be overridden with the `installers` option.
DEFAULT_INSTALLERS: dict[str, str] = {
    DOTNET_48: "ndp48-x86-x64-allos-enu.exe",
    DOTNET_481: "NDP481-x86-x64-AllOS-ENU.exe",
    "vcredist2012": "vcredist_x64_2012.exe",
    "vcredist2013": "vcredist_x64_2013.exe",
    "ucma4": "UcmaRuntimeSetup.exe",
    "urlrewrite21": "rewrite_amd64_en-US.msi",
}
INSTALLER_KEYS = tuple(DEFAULT_INSTALLERS)

# The catalogue's .NET item carries no installer arguments. Microsoft: on Server Core the .NET
# installer must run with /q [S1 prerequisites]; Install-Exchange15 adds /norestart [S4] so that
# the reboot stays ours to schedule.
DOTNET_INSTALLER_ARGS: tuple[str, ...] = ("/q", "/norestart")
_DOTNET_NAMES = {DOTNET_48: ".NET Framework 4.8", DOTNET_481: ".NET Framework 4.8.1"}
# A .NET Framework install ends with exit code 3010 (restart required) [INFERRED: the Release
# DWORD's new runtime only loads after a restart]; used to predict the reboot in check mode.
REBOOT_EXPECTED_KEYS = frozenset({DOTNET_48, DOTNET_481})

_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\[^\\/]+[\\/][^\\/]+)")
_DRIVE_ONLY = re.compile(r"^([A-Za-z]):?[\\/]?$")


@dataclass(frozen=True)
class Item:
    """One thing Exchange needs on the server: a Windows feature or a piece of software."""

    key: str
    name: str
    kind: str  # "feature" | "software"

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "name": self.name, "type": self.kind}


@dataclass(frozen=True)
class InstallStep:
    """One installer to run with `ansible.windows.win_package`."""

    key: str  # the installer: dotnet48, dotnet481, vcredist2012, ...
    prerequisite: str  # the catalogue item it satisfies: dotnet, vcredist2012, ...
    name: str
    file_name: str
    folder: str
    path: str
    option: str  # what the technician edits when the file is not there
    origin: str  # "source" | "media" | "explicit"
    arguments: tuple[str, ...]
    product_id: str = ""
    reboot_expected: bool = False

    @property
    def is_msi(self) -> bool:
        return self.path.lower().endswith(".msi")

    def module_args(self) -> dict[str, Any]:
        """Arguments of `ansible.windows.win_package` (structured: the module quotes each argument).

        win_package runs an MSI as `msiexec /i <path> /qn /norestart` itself and its documentation
        says not to pass those switches again, so the catalogue's silent switches go only to .exe installers.
        """
        args: dict[str, Any] = {"path": self.path, "state": "present"}
        if self.arguments and not self.is_msi:
            args["arguments"] = list(self.arguments)
        if self.product_id:
            args["product_id"] = self.product_id
        return args

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "prerequisite": self.prerequisite, "name": self.name, "type": "software",
                "path": self.path, "arguments": [] if self.is_msi else list(self.arguments), "product_id": self.product_id or None,
                "origin": self.origin}


@dataclass(frozen=True)
class Target:
    """The server and the Exchange build the plan is for."""

    exchange_version: str
    label: str | None
    line: str
    os_key: str | None
    os_name: str | None
    os_build: int | None
    installation_type: str
    role: str

    def as_dict(self) -> dict[str, Any]:
        return {"exchange_version": self.exchange_version, "label": self.label, "line": self.line, "os": self.os_key,
                "os_name": self.os_name, "os_build": self.os_build, "installation_type": self.installation_type,
                "role": self.role}


@dataclass(frozen=True)
class PrerequisitePlan:
    target: Target | None
    features: tuple[str, ...] = ()
    steps: tuple[InstallStep, ...] = ()
    already_present: tuple[Item, ...] = ()
    reboot_first: bool = False
    pending_sources: tuple[str, ...] = ()
    dotnet: dict[str, Any] = field(default_factory=dict)
    problems: tuple[OptionProblem, ...] = ()

    @property
    def has_work(self) -> bool:
        return bool(self.features or self.steps)

    @property
    def to_install(self) -> tuple[Item, ...]:
        return tuple(Item(name, name, "feature") for name in self.features) + tuple(
            Item(step.key, step.name, "software") for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.as_dict() if self.target else None,
            "features": list(self.features),
            "software": [step.as_dict() for step in self.steps],
            "already_present": [item.as_dict() for item in self.already_present],
            "reboot_first": self.reboot_first,
            "pending_reboot_sources": list(self.pending_sources),
            "dotnet": dict(self.dotnet),
        }


def _problem(option: str, code: str, es: str, en: str, fix_es: str = "", fix_en: str = "") -> OptionProblem:
    return OptionProblem(option, code, es, en, fix_es, fix_en)


def is_absolute_windows_path(value: str) -> bool:
    """`C:\\folder` or `\\\\server\\share[\\...]`."""
    return bool(_ABSOLUTE.match(value.strip()))


def join_windows(folder: str, name: str) -> str:
    """`folder\\name` with exactly one backslash between them (forward slashes read as backslashes)."""
    folder = folder.strip().replace("/", "\\")
    name = name.strip().replace("/", "\\").lstrip("\\")
    return folder if not name else (folder.rstrip("\\") + "\\" + name)


def media_root(value: str) -> str:
    """`E`, `E:`, `E:\\` -> `E:\\`; any other folder is kept as written."""
    match = _DRIVE_ONLY.match(value.strip())
    return f"{match.group(1).upper()}:\\" if match else value.strip()


def read_target(facts: Mapping[str, Any], exchange_version: object, role: object) -> tuple[Target | None, tuple[OptionProblem, ...]]:
    """The plan's target from the facts and the options, or the problems that prevent one."""
    problems: list[OptionProblem] = []
    try:
        canonical_role = normalize_role(role)
    except ValueError:
        problems.append(_problem("role", "role_invalid", f"el rol '{role}' no es un rol de Exchange.",
                                 f"'{role}' is not an Exchange role.", "Use Mailbox, EdgeTransport o ManagementTools.",
                                 "Use Mailbox, EdgeTransport or ManagementTools."))
        canonical_role = ""
    try:
        version = format_version(parse_version(str(exchange_version).strip()))
    except ValueError:
        problems.append(_problem("exchange_version", "exchange_version_invalid",
                                 f"'{exchange_version}' no es un número de versión de Exchange.",
                                 f"'{exchange_version}' is not an Exchange version number.",
                                 "Indique la versión de Setup.exe del medio (por ejemplo 15.2.2562.17), que devuelve rpi.exchange.exchange_media.",
                                 "Give the media's Setup.exe version (for example 15.2.2562.17), as rpi.exchange.exchange_media returns it."))
        version = ""
    line = product_line(version) if version else "unknown"
    if version and line not in (LINE_2019, LINE_SE):
        problems.append(_problem("exchange_version", "exchange_version_unsupported",
                                 f"la versión {version} no es de Exchange Server 2019 ni de Exchange Server SE.",
                                 f"version {version} is neither Exchange Server 2019 nor Exchange Server SE."))
    os_info = facts.get("os") or {}
    server = os_from_build(os_info.get("build")) if os_info.get("build") is not None else None
    installation_type = normalize_installation_type(os_info.get("installation_type") or "DesktopExperience")
    if server is None:
        problems.append(_problem("os", "os_unknown",
                                 f"el sistema operativo del servidor ({os_info.get('name') or os_info.get('build')}) no es Windows Server 2019, 2022 ni 2025.",
                                 f"the server's operating system ({os_info.get('name') or os_info.get('build')}) is not Windows Server 2019, 2022 or 2025."))
    elif version and line in (LINE_2019, LINE_SE) and not is_os_supported(version, server.build):
        names = ", ".join(item.name for item in supported_os(version)) or "-"
        problems.append(_problem("exchange_version", "os_not_supported",
                                 f"Exchange {version} no es compatible con {server.name} (compatible con: {names}).",
                                 f"Exchange {version} is not supported on {server.name} (supported on: {names}).",
                                 "Use un medio más reciente o un servidor con un sistema operativo compatible.",
                                 "Use newer media or a server with a supported operating system."))
    if problems:
        return None, tuple(problems)
    cu = base_cu_of(version)
    return Target(version, cu.label if cu else None, line, server.key if server else None, server.name if server else None,
                  server.build if server else None, installation_type, canonical_role), ()


def _dotnet_release(facts: Mapping[str, Any]) -> int | None:
    release = (facts.get("dotnet") or {}).get("release")
    return release if isinstance(release, int) and not isinstance(release, bool) else None


def _installed_software(facts: Mapping[str, Any], key: str) -> bool:
    return bool(((facts.get("prerequisites") or {}).get(key) or {}).get("installed"))


def required_items(target: Target) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """(Windows features, catalogue prerequisites) Exchange needs for this target, in install order."""
    features = windows_features(target.role, target.installation_type)
    prerequisites = required_prerequisites(target.exchange_version, target.os_build, target.installation_type, target.role)
    return features, prerequisites


def missing_items(facts: Mapping[str, Any], target: Target) -> tuple[Item, ...]:
    """What is still missing for `target` according to `facts` (features first, then software)."""
    features, prerequisites = required_items(target)
    missing_features = {name.lower() for name in (facts.get("features") or {}).get("missing") or []}
    items = [Item(name, name, "feature") for name in features if name.lower() in missing_features]
    for prerequisite in prerequisites:
        if prerequisite.key == DOTNET:
            requirement = required_dotnet_release(target.exchange_version, target.os_build)
            if not requirement.accepts(_dotnet_release(facts)):
                items.append(Item(DOTNET, prerequisite.name, "software"))
        elif not _installed_software(facts, prerequisite.key):
            items.append(Item(prerequisite.key, prerequisite.name, "software"))
    return tuple(items)


def _dotnet_decision(facts: Mapping[str, Any], target: Target, choice: str) -> tuple[str | None, dict[str, Any], tuple[OptionProblem, ...]]:
    """(installer key or None, .NET summary, problems) for the target's .NET requirement."""
    requirement = required_dotnet_release(target.exchange_version, target.os_build)
    release = _dotnet_release(facts)
    summary: dict[str, Any] = {
        "release_before": release, "version_before": dotnet_version_of(release) if release else None,
        "required": " or ".join(requirement.supported_versions), "recommended": requirement.recommended_version,
        "choice": choice, "install": None,
    }
    if release is not None and requirement.ceiling_release is not None and release >= requirement.ceiling_release:
        return None, summary, (_problem(
            DOTNET, "dotnet_too_new",
            f".NET Framework {dotnet_version_of(release)} (Release {release}) está instalado, pero Exchange {target.exchange_version} "
            f"en {target.os_name} solo admite .NET {requirement.minimum_version}; .NET no se puede desinstalar de forma desatendida.",
            f".NET Framework {dotnet_version_of(release)} (Release {release}) is installed, but Exchange {target.exchange_version} "
            f"on {target.os_name} supports only .NET {requirement.minimum_version}; .NET cannot be removed unattended.",
            "Use un medio de Exchange que admita .NET 4.8.1 (2019 CU14 o posterior, SE) o reinstale el servidor.",
            "Use Exchange media that supports .NET 4.8.1 (2019 CU14 or later, SE) or rebuild the server."),)
    wanted = requirement.minimum_release
    if choice == DOTNET_RECOMMENDED:
        wanted = requirement.recommended_release
    if release is not None and release >= wanted:
        return None, summary, ()
    key = DOTNET_481 if wanted >= NET481_RELEASE else DOTNET_48
    summary["install"] = _DOTNET_NAMES[key]
    return key, summary, ()


def _check_installers_option(installers: Mapping[str, Any]) -> tuple[OptionProblem, ...]:
    problems = []
    for key, value in installers.items():
        if key not in DEFAULT_INSTALLERS:
            problems.append(_problem(f"installers.{key}", "installer_key_unknown",
                                     f"'{key}' no es un instalador conocido.", f"'{key}' is not a known installer.",
                                     f"Claves válidas: {', '.join(INSTALLER_KEYS)}.", f"Valid keys: {', '.join(INSTALLER_KEYS)}."))
        elif not isinstance(value, str) or not value.strip():
            problems.append(_problem(f"installers.{key}", "installer_name_invalid",
                                     "el nombre del archivo está vacío.", "the file name is empty."))
    return tuple(problems)


def _check_folder(option: str, value: str | None) -> tuple[OptionProblem, ...]:
    if value is None:
        return ()
    if value.strip().lower().startswith(("http://", "https://", "ftp://")):
        return (_problem(option, f"{option}_not_offline", f"'{value}' es una dirección de Internet; el servidor no tiene acceso a Internet.",
                         f"'{value}' is an Internet address; the server has no Internet access.",
                         "Indique una carpeta del servidor (C:\\...) o un recurso compartido (\\\\servidor\\recurso\\...).",
                         "Give a folder on the server (C:\\...) or a share (\\\\server\\share\\...)."),)
    if not is_absolute_windows_path(media_root(value) if option == "media_path" else value):
        return (_problem(option, f"{option}_invalid", f"'{value}' no es una ruta absoluta de Windows.",
                         f"'{value}' is not an absolute Windows path.",
                         "Use C:\\carpeta o \\\\servidor\\recurso\\carpeta.", "Use C:\\folder or \\\\server\\share\\folder."),)
    return ()


def _split(path: str) -> tuple[str, str]:
    """(folder, file name) of a Windows path."""
    folder, file_name = path.rsplit("\\", 1) if "\\" in path else ("", path)
    return folder, file_name


def _step(key: str, prerequisite: str, name: str, arguments: tuple[str, ...], product_id: str, *, source: str | None,
          installers: Mapping[str, str], media: str | None = None, media_installer: str = "") -> tuple[InstallStep | None, OptionProblem | None]:
    override = (installers.get(key) or "").strip()
    if media is not None and not override:
        path = join_windows(media_root(media), media_installer)
        folder, file_name = _split(path)
        return InstallStep(key, prerequisite, name, file_name, folder, path, "media_path", "media", arguments, product_id,
                           key in REBOOT_EXPECTED_KEYS), None
    file_name = override or DEFAULT_INSTALLERS[key]
    if is_absolute_windows_path(file_name):
        folder, base = _split(file_name.replace("/", "\\"))
        return InstallStep(key, prerequisite, name, base, folder, file_name, f"installers.{key}", "explicit", arguments, product_id,
                           key in REBOOT_EXPECTED_KEYS), None
    if source is None:
        return None, _problem("source", "source_missing",
                              f"hace falta instalar {name} y no se indicó la carpeta de los instaladores.",
                              f"{name} must be installed and no installer folder was given.",
                              "Indique en 'source' la carpeta del servidor o el recurso compartido que contiene los instaladores.",
                              "Set 'source' to the folder on the server or the share that holds the installers.")
    path = join_windows(source, file_name)
    folder, base = _split(path)
    return InstallStep(key, prerequisite, name, base, folder, path, f"installers.{key}" if override else "source",
                       "source", arguments, product_id, key in REBOOT_EXPECTED_KEYS), None


def make_plan(facts: Mapping[str, Any], *, exchange_version: object, role: object = "Mailbox", source: str | None = None,
              installers: Mapping[str, Any] | None = None, media_path: str | None = None,
              dotnet: str = DOTNET_RECOMMENDED) -> PrerequisitePlan:
    """Decide what to install on the server `facts` describes, or why not to start."""
    installers = dict(installers or {})
    option_problems = _check_installers_option(installers) + _check_folder("source", source) + _check_folder("media_path", media_path)
    if dotnet not in DOTNET_CHOICES:
        option_problems += (_problem("dotnet", "dotnet_choice_invalid", f"'{dotnet}' no es una opción válida.",
                                     f"'{dotnet}' is not a valid choice.", f"Use {' o '.join(DOTNET_CHOICES)}.",
                                     f"Use {' or '.join(DOTNET_CHOICES)}."),)
    target, target_problems = read_target(facts, exchange_version, role)
    if target is None or option_problems:
        return PrerequisitePlan(target, problems=option_problems + target_problems)
    installers = {key: str(value) for key, value in installers.items()}

    features, prerequisites = required_items(target)
    missing = {item.key for item in missing_items(facts, target)}
    present: list[Item] = [Item(name, name, "feature") for name in features if name not in missing]
    to_add = tuple(name for name in features if name in missing)
    steps: list[InstallStep] = []
    problems: list[OptionProblem] = []
    dotnet_summary: dict[str, Any] = {}
    for prerequisite in prerequisites:
        if prerequisite.key == DOTNET:
            key, dotnet_summary, dotnet_problems = _dotnet_decision(facts, target, dotnet)
            problems += dotnet_problems
            if key is None:
                if not dotnet_problems:
                    present.append(Item(DOTNET, f".NET Framework {dotnet_summary['version_before']}", "software"))
                continue
            step, problem = _step(key, DOTNET, _DOTNET_NAMES[key], DOTNET_INSTALLER_ARGS, "", source=source, installers=installers)
        elif prerequisite.key not in missing:
            present.append(Item(prerequisite.key, prerequisite.name, "software"))
            continue
        elif prerequisite.media_only:
            media_folder = prerequisite.media_installer.replace("/", "\\").split("\\", maxsplit=1)[0]
            if not media_path and not (installers.get(prerequisite.key) or "").strip():
                problems.append(_problem(
                    "media_path", "media_path_missing",
                    f"en Server Core, {prerequisite.name} debe instalarse desde la carpeta {media_folder} "
                    "del medio de Exchange y no se indicó dónde está montado el medio.",
                    f"on Server Core, {prerequisite.name} must be installed from the Exchange media's "
                    f"{media_folder} folder and the mounted media was not given.",
                    "Monte el medio con rpi.exchange.exchange_media e indique su unidad en 'media_path' (por ejemplo E:\\).",
                    "Mount the media with rpi.exchange.exchange_media and set 'media_path' to its drive (for example E:\\)."))
                continue
            step, problem = _step(prerequisite.key, prerequisite.key, prerequisite.name, prerequisite.installer_args,
                                  prerequisite.product_code, source=source, installers=installers, media=media_path,
                                  media_installer=prerequisite.media_installer)
        else:
            step, problem = _step(prerequisite.key, prerequisite.key, prerequisite.name, prerequisite.installer_args,
                                  prerequisite.product_code, source=source, installers=installers)
        if problem is not None:
            if problem.code not in {existing.code for existing in problems}:
                problems.append(problem)
        elif step is not None:
            steps.append(step)
    pending = (facts.get("pending_reboot") or {})
    return PrerequisitePlan(
        target, to_add, tuple(steps), tuple(present), bool(pending.get("pending")), tuple(pending.get("sources") or ()),
        dotnet_summary, tuple(problems))


def missing_file_problems(plan: PrerequisitePlan, exists: Mapping[str, bool]) -> tuple[OptionProblem, ...]:
    """One problem per installer whose file `exists` says is not there (keys: the steps' paths)."""
    problems = []
    for step in plan.steps:
        if exists.get(step.path, False):
            continue
        where = "el medio de Exchange montado" if step.origin == "media" else step.folder
        where_en = "the mounted Exchange media" if step.origin == "media" else step.folder
        hint_es = hint_en = ""
        if step.folder.startswith("\\\\"):
            hint_es = (" Si el archivo está ahí, la cuenta de WinRM no puede leer el recurso compartido (doble salto): use CredSSP o "
                       "become, o copie los instaladores a una carpeta local del servidor.")
            hint_en = (" If the file is there, the WinRM account cannot read the share (double hop): use CredSSP or become, or copy "
                       "the installers to a local folder on the server.")
        if step.option == "media_path":
            fix_es, fix_en = ("Compruebe que 'media_path' es la unidad donde está montado el medio de Exchange.",
                              "Check that 'media_path' is the drive the Exchange media is mounted on.")
        elif step.option.startswith("installers."):
            fix_es = f"Corrija el nombre en '{step.option}' o copie el archivo a esa carpeta."
            fix_en = f"Correct the name in '{step.option}' or copy the file to that folder."
        else:
            fix_es = (f"Copie el archivo a esa carpeta, indique otra carpeta en 'source' o el nombre del archivo en "
                      f"'installers.{step.key}'.")
            fix_en = (f"Copy the file to that folder, set 'source' to another folder, or give the file name in "
                      f"'installers.{step.key}'.")
        problems.append(_problem(step.option, "installer_missing",
                                 f"no se encontró el instalador de {step.name} '{step.file_name}' en {where}.",
                                 f"the {step.name} installer '{step.file_name}' was not found in {where_en}.",
                                 fix_es + hint_es, fix_en + hint_en))
    return tuple(problems)


# ------------------------------------------------------------------------------------------- report evidence
def _names(items: Any) -> str:
    return ", ".join(item.name for item in items)


def _feature_summary(count: int, language: str) -> str:
    if language == SPANISH:
        return f"{count} característica{'s' if count != 1 else ''} de Windows"
    return f"{count} Windows feature{'s' if count != 1 else ''}"


def plan_summary(plan: PrerequisitePlan, language: str) -> str:
    """One line: what would be installed (features counted, software named)."""
    parts = []
    if plan.features:
        parts.append(_feature_summary(len(plan.features), language))
    parts += [step.name for step in plan.steps]
    if not parts:
        return i18n.text(language, "nada", "nothing")
    return ", ".join(parts)


def plan_evidence(plan: PrerequisitePlan, reboot_predicted: bool) -> dict[str, Any]:
    """Check mode: what would be installed and whether the server would restart."""
    target = plan.target
    what = f"Exchange {target.label or target.exchange_version} ({target.role})" if target else "Exchange"
    reboot_es = "sí" if reboot_predicted else "no"
    reboot_en = "yes" if reboot_predicted else "no"
    return Evidence("plan", "info",
                    f"Prerrequisitos de {what}: se instalaría {plan_summary(plan, SPANISH)}; reinicio: {reboot_es}.",
                    f"Prerequisites of {what}: would install {plan_summary(plan, ENGLISH)}; restart: {reboot_en}.",
                    dict(plan.as_dict(), reboot_predicted=reboot_predicted)).as_dict()


def present_evidence(plan: PrerequisitePlan) -> dict[str, Any]:
    features = [item for item in plan.already_present if item.kind == "feature"]
    software = [item for item in plan.already_present if item.kind == "software"]
    parts_es = ([_feature_summary(len(features), SPANISH)] if features else []) + [item.name for item in software]
    parts_en = ([_feature_summary(len(features), ENGLISH)] if features else []) + [item.name for item in software]
    return Evidence("check", "ok", "Ya presentes: " + (", ".join(parts_es) or "nada") + ".",
                    "Already present: " + (", ".join(parts_en) or "nothing") + ".",
                    {"already_present": [item.as_dict() for item in plan.already_present],
                     "target": plan.target.as_dict() if plan.target else None}).as_dict()


def features_evidence(features: tuple[str, ...], reboot_required: bool) -> dict[str, Any]:
    return Evidence("change", "info", f"Instaladas {_feature_summary(len(features), SPANISH)} (win_feature).",
                    f"Installed {_feature_summary(len(features), ENGLISH)} (win_feature).",
                    {"features": list(features), "reboot_required": reboot_required}).as_dict()


def install_evidence(step: InstallStep, rc: int | None, reboot_required: bool) -> dict[str, Any]:
    return Evidence("change", "info", f"Instalado {step.name} desde {step.path} (código {rc}).",
                    f"Installed {step.name} from {step.path} (exit code {rc}).",
                    dict(step.as_dict(), rc=rc, reboot_required=reboot_required)).as_dict()


def reboot_evidence(reason_es: str, reason_en: str, details: Mapping[str, Any]) -> dict[str, Any]:
    return Evidence("reboot", "info", f"Servidor reiniciado: {reason_es}.", f"Server restarted: {reason_en}.", details).as_dict()


def outcome_evidence(target: Target, missing_after: tuple[Item, ...], reboot_required: bool) -> dict[str, Any]:
    what = f"Exchange {target.label or target.exchange_version} ({target.role})"
    details = {"missing_after": [item.as_dict() for item in missing_after], "reboot_required": reboot_required,
               "target": target.as_dict()}
    if missing_after:
        return Evidence("check", "error", f"Siguen faltando prerrequisitos de {what}: {_names(missing_after)}.",
                        f"Prerequisites of {what} still missing: {_names(missing_after)}.", details).as_dict()
    if reboot_required:
        return Evidence("check", "warning", f"Prerrequisitos de {what} instalados; falta reiniciar el servidor.",
                        f"Prerequisites of {what} installed; the server still needs a restart.", details).as_dict()
    return Evidence("check", "ok", f"Todos los prerrequisitos de {what} están presentes.",
                    f"Every prerequisite of {what} is present.", details).as_dict()
