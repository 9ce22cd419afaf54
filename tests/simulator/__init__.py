"""Simulated RPI server: a Windows Server + Exchange host that speaks real WinRM.

Test and demo infrastructure only; never imports product code (see CONTRACT.md).
"""
