#!powershell

# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

#AnsibleRequires -CSharpUtil Ansible.Basic

# The run lock's file, and nothing else. Creating it is atomic (FileMode.CreateNew fails when it
# exists), so two runs can never both hold it. The module writes the record the controller built
# and reports what it found; whether a lock found is left behind, and may be taken over, is the
# controller's decision (plugins/plugin_utils/run_lock.py), passed back here as replace_run_id.

$spec = @{
    options = @{
        path = @{ type = 'path'; default = '%ProgramData%\RPI\rpi-exchange\run.lock' }
        state = @{ type = 'str'; default = 'inspected'; choices = @('acquired', 'released', 'inspected') }
        record = @{ type = 'str' }
        run_id = @{ type = 'str' }
        replace_run_id = @{ type = 'str' }
    }
    required_if = @(
        , @('state', 'acquired', @('record', 'run_id'))
        , @('state', 'released', @('run_id'))
    )
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)
$path = $module.Params.path
$state = $module.Params.state
$utf8 = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false

Function Read-LockText {
    # The lock file's text, or $null when there is none.
    try {
        return [System.IO.File]::ReadAllText($path, $utf8)
    }
    catch [System.IO.FileNotFoundException], [System.IO.DirectoryNotFoundException] {
        return $null
    }
}

Function Get-LockRunId {
    param([String]$Text)
    try {
        return [String](ConvertFrom-Json -InputObject $Text).run_id
    }
    catch {
        return 'desconocido'
    }
}

Function Write-Stream {
    param([System.IO.FileStream]$Stream, [String]$Text)
    $bytes = $utf8.GetBytes($Text)
    $Stream.SetLength(0)
    $Stream.Write($bytes, 0, $bytes.Length)
    $Stream.Flush()
}

$module.Result.changed = $false
$module.Result.acquired = $false
$module.Result.released = $false
$module.Result.path = $path
$module.Result.holder = Read-LockText

if ($state -eq 'acquired') {
    if ($null -ne $module.Result.holder -and (Get-LockRunId -Text $module.Result.holder) -eq $module.Params.run_id) {
        # Already this run's lock (activity 1 run again with --tags): nothing to do.
        $module.Result.acquired = $true
    }
    elseif ($module.CheckMode) {
        # Check mode reads only; the controller says what a real run would do.
    }
    elseif ($null -eq $module.Params.replace_run_id) {
        $folder = [System.IO.Path]::GetDirectoryName($path)
        if (-not [System.IO.Directory]::Exists($folder)) {
            [void][System.IO.Directory]::CreateDirectory($folder)
        }
        try {
            $stream = [System.IO.File]::Open($path, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
            try {
                Write-Stream -Stream $stream -Text $module.Params.record
            }
            finally {
                $stream.Dispose()
            }
            $module.Result.acquired = $true
            $module.Result.changed = $true
            $module.Result.holder = $null
        }
        catch [System.IO.IOException] {
            # Another run created it since it was read: report that run.
            $module.Result.holder = Read-LockText
        }
    }
    else {
        # Take over the lock the controller judged left behind, only if it is still that one.
        try {
            $stream = [System.IO.File]::Open($path, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
            try {
                $reader = New-Object -TypeName System.IO.StreamReader -ArgumentList $stream, $utf8, $false, 4096, $true
                $current = $reader.ReadToEnd()
                $reader.Dispose()
                if ($current -eq '' -or (Get-LockRunId -Text $current) -eq $module.Params.replace_run_id) {
                    Write-Stream -Stream $stream -Text $module.Params.record
                    $module.Result.acquired = $true
                    $module.Result.changed = $true
                }
                $module.Result.holder = $(if ($current -eq '') { $null } else { $current })
            }
            finally {
                $stream.Dispose()
            }
        }
        catch [System.IO.IOException] {
            # Held open by another run taking it over at this very moment.
            $module.Result.holder = Read-LockText
        }
    }
}
elseif ($state -eq 'released') {
    if ($null -ne $module.Result.holder -and (Get-LockRunId -Text $module.Result.holder) -eq $module.Params.run_id) {
        if (-not $module.CheckMode) {
            Remove-Item -LiteralPath $path -Force
            # The lock's folder and its parent exist only for the lock: remove them when empty, so a run
            # refused before any change leaves the server exactly as it found it.
            $folder = [System.IO.Path]::GetDirectoryName($path)
            foreach ($candidate in @($folder, [System.IO.Path]::GetDirectoryName($folder))) {
                $is_root = $candidate -eq [System.IO.Path]::GetPathRoot($candidate)
                if (-not $is_root -and [System.IO.Directory]::Exists($candidate) -and -not (Get-ChildItem -LiteralPath $candidate -Force | Select-Object -First 1)) {
                    Remove-Item -LiteralPath $candidate -Force
                }
                else {
                    break
                }
            }
        }
        $module.Result.released = $true
        $module.Result.changed = $true
    }
}

$module.ExitJson()
