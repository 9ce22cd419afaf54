# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a failed Exchange setup run is diagnosed: the categories and the signatures of each.

Two kinds of evidence exist. Before setup changes anything it runs readiness rules and
logs `Failed [Rule:<name>] [Message:<text>]`; those are classified by rule name, then by
the wording of the message. After the readiness check, a task fails with an exception,
logged as `[ERROR] <message>` lines and `The following error was generated when "<script>"
was run: "<exception>"`. Those are matched against signatures: the exception types,
HRESULTs, MSI codes and phrases Exchange uses for each known failure (the ones Microsoft's
SetupLogReviewer recognises, written as general patterns rather than copies of its logs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REBOOT_PENDING = "reboot_pending"
INSUFFICIENT_PERMISSIONS = "insufficient_permissions"
AD_PREPARATION_REQUIRED = "ad_preparation_required"
DOMAIN_CONTROLLER_SITE = "domain_controller_site"
AD_OBJECT_PROBLEM = "ad_object_problem"
AD_ACCESS_DENIED = "ad_access_denied"
SCHEMA_IMPORT_FAILED = "schema_import_failed"
SERVICE_DISABLED = "service_disabled"
AD_TOPOLOGY_SERVICE = "ad_topology_service"
MSI_INSTALLER = "msi_installer"
VIRTUAL_DIRECTORY = "virtual_directory"
SEARCH_FOUNDATION = "search_foundation"
INSTALL_FROM_BIN = "install_from_bin"
WINDOWS_FIREWALL = "windows_firewall"
DATABASE_MOUNT = "database_mount"
MAILBOX_OBJECT_PROBLEM = "mailbox_object_problem"
FILE_ACCESS_DENIED = "file_access_denied"
MISSING_DIRECTORY = "missing_directory"
SETUP_SCRIPT_ERROR = "setup_script_error"
UNKNOWN = "unknown"
# Beyond the fixtures' vocabulary: readiness failures that name a missing component, other
# readiness failures, and a command line setup refused before doing anything.
MISSING_PREREQUISITE = "missing_prerequisite"
PREREQUISITE_CHECK = "prerequisite_check"
INVALID_COMMAND_LINE = "invalid_command_line"
# A drive without the free space setup needs ("There is not enough space on the disk.", Windows
# Installer's "Out of disk space -- Volume: ..."): freeing space is the fix, not the .msilog.
DISK_SPACE = "disk_space"

CATEGORIES = (
    REBOOT_PENDING, INSUFFICIENT_PERMISSIONS, AD_PREPARATION_REQUIRED, DOMAIN_CONTROLLER_SITE, AD_OBJECT_PROBLEM,
    AD_ACCESS_DENIED, SCHEMA_IMPORT_FAILED, SERVICE_DISABLED, AD_TOPOLOGY_SERVICE, MSI_INSTALLER, VIRTUAL_DIRECTORY,
    SEARCH_FOUNDATION, INSTALL_FROM_BIN, WINDOWS_FIREWALL, DATABASE_MOUNT, MAILBOX_OBJECT_PROBLEM, FILE_ACCESS_DENIED,
    MISSING_DIRECTORY, SETUP_SCRIPT_ERROR, UNKNOWN, MISSING_PREREQUISITE, PREREQUISITE_CHECK, INVALID_COMMAND_LINE,
    DISK_SPACE,
)

# When several readiness rules fail, the one surfaced (category, error line and advice all come
# from it) follows Microsoft's SetupLogReviewer (microsoft/CSS-Exchange, Setup/SetupLogReviewer,
# Checks/FindContext/Test-PrerequisiteCheck.ps1), which reports, in this order: the failure to
# validate Active Directory, a pending reboot (Windows components, then Session Manager), open
# PowerShell sessions, a domain controller out of site, the remote registry, MSDTC stopped, IIS URL
# Rewrite missing, the local domain not prepared, an install watermark; and only when none of
# those stops it, the account's rights (Schema Admins, then Enterprise Admins for the schema, the
# organization and the domain, then Organization Management). A rule Microsoft's reviewer doesn't
# name takes the place of its category (`*category` below: after the named rules of the same
# kind); a rule of no known category comes last. Ties keep the log's order.
READINESS_PRECEDENCE = (
    "adiniterrorrule",
    "pendingrebootwindowscomponents", "rebootpending", "*" + REBOOT_PENDING,
    "processneedstobeclosedonupgrade",
    "domaincontrollerisoutofsite", "*" + DOMAIN_CONTROLLER_SITE,
    "remoteregexception",
    "msdtcstopped",
    "iisurlrewritenotinstalled", "*" + MISSING_PREREQUISITE,
    "domainpreprequired", "*" + AD_PREPARATION_REQUIRED,
    "installwatermark",
    "schemaupdaterequired", "globalupdaterequired", "localdomainprep",
    "globalserverinstall", "delegatedmailboxfirstinstall", "*" + INSUFFICIENT_PERMISSIONS,
    "*" + PREREQUISITE_CHECK,
)
_PRECEDENCE_INDEX = {key: position for position, key in enumerate(READINESS_PRECEDENCE)}

_RULE_CATEGORY = {
    "pendingrebootwindowscomponents": REBOOT_PENDING,
    "rebootpending": REBOOT_PENDING,
    "updateneedsreboot": REBOOT_PENDING,
    "schemaupdaterequired": INSUFFICIENT_PERMISSIONS,
    "globalupdaterequired": INSUFFICIENT_PERMISSIONS,
    "globalserverinstall": INSUFFICIENT_PERMISSIONS,
    "localdomainprep": INSUFFICIENT_PERMISSIONS,
    "notlocaladmin": INSUFFICIENT_PERMISSIONS,
    "domainpreprequired": AD_PREPARATION_REQUIRED,
    "adiniterrorrule": AD_PREPARATION_REQUIRED,
    "domaincontrollerisoutofsite": DOMAIN_CONTROLLER_SITE,
    "invalidadsite": DOMAIN_CONTROLLER_SITE,
    "iisurlrewritenotinstalled": MISSING_PREREQUISITE,
    "ucmaredistmsi": MISSING_PREREQUISITE,
    "vc2013redistdependencyrequirement": MISSING_PREREQUISITE,
    "netframeworknotinstalled": MISSING_PREREQUISITE,
    "minimumframeworknotinstalled": MISSING_PREREQUISITE,
}

# Software Exchange needs from outside the media; "the Mailbox role isn't installed" is not one.
_COMPONENT = r"(?:URL ?Rewrite|UCMA|Unified Communications Managed API|Visual C\+\+|VC\+\+|\.NET|Framework|Redist|Media Foundation)"
_RULE_NAME_PATTERNS = (
    (re.compile(r"^Delegated|Admin", re.IGNORECASE), INSUFFICIENT_PERMISSIONS),
    (re.compile(r"Redist|Framework|UrlRewrite|Ucma|^VC\d", re.IGNORECASE), MISSING_PREREQUISITE),
    (re.compile(r"Site", re.IGNORECASE), DOMAIN_CONTROLLER_SITE),
)
_MESSAGE_PATTERNS = (
    (re.compile(r"\breboot|\brestart the (?:computer|system|server)", re.IGNORECASE), REBOOT_PENDING),
    (re.compile(r"member of|sufficient (?:permissions|rights)|access rights", re.IGNORECASE), INSUFFICIENT_PERMISSIONS),
    (re.compile(r"/Prepare(?:AD|Schema|Domain|AllDomains)\b|needs to be prepared|hasn't been prepared", re.IGNORECASE),
     AD_PREPARATION_REQUIRED),
    (re.compile(r"\bActive Directory site\b|\bsame site\b", re.IGNORECASE), DOMAIN_CONTROLLER_SITE),
    (re.compile(rf"^(?=.*\binstall)(?=.*{_COMPONENT})", re.IGNORECASE), MISSING_PREREQUISITE),
)


def readiness_rank(rule: str, category: str) -> int:
    """Where a failed readiness rule stands in READINESS_PRECEDENCE (lower: surfaced first)."""
    position = _PRECEDENCE_INDEX.get((rule or "").lower())
    if position is None:
        position = _PRECEDENCE_INDEX.get("*" + category, len(READINESS_PRECEDENCE))
    return position


def readiness_category(rule: str, message: str) -> str:
    """The category of one failed readiness rule: by its name, else by its message's wording."""
    category = _RULE_CATEGORY.get(rule.lower())
    if category:
        return category
    for pattern, candidate in _MESSAGE_PATTERNS:
        if pattern.search(message):
            return candidate
    for pattern, candidate in _RULE_NAME_PATTERNS:
        if pattern.search(rule):
            return candidate
    return PREREQUISITE_CHECK


@dataclass(frozen=True)
class Signature:
    """A known failure. `pattern` is searched in error texts; `context` (optional) must also be
    found in the same text; `script` (optional) in the failing script; `task` (optional)
    matches the tasks running when the error was logged. `show_first_line` surfaces the
    first line of the text instead of the matched line (when the match is in a stack frame).
    `needles` are lower-case words of which one must occur before the (case-insensitive,
    slower) pattern is tried: it keeps a log flooded with errors fast."""

    category: str
    key: str
    needles: tuple[str, ...] = ()
    pattern: re.Pattern | None = None
    context: re.Pattern | None = None
    script: re.Pattern | None = None
    task: re.Pattern | None = None
    show_first_line: bool = False


def _p(text: str) -> re.Pattern:
    return re.compile(text, re.IGNORECASE)


# Order matters: the first signature found in the most critical evidence wins.
SIGNATURES: tuple[Signature, ...] = (
    Signature(INVALID_COMMAND_LINE, "invalid_command_line",
              ("setup checks failed", "is not a valid mode", "is not valid", "is not recognized"),
              _p(r"Setup checks failed: Invalid command line|is not a valid mode"
                 r"|(?:parameter|switch|argument) '[^']*' is not (?:valid|recognized)")),
    # Windows' ERROR_DISK_FULL (112, HRESULT 0x80070070) and ERROR_HANDLE_DISK_FULL (39, 0x80070027) texts, and Windows
    # Installer's out-of-disk message (KB 2028841): before the MSI signatures, which only say "Error code is 1603".
    Signature(DISK_SPACE, "not_enough_disk_space",
              ("not enough space on the disk", "disk is full", "out of disk space", "0x80070070", "0x80070027"),
              _p(r"There is not enough space on the disk|The disk is full|Out of disk space|0x80070070|0x80070027")),
    Signature(SCHEMA_IMPORT_FAILED, "ldifde", ("ldifde",),
              _p(r"running 'ldifde\.exe' to import the schema|ldifde\.exe.{0,80}error code")),
    Signature(INSTALL_FROM_BIN, "term_not_recognized_in_bin", ("is not recognized",),
              _p(r"The term '[^']*\\V15\\Bin\\[^']*' is not recognized")),
    Signature(AD_TOPOLOGY_SERVICE, "topology_service", ("shared config dc", "topology", "no suitable directory servers"),
              _p(r"Unable to set shared config DC|Topology Provider cou(?:n|l)dn't find the Microsoft Exchange Active Directory Topology"
                 r"|Active Directory Topology service .{0,80}returned an error|No Suitable Directory Servers Found")),
    Signature(WINDOWS_FIREWALL, "endpoint_mapper", ("endpoint mapper", "0x800706d9"),
              _p(r"no more endpoints available from the endpoint mapper|0x800706D9")),
    Signature(SERVICE_DISABLED, "service_disabled", ("because it is disabled",),
              _p(r"cannot be started, either because it is disabled")),
    Signature(SEARCH_FOUNDATION, "search_foundation", ("searchfoundation", "search foundation"),
              _p(r"configuring SearchFoundation|Search ?Foundation")),
    Signature(MSI_INSTALLER, "msi_error_code", ("error code is",),
              _p(r"Error code is \d{3,5}"), context=_p(r"product|package|\.ms[ip]\b")),
    Signature(MSI_INSTALLER, "msi_source_missing", ("installation source for this product",),
              _p(r"installation source for this product is not available")),
    Signature(VIRTUAL_DIRECTORY, "vdir_exists", ("already exists under",),
              _p(r"The virtual directory '[^']+' already exists under")),
    Signature(VIRTUAL_DIRECTORY, "vdir_missing", ("couldn't be found",),
              _p(r"object '[^']*\((?:Default Web Site|Exchange Back End)\)' couldn't be found")),
    Signature(VIRTUAL_DIRECTORY, "vdir_identity", ("virtualdirectoryidparameter",), _p(r"VirtualDirectoryIdParameter")),
    Signature(VIRTUAL_DIRECTORY, "appcmd", ("process execution failed",),
              _p(r"Process execution failed with exit code"), script=_p(r"appcmd")),
    Signature(DATABASE_MOUNT, "mount_database", ("mount",),
              _p(r"Failed to mount database|mount operation is being prevented|Couldn't mount the database")),
    Signature(MAILBOX_OBJECT_PROBLEM, "missing_home_mdb", ("is mandatory on",),
              _p(r"Database is mandatory on (?:User|System)?Mailbox")),
    Signature(MAILBOX_OBJECT_PROBLEM, "duplicate_upn", ("upn value",),
              _p(r"UPN value provided for addition/modification is not unique")),
    Signature(AD_OBJECT_PROBLEM, "other_well_known_objects", ("otherwellknownobjects", "well-known object entry"),
              _p(r"otherWellKnownObjects attribute|well-known object entry")),
    Signature(AD_OBJECT_PROBLEM, "security_groups_container", ("initializeexchangeuniversalgroups",),
              _p(r"NullReferenceException[\s\S]{0,600}?InitializeExchangeUniversalGroups"), show_first_line=True),
    Signature(AD_OBJECT_PROBLEM, "object_already_exists", ("already exists",),
              _p(r"Active Directory operation failed on \S+\. The object '[^']+' already exists")),
    Signature(MISSING_DIRECTORY, "missing_path", ("because it does not exist", "directorynotfoundexception", "could not find a part of the path"),
              _p(r"Cannot find path '[^']+' because it does not exist|DirectoryNotFoundException|Could not find a part of the path")),
    Signature(FILE_ACCESS_DENIED, "path_access_denied", ("access to the path", "unauthorizedaccessexception"),
              _p(r"Access to the path\b.{0,300}\bis denied|UnauthorizedAccessException")),
    Signature(AD_ACCESS_DENIED, "ad_access_denied", ("insuff_access_rights", "insufficient access rights", "access is denied"),
              _p(r"INSUFF_ACCESS_RIGHTS|insufficient access rights|Active Directory operation failed on .{0,200}Access is denied")),
    Signature(INSUFFICIENT_PERMISSIONS, "not_member", ("member of",),
              _p(r"isn't a member of the '[^']+'|must be a member of the '[^']+'|account that's a member of the")),
    Signature(MSI_INSTALLER, "error_in_msi_task", task=_p(r"msipackage|msipatch")),
)

SIGNATURES_BY_KEY = {signature.key: signature for signature in SIGNATURES}

# Where the log says which drive lacks space and how much: Windows Installer's message ("Out of disk space -- Volume:
# 'C:'; required space: N KB; available space: M KB", KB 2028841), setup's own copy step ("Disk space required: N
# bytes." / "Disk space available: N bytes." after the copy's source and destination [S2 MSI_3 log]), and a path.
MSI_OUT_OF_DISK = re.compile(r"Out of disk space -- Volume: '?(?P<volume>[^';]+?)'?; required space: (?P<required>\d+) KB; "
                             r"available space: (?P<available>\d+) KB", re.IGNORECASE)
DRIVE_IN_PATH = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]:)\\")

SHARED_CONFIG_DC_NOTE = re.compile(r"shared config DC\. (?:Error|Exception): (.+)", re.IGNORECASE)
MSI_ERROR_CODE = re.compile(r"Error code is (\d{3,5})")
BIN_SOURCE_DIR = re.compile(r"\\V15\\Bin\\?$", re.IGNORECASE)
