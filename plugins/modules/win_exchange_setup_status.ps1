#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Get-ScheduledTask (the ScheduledTasks module) exists from Windows Server 2012 (NT 6.2). The marker is also what
# makes ansible-core run a script as a new-style PowerShell module (in the pipelined payload): a script without any
# #Requires or #AnsibleRequires line is sent the old way, as temporary files.
#AnsibleRequires -OSVersion 6.2

# The call rpi.exchange.exchange_setup makes over and over while Exchange setup runs (an hour or
# more): the setup task's state, setup's processes, Exchange's setup registry keys, the
# pending-restart sources and the new lines of ExchangeSetup.log. Everything here serves to keep
# that call light, because every WinRM call ships its whole payload again:
# - no module util: Ansible.Basic is about 80 KB of C# that every call would ship and compile
#   (Add-Type) on the server; without it the payload is ansible-core's exec wrapper and this
#   script. The options are checked against $spec below as Ansible.Basic would (unknown option,
#   type), and tests/unit/plugins/test_powershell_specs.py checks $spec against the documentation;
#   the module is internal to rpi.exchange.exchange_setup (its documentation says so);
# - it waits on the server (wait_seconds) and answers as soon as setup has finished, so the
#   controller sees the end within about a second without asking more often;
# - it reads ExchangeSetup.log from an offset (setup_log_from): each call returns only the
#   complete lines written since the previous one.
# It must keep working while setup runs, and setup stops and DISABLES the WMI service (Winmgmt)
# during a cumulative update (ExchangeDsc issue #496): nothing here uses CIM/WMI. The task is read
# through the Task Scheduler's COM interface (Get-ScheduledTask and Get-ScheduledTaskInfo are CIM
# cmdlets), processes through Get-Process, everything else from the registry and the file system.
# Like win_exchange_probe it reports raw values; their meaning is decided on the controller
# (plugins/plugin_utils/setup_watch.py).

$spec = @{
    options = @{
        task_name = @{ type = 'str'; default = 'rpi-exchange-setup' }
        task_folder = @{ type = 'str'; default = '\RPI\' }
        setup_path = @{ type = 'path' }
        setup_log_path = @{ type = 'path'; default = '%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log' }
        setup_process_folders = @{ type = 'list'; elements = 'path'; default = @('%SystemRoot%\Temp\ExchangeSetup') }
        setup_log_from = @{ type = 'int'; default = -1 }
        setup_log_max_bytes = @{ type = 'int'; default = 65536 }
        wait_seconds = @{ type = 'float'; default = 0 }
    }
    supports_check_mode = $true
}

$ErrorActionPreference = 'Stop'
# Task Scheduler's LastTaskResult while the task runs, and before it has ever run.
$SCHED_S_TASK_RUNNING = 0x41301
$SCHED_S_TASK_HAS_NOT_RUN = 0x41303
# Get-Process names (no extension): ExSetup.exe and ExSetupUI.exe are setup's engine; Setup.exe is checked by its folder.
$SETUP_PROCESS_NAMES = @('ExSetup*', 'Setup')
# HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND) and (ERROR_PATH_NOT_FOUND), as the signed values COM errors carry.
$E_FILE_NOT_FOUND = -2147024894
$E_PATH_NOT_FOUND = -2147024893
# IRegisteredTask.State (TASK_STATE): what win_scheduled_task_stat reports as TASK_STATE_<name>.
$TASK_STATES = @{ 0 = 'UNKNOWN'; 1 = 'DISABLED'; 2 = 'QUEUED'; 3 = 'READY'; 4 = 'RUNNING' }
# How often the server looks again while it waits: the end of setup is seen this long after it happens, at most.
$CHECK_MILLISECONDS = 1000

Function Write-Result {
    # What Ansible.Basic's ExitJson/FailJson print: one JSON document; a failure also sets the exit code.
    param([Hashtable]$Result, [Switch]$Failed)
    if ($Failed) {
        $Result.failed = $true
        $global:LASTEXITCODE = 1
    }
    $Result.changed = $false
    $Result | ConvertTo-Json -Compress -Depth 10
}

Function Get-ModuleParam {
    # The options, validated against $spec: unknown options and values of the wrong type fail like Ansible.Basic.
    param([Hashtable]$Arguments)
    $unknown = @($Arguments.Keys | Where-Object { -not $_.StartsWith('_ansible_') -and -not $spec.options.ContainsKey($_) })
    if ($unknown.Count -gt 0) {
        $supported = ($spec.options.Keys | Sort-Object) -join ', '
        throw "Unsupported parameters for (rpi.exchange.win_exchange_setup_status) module: $($unknown -join ', '). Supported parameters include: $supported"
    }
    $params = @{}
    foreach ($name in $spec.options.Keys) {
        $option = $spec.options[$name]
        $value = if ($Arguments.ContainsKey($name) -and $null -ne $Arguments[$name]) { $Arguments[$name] } else { $option.default }
        if ($null -ne $value) {
            try {
                $value = switch ($option.type) {
                    'int' { [Int64]$value }
                    'float' { [Double]$value }
                    'path' { [Environment]::ExpandEnvironmentVariables([String]$value) }
                    'list' { , @($value | ForEach-Object { [Environment]::ExpandEnvironmentVariables([String]$_) }) }
                    default { [String]$value }
                }
            }
            catch {
                throw "argument for $name is of type $($value.GetType().FullName) and we were unable to convert to $($option.type): $($_.Exception.Message)"
            }
        }
        $params[$name] = $value
    }
    $params
}

Function Get-RegistryValues {
    # All values of one HKLM key as a hashtable, or $null when the key is absent (as win_exchange_probe reads them).
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

Function Get-SetupTask {
    # The task through the Task Scheduler's COM interface (as win_scheduled_task_stat reads it), or $null when there is
    # no such task. Not Get-ScheduledTask: that is CIM, and WMI is disabled while setup upgrades.
    $scheduler = New-Object -ComObject Schedule.Service
    $scheduler.Connect()
    $folder_path = if ($params.task_folder.TrimEnd('\')) { $params.task_folder.TrimEnd('\') } else { '\' }
    try {
        $folder = $scheduler.GetFolder($folder_path)
        $task = $folder.GetTask($params.task_name)
    }
    catch {
        # PowerShell wraps the COM error; 0x80070002 (file not found) and 0x80070003 (path not found) mean there is
        # no such task or folder. Anything else (access denied) is an error of this call, not a finished setup.
        $inner = if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception }
        if ($inner.HResult -in @($E_FILE_NOT_FOUND, $E_PATH_NOT_FOUND)) { return $null }
        throw
    }
    $task
}

Function Get-TaskResult {
    # IRegisteredTask.LastTaskResult is a signed 32-bit HRESULT: as unsigned, like Get-ScheduledTaskInfo shows it.
    param($Task)
    [Int64]$Task.LastTaskResult -band [Int64]4294967295
}

Function Test-UnderFolder {
    param([String]$Path)
    foreach ($folder in $params.setup_process_folders) {
        $prefix = $folder.TrimEnd('\') + '\'
        if ($Path.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
    }
    $false
}

Function Get-SetupProcess {
    # Processes named ExSetup* or Setup, with the file each runs from ($null when Windows does not tell).
    foreach ($process in @(Get-Process -Name $SETUP_PROCESS_NAMES -ErrorAction SilentlyContinue)) {
        $path = $null
        try { $path = $process.Path } catch { $path = $null }
        @{ name = $process.ProcessName + '.exe'; pid = [int]$process.Id; executable_path = $path }
    }
}

Function Test-ExchangeSetupProcess {
    # ExSetup* is always setup; another installer called Setup.exe is not, unless it runs from the media or setup's
    # copy (an unknown path counts: better to wait for a stranger than to miss setup).
    param([Hashtable]$Process)
    ($Process.name -like 'ExSetup*') -or ($null -eq $Process.executable_path) -or (Test-UnderFolder -Path $Process.executable_path)
}

Function Test-SetupFinished {
    # Whether there is nothing left to wait for: the task has run and stopped with no setup process left, or it is gone.
    $current = Get-SetupTask
    if ($null -eq $current) { return $true }
    if ($current.State -eq 4) { return $false }
    if ((Get-TaskResult -Task $current) -in @($SCHED_S_TASK_RUNNING, $SCHED_S_TASK_HAS_NOT_RUN)) { return $false }
    @(Get-SetupProcess | Where-Object { Test-ExchangeSetupProcess -Process $_ }).Count -eq 0
}

Function Read-SetupLog {
    # ExchangeSetup.log: its size and, from `setup_log_from` (or the end, when -1), at most setup_log_max_bytes.
    $result = @{ path = $params.setup_log_path; exists = $false; size_bytes = 0; read_from = 0; read_to = 0
        skipped_bytes = 0; restarted = $false; tail = ''
    }
    $log = Get-Item -LiteralPath $params.setup_log_path -ErrorAction SilentlyContinue
    if (-not $log) { return $result }
    $size = [Int64]$log.Length
    $result.exists = $true
    $result.size_bytes = $size
    $from = [Int64]$params.setup_log_from
    $follow = $from -ge 0
    if ($follow -and $from -gt $size) {
        # Shorter than where the last call stopped: the log was replaced, read the new one from its start.
        $from = 0
        $result.restarted = $true
    }
    if (-not $follow) { $from = $size }
    $available = $size - $from
    $want = [Math]::Min([Int64]$params.setup_log_max_bytes, $(if ($follow) { $available } else { $size }))
    $start = if ($follow) { $size - [Math]::Min($available, $want) } else { $size - $want }
    if ($follow -and $available -gt $want) { $result.skipped_bytes = $available - $want }
    $count = 0
    if ($want -gt 0) {
        $buffer = New-Object -TypeName byte[] -ArgumentList $want
        $stream = [System.IO.File]::Open($log.FullName, 'Open', 'Read', 'ReadWrite')
        try {
            $null = $stream.Seek($start, [System.IO.SeekOrigin]::Begin)
            while ($count -lt $want) {
                $read = $stream.Read($buffer, $count, $want - $count)
                if ($read -le 0) { break }
                $count += $read
            }
        }
        finally { $stream.Dispose() }
        if ($follow -and $count -gt 0) {
            # Only complete lines: the next call starts at the first byte of the line setup is still writing
            # (a line longer than setup_log_max_bytes is returned as it is, or the reading would never move on).
            $newline = [Array]::LastIndexOf($buffer, [byte]10, $count - 1)
            if ($newline -ge 0) { $count = $newline + 1 } elseif ($count -lt $params.setup_log_max_bytes) { $count = 0 }
        }
        $result.tail = [System.Text.Encoding]::UTF8.GetString($buffer, 0, $count)
    }
    $result.read_from = $start
    $result.read_to = $start + $count
    $result
}

try {
    $params = Get-ModuleParam -Arguments $complex_args
}
catch {
    Write-Result -Result @{ msg = $_.Exception.Message } -Failed
    return
}

$clock = [System.Diagnostics.Stopwatch]::StartNew()
$wait_ms = [Math]::Max(0, [Int64]($params.wait_seconds * 1000))
while ($clock.ElapsedMilliseconds -lt $wait_ms -and -not (Test-SetupFinished)) {
    Start-Sleep -Milliseconds ([Math]::Min($CHECK_MILLISECONDS, [Math]::Max(1, $wait_ms - $clock.ElapsedMilliseconds)))
}
$waited = $clock.Elapsed.TotalSeconds

# The same shape as community.windows.win_scheduled_task_stat, which the controller already reads.
$current = Get-SetupTask
$task = @{ task_exists = $false }
if ($null -ne $current) {
    $definition = $current.Definition
    # A task that never ran reports 1899-12-30 (the COM zero date), which the controller reads as "never".
    $last_run = [DateTime]$current.LastRunTime
    $task = @{
        task_exists = $true
        state = @{
            status = 'TASK_STATE_' + $TASK_STATES[[int]$current.State]
            last_task_result = Get-TaskResult -Task $current
            last_run_time = if ($last_run.Year -gt 1900) { $last_run.ToString('yyyy-MM-ddTHH:mm:ss') } else { $null }
        }
        # IAction.Type 0 is TASK_ACTION_EXEC, the only kind with a Path and Arguments.
        actions = @($definition.Actions | Where-Object { $_.Type -eq 0 } | ForEach-Object { @{ Path = $_.Path; Arguments = $_.Arguments } })
        principal = @{ user_id = $definition.Principal.UserId }
    }
}

$exchange_root = 'SOFTWARE\Microsoft\ExchangeServer\v15'
$role_keys = @('AdminTools', 'CafeRole', 'ClientAccessRole', 'EdgeTransportRole', 'FrontendTransportRole', 'HubTransportRole',
    'MailboxRole', 'UnifiedMessagingRole')
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
$current_version = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows NT\CurrentVersion'
$session_manager = Get-RegistryValues -Path 'SYSTEM\CurrentControlSet\Control\Session Manager'
$update_exe = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Updates\UpdateExeVolatile'
$wsman = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN'
$windows_key = 'Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion'

$result = @{
    waited_seconds = [Math]::Round($waited, 3)
    task = $task
    # The build and edition from the registry only: setup's decision needs no CIM query.
    os = @{
        build = [int]$current_version.CurrentBuildNumber
        edition_id = $current_version.EditionID
        installation_type = $current_version.InstallationType
        product_name = $current_version.ProductName
    }
    pending_reboot = @{
        session_manager = [bool]($session_manager -and $session_manager.PendingFileRenameOperations)
        component_based_servicing = Test-Path -LiteralPath "$windows_key\Component Based Servicing\RebootPending"
        windows_update = Test-Path -LiteralPath "$windows_key\WindowsUpdate\Auto Update\RebootRequired"
        update_exe_volatile = [bool]($update_exe -and $update_exe.Flags)
    }
    exchange = @{
        setup_key = $setup_key
        role_keys = $roles
        uninstall_key = Get-RegistryValues -Path 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}'
        exsetup_file_version = $exsetup_version
        # Every process named ExSetup* or Setup, with its path: the controller decides which are Exchange setup.
        setup_processes = @(Get-SetupProcess)
    }
    winrm = @{
        # Without UpdatedConfig, Exchange setup may restart WinRM mid-setup (exchange-facts §6.2).
        updated_config_present = [bool]($wsman -and $wsman.ContainsKey('UpdatedConfig'))
    }
    setup_log = Read-SetupLog
}
if ($params.setup_path) {
    $result.setup_path = @{ path = $params.setup_path; exists = Test-Path -LiteralPath $params.setup_path -PathType Leaf }
}
Write-Result -Result $result
