# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the catalogue's facts come from, and where it departs from the project's fact sheet.

Every fact in the catalogue carries a source tag (`S1`..`S13`), the same tags the project's
Exchange fact sheet uses, so that a reviewer can trace a rule back to a Microsoft page or
script. `CATALOGUE_NOTES` records each place where the catalogue follows Microsoft rather
than the fact sheet, or where it had to choose between two readings: the reviewer reads
this list instead of diffing code against the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCES: dict[str, str] = {
    "S1": "Microsoft Learn, Exchange Server documentation, 2025 revision (unattended-installs, prerequisites, "
          "system-requirements, supportability-matrix, install-cumulative-updates, prepare-ad-and-domains)",
    "S2": "microsoft/CSS-Exchange at f88378b (HealthChecker, SetupAssist, SetupLogReviewer, Shared/*)",
    "S3": "microsoft/Get-ExchangeBuildNumber, ExchangeBuildNumbers.csv (2026-08-19)",
    "S4": "michelderooij/Install-Exchange15 v4.30.3 (third party)",
    "S5": "dsccommunity/ExchangeDsc (2023-04)",
    "S6": "MicrosoftDocs OfficeDocs-Exchange content as of 2022 (public forks)",
    "S7": "Microsoft Learn, 'Diagnostic Data collected for Exchange Server'",
    "S8": "Exchange Team blog, 'Exchange Server Roadmap Update'",
    "S9": "jaapwesselius.com, Exchange 2019 CU14/CU15 posts (third party)",
    "S10": "Reddit r/exchangeserver, 'Where is Exchange Server SE CU1' (third party)",
    "S11": "MicrosoftDocs/OfficeDocs-Exchange issues #3170, #2744",
    "S12": "MicrosoftDocs/office-docs-powershell (Exchange conceptual pages, Test-ServiceHealth)",
    "S13": "Orange-Cyberdefense/GOAD Exchange extension (third party)",
}

MICROSOFT_SOURCES = frozenset({"S1", "S2", "S3", "S6", "S7", "S8", "S11", "S12"})


@dataclass(frozen=True)
class CatalogueNote:
    """One departure from, or reading of, the fact sheet.

    `status` is `corrected` (the catalogue follows Microsoft where the sheet says otherwise),
    `flagged` (the sheet and Microsoft are silent or ambiguous; the catalogue's choice is
    stated) or `inferred` (the catalogue derives a rule no source states outright).
    """

    topic: str
    status: str
    text: str
    source: str


CATALOGUE_NOTES: tuple[CatalogueNote, ...] = (
    CatalogueNote(
        "file_system", "corrected",
        "The fact sheet (section 2.7) lists transport database files under both NTFS and ReFS. Microsoft's system "
        "requirements make NTFS *required* for transport database files (the mail queue) and list ReFS as supported "
        "only for mailbox databases and transaction logs. The catalogue allows ReFS only for those two.",
        "S6"),
    CatalogueNote(
        "dotnet_se_ws2019", "flagged",
        "The fact sheet marks .NET 4.8 for Exchange SE on Windows Server 2019 as unconfirmed. Microsoft's HealthChecker "
        "recommends 4.8.1 only for 2019 CU14+/SE on an OS other than Windows Server 2019 and 4.8 otherwise; .NET 4.8.1 "
        "is not offered for Windows Server 2019. The catalogue requires 4.8 and refuses 4.8.1 there.",
        "S2"),
    CatalogueNote(
        "cu15_setup_version", "flagged",
        "Microsoft lists CU15 as 15.2.1748.10 while Install-Exchange15 expects ExSetup.exe 15.02.1748.008. The catalogue "
        "never compares builds for equality to decide a rule: it compares CU families (major.minor.build), so both values "
        "read as CU15.",
        "S3"),
    CatalogueNote(
        "organization_name_management_tools", "flagged",
        "The switch table allows /OrganizationName only with /Mode:Install /Roles:Mailbox or /PrepareAD, but Microsoft's "
        "'Install the Exchange management tools' page shows it with /Role:ManagementTools. The catalogue accepts it there too.",
        "S1"),
    CatalogueNote(
        "install_windows_components_recover", "flagged",
        "Install-Exchange15 passes /InstallWindowsComponents with /Mode:RecoverServer; Microsoft documents the switch for "
        "/Mode:Install only. The catalogue follows Microsoft and reports it as a problem with RecoverServer; install the "
        "Windows features before recovering instead.",
        "S1"),
    CatalogueNote(
        "management_tools_server_core", "inferred",
        "Microsoft's management-tools feature list (Web-Mgmt-Console, Web-Metabase) does not distinguish Server Core. "
        "Microsoft's own Mailbox list drops Web-Mgmt-Console on Server Core (it is a GUI feature), so the catalogue does "
        "the same for the management tools.",
        "S1"),
    CatalogueNote(
        "hardware_not_enforced", "flagged",
        "Memory figures (128 GB Mailbox, 64 GB Edge) are Microsoft's 'minimum recommended' values; no readiness rule "
        "enforces them. The catalogue reports them as recommendations, not blockers; disk-space minimums are requirements.",
        "S1"),
    CatalogueNote(
        "licence_switch_2016", "inferred",
        "The September 2021 CUs introduced the _DiagnosticDataON/OFF licence switches for both Exchange 2019 (CU11, "
        "15.2.986.5) and Exchange 2016 (CU22, 15.1.2375.7). The catalogue applies the same cut-over to 2016 builds.",
        "S1"),
    CatalogueNote(
        "do_not_enable_ep_roles", "flagged",
        "Microsoft documents /DoNotEnableEP and /DoNotEnableEP_FEEWS as valid with /Mode:Install and /Mode:Upgrade, "
        "Exchange 2019 CU14 or later (which includes SE). The catalogue accepts them for any role Microsoft accepts; "
        "they only have an effect where IIS is configured (Mailbox).",
        "S1"),
    CatalogueNote(
        "tenant_organization_config", "flagged",
        "Microsoft's table calls the /TenantOrganizationConfig value a folder path, but the value is the XML file exported "
        "from Exchange Online with Get-OrganizationConfig; the catalogue expects a file path.",
        "S1"),
    CatalogueNote(
        "operation_vs_installation_mode", "inferred",
        "A setup log records both what was asked (Command Line Parameter Name='mode') and what setup decided "
        "('The installation mode is set to: BuildToBuildUpgrade'). /Mode:Install on a server that already has Exchange "
        "runs as a build-to-build upgrade. The triage reports the request as `operation` and setup's decision as "
        "`installation_mode`.",
        "S2"),
)


def notes_about(topic: str) -> tuple[CatalogueNote, ...]:
    """The notes on one topic, for a role that wants to show its reasoning."""
    return tuple(note for note in CATALOGUE_NOTES if note.topic == topic)
