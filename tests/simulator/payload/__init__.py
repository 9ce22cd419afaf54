"""Payload adapter: decodes what ansible-core sends over WinRS into an `Invocation`.

This is the only ansible-core-version-specific code of the simulator; captured payloads per
version live in tests/fixtures/payloads/<version>/.
"""

from __future__ import annotations

from .decode import Decoded, decode, decode_details, module_name_from_script
from .errors import PayloadError
from .output import (
    expand_env_vars,
    expand_user_path,
    expand_user_result,
    failure,
    fetch_file_result,
    mkdtemp_path,
    mkdtemp_result,
    module_result,
    put_file_result,
    raw_result,
)

__all__ = [
    "Decoded",
    "PayloadError",
    "decode",
    "decode_details",
    "expand_env_vars",
    "expand_user_path",
    "expand_user_result",
    "failure",
    "fetch_file_result",
    "mkdtemp_path",
    "mkdtemp_result",
    "module_name_from_script",
    "module_result",
    "put_file_result",
    "raw_result",
]
