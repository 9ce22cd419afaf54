#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# Read-only: what the Exchange Management Shell, the Service Control Manager and the local web site say about
# this server after setup (exchange-facts §5). It returns raw answers only; plugins/plugin_utils/verification.py
# decides what they mean. Run it as an Exchange administrator (become): the shell is remote PowerShell to the
# local IIS, a second hop from a WinRM logon (exchange-facts §6.1).

$spec = @{
    options = @{
        service_names = @{ type = 'list'; elements = 'str'; default = @() }
        health_paths = @{ type = 'list'; elements = 'str'; default = @() }
        timeout_seconds = @{ type = 'int'; default = 30 }
        skip_shell = @{ type = 'bool'; default = $false }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$module.Result.changed = $false

$exchange_root = 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v15'
$timeout_ms = [Math]::Max(1, $module.Params.timeout_seconds) * 1000

# One GET per health page, compiled once. The certificate check is relaxed for loopback requests only: setup's
# self-signed certificate names the server, never "localhost", and Microsoft's own scripts skip the check there.
if (-not ('RpiExchange.HealthPage' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RpiExchange
{
    public static class HealthPage
    {
        private static bool AcceptLoopback(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None) { return true; }
            HttpWebRequest request = sender as HttpWebRequest;
            return request != null && request.RequestUri.IsLoopback;
        }

        // Returns { status code (0 when no HTTP answer), the first 4 KB of the body, the error text or null }. It never
        // throws: a page that sends its headers and then stalls past ReadWriteTimeout or drops the connection while its
        // body is read gets that error as its own result, with the status its headers gave, and the other pages and the
        // rest of the module still run (issue 14).
        public static object[] Get(string url, int timeoutMs)
        {
            HttpWebRequest request = null;
            HttpWebResponse response = null;
            try
            {
                request = (HttpWebRequest)WebRequest.Create(url);
                request.Method = "GET";
                request.Timeout = timeoutMs;
                request.ReadWriteTimeout = timeoutMs;
                request.AllowAutoRedirect = false;
                request.UseDefaultCredentials = false;
                request.ServerCertificateValidationCallback = AcceptLoopback;
                try
                {
                    response = (HttpWebResponse)request.GetResponse();
                }
                catch (WebException e)
                {
                    response = e.Response as HttpWebResponse;
                    if (response == null) { return new object[] { 0, "", e.Message }; }
                }
            }
            catch (Exception e)
            {
                return new object[] { 0, "", e.Message };
            }
            int status = (int)response.StatusCode;
            string body = "";
            string error = null;
            try
            {
                Stream stream = response.GetResponseStream();
                if (stream != null)
                {
                    StreamReader reader = new StreamReader(stream, Encoding.UTF8);
                    char[] buffer = new char[4096];
                    int read = reader.ReadBlock(buffer, 0, buffer.Length);
                    body = new string(buffer, 0, read);
                }
            }
            catch (Exception e)
            {
                body = "";
                error = e.Message;
                // Do not let Close drain a connection that just stalled or broke.
                request.Abort();
            }
            finally
            {
                try
                {
                    response.Close();
                }
                catch (Exception)
                {
                    // Closing a broken response can throw as well; the read above already said what went wrong.
                }
            }
            return new object[] { status, body, error };
        }
    }
}
'@
}

Function Get-ErrorText {
    param($Record)
    if ($null -eq $Record) { return $null }
    if ($Record -is [System.Management.Automation.ErrorRecord]) { return $Record.ToString() }
    if ($Record -is [Exception]) { return $Record.Message }
    [string]$Record
}

$setup_key = Get-ItemProperty -LiteralPath "$exchange_root\Setup" -ErrorAction SilentlyContinue
$install_path = if ($setup_key -and $setup_key.MsiInstallPath) { [string]$setup_key.MsiInstallPath } else { $null }
$module.Result.install_path = $install_path
$module.Result.exsetup_file_version = $null
if ($install_path) {
    $exsetup = Join-Path -Path $install_path -ChildPath 'Bin\ExSetup.exe'
    if (Test-Path -LiteralPath $exsetup) { $module.Result.exsetup_file_version = (Get-Item -LiteralPath $exsetup).VersionInfo.FileVersion }
}

$module.Result.services = @(
    foreach ($name in $module.Params.service_names) {
        $service = Get-Service -Name $name -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($null -eq $service) {
            @{ name = $name; exists = $false; status = $null; start_type = $null }
        }
        else {
            @{ name = $service.Name; exists = $true; status = [string]$service.Status; start_type = [string]$service.StartType }
        }
    }
)

$protocols = [Net.ServicePointManager]::SecurityProtocol
if ([int]$protocols -ne 0) {
    # Windows PowerShell 5.1 may still default to TLS 1.0; Exchange's site takes TLS 1.2.
    [Net.ServicePointManager]::SecurityProtocol = $protocols -bor [Net.SecurityProtocolType]::Tls12
}
$module.Result.health = @(
    foreach ($path in $module.Params.health_paths) {
        $relative = $path.TrimStart('/')
        $url = "https://localhost/$relative"
        try {
            $answer = [RpiExchange.HealthPage]::Get($url, $timeout_ms)
        }
        catch {
            # Get returns its errors; this is for what it cannot catch itself. One page's failure is that page's result.
            $answer = @(0, '', (Get-ErrorText -Record $_))
        }
        @{ path = "/$relative"; url = $url; status_code = [int]$answer[0]; body = [string]$answer[1]; error = $answer[2] }
    }
)

$shell = @{
    requested = -not $module.Params.skip_shell
    loaded = $false
    kind = $null
    target = $null
    server = $null
    error = $null
    messages = @()
    user = [Security.Principal.WindowsIdentity]::GetCurrent().Name
}
$connect_warnings = @()
$module.Result.exchange_server = $null
$module.Result.component_states = @()
$module.Result.service_health = @()
$module.Result.errors = @()

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

if ($shell.loaded) {
    $identity = $env:COMPUTERNAME
    try {
        $server = Get-ExchangeServer -Identity $identity -ErrorAction Stop
        $module.Result.exchange_server = @{
            name = [string]$server.Name
            fqdn = [string]$server.Fqdn
            admin_display_version = [string]$server.AdminDisplayVersion
            edition = [string]$server.Edition
            is_trial = [bool]$server.IsExchangeTrialEdition
            server_role = [string]$server.ServerRole
        }
    }
    catch { $module.Result.errors += @{ source = 'Get-ExchangeServer'; message = Get-ErrorText -Record $_ } }

    try {
        $module.Result.component_states = @(
            Get-ServerComponentState -Identity $identity -ErrorAction Stop | ForEach-Object {
                # LocalStates/RemoteStates hold who set each state (Maintenance, Functional, Deployment...).
                $entries = @(@($_.LocalStates) + @($_.RemoteStates) | Where-Object { $null -ne $_ } | ForEach-Object {
                        if ($_.PSObject.Properties['Requester']) { @{ requester = [string]$_.Requester; state = [string]$_.State } }
                        else { @{ requester = [string]$_; state = $null } }
                    })
                @{ component = [string]$_.Component; state = [string]$_.State; requesters = $entries }
            }
        )
    }
    catch { $module.Result.errors += @{ source = 'Get-ServerComponentState'; message = Get-ErrorText -Record $_ } }

    try {
        $module.Result.service_health = @(
            Test-ServiceHealth -Server $identity -ErrorAction Stop | ForEach-Object {
                @{
                    role = [string]$_.Role
                    required_services_running = [bool]$_.RequiredServicesRunning
                    services_not_running = @($_.ServicesNotRunning | ForEach-Object { [string]$_ })
                }
            }
        )
    }
    catch { $module.Result.errors += @{ source = 'Test-ServiceHealth'; message = Get-ErrorText -Record $_ } }
}

$module.ExitJson()
