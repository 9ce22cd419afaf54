#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# One read-only pass over everything the procedure needs to know about the server, so the
# controller pays one WinRM round trip instead of twenty. It reports raw facts only (registry
# values, CIM properties); every decision about what they mean is made in Python on the
# controller (plugins/action/exchange_facts.py) against the Exchange catalogue.

$spec = @{
    options = @{
        feature_names = @{ type = 'list'; elements = 'str'; default = @() }
        registry_keys = @{ type = 'list'; elements = 'str'; default = @() }
        uninstall_display_names = @{ type = 'list'; elements = 'str'; default = @() }
        setup_log_path = @{ type = 'path'; default = 'C:\ExchangeSetupLogs\ExchangeSetup.log' }
        setup_log_tail_bytes = @{ type = 'int'; default = 0 }
        setup_task = @{ type = 'str'; default = '' }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$module.Result.changed = $false

Function Get-RegistryValues {
    # All values of one HKLM key as a hashtable, or $null when the key is absent.
    param([String]$Path)
    $key = Get-Item -LiteralPath "Registry::HKEY_LOCAL_MACHINE\$Path" -ErrorAction SilentlyContinue
    if ($null -eq $key) { return $null }
    $values = @{}
    foreach ($name in $key.GetValueNames()) {
        $value = $key.GetValue($name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
        if ($value -is [Int32]) { $value = [UInt32]("0x{0:x}" -f $value) }
        $values[$(if ($name -eq '') { '(default)' } else { $name })] = $value
    }
    $values
}

Function Test-RegistryKey {
    param([String]$Path)
    Test-Path -LiteralPath "Registry::HKEY_LOCAL_MACHINE\$Path"
}

$os = Get-CimInstance -ClassName Win32_OperatingSystem
$cs = Get-CimInstance -ClassName Win32_ComputerSystem
$current_version = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$tcpip = Get-RegistryValues -Path 'SYSTEM\CurrentControlSet\Services\Tcpip\Parameters'

$module.Result.os = @{
    caption = $os.Caption
    version = $os.Version
    build = [int]$os.BuildNumber
    edition_id = $current_version.EditionID
    installation_type = $current_version.InstallationType
    product_name = $current_version.ProductName
    last_boot_time = $os.LastBootUpTime.ToUniversalTime().ToString('o')
}

$module.Result.computer = @{
    hostname = $env:COMPUTERNAME
    dns_hostname = $tcpip.Hostname
    primary_dns_suffix = $tcpip.'NV Domain'
    domain = $cs.Domain
    part_of_domain = [bool]$cs.PartOfDomain
    # Win32_ComputerSystem.DomainRole: 4 = backup DC, 5 = primary DC.
    domain_role = [int]$cs.DomainRole
}

$processors = @(Get-CimInstance -ClassName Win32_Processor)
$module.Result.hardware = @{
    sockets = $processors.Count
    cores = [int]($processors | Measure-Object -Property NumberOfCores -Sum).Sum
    logical_processors = [int]$cs.NumberOfLogicalProcessors
    memory_bytes = [UInt64]$cs.TotalPhysicalMemory
}

$module.Result.page_files = @(
    Get-CimInstance -ClassName Win32_PageFileSetting | ForEach-Object {
        @{ path = $_.Name; initial_mb = [int]$_.InitialSize; maximum_mb = [int]$_.MaximumSize }
    }
)
$module.Result.page_file_automatic = [bool]$cs.AutomaticManagedPagefile

$module.Result.volumes = @(
    Get-CimInstance -ClassName Win32_Volume | Where-Object { $_.DriveLetter } | ForEach-Object {
        # Win32_Volume.DriveType: 2 removable, 3 fixed, 4 network, 5 CD-ROM, 6 RAM disk.
        $type = switch ([int]$_.DriveType) { 2 { 'Removable' } 3 { 'Fixed' } 4 { 'Network' } 5 { 'CDROM' } 6 { 'RAMDisk' } default { 'Unknown' } }
        @{
            drive_letter = $_.DriveLetter.TrimEnd(':')
            label = $_.Label
            file_system = $_.FileSystem
            drive_type = $type
            size_bytes = [UInt64]$_.Capacity
            free_bytes = [UInt64]$_.FreeSpace
        }
    }
)

$module.Result.network = @(
    Get-CimInstance -ClassName Win32_NetworkAdapterConfiguration -Filter 'IPEnabled = TRUE' | ForEach-Object {
        @{
            description = $_.Description
            ipv4 = @($_.IPAddress | Where-Object { $_ -match '^\d+\.\d+\.\d+\.\d+$' })
            dhcp_enabled = [bool]$_.DHCPEnabled
        }
    }
)

# The registry keys and uninstall entries that tell whether each prerequisite is installed
# come from the controller's catalogue, so this script holds no product facts of its own.
$registry = @{}
foreach ($path in $module.Params.registry_keys) {
    $registry[$path] = Get-RegistryValues -Path ($path -replace '^HKLM:\\', '')
}
$module.Result.registry = $registry

$uninstall_roots = @(
    'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall',
    'SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall'
)
$module.Result.uninstall_entries = @(
    if ($module.Params.uninstall_display_names.Count -gt 0) {
        foreach ($root in $uninstall_roots) {
            Get-ChildItem -LiteralPath "Registry::HKEY_LOCAL_MACHINE\$root" -ErrorAction SilentlyContinue | ForEach-Object {
                $name = $_.GetValue('DisplayName')
                $matched = $name -and @($module.Params.uninstall_display_names | Where-Object { $name -like $_ }).Count -gt 0
                if ($matched) {
                    @{
                        key = $_.PSChildName
                        display_name = $name
                        display_version = $_.GetValue('DisplayVersion')
                        version = $_.GetValue('Version')
                        install_date = $_.GetValue('InstallDate')
                    }
                }
            }
        }
    }
)

$module.Result.features = @(
    if ($module.Params.feature_names.Count -gt 0) {
        Get-WindowsFeature -Name $module.Params.feature_names | ForEach-Object {
            @{ name = $_.Name; installed = [bool]$_.Installed }
        }
    }
)

$session_manager = Get-RegistryValues -Path 'SYSTEM\CurrentControlSet\Control\Session Manager'
$update_exe = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Updates\UpdateExeVolatile'
$module.Result.pending_reboot = @{
    session_manager = [bool]($session_manager -and $session_manager.PendingFileRenameOperations)
    component_based_servicing = Test-RegistryKey -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    windows_update = Test-RegistryKey -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
    update_exe_volatile = [bool]($update_exe -and $update_exe.Flags)
}

$exchange_root = 'SOFTWARE\Microsoft\ExchangeServer\v15'
$role_keys = @('AdminTools', 'CafeRole', 'ClientAccessRole', 'EdgeTransportRole', 'FrontendTransportRole', 'HubTransportRole', 'MailboxRole', 'UnifiedMessagingRole')
$roles = @{}
foreach ($role in $role_keys) {
    $values = Get-RegistryValues -Path "$exchange_root\$role"
    if ($null -ne $values) { $roles[$role] = $values }
}
$setup_key = Get-RegistryValues -Path "$exchange_root\Setup"
$exsetup_version = $null
if ($setup_key -and $setup_key.MsiInstallPath) {
    $exsetup = Join-Path -Path $setup_key.MsiInstallPath -ChildPath 'Bin\ExSetup.exe'
    if (Test-Path -LiteralPath $exsetup) { $exsetup_version = (Get-Item -LiteralPath $exsetup).VersionInfo.FileVersion }
}
# The scheduled task rpi.exchange.exchange_setup runs setup from: left behind when a controller died
# mid-run, it tells the next run to attach to that setup, or to read its result, instead of refusing.
$setup_task = $null
if ($module.Params.setup_task) {
    $split = $module.Params.setup_task.LastIndexOf('\')
    $task = Get-ScheduledTask -TaskPath $module.Params.setup_task.Substring(0, $split + 1) `
        -TaskName $module.Params.setup_task.Substring($split + 1) -ErrorAction SilentlyContinue
    if ($null -eq $task) {
        $setup_task = @{ path = $module.Params.setup_task; exists = $false }
    }
    else {
        $info = Get-ScheduledTaskInfo -InputObject $task
        $setup_task = @{
            path = $module.Params.setup_task
            exists = $true
            state = [String]$task.State
            last_task_result = [Int64]$info.LastTaskResult
            last_run_time = if ($info.LastRunTime) { $info.LastRunTime.ToUniversalTime().ToString('o') } else { $null }
        }
    }
}

$module.Result.exchange = @{
    setup_key = $setup_key
    role_keys = $roles
    uninstall_key = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}'
    exsetup_file_version = $exsetup_version
    setup_task = $setup_task
    setup_processes = @(
        Get-CimInstance -ClassName Win32_Process -Filter "Name = 'ExSetup.exe' OR Name = 'Setup.exe' OR Name = 'ExSetupUI.exe'" | ForEach-Object {
            @{ name = $_.Name; pid = [int]$_.ProcessId; executable_path = $_.ExecutablePath }
        }
    )
}

$wsman = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN'
$policies = Get-RegistryValues -Path 'SOFTWARE\Policies\Microsoft\Windows\PowerShell'
$module.Result.winrm = @{
    # Without UpdatedConfig, Exchange setup may restart WinRM mid-setup (exchange-facts §6.2).
    updated_config_present = [bool]($wsman -and $wsman.ContainsKey('UpdatedConfig'))
    execution_policy_gpo = if ($policies) { $policies.ExecutionPolicy } else { $null }
    remote_registry_start_mode = (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'RemoteRegistry'").StartMode
}

$log = Get-Item -LiteralPath $module.Params.setup_log_path -ErrorAction SilentlyContinue
$module.Result.setup_log = @{ path = $module.Params.setup_log_path; exists = [bool]$log; size_bytes = 0; tail = '' }
if ($log) {
    $module.Result.setup_log.size_bytes = [UInt64]$log.Length
    $want = [Math]::Min([Int64]$module.Params.setup_log_tail_bytes, [Int64]$log.Length)
    if ($want -gt 0) {
        $stream = [System.IO.File]::Open($log.FullName, 'Open', 'Read', 'ReadWrite')
        try {
            $null = $stream.Seek(-$want, [System.IO.SeekOrigin]::End)
            $buffer = New-Object -TypeName byte[] -ArgumentList $want
            $null = $stream.Read($buffer, 0, $want)
            $module.Result.setup_log.tail = [System.Text.Encoding]::UTF8.GetString($buffer)
        }
        finally { $stream.Dispose() }
    }
}

$module.ExitJson()
