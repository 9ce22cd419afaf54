#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# What Exchange setup will find in Active Directory, read before any change (activity 2; issue 17, items 1 and 2):
# the schema's, organisation's and domain's Exchange versions, the functional levels, the DCs of this server's site
# with their operating systems, this server's own Exchange object, and the groups in the token of the account this
# runs as. Only [ADSI] / System.DirectoryServices: the ActiveDirectory PowerShell module is often absent before setup
# installs RSAT-ADDS, and CIM is not used (a failed cumulative update leaves WMI disabled, ExchangeDsc issue #496).
# Every section is read on its own: one that fails is returned as null with its error in `errors`, and the module
# itself never fails for an unreachable domain controller. Nothing is decided here: the controller decides
# (plugins/plugin_utils/_preflight/ad_readiness.py).
# The task runs this as the setup account with become (runas): a WinRM logon over NTLM or Kerberos holds no credential
# it can pass on to the DC (the double hop, exchange-facts §6.1), so [ADSI] binds would fail, and only the setup
# account's own token says which groups setup will have.

$spec = @{
    options = @{
        domain_controller = @{ type = 'str' }
        server_name = @{ type = 'str' }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

# HRESULT of ERROR_DS_NO_SUCH_OBJECT (0x80072030), as the signed value a COMException carries.
$E_NO_SUCH_OBJECT = -2147016656
$ADMINISTRATORS_SID = 'S-1-5-32-544'
$ADMIN_GROUP = 'Exchange Administrative Group (FYDIBOHF23SPDLT)'

$prefix = 'LDAP://'
if ($module.Params.domain_controller) {
    $prefix = 'LDAP://' + $module.Params.domain_controller + '/'
}
$serverName = $module.Params.server_name
if (-not $serverName) {
    $serverName = $env:COMPUTERNAME
}

$errors = @{}
$module.Result.changed = $false
foreach ($name in @('account', 'domain_controller', 'naming_contexts', 'functional_levels', 'schema', 'organization', 'domain', 'site', 'server_object', 'account_groups')) {
    $module.Result.$name = $null
}

Function Get-ComErrorCode {
    # The HRESULT of the COMException inside whatever PowerShell wrapped it in (MethodInvocationException...).
    param([System.Exception]$Exception)
    $current = $Exception
    while ($null -ne $current) {
        if ($current -is [System.Runtime.InteropServices.COMException]) {
            return $current.ErrorCode
        }
        $current = $current.InnerException
    }
    return $null
}

Function Get-ErrorText {
    param([System.Exception]$Exception)
    $current = $Exception
    while ($null -ne $current.InnerException) {
        $current = $current.InnerException
    }
    return $current.Message.Trim()
}

Function Get-FirstValue {
    param($Result, [String]$Attribute)
    # ResultPropertyCollection keys are lower case; every value is a collection.
    $values = $Result.Properties[$Attribute.ToLowerInvariant()]
    if ($null -eq $values -or $values.Count -eq 0) {
        return $null
    }
    return $values[0]
}

Function Find-AdObject {
    # The objects under (or at) $Base matching $Filter; an empty list when $Base does not exist.
    param([String]$Base, [String]$Filter, [String[]]$Attributes, [System.DirectoryServices.SearchScope]$Scope)
    $entry = New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList ($prefix + $Base)
    $searcher = New-Object -TypeName System.DirectoryServices.DirectorySearcher -ArgumentList $entry, $Filter, $Attributes, $Scope
    try {
        return @($searcher.FindAll())
    }
    catch {
        if ((Get-ComErrorCode -Exception $_.Exception) -eq $E_NO_SUCH_OBJECT) {
            return @()
        }
        throw
    }
}

# --- Who this runs as, and the groups of its token (nested groups included: Windows expands them into the token).
try {
    $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
    $module.Result.account = $identity.Name
    $groups = [System.Collections.Generic.List[String]]@()
    $localAdministrator = $false
    foreach ($sid in $identity.Groups) {
        if ($sid.Value -eq $ADMINISTRATORS_SID) {
            $localAdministrator = $true
        }
        try {
            $groups.Add($sid.Translate([System.Security.Principal.NTAccount]).Value)
        }
        catch {
            # A SID with no name (a deleted group, a logon SID): kept as the SID.
            $groups.Add($sid.Value)
        }
    }
    $module.Result.account_groups = @{ groups = @($groups); local_administrator = $localAdministrator }
}
catch {
    $errors.account_groups = Get-ErrorText -Exception $_.Exception
}

# --- RootDSE of the DC this server uses: the naming contexts and the functional levels.
$contexts = $null
try {
    # [ADSI] "LDAP://RootDSE": RefreshCache binds, and so fails here when the DC can't be reached or bound to.
    $root = New-Object -TypeName System.DirectoryServices.DirectoryEntry -ArgumentList ($prefix + 'RootDSE')
    $root.RefreshCache()
    $contexts = @{
        configuration = [String]$root.Properties['configurationNamingContext'].Value
        schema = [String]$root.Properties['schemaNamingContext'].Value
        default = [String]$root.Properties['defaultNamingContext'].Value
    }
    $module.Result.naming_contexts = $contexts
    $module.Result.domain_controller = [String]$root.Properties['dnsHostName'].Value
    $module.Result.functional_levels = @{
        forest = [int][String]$root.Properties['forestFunctionality'].Value
        domain = [int][String]$root.Properties['domainFunctionality'].Value
    }
}
catch {
    $errors.root_dse = Get-ErrorText -Exception $_.Exception
}

if ($null -ne $contexts) {
    # --- The schema: rangeUpper of ms-Exch-Schema-Version-Pt (absent: the schema was never extended for Exchange).
    try {
        $found = @(Find-AdObject -Base ('CN=ms-Exch-Schema-Version-Pt,' + $contexts.schema) -Filter '(objectClass=*)' -Scope Base -Attributes @('rangeUpper'))
        $value = $null
        if ($found.Count -gt 0) {
            $value = Get-FirstValue -Result $found[0] -Attribute 'rangeUpper'
        }
        $module.Result.schema = @{ range_upper = $value }
    }
    catch {
        $errors.schema = Get-ErrorText -Exception $_.Exception
    }

    # --- The organisation: the msExchOrganizationContainer under CN=Microsoft Exchange,CN=Services.
    $orgDn = $null
    try {
        $found = @(Find-AdObject -Base ('CN=Microsoft Exchange,CN=Services,' + $contexts.configuration) -Scope OneLevel `
            -Filter '(objectClass=msExchOrganizationContainer)' -Attributes @('name', 'objectVersion', 'distinguishedName'))
        if ($found.Count -gt 0) {
            $orgDn = [String](Get-FirstValue -Result $found[0] -Attribute 'distinguishedName')
            $module.Result.organization = @{
                exists = $true
                name = [String](Get-FirstValue -Result $found[0] -Attribute 'name')
                object_version = Get-FirstValue -Result $found[0] -Attribute 'objectVersion'
                distinguished_name = $orgDn
            }
        }
        else {
            $module.Result.organization = @{ exists = $false; name = $null; object_version = $null; distinguished_name = $null }
        }
    }
    catch {
        $errors.organization = Get-ErrorText -Exception $_.Exception
    }

    # --- The domain: objectVersion of CN=Microsoft Exchange System Objects (absent: the domain was never prepared).
    try {
        $found = @(Find-AdObject -Base ('CN=Microsoft Exchange System Objects,' + $contexts.default) -Filter '(objectClass=*)' -Scope Base `
            -Attributes @('objectVersion'))
        if ($found.Count -gt 0) {
            $module.Result.domain = @{ exists = $true; object_version = Get-FirstValue -Result $found[0] -Attribute 'objectVersion' }
        }
        else {
            $module.Result.domain = @{ exists = $false; object_version = $null }
        }
    }
    catch {
        $errors.domain = Get-ErrorText -Exception $_.Exception
    }

    # --- The DCs of this server's site, with their computer objects' operating system.
    try {
        $siteName = [System.DirectoryServices.ActiveDirectory.ActiveDirectorySite]::GetComputerSite().Name
        $controllers = [System.Collections.Generic.List[Object]]@()
        $servers = @(Find-AdObject -Base ('CN=Servers,CN=' + $siteName + ',CN=Sites,' + $contexts.configuration) -Scope OneLevel `
            -Filter '(objectClass=server)' -Attributes @('name', 'serverReference'))
        foreach ($server in $servers) {
            $computerDn = Get-FirstValue -Result $server -Attribute 'serverReference'
            $controller = @{ name = [String](Get-FirstValue -Result $server -Attribute 'name'); dns_host_name = $null
                operating_system = $null; operating_system_version = $null }
            if ($computerDn) {
                $computer = @(Find-AdObject -Base $computerDn -Filter '(objectClass=computer)' -Scope Base -Attributes @(
                    'dNSHostName', 'operatingSystem', 'operatingSystemVersion'))
                if ($computer.Count -gt 0) {
                    $controller.dns_host_name = Get-FirstValue -Result $computer[0] -Attribute 'dNSHostName'
                    $controller.operating_system = Get-FirstValue -Result $computer[0] -Attribute 'operatingSystem'
                    $controller.operating_system_version = Get-FirstValue -Result $computer[0] -Attribute 'operatingSystemVersion'
                }
            }
            $controllers.Add($controller)
        }
        $module.Result.site = @{ name = $siteName; domain_controllers = @($controllers) }
    }
    catch {
        $errors.site = Get-ErrorText -Exception $_.Exception
    }

    # --- This server's Exchange object (a rebuilt server keeps it: RecoverServer needs its install path and version).
    try {
        $serverObject = @{ exists = $false; name = $serverName; distinguished_name = $null; install_path = $null; serial_number = $null }
        if ($orgDn) {
            $found = @(Find-AdObject -Base ('CN=Servers,CN=' + $ADMIN_GROUP + ',CN=Administrative Groups,' + $orgDn) -Scope OneLevel `
                -Filter ('(&(objectClass=msExchExchangeServer)(cn=' + $serverName + '))') -Attributes @(
                'distinguishedName', 'msExchInstallPath', 'serialNumber'))
            if ($found.Count -gt 0) {
                $serverObject.exists = $true
                $serverObject.distinguished_name = Get-FirstValue -Result $found[0] -Attribute 'distinguishedName'
                $serverObject.install_path = Get-FirstValue -Result $found[0] -Attribute 'msExchInstallPath'
                $serverObject.serial_number = Get-FirstValue -Result $found[0] -Attribute 'serialNumber'
            }
        }
        $module.Result.server_object = $serverObject
    }
    catch {
        $errors.server_object = Get-ErrorText -Exception $_.Exception
    }
}
else {
    foreach ($name in @('schema', 'organization', 'domain', 'site', 'server_object')) {
        $errors.$name = $errors.root_dse
    }
}

$module.Result.errors = $errors
$module.ExitJson()
