"""ansible.windows.win_feature (plugins/modules/win_feature.ps1): Install-/Uninstall-WindowsFeature on the model.

ExitCode strings are Server Manager's: Success, SuccessRestartRequired, NoChangeNeeded. A feature that needs a
restart stays InstallPending (and sets the CBS RebootPending key, exchange-facts §6.5) until the next boot.
"""

from __future__ import annotations

from ..state import WindowsHost
from ..wmi import CimUnavailable, require_cim
from . import register
from ._common import ModuleCall

_RESTART_MSG = {"message_type": "Warning", "error_code": 0,
                "text": "You must restart this server to finish the installation process."}
_RESTART_MSG_REMOVE = {"message_type": "Warning", "error_code": 0,
                       "text": "You must restart this server to finish the removal process."}


@register("ansible.windows.win_feature")
def win_feature(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    names = [str(n).strip() for n in p["name"] if str(n).strip()]
    present = p["state"].lower() == "present"
    result: dict = {"changed": False}
    if present and p.get("source") and not host.fs.exists(host.expand_env(p["source"], call.user)):
        call.fail(f"Failed to find source path {p['source']} for feature install", **result)
    verb = "install" if present else "uninstall"
    try:
        require_cim(host)  # the ServerManager cmdlets are CIM-based (MSFT_ServerManagerDeploymentTask)
    except CimUnavailable as err:
        call.fail(f"Failed to {verb} Windows Feature: {err}", **result)
    try:
        if present:
            specs, restart = host.install_features(names, p["include_sub_features"], p["include_management_tools"],
                                                   dry_run=call.check_mode)
        else:
            specs, restart = host.remove_features(names, p["include_management_tools"], dry_run=call.check_mode)
    except KeyError as err:
        bad = str(err).strip("'\"")
        call.fail(f"Failed to {verb} Windows Feature: ArgumentNotValid: The role, role service, or feature name is not "
                  f"valid: '{bad}'. The name was not found.", **result)
    feature_result = []
    for spec in specs:
        needs = spec.restart_on_install if present else spec.restart_on_remove
        feature_result.append({
            "id": spec.feature_id, "display_name": spec.display_name,
            "message": [_RESTART_MSG if present else _RESTART_MSG_REMOVE] if needs else [],
            "reboot_required": needs, "skip_reason": "NotSkipped", "success": True,
        })
    if specs:
        exitcode = "SuccessRestartRequired" if restart else "Success"
    else:
        exitcode = "NoChangeNeeded"
        restart = any(host.feature_state(n) in ("InstallPending", "RemovePending") for n in names)
    result.update(changed=bool(specs), feature_result=feature_result, success=True, exitcode=exitcode,
                  reboot_required=restart, failed=False)
    return result
