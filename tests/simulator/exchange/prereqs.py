"""Prerequisite data: required Windows features per scenario, and the watermark/resume policy.

Windows features: exchange-facts §2.4 [S1 prerequisites 06/16/2025] (Mailbox Desktop and Core lists; Edge ADLDS;
management tools Web-Mgmt-Console + Web-Metabase; AD preparation RSAT-ADDS).

Watermark policy (exchange-facts §3.3) — the decision and its sources:
- Microsoft CSS: after a failed install a watermark "prevents you from trying to run setup again when trying use
  unattended mode ... unattended mode fails in the prerequisites check section"; only the GUI resumes
  [S2 docs/Setup/SetupAssist/InstallWatermark.md]. SetupAssist fails only when the role key's `Action` is `Install`
  [S2 Test-InstallWatermark.ps1]; SetupLogReviewer: "failure was detected for install or recovery causing a watermark".
  => a watermark with Action `Install` or `DisasterRecovery` blocks every unattended run (rule InstallWatermark).
- A failed CU (`/Mode:Upgrade`) leaves Action `BuildToBuildUpgrade` (value [UNCONFIRMED], matches the log's mode
  name); SetupAssist does not flag it and ExchangeDsc simply re-runs the same arguments [S5]
  => re-running `/Mode:Upgrade` resumes the upgrade; any other mode is refused while it is present.
So the product can't resume a failed *install* unattended on this simulator (as on a real server per CSS); it must
report it. `WATERMARK_POLICY = "resume"` switches to ExchangeDsc's reading (same mode resumes) for experiments.
"""

from __future__ import annotations

_MAILBOX_DESKTOP = (
    "Server-Media-Foundation", "NET-Framework-45-Core", "NET-Framework-45-ASPNET", "NET-WCF-HTTP-Activation45",
    "NET-WCF-Pipe-Activation45", "NET-WCF-TCP-Activation45", "NET-WCF-TCP-PortSharing45", "RPC-over-HTTP-proxy",
    "RSAT-Clustering", "RSAT-Clustering-CmdInterface", "RSAT-Clustering-Mgmt", "RSAT-Clustering-PowerShell",
    "WAS-Process-Model", "Web-Asp-Net45", "Web-Basic-Auth", "Web-Client-Auth", "Web-Digest-Auth", "Web-Dir-Browsing",
    "Web-Dyn-Compression", "Web-Http-Errors", "Web-Http-Logging", "Web-Http-Redirect", "Web-Http-Tracing",
    "Web-ISAPI-Ext", "Web-ISAPI-Filter", "Web-Metabase", "Web-Mgmt-Console", "Web-Mgmt-Service", "Web-Net-Ext45",
    "Web-Request-Monitor", "Web-Server", "Web-Stat-Compression", "Web-Static-Content", "Web-Windows-Auth", "Web-WMI",
    "Windows-Identity-Foundation", "RSAT-ADDS",
)
_NOT_ON_CORE = ("RSAT-Clustering-Mgmt", "Web-Mgmt-Console", "Windows-Identity-Foundation")
_MAILBOX_CORE = tuple(f for f in _MAILBOX_DESKTOP if f not in _NOT_ON_CORE)

WATERMARK_POLICY = "css"  # "css" (default, see module doc) | "resume"


def required_features(scenario: str, server_core: bool) -> tuple[str, ...]:
    if scenario == "install-mailbox":
        return _MAILBOX_CORE if server_core else _MAILBOX_DESKTOP
    if scenario == "install-edge":
        return ("ADLDS",)
    if scenario == "install-tools":
        return ("Web-Metabase",) if server_core else ("Web-Mgmt-Console", "Web-Metabase")
    if scenario == "prepare":
        return ("RSAT-ADDS",)
    return ()


def watermark_blocks(action: str, role_key: str, installation_mode: str) -> str | None:
    """The InstallWatermark failure message for a watermark left by `action`, or None when this run may resume.

    Wording [UNCONFIRMED]: modelled on the readiness texts Exchange setup prints for an earlier failure
    ("Setup previously failed while performing the action ...").
    """
    if WATERMARK_POLICY == "resume" and action == installation_mode:
        return None
    if action == "BuildToBuildUpgrade" and installation_mode == "BuildToBuildUpgrade":
        return None
    if action == installation_mode:
        return (f"Setup previously failed while performing the action '{action}' for {role_key}. Unattended Setup "
                "can't resume from this state; run Setup from the GUI to complete the operation.")
    return (f"Setup previously failed while performing the action '{action}'. You can't resume setup by performing "
            f"the action '{installation_mode}'.")
