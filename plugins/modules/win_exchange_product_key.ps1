#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# The Exchange product key (activity 10). It reads the server's licence with Get-ExchangeServer and, when given a key,
# enters it with Set-ExchangeServer -ProductKey and restarts the Information Store, as Microsoft documents ("Enter your
# Exchange Server product key", learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/enter-product-key),
# then reads the licence again. It decides nothing: plugins/plugin_utils/_server/product_key.py decides whether to enter
# the key and what the answers mean. The Exchange Management Shell is loaded exactly as win_exchange_health.ps1 loads it
# (this server's own endpoint, never another). Run it as an Exchange administrator (become).

$spec = @{
    options = @{
        product_key = @{ type = 'str'; no_log = $true }
        restart_information_store = @{ type = 'bool'; default = $true }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$module.Result.changed = $false

$exchange_root = 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v15'
$information_store = 'MSExchangeIS'

Function Get-ErrorText {
    param($Record)
    if ($null -eq $Record) { return $null }
    if ($Record -is [System.Management.Automation.ErrorRecord]) { return $Record.ToString() }
    if ($Record -is [Exception]) { return $Record.Message }
    [string]$Record
}

Function Get-Licence {
    # Get-ExchangeServer's licence fields ("Get-ExchangeServer <ServerName> | Format-List Name,Edition,*Trial*" in
    # Microsoft's page), with the object's creation time: the 180-day trial counts from the installation.
    param([string]$Identity)
    $server = Get-ExchangeServer -Identity $Identity -ErrorAction Stop
    $created = $null
    if ($server.PSObject.Properties['WhenCreatedUTC'] -and $server.WhenCreatedUTC) {
        $created = ([DateTime]$server.WhenCreatedUTC).ToString('yyyy-MM-ddTHH:mm:ssZ')
    }
    @{
        name = [string]$server.Name
        fqdn = [string]$server.Fqdn
        admin_display_version = [string]$server.AdminDisplayVersion
        edition = [string]$server.Edition
        is_trial = [bool]$server.IsExchangeTrialEdition
        is_expired_trial = [bool]$server.IsExpiredExchangeTrialEdition
        remaining_trial_period = [string]$server.RemainingTrialPeriod
        when_created_utc = $created
        server_role = [string]$server.ServerRole
    }
}

$setup_key = Get-ItemProperty -LiteralPath "$exchange_root\Setup" -ErrorAction SilentlyContinue
$install_path = if ($setup_key -and $setup_key.MsiInstallPath) { [string]$setup_key.MsiInstallPath } else { $null }
$module.Result.install_path = $install_path
$module.Result.exchange_server = $null
$module.Result.after = $null
$module.Result.entered = $false
$module.Result.would_enter = $false
$module.Result.warnings_from_exchange = @()
$module.Result.information_store = @{ restarted = $false; status = $null; error = $null }
$module.Result.errors = @()

$shell = @{
    requested = $true
    loaded = $false
    kind = $null
    target = $null
    server = $null
    error = $null
    messages = @()
    user = [Security.Principal.WindowsIdentity]::GetCurrent().Name
}
$connect_warnings = @()

if ($shell.requested) {
    $edge = Test-Path -LiteralPath "$exchange_root\EdgeTransportRole"
    $first_error = $Error.Count
    $previous_preference = $ErrorActionPreference
    # The shell's own scripts emit harmless errors and banners: load leniently, then test that the cmdlets are there.
    $ErrorActionPreference = 'Continue'
    try {
        if (-not $install_path) {
            throw "Exchange Server is not installed: $exchange_root\Setup has no MsiInstallPath."
        }
        $bin = Join-Path -Path $install_path -ChildPath 'Bin'
        if ($edge) {
            # Edge Transport has no remote PowerShell: the snap-ins of exShell.psc1, then Exchange.ps1 (exchange-facts §5.4).
            $shell.kind = 'snapin'
            $psc1 = Join-Path -Path $bin -ChildPath 'exShell.psc1'
            $snapins = @()
            if (Test-Path -LiteralPath $psc1) {
                $snapins = @(([xml](Get-Content -LiteralPath $psc1 -Raw)).SelectNodes('//PSSnapIn') | ForEach-Object { $_.Name })
            }
            if ($snapins.Count -eq 0) { $snapins = @('Microsoft.Exchange.Management.PowerShell.E2010') }
            foreach ($snapin in $snapins) {
                if (-not (Get-PSSnapin -Name $snapin -ErrorAction SilentlyContinue)) { Add-PSSnapin -Name $snapin -ErrorAction Stop }
            }
            . (Join-Path -Path $bin -ChildPath 'Exchange.ps1') *> $null
        }
        else {
            # The Exchange Management Shell of this server and of no other: RemoteExchange.ps1 as the shortcut loads it
            # (exchange-facts §5.4), then Connect-ExchangeServer to this server's own FQDN, as Install-Exchange15
            # (Import-ExchangeModule) and ExchangeDsc (New-RemoteExchangeSession) do. -Auto would try every Exchange
            # server of the AD site when this one's /PowerShell fails (ConnectFunctions.ps1 _AutoDiscoverAndConnect), and
            # the checks would then pass on another server.
            $shell.kind = 'remote'
            $remote_exchange = Join-Path -Path $bin -ChildPath 'RemoteExchange.ps1'
            if (-not (Test-Path -LiteralPath $remote_exchange)) {
                throw "The Exchange Management Shell is not installed: $remote_exchange does not exist."
            }
            # The computer's name and primary DNS suffix, without WMI (setup can leave it disabled) nor a DNS query.
            $network = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
            $fqdn = $network.HostName
            if ($network.DomainName) { $fqdn = '{0}.{1}' -f $network.HostName, $network.DomainName }
            $shell.target = $fqdn
            # RemoteExchange.ps1 ends by calling its banner and tip-of-the-day functions, written for a console. An alias
            # wins over a function of the same name, so in this host-less runspace they do nothing (ExchangeDsc
            # New-RemoteExchangeSession does the same).
            New-Alias -Name Get-ExBanner -Value Out-Null -Force
            New-Alias -Name Get-Tip -Value Out-Null -Force
            try {
                . $remote_exchange *> $null
            }
            finally {
                Remove-Item -LiteralPath 'Alias:Get-ExBanner', 'Alias:Get-Tip' -ErrorAction SilentlyContinue
            }
            # When this server's endpoint fails, Connect-ExchangeServer prompts for another server with Read-Host, which
            # fails in this non-interactive runspace: the failure is reported, another server is never used. Its warnings
            # (a stopped IIS, for one) explain the failure too: they are kept with the errors.
            $global:connectedFqdn = $null
            $connect_output = @(Connect-ExchangeServer -ServerFqdn $fqdn -ClientApplication:ManagementShell 3>&1 4>$null 6>$null)
            $connect_warnings = @($connect_output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object { $_.Message })
            if ($global:connectedFqdn) { $shell.server = [string]$global:connectedFqdn }
        }
        if (-not (Get-Command -Name Get-ExchangeServer -ErrorAction SilentlyContinue)) {
            throw 'The Exchange Management Shell did not load: Get-ExchangeServer is not available.'
        }
        $shell.loaded = $true
    }
    catch {
        $shell.error = Get-ErrorText -Record $_
    }
    finally {
        $ErrorActionPreference = $previous_preference
    }
    # $Error is newest first: what was added while loading, oldest first, after the connection's warnings, without repeats.
    $new_errors = $Error.Count - $first_error
    $texts = @($connect_warnings)
    if ($new_errors -gt 0) {
        $texts += @($Error[($new_errors - 1)..0] | ForEach-Object { Get-ErrorText -Record $_ } | Where-Object { $_ })
    }
    $shell.messages = @($texts | Select-Object -Unique | Select-Object -First 10)
}
$module.Result.shell = $shell

if (-not $shell.loaded) {
    $module.ExitJson()
}
$identity = $env:COMPUTERNAME
try {
    $module.Result.exchange_server = Get-Licence -Identity $identity
}
catch {
    $module.Result.errors += @{ source = 'Get-ExchangeServer'; message = Get-ErrorText -Record $_ }
    $module.ExitJson()
}

$key = $module.Params.product_key
if (-not $key) {
    $module.ExitJson()
}
if ($module.CheckMode) {
    # Check mode: the server was read; the key would be entered (the controller decided so), nothing is changed.
    $module.Result.would_enter = $true
    $module.Result.changed = $true
    $module.ExitJson()
}

try {
    # "Set-ExchangeServer <ServerName> -ProductKey <ProductKey>" [Microsoft]. Its warnings (the Information Store restart it
    # asks for, "already licensed") are kept; an invalid key is its error, returned with nothing else changed.
    $null = Set-ExchangeServer -Identity $identity -ProductKey $key -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable set_warnings
    $module.Result.warnings_from_exchange = @($set_warnings | ForEach-Object { [string]$_.Message })
    $module.Result.entered = $true
    $module.Result.changed = $true
}
catch {
    $module.Result.errors += @{ source = 'Set-ExchangeServer'; message = Get-ErrorText -Record $_ }
    $module.ExitJson()
}

if ($module.Params.restart_information_store) {
    try {
        # "After you license a Mailbox server, run ... Restart-Service MSExchangeIS" [Microsoft].
        Restart-Service -Name $information_store -Force -ErrorAction Stop
        $module.Result.information_store.restarted = $true
    }
    catch {
        $module.Result.information_store.error = Get-ErrorText -Record $_
    }
    $service = Get-Service -Name $information_store -ErrorAction SilentlyContinue
    if ($service) { $module.Result.information_store.status = [string]$service.Status }
}

try {
    $module.Result.after = Get-Licence -Identity $identity
}
catch {
    $module.Result.errors += @{ source = 'Get-ExchangeServer'; message = Get-ErrorText -Record $_ }
}

$module.ExitJson()
