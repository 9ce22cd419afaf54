"""Checks setup makes on the local/AD state before its readiness analysis (mode vs. what is installed).

Sources: modes and their preconditions (exchange-facts §1.3 "Modes of Exchange Server Setup" [S1]: RecoverServer
needs the server object in AD, no local install, same FQDN; Upgrade installs a CU over an existing install; 2019 ->
SE only from CU14/CU15; no downgrade). The message texts are [UNCONFIRMED] except the RecoverServer hint, which is
the wording Exchange setup used for the same state in Exchange 2010 ("The Exchange Server is in an inconsistent
state. Only disaster recovery mode is available. Please use Setup /m:RecoverServer to recover this Exchange server.").
"""

from __future__ import annotations

from ..windows.filesystem import FileSystem
from .builds import Build, Release, upgrade_allowed
from .commandline import SetupCommand
from .org import ServerObject

INCONSISTENT = ("The Exchange Server is in an inconsistent state. Only disaster recovery mode is available. Please use "
                "Setup /m:RecoverServer to recover this Exchange server.")


def check_mode(cmd: SetupCommand, release: Release, installed: Build | None, configured: list[str],
               server: ServerObject | None, watermark_actions: tuple[str, ...], fqdn: str = "") -> str | None:
    """The error that stops setup before its readiness check, or None.

    A CU that failed after its file copy has already written the new build to the Setup key (the MSI did); re-running
    the same `/Mode:Upgrade` resumes it (exchange-facts §3.3 [S5]), so a BuildToBuildUpgrade watermark lifts the
    same-build refusal.
    """
    has_watermark = bool(watermark_actions)
    scenario = cmd.scenario
    if scenario in ("uninstall", "provision"):
        return None  # refused as "not modelled" by the caller, which says so
    if scenario == "install-edge" and "MailboxRole" in configured:
        # Mailbox and Edge Transport can't share a server (§1.2 [S1]) [UNCONFIRMED wording].
        return "The Edge Transport server role can't be installed on a computer that has the Mailbox server role installed."
    if scenario in ("install-mailbox", "install-tools", "install-edge"):
        wanted = {"install-mailbox": ("MailboxRole",), "install-tools": ("AdminToolsRole",),
                  "install-edge": ("GatewayRole",)}[scenario]
        if installed is not None and not release.build.same_cu(installed) and configured:
            return (f"Exchange Server {installed} is installed on this computer. Run Setup with /Mode:Upgrade to "
                    f"install {release.product_name}.")
        if all(r in configured for r in wanted) and not has_watermark:
            return "The requested server roles are already installed on this computer."
        if installed is None and server is not None and "MailboxRole" in server.roles:
            return INCONSISTENT
    if scenario == "upgrade":
        if installed is None or not configured:
            return "Exchange Server isn't installed on this computer. /Mode:Upgrade can only upgrade an existing installation."
        ok, why = upgrade_allowed(installed, release)
        if why == "same" and "BuildToBuildUpgrade" in watermark_actions:
            ok = True
        if not ok:
            return {"same": f"Exchange Server {installed} is already installed. The version of Setup ({release.build}) "
                            "is the same as the installed version; there is nothing to upgrade.",
                    "downgrade": f"The installed version of Exchange Server ({installed}) is newer than the version of "
                                 f"Setup ({release.build}). Setup can't downgrade Exchange Server.",
                    "unsupported-path": f"{release.product_name} can only be installed over Exchange Server 2019 CU14 or "
                                        f"CU15. The installed version is {installed}."}[why]
    if scenario == "recover":
        if installed is not None:
            return "Exchange Server is installed on this computer. /Mode:RecoverServer requires a server without Exchange."
        if server is None:
            return ("No Exchange server object for this computer was found in Active Directory. /Mode:RecoverServer "
                    "needs the server object of the server being recovered.")
        if fqdn and server.fqdn.lower() != fqdn.lower():
            return (f"The server object's FQDN ({server.fqdn}) doesn't match this computer's FQDN ({fqdn}). "
                    "/Mode:RecoverServer needs a server with the same FQDN.")
    return None


def check_target_dir(cmd: SetupCommand, fs: FileSystem) -> str | None:
    """§1.3: TargetDir must be on a local fixed drive (not ROM, RAM disk, network, removable or unknown)."""
    target = cmd.value("TargetDir")
    if not target:
        return None
    volume = fs.volume_of(target)
    if volume is None:
        return f"The target directory '{target}' is on an unknown drive."
    if volume.drive_type != "Fixed" or volume.read_only:
        return f"The target directory '{target}' is on a {volume.drive_type} drive. Specify a folder on a local fixed drive."
    return None


def target_path(cmd: SetupCommand, default: str) -> str:
    """Install path with a trailing backslash; RecoverServer of a custom-path server needs /TargetDir again [S1]."""
    target = cmd.value("TargetDir")
    if target:
        return target.rstrip("\\/") + "\\"
    return default
