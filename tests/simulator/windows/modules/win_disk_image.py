"""community.windows.win_disk_image (plugins/modules/win_disk_image.ps1): Mount-/Dismount-DiskImage of an ISO."""

from __future__ import annotations

from ..filesystem import FsError
from ..state import WindowsHost
from ..wmi import CimUnavailable, require_cim
from . import register
from ._common import ModuleCall
from .win_package import unc_denied


@register("community.windows.win_disk_image")
def win_disk_image(host: WindowsHost, call: ModuleCall) -> dict:
    image = host.expand_env(str(call.params["image_path"]), call.user)
    result: dict = {"changed": False}
    try:
        require_cim(host)  # Get-DiskImage/Mount-DiskImage are CIM cmdlets (MSFT_DiskImage)
    except CimUnavailable as err:
        call.fail(str(err), **result)
    if unc_denied(host, call, image) or not host.fs.is_file(image):
        call.fail("The system cannot find the file specified.", **result)
    letter = host.image_letter(image)
    if call.params["state"] == "present":
        if letter is None:
            result["changed"] = True
            if call.check_mode:
                return result
            try:
                letter = host.mount_image(image)
            except FsError as err:
                call.fail(str(err), **result)
        result["mount_paths"] = [f"{letter}:\\"]
    elif letter is not None:
        result["changed"] = True
        if not call.check_mode:
            host.dismount_image(image)
    return result
