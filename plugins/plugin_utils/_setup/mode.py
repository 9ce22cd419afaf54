# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which setup run the server needs: install, upgrade, resume, recover, nothing, or a refusal.

Norm 5.4 of ME-VAR-RPI-MNP-15 makes install, cumulative update and version upgrade the
same procedure; this module decides which of them a run is, from the server's facts
(`rpi.exchange.exchange_facts`) and the build of the media's Setup.exe, with the
catalogue's rules. It never decides a downgrade, and whatever it cannot place safely it
refuses with the reason (norm 5.6: the IT Head resolves what the manual does not foresee).

Decisions, in the order they are taken:

1. The media must be an Exchange 2019 or SE setup build (not an SU/HU package).
2. A setup process already running on the server: refuse (two setups never run at once).
3. The server's Windows release must be supported by the media build (catalogue
   `is_os_supported`: WS2022 from 2019 CU12, WS2025 from CU15, SE on all three).
4. An interrupted setup (Watermark/Action on a role key, or a role unpacked but never
   configured): see *Resume* below.
5. Exchange installed: the catalogue's `upgrade_decision` says upgrade (a newer CU, or
   2019 CU14/CU15 -> SE), nothing (the same CU, whatever SU is on top), or refuse
   (downgrade, CU13 or older -> SE, across major versions).
6. Traces of Exchange that are neither installed nor interrupted: refuse (unknown state).
7. No Exchange: install, or RecoverServer when the caller knows the server's object
   still exists in Active Directory (`server_object_in_ad=True`): setup can only rebuild
   such a server with /Mode:RecoverServer [S1 'Modes of Exchange Server Setup'], with
   /TargetDir set again to the install path AD recorded (msExchInstallPath) when it was a
   custom one [S1, exchange-facts §1.3]. Rebuilding a lost server is a change the IT Head
   must have asked for (norm 5.6): when the caller gives the instruction's `purpose` (a
   text, empty when the instruction names none; activity 3 always does), anything but
   `recover_server` turns the decision into a refusal that says what was found (the
   object, its path and version; no Exchange on the machine), and an instruction to
   recover a server whose state calls for an install, an upgrade or a resumption is
   refused too. `purpose=None` leaves that gate out: setup's own runner (activity 8)
   acts on activity 3's decision, which took it.

Resume (exchange-facts §3.3), decided per role key from the facts' `interrupted` map:

* An interrupted **upgrade** (Action other than Install, such as `BuildToBuildUpgrade`)
  is resumed by running /Mode:Upgrade again with media of at least the build on the
  server. Sources: Microsoft CSS SetupAssist flags a watermark only when its Action is
  `Install` [S2 Test-InstallWatermark.ps1]; ExchangeDsc re-runs the same arguments when
  setup is partially complete [S5 Get-InstallStatus]. The Action value of an interrupted
  CU is [UNCONFIRMED]; `BuildToBuildUpgrade` and `Upgrade` are read as an upgrade.
* An interrupted **install without an Install watermark** (a role unpacked but never
  configured, no Watermark) is resumed by re-running /Mode:Install with the same role and
  the same media build. Setup's InstallWatermark rule has nothing to object to, and this
  is exactly what ExchangeDsc does [S5]; Microsoft documents that setup "will resume where
  the installation ended" after a reboot during /InstallWindowsComponents [S1].
* An interrupted **install with an Install watermark** is refused by default: Microsoft
  CSS says the watermark "prevents you from trying to run setup again when trying use
  unattended mode ... unattended mode fails in the prerequisites check section", only the
  GUI picks up where it stopped, and the watermark must NOT be removed
  [S2 docs/Setup/SetupAssist/InstallWatermark.md]. The refusal tells the technician to run
  Setup.exe from the GUI on the server's console (the manual's own, attended, activities
  3-8); the next run then finds the build installed and decides `nothing`.
  `rerun_install_watermark=True` follows ExchangeDsc's reading instead and re-runs
  /Mode:Install (the fact sheet marks the real behaviour [UNCONFIRMED]).
* An interrupted **RecoverServer** (Action `DisasterRecovery`) or **uninstall**, an
  unknown Action, or a mix of an install and an upgrade: refused for the IT Head.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import (
    UpgradeDecision,
    base_cu_of,
    build_info,
    format_version,
    is_os_supported,
    os_from_build,
    product_line,
    supported_os,
    upgrade_decision,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import LINE_2019, LINE_SE
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.upgrades import (
    CROSS_VERSION,
    DOWNGRADE,
    MEDIA_IS_UPDATE,
    SAME_CU,
    SE_NEEDS_CU14,
    UNKNOWN,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import Version, family, try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    EDGE,
    INSTALL,
    MAILBOX,
    MANAGEMENT_TOOLS,
    RECOVER_SERVER,
    UPGRADE,
    normalize_role,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

# The decision's `mode`.
MODE_INSTALL = "install"
MODE_UPGRADE = "upgrade"
MODE_RESUME = "resume"
MODE_RECOVER = "recoverserver"
MODE_NOTHING = "nothing"
MODE_REFUSE = "refuse"
DECISION_MODES = (MODE_INSTALL, MODE_UPGRADE, MODE_RESUME, MODE_RECOVER, MODE_NOTHING, MODE_REFUSE)
RUNS_SETUP = (MODE_INSTALL, MODE_UPGRADE, MODE_RESUME, MODE_RECOVER)
# The IT Head's instruction's `purpose` that authorises /Mode:RecoverServer (norm 5.6).
PURPOSE_RECOVER = "recover_server"

# Role keys of HKLM\SOFTWARE\Microsoft\ExchangeServer\v15 and the setup role they belong to
# (exchange-facts §3.2 [S5, S2]; the Mailbox role's components each have a key).
_ROLE_OF_KEY = {
    "mailboxrole": MAILBOX, "clientaccessrole": MAILBOX, "caferole": MAILBOX, "hubtransportrole": MAILBOX,
    "frontendtransportrole": MAILBOX, "unifiedmessagingrole": MAILBOX, "bridgeheadrole": MAILBOX,
    "edgetransportrole": EDGE, "admintools": MANAGEMENT_TOOLS, "admintoolsrole": MANAGEMENT_TOOLS,
}
# Role names as exchange_facts reports configured roles (server_facts.ROLE_KEY_NAMES).
_INSTALLED_NAME = {MAILBOX: "Mailbox", EDGE: "EdgeTransport", MANAGEMENT_TOOLS: "ManagementTools"}

# Kinds of interruption read from a role key's Action/Watermark.
_INSTALL_WATERMARK = "install_watermark"
_INSTALL_UNCONFIGURED = "install_unconfigured"
_UPGRADE_ACTION = "upgrade"
_RECOVER_ACTION = "recover"
_UNINSTALL_ACTION = "uninstall"
_UNKNOWN_ACTION = "unknown"
_ACTIONS = {
    "install": INSTALL, "buildtobuildupgrade": UPGRADE, "upgrade": UPGRADE, "disasterrecovery": RECOVER_SERVER,
    "recoverserver": RECOVER_SERVER, "uninstall": "Uninstall",
}

_MESSAGES: dict[str, tuple[str, str]] = {
    "fresh_install": (
        "No hay Exchange en el servidor: se instalará {media}.",
        "Exchange is not on the server: {media} will be installed."),
    "recover_server": (
        "No hay Exchange en el servidor pero su objeto existe en Active Directory: se reconstruirá con /Mode:RecoverServer "
        "({media}).",
        "Exchange is not on the server but its object exists in Active Directory: it will be rebuilt with /Mode:RecoverServer "
        "({media})."),
    "recover_not_instructed": (
        "Active Directory conserva el objeto de Exchange de este servidor ({server}: ruta de instalación {path}, versión "
        "{version}), pero en el equipo no hay Exchange instalado: es un servidor perdido o reconstruido con el mismo nombre, que "
        "solo se recupera con /Mode:RecoverServer. Recuperar un servidor es un cambio que debe ordenar el Encargado de TI "
        "(norma 5.6) y la instrucción no lo dice. Si el Encargado de TI ordena la recuperación, agregue purpose: recover_server "
        "a rpi_exchange_instruction y vuelva a ejecutar; si no, no instale este servidor con este nombre y consulte al Encargado de TI.",
        "Active Directory keeps this server's Exchange object ({server}: install path {path}, version {version}), but the "
        "machine has no Exchange installed: it is a lost server, or one rebuilt with the same name, which only "
        "/Mode:RecoverServer recovers. Recovering a server is a change the IT Head must order (norm 5.6), and the instruction "
        "does not say so. If the IT Head orders the recovery, add purpose: recover_server to rpi_exchange_instruction and run "
        "again; otherwise do not install this server under this name and consult the IT Head."),
    "recover_not_needed": (
        "La instrucción del Encargado de TI ordena recuperar el servidor (rpi_exchange_instruction.purpose: recover_server), "
        "pero el servidor no está en ese estado: {found} Esta ejecución haría otro cambio ({mode}) que la instrucción no "
        "ordena (norma 5.6). Consulte al Encargado de TI y quite purpose de la instrucción si ordena ese cambio.",
        "The IT Head's instruction orders recovering the server (rpi_exchange_instruction.purpose: recover_server), but the "
        "server is not in that state: {found} This run would make another change ({mode}) the instruction does not order "
        "(norm 5.6). Consult the IT Head and remove purpose from the instruction if he orders that change."),
    "newer_cu": (
        "Exchange {installed} está instalado: se actualizará a {media} con /Mode:Upgrade.",
        "Exchange {installed} is installed: it will be upgraded to {media} with /Mode:Upgrade."),
    "to_se": (
        "Exchange {installed} está instalado: se actualizará a Exchange Server SE {media} con /Mode:Upgrade; SE se instala "
        "sobre 2019 CU14/CU15 como una actualización acumulativa.",
        "Exchange {installed} is installed: it will be upgraded to Exchange Server SE {media} with /Mode:Upgrade; SE installs "
        "over 2019 CU14/CU15 like a cumulative update."),
    "same_cu": (
        "Exchange {installed} ya está instalado y el medio es la misma actualización acumulativa ({media}): no hay nada que hacer.",
        "Exchange {installed} is already installed and the media carries the same cumulative update ({media}): nothing to do."),
    "resume_upgrade": (
        "Una actualización anterior quedó interrumpida ({keys}): se reanudará ejecutando de nuevo /Mode:Upgrade con {media}.",
        "An earlier upgrade was interrupted ({keys}): it will be resumed by running /Mode:Upgrade again with {media}."),
    "resume_install": (
        "Una instalación anterior quedó interrumpida ({keys}): se reanudará ejecutando de nuevo /Mode:Install /Roles:{role} "
        "con el mismo medio, {media}.",
        "An earlier installation was interrupted ({keys}): it will be resumed by running /Mode:Install /Roles:{role} again "
        "with the same media, {media}."),
    "resume_install_watermark": (
        "Una instalación anterior quedó interrumpida con marca de agua Install ({keys}): se intentará reanudar con "
        "/Mode:Install /Roles:{role} con el medio {media}, como hace ExchangeDsc; Microsoft indica que en modo desatendido puede fallar "
        "la regla InstallWatermark.",
        "An earlier installation was interrupted with an Install watermark ({keys}): it will be retried with /Mode:Install "
        "/Roles:{role} with the media {media}, as ExchangeDsc does; Microsoft says unattended setup may fail the InstallWatermark rule."),
    "media_version_invalid": (
        "'{media}' no es un número de versión de Exchange; no se puede decidir qué hacer.",
        "'{media}' is not an Exchange version number; nothing can be decided."),
    "media_not_supported": (
        "El medio {media} no es de Exchange Server 2019 ni de Exchange Server SE.",
        "The media {media} is neither Exchange Server 2019 nor Exchange Server SE."),
    "setup_task_running": (
        "La instalación iniciada por una ejecución anterior de este procedimiento sigue en curso en el servidor (tarea "
        "{task}; su equipo de control se detuvo): esta ejecución la sigue hasta el final, sin iniciar otra.",
        "The setup an earlier run of this procedure started is still going on the server (task {task}; its controller "
        "stopped): this run follows it to its end, without starting another."),
    "setup_task_unread": (
        "Una ejecución anterior de este procedimiento dejó terminada la instalación sin leer su resultado (tarea {task}; su "
        "equipo de control se detuvo): esta ejecución lee el resultado, elimina la tarea, reinicia el servidor si hace falta y verifica.",
        "An earlier run of this procedure left setup finished without reading its result (task {task}; its controller "
        "stopped): this run reads the result, removes the task, restarts the server if needed and verifies."),
    "setup_running": (
        "Ya hay un programa de instalación de Exchange en ejecución en el servidor ({processes}); espere a que termine y "
        "vuelva a ejecutar.",
        "An Exchange setup program is already running on the server ({processes}); wait for it to finish and run again."),
    "os_unknown": (
        "No se reconoce la versión de Windows del servidor ({os}); Exchange 2019/SE solo se instala en Windows Server 2019, "
        "2022 o 2025.",
        "The server's Windows release is not recognised ({os}); Exchange 2019/SE installs only on Windows Server 2019, 2022 "
        "or 2025."),
    "os_not_supported": (
        "{os} no es compatible con el medio {media}; ese medio admite: {supported}.",
        "{os} is not supported by the media {media}; that media supports: {supported}."),
    "role_unknown": (
        "'{role}' no es un rol de Exchange (Mailbox, EdgeTransport, ManagementTools).",
        "'{role}' is not an Exchange role (Mailbox, EdgeTransport, ManagementTools)."),
    "role_mismatch": (
        "El servidor tiene Exchange {installed} con los roles {roles}, pero se pidió el rol {role}; cambiar los roles de un "
        "servidor no es parte de este procedimiento: lo resuelve el Encargado de TI.",
        "The server has Exchange {installed} with the roles {roles}, but the role {role} was requested; changing a server's "
        "roles is not part of this procedure: the IT Head resolves it."),
    "state_unclear": (
        "El servidor tiene rastros de Exchange ({version}) pero no una instalación completa ni interrumpida reconocible; "
        "revise el servidor con el Encargado de TI antes de continuar.",
        "The server has traces of Exchange ({version}) but neither a complete nor a recognisable interrupted installation; "
        "review the server with the IT Head before going on."),
    "install_watermark_needs_gui": (
        "Una instalación anterior quedó interrumpida con marca de agua Install ({keys}). Microsoft indica que la instalación "
        "desatendida falla en la regla InstallWatermark y que solo el asistente gráfico continúa donde quedó. Ejecute "
        "Setup.exe del medio {media} con la interfaz gráfica en la consola del servidor (actividades 3 a 8 del manual) y no "
        "borre la marca de agua del registro; después vuelva a ejecutar este procedimiento para verificar.",
        "An earlier installation was interrupted with an Install watermark ({keys}). Microsoft says unattended setup fails "
        "the InstallWatermark rule and only the graphical wizard picks up where it stopped. Run Setup.exe from the media "
        "{media} with its graphical interface on the server's console (activities 3 to 8 of the manual) and do not remove "
        "the watermark from the registry; then run this procedure again to verify."),
    "interrupted_recover": (
        "Una recuperación (/Mode:RecoverServer) anterior quedó interrumpida ({keys}); no hay forma documentada de reanudarla "
        "sin asistencia: lo resuelve el Encargado de TI.",
        "An earlier recovery (/Mode:RecoverServer) was interrupted ({keys}); there is no documented unattended way to resume "
        "it: the IT Head resolves it."),
    "interrupted_uninstall": (
        "Una desinstalación anterior quedó interrumpida ({keys}); este procedimiento no la continúa: lo resuelve el Encargado "
        "de TI.",
        "An earlier uninstallation was interrupted ({keys}); this procedure does not continue it: the IT Head resolves it."),
    "interrupted_unknown": (
        "El servidor tiene una instalación interrumpida con una acción no reconocida ({keys}); lo resuelve el Encargado de TI.",
        "The server has an interrupted setup with an unrecognised action ({keys}); the IT Head resolves it."),
    "interrupted_mixed": (
        "El servidor tiene a la vez una instalación y una actualización interrumpidas ({keys}); lo resuelve el Encargado de TI.",
        "The server has both an interrupted installation and an interrupted upgrade ({keys}); the IT Head resolves it."),
    "resume_role_mismatch": (
        "La instalación interrumpida era del rol {resume_role} ({keys}) pero se pidió el rol {role}; reanúdela con el mismo rol.",
        "The interrupted installation was of the {resume_role} role ({keys}) but the {role} role was requested; resume it "
        "with the same role."),
    "resume_media_differs": (
        "La instalación interrumpida es de la versión {installed} y el medio es {media}; reanúdela con el mismo medio.",
        "The interrupted installation is of version {installed} and the media is {media}; resume it with the same media."),
}


# The refusals a choice of the run can fix, and how: the media (`media_version`) or the role (`role`). `name_inputs`
# adds the fix, naming the inventory variable that feeds the option (the action's `variable_names`).
_MEDIA_FIX = ("Indique en {var} el medio (ISO y su SHA-256) de una versión que este servidor admita.",
              "Give in {var} the media (ISO and its SHA-256) of a version this server accepts.")
_ROLE_FIX = ("Corrija {var} con el rol instalado en el servidor.", "Set {var} to the role installed on the server.")
_FIX_OF_REASON: dict[str, tuple[str, tuple[str, str]]] = {
    "media_version_invalid": ("media_version", _MEDIA_FIX),
    "media_not_supported": ("media_version", ("Indique en {var} el medio (ISO y su SHA-256) de Exchange Server 2019 o SE.",
                                              "Give in {var} the media (ISO and its SHA-256) of Exchange Server 2019 or SE.")),
    MEDIA_IS_UPDATE: ("media_version", ("Indique en {var} el ISO de una actualización acumulativa o de Exchange SE, no el de una "
                                        "actualización de seguridad.",
                                        "Give in {var} the ISO of a cumulative update or of Exchange SE, not a security update.")),
    "os_not_supported": ("media_version", ("Indique en {var} el medio (ISO y su SHA-256) de una versión de Exchange que admita "
                                           "este Windows Server.",
                                           "Give in {var} the media (ISO and its SHA-256) of an Exchange version that supports "
                                           "this Windows Server.")),
    DOWNGRADE: ("media_version", ("Indique en {var} el medio (ISO y su SHA-256) de la versión instalada o de una posterior.",
                                  "Give in {var} the media (ISO and its SHA-256) of the installed version or a later one.")),
    CROSS_VERSION: ("media_version", _MEDIA_FIX),
    SE_NEEDS_CU14: ("media_version", ("Indique primero en {var} el medio de Exchange 2019 CU14 o CU15 y, después de instalarlo, "
                                      "el de Exchange SE.",
                                      "First give in {var} the media of Exchange 2019 CU14 or CU15 and, once installed, the "
                                      "Exchange SE media.")),
    UNKNOWN: ("media_version", _MEDIA_FIX),
    "resume_media_differs": ("media_version", ("Indique en {var} el mismo medio de la instalación interrumpida.",
                                               "Give in {var} the same media as the interrupted installation.")),
    "role_unknown": ("role", ("Corrija {var}: use Mailbox, EdgeTransport o ManagementTools.",
                              "Correct {var}: use Mailbox, EdgeTransport or ManagementTools.")),
    "role_mismatch": ("role", _ROLE_FIX),
    "resume_role_mismatch": ("role", ("Corrija {var} con el rol de la instalación interrumpida.",
                                      "Set {var} to the role of the interrupted installation.")),
}


@dataclass(frozen=True)
class ModeDecision:
    """What to do with the server, why (a stable `reason`), and the words for the report.

    `setup_mode` is the /Mode value to run (`Install`, `Upgrade`, `RecoverServer`) and is
    None for `nothing` and `refuse`. For `resume`, `resume_of` is the interrupted
    operation and `resume_role` the role whose installation is resumed.
    """

    mode: str
    reason: str
    message_es: str
    message_en: str
    media_version: str
    installed_version: str | None = None
    setup_mode: str | None = None
    resume_of: str | None = None
    resume_role: str | None = None
    interrupted: tuple[str, ...] = ()
    target_dir: str | None = None
    server_object: Mapping[str, Any] | None = None
    notes_es: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def runs_setup(self) -> bool:
        return self.mode in RUNS_SETUP

    @property
    def refused(self) -> bool:
        return self.mode == MODE_REFUSE

    def message(self, language: str = SPANISH) -> str:
        return i18n.text(language, self.message_es, self.message_en)

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode, "reason": self.reason, "message_es": self.message_es, "message_en": self.message_en,
            "media_version": self.media_version, "installed_version": self.installed_version, "setup_mode": self.setup_mode,
            "resume_of": self.resume_of, "resume_role": self.resume_role, "interrupted": list(self.interrupted),
            "notes_es": list(self.notes_es), "notes_en": list(self.notes_en), "sources": list(self.sources),
            "runs_setup": self.runs_setup, "target_dir": self.target_dir,
            "server_object": dict(self.server_object) if self.server_object is not None else None,
        }


def _label(version: Version | str | None) -> str:
    if version is None:
        return "?"
    parsed = try_parse_version(version)
    if parsed is None:
        return str(version)
    cu = base_cu_of(parsed)
    text = format_version(parsed)
    return f"{text} ({cu.label})" if cu else text


def _decision(mode: str, reason: str, media: str, **kwargs: Any) -> ModeDecision:
    words = dict(kwargs.pop("words", {}))
    words.setdefault("media", media)
    template_es, template_en = _MESSAGES[reason]
    return ModeDecision(mode=mode, reason=reason, message_es=template_es.format(**words), message_en=template_en.format(**words),
                        media_version=media, **kwargs)


def _refuse(reason: str, media: str, **kwargs: Any) -> ModeDecision:
    return _decision(MODE_REFUSE, reason, media, **kwargs)


def _refuse_upgrade(verdict: UpgradeDecision, media: str, installed: str) -> ModeDecision:
    """A refusal in the catalogue's own words (downgrade, CU13 -> SE, across versions...)."""
    return ModeDecision(
        mode=MODE_REFUSE, reason=verdict.reason, media_version=media, installed_version=installed,
        message_es=f"Instalado: {_label(installed)}; medio: {_label(media)}. {verdict.message_es}",
        message_en=f"Installed: {_label(installed)}; media: {_label(media)}. {verdict.message_en}",
        sources=("S1",))


def _os_words(facts: Mapping[str, Any]) -> tuple[object, str]:
    os_facts = facts.get("os") or {}
    # The build number is what every gathering method agrees on; the others only stand in when it is missing.
    candidate = next((value for value in (os_facts.get("build"), os_facts.get("key"), os_facts.get("version"))
                      if value not in (None, "")), None)
    server = os_from_build(candidate) if candidate is not None else None
    if server is not None:
        return candidate, server.name
    shown = os_facts.get("name") or os_facts.get("version") or os_facts.get("build") or "?"
    return None, str(shown)


def _classify(values: Mapping[str, Any] | None) -> str:
    values = values or {}
    action = "".join(str(values.get("action") or "").split()).lower()
    watermark = str(values.get("watermark") or "").strip()
    operation = _ACTIONS.get(action) if action else None
    if action and operation is None:
        return _UNKNOWN_ACTION
    if operation == UPGRADE:
        return _UPGRADE_ACTION
    if operation == RECOVER_SERVER:
        return _RECOVER_ACTION
    if operation == "Uninstall":
        return _UNINSTALL_ACTION
    if operation == INSTALL:
        return _INSTALL_WATERMARK if watermark else _INSTALL_UNCONFIGURED
    # No Action: a watermark alone can't be placed; no watermark means unpacked but never configured.
    return _UNKNOWN_ACTION if watermark else _INSTALL_UNCONFIGURED


def _role_of_keys(keys: list[str]) -> str | None:
    roles = {_ROLE_OF_KEY.get(key.lower()) for key in keys}
    for role in (MAILBOX, EDGE, MANAGEMENT_TOOLS):
        if role in roles:
            return role
    return None


def _resume(exchange: Mapping[str, Any], media: Version, role: str | None, rerun_install_watermark: bool) -> ModeDecision:
    media_text = format_version(media)
    interrupted = exchange.get("interrupted") or {}
    keys = sorted(str(key) for key in interrupted)
    kinds = {_classify(values) for values in interrupted.values()}
    installed = exchange.get("version")
    installed_version = try_parse_version(installed) if installed else None
    common: dict[str, Any] = {"interrupted": tuple(keys), "installed_version": installed}
    words = {"keys": ", ".join(keys), "media": _label(media), "installed": _label(installed), "role": role or "?"}
    for kind, reason in ((_UNKNOWN_ACTION, "interrupted_unknown"), (_UNINSTALL_ACTION, "interrupted_uninstall"),
                         (_RECOVER_ACTION, "interrupted_recover")):
        if kind in kinds:
            return _refuse(reason, media_text, words=words, sources=("S2", "S5"), **common)
    if _UPGRADE_ACTION in kinds:
        if kinds != {_UPGRADE_ACTION}:
            return _refuse("interrupted_mixed", media_text, words=words, sources=("S2", "S5"), **common)
        if installed_version is None:
            # Without the build on the server a downgrade can't be ruled out.
            return _refuse("state_unclear", media_text, words={"version": installed or "?"}, **common)
        if family(media) != family(installed_version):
            # Never downgrade; a newer media must still be a supported upgrade of the build on the server.
            verdict = upgrade_decision(installed_version, media)
            if not verdict.allowed:
                return _refuse_upgrade(verdict, media_text, format_version(installed_version))
        notes: dict[str, Any] = {}
        if family(media) != family(installed_version):
            notes = {"notes_es": ("Si la actualización interrumpida usaba otro medio, reanúdela con ese mismo medio.",),
                     "notes_en": ("If the interrupted upgrade used other media, resume it with that same media.",)}
        return _decision(MODE_RESUME, "resume_upgrade", media_text, words=words, setup_mode=UPGRADE, resume_of=UPGRADE,
                         sources=("S2", "S5"), **notes, **common)
    resume_role = _role_of_keys(keys)
    words["resume_role"] = resume_role or "?"
    if _INSTALL_WATERMARK in kinds and not rerun_install_watermark:
        return _refuse("install_watermark_needs_gui", media_text, words=words, resume_of=INSTALL, resume_role=resume_role,
                       sources=("S2",), **common)
    if role and resume_role and role != resume_role:
        return _refuse("resume_role_mismatch", media_text, words=words, resume_of=INSTALL, resume_role=resume_role,
                       sources=("S5",), **common)
    if installed_version is not None and family(media) != family(installed_version):
        return _refuse("resume_media_differs", media_text, words=words, resume_of=INSTALL, resume_role=resume_role,
                       sources=("S5",), **common)
    words["role"] = resume_role or role or MAILBOX
    reason = "resume_install_watermark" if _INSTALL_WATERMARK in kinds else "resume_install"
    return _decision(MODE_RESUME, reason, media_text, words=words, setup_mode=INSTALL, resume_of=INSTALL,
                     resume_role=resume_role or role, sources=("S5", "S1", "S2"), **common)


def _installed_roles(exchange: Mapping[str, Any]) -> list[str]:
    return [str(name) for name in exchange.get("roles") or []]


def _role_installed(role: str, installed_roles: list[str]) -> bool:
    # Without a list of configured roles there is nothing to compare with.
    return not installed_roles or _INSTALLED_NAME[role] in installed_roles


def _installed(exchange: Mapping[str, Any], media: Version, role: str | None) -> ModeDecision:
    media_text = format_version(media)
    installed = str(exchange.get("version"))
    installed_version = try_parse_version(installed)
    if installed_version is None:
        return _refuse("state_unclear", media_text, words={"version": installed}, installed_version=installed)
    installed_text = format_version(installed_version)
    roles = _installed_roles(exchange)
    words = {"installed": _label(installed_version), "media": _label(media), "role": role, "roles": ", ".join(roles)}
    if role and not _role_installed(role, roles):
        return _refuse("role_mismatch", media_text, words=words, installed_version=installed_text)
    verdict = upgrade_decision(installed_version, media)
    if verdict.allowed:
        return _decision(MODE_UPGRADE, verdict.reason, media_text, words=words, installed_version=installed_text,
                         setup_mode=UPGRADE, sources=("S1",))
    if verdict.reason == SAME_CU:
        return _decision(MODE_NOTHING, "same_cu", media_text, words=words, installed_version=installed_text, sources=("S1",))
    return _refuse_upgrade(verdict, media_text, installed_text)


def decide_mode(facts: Mapping[str, Any] | None, media_version: str, *, server_object_in_ad: bool | None = None,
                role: str | None = None, rerun_install_watermark: bool = False, server_object: Mapping[str, Any] | None = None,
                purpose: str | None = None) -> ModeDecision:
    """Decide the setup run (see `_decide_mode`), first taking back what an earlier run of this procedure left.

    A controller that died (killed, powered off) while setup ran leaves our scheduled task on the server
    (facts `exchange.setup_task`). While it runs, this run follows it (`resume`, reason `setup_task_running`)
    instead of refusing a running setup; once it has finished unread, and nothing else is left to install, this
    run still goes through activity 8 to read its result, remove the task (it holds the setup account's
    credential) and restart the server (`resume`, reason `setup_task_unread`).
    """
    facts = facts or {}
    task = (facts.get("exchange") or {}).get("setup_task") or {}
    if server_object_in_ad is None and server_object is not None and server_object.get("exists") is not None:
        server_object_in_ad = bool(server_object.get("exists"))
    decision = _decide_mode(facts, media_version, server_object_in_ad=server_object_in_ad, role=role,
                            rerun_install_watermark=rerun_install_watermark)
    if decision.mode == MODE_RECOVER:
        decision = _recover(decision, facts, server_object, purpose)
    elif purpose is not None and _purpose(purpose) == PURPOSE_RECOVER and decision.mode in (MODE_INSTALL, MODE_UPGRADE, MODE_RESUME) and not task.get("exists"):
        decision = _recover_not_needed(decision, server_object_in_ad)
    if not task.get("exists") or decision.reason == "media_version_invalid":
        return decision
    words = {"task": task.get("path") or "\\RPI\\rpi-exchange-setup"}
    if task.get("running"):
        return _decision(MODE_RESUME, "setup_task_running", decision.media_version, words=words,
                         installed_version=decision.installed_version)
    if decision.mode == MODE_NOTHING:
        return _decision(MODE_RESUME, "setup_task_unread", decision.media_version, words=words,
                         installed_version=decision.installed_version)
    return decision


def _purpose(purpose: str | None) -> str:
    return str(purpose or "").strip().lower()


def _install_path(server_object: Mapping[str, Any] | None) -> str | None:
    """msExchInstallPath as /TargetDir takes it: no trailing backslash (one before the closing quote escapes it)."""
    path = str((server_object or {}).get("install_path") or "").strip().rstrip("\\/")
    return path or None


def _recover(decision: ModeDecision, facts: Mapping[str, Any], server_object: Mapping[str, Any] | None,
             purpose: str | None) -> ModeDecision:
    """RecoverServer only when the IT Head ordered it; with AD's install path as /TargetDir."""
    found = dict(server_object or {"exists": True})
    path = _install_path(server_object)
    if purpose is not None and _purpose(purpose) != PURPOSE_RECOVER:
        computer = facts.get("computer") or {}
        words = {"server": found.get("name") or computer.get("fqdn") or computer.get("hostname") or "?",
                 "path": path or "?", "version": _label(found.get("version")) if found.get("version") else "?"}
        return _refuse("recover_not_instructed", decision.media_version, words=words, server_object=found,
                       target_dir=path, sources=("S1",))
    notes_es: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    if path:
        notes_es = (f"Setup recibe /TargetDir:{path}, la ruta de instalación que Active Directory registró para este servidor "
                    "(msExchInstallPath); Microsoft exige repetirla al recuperar un servidor instalado en una ruta propia. "
                    "rpi_exchange_target_dir no se usa en una recuperación.",)
        notes_en = (f"Setup gets /TargetDir:{path}, the install path Active Directory recorded for this server "
                    "(msExchInstallPath); Microsoft requires it again when recovering a server installed to a custom path. "
                    "rpi_exchange_target_dir is not used in a recovery.",)
    return replace(decision, target_dir=path, server_object=found, notes_es=decision.notes_es + notes_es,
                   notes_en=decision.notes_en + notes_en)


def _recover_not_needed(decision: ModeDecision, server_object_in_ad: bool | None) -> ModeDecision:
    found_es = [decision.message_es]
    found_en = [decision.message_en]
    if server_object_in_ad is False:
        found_es.append("Active Directory no tiene un objeto de Exchange para este servidor.")
        found_en.append("Active Directory has no Exchange object for this server.")
    words_es = {"found": " ".join(found_es), "mode": mode_words(decision.mode, SPANISH)}
    words_en = {"found": " ".join(found_en), "mode": mode_words(decision.mode, "en")}
    template_es, template_en = _MESSAGES["recover_not_needed"]
    return ModeDecision(mode=MODE_REFUSE, reason="recover_not_needed", message_es=template_es.format(**words_es),
                        message_en=template_en.format(**words_en), media_version=decision.media_version,
                        installed_version=decision.installed_version, sources=("S1",))


_MODE_WORDS = {
    MODE_INSTALL: ("instalación nueva", "new installation"), MODE_UPGRADE: ("actualización acumulativa", "cumulative update"),
    MODE_RESUME: ("reanudación", "resumption"), MODE_RECOVER: ("recuperación", "recovery"),
}


def mode_words(mode: str, language: str = SPANISH) -> str:
    es, en = _MODE_WORDS.get(mode, (mode, mode))
    return i18n.text(language, es, en)


def _decide_mode(facts: Mapping[str, Any] | None, media_version: str, *, server_object_in_ad: bool | None = None,
                 role: str | None = None, rerun_install_watermark: bool = False) -> ModeDecision:
    """Decide the setup run for a server (`exchange_facts`) and the build of the media's Setup.exe.

    `server_object_in_ad`: True when the server's object is known to still exist in Active
    Directory (a rebuilt server: RecoverServer), False when known absent, None when not
    checked (a server without Exchange is then installed, and the decision says so).
    `role`: the role the inventory asks for, checked against the installed or interrupted
    roles when given. `rerun_install_watermark`: see the module's *Resume* notes.
    """
    facts = facts or {}
    exchange = facts.get("exchange") or {}
    media = try_parse_version(media_version)
    if media is None:
        return _refuse("media_version_invalid", str(media_version), words={"media": media_version})
    media_text = format_version(media)
    if exchange.get("setup_running"):
        processes = ", ".join(str(item.get("name") if isinstance(item, Mapping) else item)
                              for item in exchange.get("setup_processes") or []) or "ExSetup"
        return _refuse("setup_running", media_text, words={"processes": processes}, sources=("S5",))
    listed = build_info(media)
    if product_line(media) not in (LINE_2019, LINE_SE):
        return _refuse("media_not_supported", media_text, words={"media": _label(media)})
    if listed is not None and not listed.is_baseline:
        verdict = UpgradeDecision(False, MEDIA_IS_UPDATE)
        return ModeDecision(MODE_REFUSE, MEDIA_IS_UPDATE, f"{_label(media)}: {verdict.message_es}",
                            f"{_label(media)}: {verdict.message_en}", media_text, sources=("S3",))
    os_build, os_name = _os_words(facts)
    if os_build is None:
        return _refuse("os_unknown", media_text, words={"os": os_name})
    if not is_os_supported(media, os_build):
        supported = ", ".join(server.name for server in supported_os(media)) or "-"
        return _refuse("os_not_supported", media_text, words={"os": os_name, "media": _label(media), "supported": supported},
                       sources=("S1", "S4", "S6", "S8"))
    canonical_role = None
    if role:
        try:
            canonical_role = normalize_role(role)
        except ValueError:
            return _refuse("role_unknown", media_text, words={"role": role})
    if exchange.get("interrupted"):
        return _resume(exchange, media, canonical_role, rerun_install_watermark)
    if exchange.get("installed"):
        return _installed(exchange, media, canonical_role)
    if exchange.get("present"):
        return _refuse("state_unclear", media_text, words={"version": exchange.get("version") or "?"},
                       installed_version=exchange.get("version"))
    if server_object_in_ad:
        return _decision(MODE_RECOVER, "recover_server", media_text, words={"media": _label(media)}, setup_mode=RECOVER_SERVER,
                         sources=("S1",))
    notes_es: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()
    if server_object_in_ad is None:
        notes_es = ("No se comprobó si el objeto del servidor existe en Active Directory; si existe, el servidor se debe "
                    "reconstruir con /Mode:RecoverServer y Setup rechazará /Mode:Install.",)
        notes_en = ("Whether the server's object exists in Active Directory was not checked; if it does, the server must be "
                    "rebuilt with /Mode:RecoverServer and setup will refuse /Mode:Install.",)
    return _decision(MODE_INSTALL, "fresh_install", media_text, words={"media": _label(media)}, setup_mode=INSTALL,
                     notes_es=notes_es, notes_en=notes_en, sources=("S1",))


def name_inputs(decision: ModeDecision, variable_names: Mapping[str, str] | None) -> ModeDecision:
    """A refusal that a choice of the run can fix (the media, the role), with that fix naming the inventory variable
    `variable_names` gives for the option (`media_version`, `role`); any other decision as it is."""
    option, fix = _FIX_OF_REASON.get(decision.reason, (None, ("", "")))
    variable = (variable_names or {}).get(option) if option else None
    if not decision.refused or not variable:
        return decision
    return replace(decision, message_es=f"{decision.message_es} {fix[0].format(var=variable)}",
                   message_en=f"{decision.message_en} {fix[1].format(var=variable)}")
