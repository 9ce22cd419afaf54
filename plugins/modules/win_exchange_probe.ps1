#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# One read-only pass over everything the procedure needs to know about the server, so the
# controller pays one WinRM round trip instead of twenty. It reports raw facts only (registry
# values, CIM properties); every decision about what they mean is made in Python on the
# controller (plugins/action/exchange_facts.py) against the Exchange catalogue.
# Exchange setup stops and DISABLES the WMI service during a cumulative update and leaves it so when
# the update fails (ExchangeDsc issue #496), and the next run must still read the server to decide to
# resume: what setup's state needs (registry, files, the setup task, processes, volumes) is read without
# CIM; what only CIM knows (hardware, page files, network, Windows features) is null when WMI cannot
# answer, and RV(wmi) says so.

$spec = @{
    options = @{
        feature_names = @{ type = 'list'; elements = 'str'; default = @() }
        registry_keys = @{ type = 'list'; elements = 'str'; default = @() }
        uninstall_display_names = @{ type = 'list'; elements = 'str'; default = @() }
        setup_log_path = @{ type = 'path'; default = '%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log' }
        setup_log_tail_bytes = @{ type = 'int'; default = 0 }
        setup_task = @{ type = 'str'; default = '' }
        service_names = @{ type = 'list'; elements = 'str'; default = @() }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$module.Result.changed = $false
$wmi = @{ available = $true; error = $null }
# HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) and (ERROR_PATH_NOT_FOUND): no such task or task folder.
$E_FILE_NOT_FOUND = -2147024894
$E_PATH_NOT_FOUND = -2147024893
# Services\<name>\Start: 2 automatic, 3 manual, 4 disabled (0 and 1 are drivers' boot and system starts).
$START_TYPES = @{ 0 = 'Boot'; 1 = 'System'; 2 = 'Auto'; 3 = 'Manual'; 4 = 'Disabled' }

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

Function Get-CimOrNull {
    # The instances of one CIM class, or $null once WMI has failed to answer (the first failure is kept in $wmi).
    param([String]$ClassName, [String]$Filter)
    if (-not $wmi.available) { return $null }
    $query = @{ ClassName = $ClassName; ErrorAction = 'Stop' }
    if ($Filter) { $query.Filter = $Filter }
    try {
        , @(Get-CimInstance @query)
    }
    catch {
        $wmi.available = $false
        $wmi.error = $_.Exception.Message
        $null
    }
}

$os = Get-CimOrNull -ClassName Win32_OperatingSystem | Select-Object -First 1
$cs = Get-CimOrNull -ClassName Win32_ComputerSystem | Select-Object -First 1
$current_version = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$tcpip = Get-RegistryValues -Path 'SYSTEM\CurrentControlSet\Services\Tcpip\Parameters'

$module.Result.wmi = $wmi
$module.Result.environment = @{
    system_drive = $env:SystemDrive
    system_root = $env:SystemRoot
    program_files = $env:ProgramFiles
}
$module.Result.os = @{
    # The registry knows the build without WMI; the caption and the boot time only CIM gives.
    caption = if ($os) { $os.Caption } else { $current_version.ProductName }
    version = if ($os) { $os.Version } else { '{0}.{1}.{2}' -f $current_version.CurrentMajorVersionNumber, $current_version.CurrentMinorVersionNumber, $current_version.CurrentBuildNumber }
    build = [int]$current_version.CurrentBuildNumber
    edition_id = $current_version.EditionID
    installation_type = $current_version.InstallationType
    product_name = $current_version.ProductName
    last_boot_time = if ($os) { $os.LastBootUpTime.ToUniversalTime().ToString('o') } else { $null }
}

$domain_name = $null
$part_of_domain = $false
if ($cs) {
    $domain_name = $cs.Domain
    $part_of_domain = [bool]$cs.PartOfDomain
}
else {
    # Without WMI: the computer's domain through the directory service's own API (it throws outside a domain).
    try {
        $domain_name = [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain().Name
        $part_of_domain = $true
    }
    catch {
        $domain_name = $null
    }
}
# ProductOptions\ProductType: LanmanNt on a domain controller, ServerNT on other servers.
$product_type = (Get-RegistryValues -Path 'SYSTEM\CurrentControlSet\Control\ProductOptions').ProductType
$module.Result.computer = @{
    hostname = $env:COMPUTERNAME
    dns_hostname = $tcpip.Hostname
    primary_dns_suffix = $tcpip.'NV Domain'
    domain = $domain_name
    part_of_domain = $part_of_domain
    # Win32_ComputerSystem.DomainRole: 2 standalone server, 3 member server, 4 backup DC, 5 primary DC.
    domain_role = if ($cs) { [int]$cs.DomainRole } elseif ($product_type -eq 'LanmanNt') { 5 } elseif ($part_of_domain) { 3 } else { 2 }
}

$processors = Get-CimOrNull -ClassName Win32_Processor
$module.Result.hardware = if ($cs -and $null -ne $processors) {
    @{
        sockets = $processors.Count
        cores = [int]($processors | Measure-Object -Property NumberOfCores -Sum).Sum
        logical_processors = [int]$cs.NumberOfLogicalProcessors
        memory_bytes = [UInt64]$cs.TotalPhysicalMemory
    }
}
else { $null }

$page_files = Get-CimOrNull -ClassName Win32_PageFileSetting
$module.Result.page_files = if ($null -ne $page_files) {
    @($page_files | ForEach-Object { @{ path = $_.Name; initial_mb = [int]$_.InitialSize; maximum_mb = [int]$_.MaximumSize } })
}
else { $null }
$module.Result.page_file_automatic = if ($cs) { [bool]$cs.AutomaticManagedPagefile } else { $null }

# Volumes through .NET (GetDiskFreeSpaceEx and GetVolumeInformation), not Win32_Volume: the install drive's space is
# needed even when WMI is down.
$module.Result.volumes = @(
    [System.IO.DriveInfo]::GetDrives() | Where-Object { $_.IsReady } | ForEach-Object {
        $type = switch ([String]$_.DriveType) {
            'CDRom' { 'CDROM' }
            'Ram' { 'RAMDisk' }
            default { [String]$_.DriveType }
        }
        @{
            drive_letter = $_.Name.Substring(0, 1)
            label = $_.VolumeLabel
            file_system = $_.DriveFormat
            drive_type = $type
            size_bytes = [UInt64]$_.TotalSize
            free_bytes = [UInt64]$_.TotalFreeSpace
        }
    }
)

$adapters = Get-CimOrNull -ClassName Win32_NetworkAdapterConfiguration -Filter 'IPEnabled = TRUE'
$module.Result.network = if ($null -ne $adapters) {
    @($adapters | ForEach-Object {
            @{
                description = $_.Description
                ipv4 = @($_.IPAddress | Where-Object { $_ -match '^\d+\.\d+\.\d+\.\d+$' })
                dhcp_enabled = [bool]$_.DHCPEnabled
            }
        })
}
else { $null }

# The registry keys and uninstall entries that tell whether each prerequisite is installed
# come from the controller's catalogue, so this script holds no product facts of its own.
$registry = @{}
foreach ($path in $module.Params.registry_keys) {
    $registry[$path] = Get-RegistryValues -Path ($path -replace '^HKLM:\\', '')
}
$module.Result.registry = $registry

# Both registry views, each entry labelled with its view: a 32-bit (x86) runtime registers under WOW6432Node and
# must not pass for the x64 one setup needs; the controller decides which view counts.
$uninstall_roots = @(
    @{ view = '64'; path = 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall' },
    @{ view = '32'; path = 'SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall' }
)
$module.Result.uninstall_entries = @(
    if ($module.Params.uninstall_display_names.Count -gt 0) {
        foreach ($root in $uninstall_roots) {
            Get-ChildItem -LiteralPath "Registry::HKEY_LOCAL_MACHINE\$($root.path)" -ErrorAction SilentlyContinue | ForEach-Object {
                $name = $_.GetValue('DisplayName')
                $matched = $name -and @($module.Params.uninstall_display_names | Where-Object { $name -like $_ }).Count -gt 0
                if ($matched) {
                    @{
                        key = $_.PSChildName
                        registry_view = $root.view
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

# Get-WindowsFeature is served by WMI too: null (unknown) when WMI cannot answer.
$module.Result.features = @()
if ($module.Params.feature_names.Count -gt 0) {
    if ($wmi.available) {
        try {
            $module.Result.features = @(
                Get-WindowsFeature -Name $module.Params.feature_names -ErrorAction Stop | ForEach-Object {
                    @{ name = $_.Name; installed = [bool]$_.Installed }
                }
            )
        }
        catch {
            $wmi.available = $false
            $wmi.error = $_.Exception.Message
            $module.Result.features = $null
        }
    }
    else {
        $module.Result.features = $null
    }
}

# Start types from the services' registry keys (the Service Control Manager's own store), not Win32_Service.
$module.Result.service_start_types = @{}
foreach ($name in $module.Params.service_names) {
    $service_key = Get-RegistryValues -Path "SYSTEM\CurrentControlSet\Services\$name"
    $module.Result.service_start_types[$name] = if ($null -eq $service_key -or $null -eq $service_key.Start) { $null } else {
        $START_TYPES[[int]$service_key.Start]
    }
}

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
# Read through the Task Scheduler's COM interface: Get-ScheduledTask is CIM.
$setup_task = $null
if ($module.Params.setup_task) {
    $split = $module.Params.setup_task.LastIndexOf('\')
    $folder_path = if ($split -gt 0) { $module.Params.setup_task.Substring(0, $split) } else { '\' }
    $scheduler = New-Object -ComObject Schedule.Service
    $scheduler.Connect()
    $task = $null
    try {
        $task = $scheduler.GetFolder($folder_path).GetTask($module.Params.setup_task.Substring($split + 1))
    }
    catch {
        $inner = if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception }
        if ($inner.HResult -notin @($E_FILE_NOT_FOUND, $E_PATH_NOT_FOUND)) { throw }
    }
    if ($null -eq $task) {
        $setup_task = @{ path = $module.Params.setup_task; exists = $false }
    }
    else {
        # IRegisteredTask.State 4 is TASK_STATE_RUNNING; LastRunTime is 1899-12-30 before the first run.
        $states = @{ 0 = 'Unknown'; 1 = 'Disabled'; 2 = 'Queued'; 3 = 'Ready'; 4 = 'Running' }
        $last_run = [DateTime]$task.LastRunTime
        $setup_task = @{
            path = $module.Params.setup_task
            exists = $true
            state = $states[[int]$task.State]
            last_task_result = [Int64]$task.LastTaskResult -band [Int64]4294967295
            last_run_time = if ($last_run.Year -gt 1900) { $last_run.ToUniversalTime().ToString('o') } else { $null }
        }
    }
}

$module.Result.exchange = @{
    setup_key = $setup_key
    role_keys = $roles
    uninstall_key = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}'
    exsetup_file_version = $exsetup_version
    setup_task = $setup_task
    # Every process named ExSetup* or Setup with the file it runs from (null when Windows does not tell), through
    # Get-Process: the controller decides which of them are Exchange setup.
    setup_processes = @(
        Get-Process -Name 'ExSetup*', 'Setup' -ErrorAction SilentlyContinue | ForEach-Object {
            $path = $null
            try { $path = $_.Path } catch { $path = $null }
            @{ name = $_.ProcessName + '.exe'; pid = [int]$_.Id; executable_path = $path }
        }
    )
}

$wsman = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN'
$policies = Get-RegistryValues -Path 'SOFTWARE\Policies\Microsoft\Windows\PowerShell'
$module.Result.winrm = @{
    # Without UpdatedConfig, Exchange setup may restart WinRM mid-setup (exchange-facts §6.2).
    updated_config_present = [bool]($wsman -and $wsman.ContainsKey('UpdatedConfig'))
    execution_policy_gpo = if ($policies) { $policies.ExecutionPolicy } else { $null }
    remote_registry_start_mode = $START_TYPES[[int](Get-RegistryValues -Path 'SYSTEM\CurrentControlSet\Services\RemoteRegistry').Start]
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
