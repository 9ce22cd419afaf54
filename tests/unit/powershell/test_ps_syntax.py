"""The collection's PowerShell parses, and uses nothing Windows PowerShell 5.1 lacks (see ps_syntax.py).

Each rule is shown to fire on a small snippet, and not on the same text inside a comment or a
string; the last tests run the check over the collection's real .ps1 files.
"""

from __future__ import annotations

import pytest

# The only reason to skip: the grammar is not installed (requirements-dev.txt has it, `make test` installs it).
pytest.importorskip("tree_sitter", reason="tree-sitter (requirements-dev.txt) is not installed: run `make test` to install the dev tool chain")
pytest.importorskip("tree_sitter_powershell",
                    reason="tree-sitter-powershell (requirements-dev.txt) is not installed: run `make test` to install the dev tool chain")

from unit.powershell import ps_syntax  # noqa: E402  pylint: disable=wrong-import-position

# (rule, a snippet that uses the feature). Each parses as PowerShell 7.
FEATURES = [
    ("null-coalescing", "$name = $env:USERNAME ?? 'unknown'"),
    ("null-coalescing-assignment", "$cache ??= @{}"),
    ("null-conditional", "$started = ${process}?.StartTime"),
    ("null-conditional", "$first = ${items}?[0]"),
    ("ternary", "$label = $count -gt 0 ? 'found' : 'empty'"),
    ("pipeline-chain", "Test-Path $path && Write-Output 'exists'"),
    ("pipeline-chain", "Test-Path $path || Write-Output 'missing'"),
    ("background-operator", "$job = Get-Process -Name pwsh &"),
    ("background-operator", "Get-Process -Name pwsh & Receive-Job $job -Wait"),
    ("new-parameter", "$items | ForEach-Object -Parallel { $_ }"),
    ("new-parameter", "$items | % -Parallel { $_ }"),
    ("new-parameter", "$items | foreach -Parallel { $_ }"),
    ("new-parameter", "$data = $text | ConvertFrom-Json -AsHashtable"),
    ("new-parameter", "$text = ConvertTo-Json -InputObject $items -AsArray"),
    ("new-parameter", "Invoke-RestMethod -Uri $uri -SkipCertificateCheck"),
    ("new-parameter", "$bytes = Get-Content -Path $file -AsByteStream"),
    ("new-cmdlet", "$list = $items | Join-String -Separator ', '"),
    ("new-cmdlet", "Test-Json -Json $text"),
    ("new-cmdlet", "Get-Error"),
    ("new-variable", "if ($IsWindows) { 'windows' }"),
    ("new-variable", "if ($IsLinux) { 'linux' }"),
    ("clean-block", "function Use-File {\n    process { 'work' }\n    clean { 'tidy' }\n}"),
    ("replace-scriptblock", r"$text = $text -replace '\d+', { [int]$_.Value + 1 }"),
    ("unicode-escape", '$arrow = "up and down: `u{2195}"'),
    ("new-encoding", "Set-Content -Path $file -Value $text -Encoding utf8NoBOM"),
]
FEATURE_IDS = [f"{rule}:{snippet.splitlines()[0]}" for rule, snippet in FEATURES]

# Rules whose feature is evaluated inside a double-quoted string, so there it is real use, not a look-alike.
EVALUATED_IN_DOUBLE_QUOTES = {"new-variable", "unicode-escape"}


def rules(source: str) -> list[str]:
    return [finding.rule for finding in ps_syntax.check_source(source)]


def look_alikes(snippet: str) -> dict[str, str]:
    """The snippet's characters where they are text, not code."""
    lines = snippet.splitlines()
    # A statement after the comments: the grammar rejects a script made of comments only.
    return {
        "line comment": "\n".join(f"# {line}" for line in lines) + "\n$done = $true",
        "block comment": f"<#\n{snippet}\n#>\n$done = $true",
        "single-quoted string": "$note = '" + snippet.replace("'", "''") + "'",
        "verbatim here-string": f"$note = @'\n{snippet}\n'@",
        "argument in single quotes": "Write-Output '" + snippet.replace("'", "''") + "'",
    }


@pytest.mark.parametrize(("rule", "snippet"), FEATURES, ids=FEATURE_IDS)
def test_rule_fires_on_the_feature(rule, snippet):
    found = rules(snippet)
    assert rule in found, f"{rule} did not fire on {snippet!r}: {found}"
    # The grammar's ERROR for the feature is reported as the feature, not as a bare parse error.
    assert "parse-error" not in found


@pytest.mark.parametrize(("rule", "snippet"), FEATURES, ids=FEATURE_IDS)
def test_rule_ignores_the_same_text_in_comments_and_strings(rule, snippet):
    for where, source in look_alikes(snippet).items():
        assert ps_syntax.check_source(source) == [], f"{rule} fired in a {where}: {source!r}"


@pytest.mark.parametrize(("rule", "snippet"), FEATURES, ids=FEATURE_IDS)
def test_double_quoted_here_string_counts_only_what_it_evaluates(rule, snippet):
    found = rules(f'$note = @"\n{snippet}\n"@')
    if rule in EVALUATED_IN_DOUBLE_QUOTES:
        assert rule in found  # "$IsWindows" and "`u{2195}" are evaluated in a double-quoted string
    else:
        assert found == []


def test_every_rule_has_an_example():
    documented = {rule[0] for rule in ps_syntax.OPERATOR_RULES.values()}
    documented |= {ps_syntax.CLEAN_BLOCK_RULE[0], ps_syntax.REPLACE_SCRIPTBLOCK_RULE[0], ps_syntax.UNICODE_ESCAPE_RULE[0]}
    documented |= {"new-cmdlet", "new-parameter", "new-variable", "new-encoding"}
    assert documented == {feature[0] for feature in FEATURES}


def test_finding_gives_file_line_column_and_the_source_line():
    source = "# Dates\n$when = (Get-Date).ToString('o')\n$zone = $settings.TimeZone ?? 'UTC'\n"
    [finding] = ps_syntax.check_source(source, "plugins/modules/example.ps1")
    assert (finding.path, finding.line, finding.column, finding.rule) == ("plugins/modules/example.ps1", 3, 28, "null-coalescing")
    assert str(finding).startswith("plugins/modules/example.ps1:3:28: [null-coalescing] the null-coalescing operator `??` needs PowerShell 7.0+")
    assert str(finding).endswith("\n    $zone = $settings.TimeZone ?? 'UTC'")


def test_related_operators_are_told_apart():
    assert rules("$a ??= 1\n$b = $c ?? 2\n$d = ${e}?.Name\n$f = ${g}?[1]\n$h = $i ? 3 : 4") == [
        "null-coalescing-assignment", "null-coalescing", "null-conditional", "null-conditional", "ternary"]


def test_aliases_module_qualified_names_and_colon_arguments_count():
    assert rules("gc -Path $file -AsByteStream") == ["new-parameter"]
    assert rules("Microsoft.PowerShell.Core\\ForEach-Object -Parallel:$true { $_ }") == ["new-parameter"]
    assert rules("Microsoft.PowerShell.Utility\\Join-String -InputObject $items") == ["new-cmdlet"]
    assert rules("Out-File -FilePath $file -Encoding:'utf8BOM'") == ["new-encoding"]


def test_clean_as_the_only_block_counts_too():
    # Alone in a function body, 7.3 reads a clean block; 5.1 would call a command named `clean`.
    assert rules("function Use-File {\n    clean { 'tidy' }\n}") == ["clean-block"]


def test_windows_powershell_51_code_has_no_finding():
    source = r"""
$services = Get-Service | ? { $_.Status -eq 'Running' } | Where-Object Name -like 'MSExchange?*'
$ok = $?
Get-ChildItem -Path C:\Temp\log?.txt | Sort-Object -Property LastWriteTime -Descending | Select-Object -First 1
$json = ConvertTo-Json -InputObject @($services) -Depth 5 -Compress
$text = Get-Content -LiteralPath $path -Raw -Encoding UTF8
$upper = [regex]::Replace($text, '\w+', { param($match) $match.Value.ToUpper() })
$kind = switch ($value) {
    'a' { 'first' }
    default { 'other' }
}
$fallback = if ($null -ne $setting) { $setting } else { 'UTC' }
$note = "not an operator here: a ?? b, a ? b : c, $($kind)?.x, cmd && cmd, `$IsWindows"
$fast = $items | ForEach-Object { $_ } | Sort-Object
try { Start-Job -ScriptBlock { Get-Process } | Out-Null } finally { Remove-Variable -Name kind }
"""
    assert ps_syntax.check_source(source) == []


def test_parse_error_is_reported_with_its_place():
    source = "function Get-Thing {\n    if ($ready) {\n        'ready'\n}\n"
    findings = ps_syntax.check_source(source, "broken.ps1")
    assert [finding.rule for finding in findings] == ["parse-error"]
    # The grammar notices the missing `}` where the file ends, after the last one.
    assert str(findings[0]).startswith("broken.ps1:4:2: [parse-error] syntax error: `}` is missing here")


def test_unparsable_statement_is_reported_as_parse_error():
    [finding] = ps_syntax.check_source("$ok = 1\n$sum = (1 + * 2)\n")
    assert (finding.rule, finding.line) == ("parse-error", 2)
    assert "cannot parse" in finding.message


def test_inline_default_is_reported_as_the_known_grammar_bug_with_its_fix():
    # The volume switch of win_exchange_probe.ps1 as it was: valid PowerShell that the grammar rejects.
    source = ("$type = switch ([int]$_.DriveType) { 2 { 'Removable' } 3 { 'Fixed' } 4 { 'Network' } 5 { 'CDROM' } "
              "6 { 'RAMDisk' } default { 'Unknown' } }\n")
    [finding] = ps_syntax.check_source(source)
    assert (finding.rule, finding.line, finding.column) == ("grammar-inline-default", 1, 116)
    assert "known grammar bug" in finding.message and "write the `default` clause on its own line" in finding.message


def test_default_on_its_own_line_parses():
    assert ps_syntax.check_source("$type = switch ($code) { 2 { 'Removable' } 3 { 'Fixed' }\n    default { 'Unknown' }\n}\n") == []


def test_bare_word_list_argument_is_reported_as_a_grammar_gap_with_its_fix():
    [finding] = ps_syntax.check_source("$rows = $items | Select-Object -Property Name, Id\n")
    assert finding.rule == "grammar-bare-word-list"
    assert "quote the words" in finding.message
    assert ps_syntax.check_source("$rows = $items | Select-Object -Property 'Name', 'Id'\n") == []


def test_file_with_bom_crlf_and_accents_counts_columns_in_characters(tmp_path):
    script = tmp_path / "accents.ps1"
    script.write_bytes("\ufeff# Configuración\r\n$bird = 'ñandú' ?? 1\r\n".encode("utf-8"))
    [finding] = ps_syntax.check_file(script, root=tmp_path)
    assert (finding.path, finding.line, finding.column) == ("accents.ps1", 2, 17)
    assert finding.source_line == "$bird = 'ñandú' ?? 1"


def test_collection_powershell_files_are_found():
    found = [path.relative_to(ps_syntax.ROOT).as_posix() for path in ps_syntax.collection_powershell_files()]
    assert "plugins/modules/win_exchange_probe.ps1" in found
    assert all(path.endswith((".ps1", ".psm1")) for path in found)


def test_collection_powershell_parses_and_needs_only_windows_powershell_51():
    findings = [finding for path in ps_syntax.collection_powershell_files() for finding in ps_syntax.check_file(path)]
    assert not findings, "PowerShell that Windows PowerShell 5.1 cannot run, or that the grammar cannot parse:\n" + "\n".join(map(str, findings))
