"""The simulated Windows Server: state model (state.py), presets and ansible.windows/community.windows module emulation."""

from .state import WindowsHost

__all__ = ["WindowsHost"]
