"""Checks PowerShell source for what Windows PowerShell 5.1 cannot run, without pwsh.

The Exchange servers run Windows PowerShell 5.1, and we have no PowerShell here to try our
modules. So every .ps1 of the collection is parsed with a real PowerShell grammar
(tree-sitter-powershell), and two kinds of finding come out of its syntax tree:

- parse errors: any ERROR or MISSING node. The grammar is not perfect; where a known grammar gap
  explains the error (a `default` switch clause on the line of another clause, a list of bare words
  as a command argument) the finding says so and how to write it so that the grammar parses it.
- features that only PowerShell 6 or 7 have (operators, cmdlets, parameters, automatic variables,
  escapes). They are found in the tree, not in the raw text, so the same characters inside a
  string, a here-string or a comment do not count.

The grammar parses PowerShell 7, but not all of it: `??`, `?.`, `?[` and the ternary `? :` come out
as ERROR leaves holding `?` or `??`, and a background `&` as an `&` token inside an ERROR. Those
errors are reported as the feature they are, not as a generic parse error.

Use: `check_source(text)` or `check_file(path)` return a list of `Finding`;
`python tests/unit/powershell/ps_syntax.py FILE...` prints them (exit status 1 when any).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tree_sitter_powershell
from tree_sitter import Language, Node, Parser

ROOT = Path(__file__).resolve().parents[3]

# Where the collection keeps PowerShell: its modules, its PowerShell module utils (Ansible's are
# .psm1) and any script an integration target runs.
POWERSHELL_GLOBS = (
    "plugins/modules/*.ps1",
    "plugins/module_utils/**/*.ps1",
    "plugins/module_utils/**/*.psm1",
    "tests/integration/targets/**/*.ps1",
    "tests/integration/targets/**/*.psm1",
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    rule: str
    message: str
    source_line: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: [{self.rule}] {self.message}\n    {self.source_line.strip()}"


# --- The rules: what Windows PowerShell 5.1 lacks --------------------------------------------------
# Each entry: (rule name, what it is, first PowerShell with it, what to write for 5.1 instead).
# Sources are Microsoft Learn pages; "Differences" is "Differences between Windows PowerShell 5.1 and
# PowerShell 7.x" (learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell).

OPERATOR_RULES = {
    # about_Operators, "Null-coalescing operator ??"; What's New in PowerShell 7.0, "New operators".
    "??": ("null-coalescing", "the null-coalescing operator `??`", "7.0",
           "write `if ($null -ne $a) { $a } else { $b }`"),
    # about_Operators, "Null-coalescing assignment operator ??="; What's New in PowerShell 7.0.
    "??=": ("null-coalescing-assignment", "the null-coalescing assignment `??=`", "7.0",
            "write `if ($null -eq $a) { $a = $b }`"),
    # about_Operators, "Null-conditional operators ?. and ?[]" (experimental in 7.0, mainstream in 7.1).
    "?.": ("null-conditional", "the null-conditional member access `?.`", "7.1",
           "test for `$null` first: `if ($null -ne $a) { $a.Name }`"),
    "?[": ("null-conditional", "the null-conditional element access `?[]`", "7.1",
           "test for `$null` first: `if ($null -ne $a) { $a[0] }`"),
    # about_Operators, "Ternary operator ? <if-true> : <if-false>"; What's New in PowerShell 7.0, "New operators".
    "?": ("ternary", "the ternary operator `? :`", "7.0",
          "write `if ($c) { $a } else { $b }` (as an expression: `$x = if ($c) { $a } else { $b }`)"),
    # about_Pipeline_Chain_Operators: "Beginning in PowerShell 7, PowerShell implements the && and || operators".
    "&&": ("pipeline-chain", "the pipeline chain operator `&&`", "7.0", "write `cmd1; if ($?) { cmd2 }`"),
    "||": ("pipeline-chain", "the pipeline chain operator `||`", "7.0", "write `cmd1; if (-not $?) { cmd2 }`"),
    # about_Operators, "Background operator &"; Differences, "Added & operator for job control" (6.0).
    "&": ("background-operator", "the background operator `&` at the end of a pipeline", "6.0",
          "use `Start-Job -ScriptBlock { ... }`"),
}

# about_Functions_Advanced_Methods: "The clean block was added in PowerShell 7.3".
CLEAN_BLOCK_RULE = ("clean-block", "a `clean` block", "7.3",
                    "put the clean-up in `try { ... } finally { ... }` (in 5.1 `clean { }` calls a command named clean)")

# about_Comparison_Operators, "Replacement with a scriptblock": "In PowerShell 6 and later".
REPLACE_SCRIPTBLOCK_RULE = ("replace-scriptblock", "`-replace` with a script block as the replacement", "6.0",
                            "use `[regex]::Replace($text, $pattern, { param($match) ... })`; 5.1 inserts the block's text")

# Differences, "Implement Unicode escape parsing"; about_Special_Characters, "Unicode character (`u{x})".
UNICODE_ESCAPE_RULE = ("unicode-escape", "the Unicode escape `` `u{...} `` in a double-quoted string", "6.0",
                       "use `[char]0x2195` (or `[char]::ConvertFromUtf32(0x1F600)`); 5.1 reads `` `u `` as a plain `u`")

# about_Automatic_Variables (7.x); absent from its 5.1 edition, where they are just $null.
# $PSStyle: about_ANSI_Terminals, "PowerShell 7.2 added a new automatic variable, $PSStyle".
AUTOMATIC_VARIABLES = {
    "iswindows": "6.0", "islinux": "6.0", "ismacos": "6.0", "iscoreclr": "6.0", "psstyle": "7.2",
}
AUTOMATIC_VARIABLE_FIX = "5.1 runs on Windows only: drop the test, or use `$PSVersionTable.PSEdition` / `[Environment]::OSVersion`"

# "Release history of modules and cmdlets" (learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions):
# not in the 5.1 column; versions from each cmdlet's page ("This cmdlet was introduced in PowerShell 6.x").
NEW_CMDLETS = {
    "join-string": "6.2", "test-json": "6.1", "get-error": "7.0", "get-uptime": "6.0", "remove-alias": "6.0",
    "remove-service": "6.0", "convertfrom-markdown": "6.1", "show-markdown": "6.1", "get-markdownoption": "6.1",
    "set-markdownoption": "6.1", "get-experimentalfeature": "6.2", "enable-experimentalfeature": "6.2",
    "disable-experimentalfeature": "6.2", "convertto-clixml": "7.5", "convertfrom-clixml": "7.5",
}

# Parameters the 7.x reference page of a cmdlet documents and its 5.1 page does not. Versions from the
# parameter's "This parameter was introduced in PowerShell X" note, "6+"/"7+" where the page gives none.
# ForEach-Object -Parallel: What's New in PowerShell 7.0; Where-Object -Not: What's New in PowerShell 6.1.
# Only full parameter names are matched (an abbreviation could also abbreviate a 5.1 parameter).
_WEB_PARAMETERS = {
    "skipcertificatecheck": "6.0", "skiphttperrorcheck": "7.0", "skipheadervalidation": "6.0", "authentication": "6.0",
    "token": "6.0", "form": "6.1", "resume": "6.1", "sslprotocol": "6.0", "noproxy": "6.0", "maximumretrycount": "6+",
    "retryintervalsec": "6+", "allowunencryptedauthentication": "6.0", "preserveauthorizationonredirect": "6.0",
    "custommethod": "6.0", "httpversion": "7.3", "allowinsecureredirect": "7.4", "preservehttpmethodonredirect": "7.4",
    "unixsocket": "7.4",
}
_REMOTING_PARAMETERS = {"hostname": "6.0", "sshtransport": "6.0", "keyfilepath": "6.0", "username": "6.0", "sshconnection": "6.0"}
_CSV_PARAMETERS = {"usequotes": "7.0", "quotefields": "7.0", "includetypeinformation": "6.0", "noheader": "7.4"}
NEW_PARAMETERS = {
    "foreach-object": {"parallel": "7.0"},
    "where-object": {"not": "6.1"},
    "convertfrom-json": {"ashashtable": "6.0", "depth": "6.2", "noenumerate": "7+", "datekind": "7.5"},
    "convertto-json": {"asarray": "6+", "enumsasstrings": "6+", "escapehandling": "6.2"},
    "invoke-webrequest": _WEB_PARAMETERS,
    "invoke-restmethod": {**_WEB_PARAMETERS, "statuscodevariable": "7.0", "responseheadersvariable": "6.0", "followrellink": "6.0"},
    "get-content": {"asbytestream": "6.0"},
    "set-content": {"asbytestream": "6.0"},
    "add-content": {"asbytestream": "6.0"},
    "split-path": {"leafbase": "6.0", "extension": "6.0"},
    "join-path": {"additionalchildpath": "6.0"},
    "resolve-path": {"relativebasepath": "7.4"},
    "get-date": {"asutc": "7.1", "unixtimeseconds": "7.1"},
    "select-string": {"raw": "7.0", "noemphasis": "7.0", "culture": "7.0"},
    "sort-object": {"top": "6.0", "bottom": "6.0"},
    "out-string": {"nonewline": "6.0"},
    "start-process": {"environment": "7.4"},
    "export-csv": _CSV_PARAMETERS,
    "convertto-csv": _CSV_PARAMETERS,
    "test-connection": {"targetname": "6+", "timeoutseconds": "6.0", "detailed": "7.4"},
    "start-sleep": {"duration": "7.3"},
    "get-random": {"shuffle": "7+"},
    "import-module": {"usewindowspowershell": "7.0"},
    "read-host": {"maskinput": "7.1"},
    "set-service": {"credential": "6.0"},
    "invoke-command": _REMOTING_PARAMETERS,
    "new-pssession": _REMOTING_PARAMETERS,
    "enter-pssession": _REMOTING_PARAMETERS,
}

# What to write instead, for the parameters one is most tempted to use; the others have no 5.1 equivalent.
PARAMETER_FIXES = {
    "parallel": "use a plain `ForEach-Object { ... }` (or jobs)",
    "ashashtable": "read the object's properties (`$object.PSObject.Properties`) into a hashtable",
    "asarray": "pass the array itself: `ConvertTo-Json -InputObject @($items)`",
    "asbytestream": "use `-Encoding Byte`, or `[System.IO.File]::ReadAllBytes()`",
    "skipcertificatecheck": "do not skip it: the server's certificate must be trusted",
    "leafbase": "use `[System.IO.Path]::GetFileNameWithoutExtension()`",
    "extension": "use `[System.IO.Path]::GetExtension()`",
}
PARAMETER_FIX = "do without it (the cmdlet's 5.1 reference lists what 5.1 has)"

# Windows PowerShell 5.1's built-in aliases of the cmdlets above (Get-Alias on 5.1), so that
# `gc -AsByteStream` or `% -Parallel` count too.
ALIASES = {
    "%": "foreach-object", "foreach": "foreach-object", "?": "where-object", "where": "where-object",
    "gc": "get-content", "cat": "get-content", "type": "get-content", "sc": "set-content", "ac": "add-content",
    "sort": "sort-object", "sls": "select-string", "iwr": "invoke-webrequest", "curl": "invoke-webrequest",
    "wget": "invoke-webrequest", "irm": "invoke-restmethod", "sleep": "start-sleep", "ipmo": "import-module",
    "saps": "start-process", "start": "start-process", "epcsv": "export-csv", "icm": "invoke-command",
    "nsn": "new-pssession", "etsn": "enter-pssession",
}

# about_Character_Encoding (7.x): utf8BOM and utf8NoBOM (6.0), ansi (7.4), code page numbers (6.2).
# 5.1's -Encoding takes only its FileSystemCmdletProviderEncoding names (UTF8 writes a BOM there).
NEW_ENCODINGS = {"utf8bom": "6.0", "utf8nobom": "6.0", "ansi": "7.4"}
ENCODING_FIX = "use a 5.1 encoding name (UTF8, Unicode, ASCII, Default, ...), or write through [System.IO.File] with a [System.Text.UTF8Encoding]"

# The grammar bug (tree-sitter-powershell 0.25/0.26): `switch ($x) { 1 { 'a' } default { 'b' } }` is valid
# PowerShell, but the grammar accepts `default` only as the first clause on its line.
INLINE_DEFAULT_MESSAGE = ("tree-sitter-powershell rejects a `default` switch clause on the same line as another clause "
                          "(a known grammar bug: PowerShell accepts it); write the `default` clause on its own line")
# Another grammar gap: a list of bare words as a command argument, `Select-Object -Property Name, Id`.
BARE_WORD_LIST_MESSAGE = ("tree-sitter-powershell cannot parse a list of bare words as a command argument (a grammar gap: "
                          "PowerShell accepts it); quote the words: `-Property 'Name', 'Id'`")
PARSE_ERROR_HINT = "a real error, or a form the grammar lacks: if Windows PowerShell 5.1 accepts it, write it another way"

_BACKTICK_UNICODE = re.compile(rb"`(?:`|u\{)")
_STRING_NODES = {"expandable_string_literal", "expandable_here_string_literal"}


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(Language(tree_sitter_powershell.language()))


def check_file(path: Path, root: Path = ROOT) -> list[Finding]:
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return check_source(path.read_bytes(), str(shown))


def check_source(source: bytes | str, path: str = "<snippet>") -> list[Finding]:
    if isinstance(source, str):
        source = source.encode("utf-8")
    return _Checker(source, path).run()


def collection_powershell_files(root: Path = ROOT) -> list[Path]:
    return sorted({file for pattern in POWERSHELL_GLOBS for file in root.glob(pattern) if file.is_file()})


def _walk(node: Node) -> Iterator[Node]:
    # Iterative: nested script blocks make the tree deep (each expression is ~15 wrapper nodes).
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _unwrap(node: Node) -> Node:
    """The expression itself, under the grammar's chain of one-child precedence nodes."""
    while node.named_child_count == 1 and node.child_count == 1:
        node = node.named_children[0]
    return node


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _ends_with_bare_word(node: Node | None) -> bool:
    """True if the node's last token is a bare word (a generic token), as in `-Property Name`."""
    while node is not None and node.type != "generic_token" and node.child_count:
        node = node.children[-1]
    return node is not None and node.type == "generic_token"


def _background_operator_after(error: Node) -> Node | None:
    """`$job = Get-Job & Receive-Job $job`: the grammar fails on `Get-Job` and reads `& Receive-Job` as a call."""
    following = error.next_sibling
    while following is not None and following.type != "command" and following.child_count:
        following = following.children[0]
    if error.children and error.children[-1].type == "command" and following is not None and following.type == "command":
        operator = following.children[0]
        return operator if operator.type == "command_invokation_operator" else None
    return None


def _token_offset(node: Node) -> int:
    """Where the token starts: the grammar puts the blanks before a token into its ERROR nodes."""
    return node.start_byte + len(node.text) - len(node.text.lstrip())


def _feature_message(feature: str, since: str, fix: str) -> str:
    since = since if since.endswith("+") else since + "+"
    return f"{feature} needs PowerShell {since}; Windows PowerShell 5.1 lacks it: {fix}"


class _Checker:
    def __init__(self, source: bytes, path: str):
        self.source = source
        self.path = path
        self.lines = source.split(b"\n")
        self.findings: dict[tuple[int, str], Finding] = {}

    def run(self) -> list[Finding]:
        tree = _parser().parse(self.source)
        explained_errors: list[Node] = []
        for node in _walk(tree.root_node):
            if node.type == "ERROR":
                if self._check_error(node):
                    explained_errors.append(node)
            elif node.is_missing:
                self._check_missing(node)
            elif node.type == "pipeline_chain_tail":
                self._check_pipeline_chain(node)
            elif node.type == "command":
                self._check_command(node)
            elif node.type in ("variable", "braced_variable"):
                self._check_variable(node)
            elif node.type == "comparison_operator":
                self._check_replace(node)
            elif node.type in _STRING_NODES:
                self._check_unicode_escapes(node)
        self._report_unexplained_errors(tree.root_node, explained_errors)
        return sorted(self.findings.values(), key=lambda finding: (finding.line, finding.column, finding.rule))

    def _add(self, offset: int, rule: str, message: str) -> None:
        line_index = self.source.count(b"\n", 0, offset)
        line_start = self.source.rfind(b"\n", 0, offset) + 1
        column = len(self.source[line_start:offset].decode("utf-8", "replace")) + 1
        line_text = self.lines[line_index].decode("utf-8", "replace").rstrip("\r")
        self.findings.setdefault((offset, rule), Finding(self.path, line_index + 1, column, rule, message, line_text))

    def _add_feature(self, offset: int, rule: tuple[str, str, str, str]) -> None:
        name, feature, since, fix = rule
        self._add(offset, name, _feature_message(feature, since, fix))

    # --- ERROR and MISSING nodes ---

    def _check_error(self, error: Node) -> bool:
        """Reports what PowerShell 7 feature or known grammar bug this ERROR node holds; True if any."""
        explained = False
        if error.child_count == 0:
            explained = self._check_question_mark(error)
        background = _background_operator_after(error)
        if background is not None:
            self._add_feature(background.start_byte, OPERATOR_RULES["&"])
            explained = True
        for child in error.children:
            word = _text(child).strip().lower()
            if child.type == "&" and self._ends_statement(child):
                self._add_feature(child.start_byte, OPERATOR_RULES["&"])
                explained = True
            elif child.type == "simple_name" and word == "default" and error.parent is not None and error.parent.type == "switch_clause":
                # The grammar ends the previous clause's block inside this ERROR and reads `default` as a bare word.
                self._add(_token_offset(child), "grammar-inline-default", INLINE_DEFAULT_MESSAGE)
                explained = True
            elif child.type == "," and _ends_with_bare_word(child.prev_sibling):
                self._add(child.start_byte, "grammar-bare-word-list", BARE_WORD_LIST_MESSAGE)
                explained = True
            elif child.type == "simple_name" and word == "clean" and any(sibling.type == "named_block" for sibling in error.children):
                # `process { } clean { }`: the grammar knows begin/process/end only.
                self._add_feature(_token_offset(child), CLEAN_BLOCK_RULE)
                explained = True
        return explained

    def _ends_statement(self, token: Node) -> bool:
        """True if only a statement end follows the token on its line: `&` there runs the pipeline as a job."""
        rest = self.source[token.end_byte:].split(b"\n", 1)[0].strip()
        return not rest or rest.startswith((b";", b"#", b")", b"}"))

    def _check_question_mark(self, leaf: Node) -> bool:
        """An ERROR leaf `?` or `??`: the grammar lacks ternary, null-coalescing and null-conditional."""
        operator = _text(leaf).strip()
        if operator not in ("?", "??"):
            return False
        offset = _token_offset(leaf)
        following = self.source[leaf.end_byte:leaf.end_byte + 1].decode("ascii", "replace")
        if operator == "??":
            self._add_feature(offset, OPERATOR_RULES["??=" if following == "=" else "??"])
        elif following in (".", "["):
            self._add_feature(offset, OPERATOR_RULES["?" + following])
        else:
            self._add_feature(offset, OPERATOR_RULES["?"])
        return True

    def _check_missing(self, node: Node) -> None:
        # `Get-Job & Receive-Job $job`: the grammar reads the second command as `& Receive-Job` and
        # invents a missing `&&` before it; that `&` is the background operator.
        if node.type == "&&" and node.parent is not None and node.parent.type == "pipeline_chain_tail":
            self._add_feature(node.start_byte, OPERATOR_RULES["&"])
            return
        # `Write-Output a,b`: the grammar wants a blank between `a` and `,b`.
        following = (node.parent if node.parent is not None and node.parent.type == "command_argument_sep" else node).next_sibling
        if node.type == " " and following is not None and following.type == "generic_token" and _text(following).startswith(","):
            self._add(following.start_byte, "grammar-bare-word-list", BARE_WORD_LIST_MESSAGE)
            return
        self._add(node.start_byte, "parse-error", f"syntax error: `{node.type}` is missing here ({PARSE_ERROR_HINT})")

    def _report_unexplained_errors(self, root: Node, explained: list[Node]) -> None:
        """Each outermost ERROR that no finding explains is a plain parse error."""
        explained_spans = [(node.start_byte, node.end_byte) for node in explained]
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type != "ERROR":
                stack.extend(node.children)
                continue
            if any(node.start_byte <= start and end <= node.end_byte for start, end in explained_spans):
                continue
            snippet = " ".join(_text(node).split())
            snippet = snippet if len(snippet) <= 60 else snippet[:57] + "..."
            self._add(node.start_byte, "parse-error", f"syntax error: the grammar cannot parse `{snippet}` ({PARSE_ERROR_HINT})")

    # --- the rest of the tree ---

    def _check_pipeline_chain(self, tail: Node) -> None:
        for child in tail.children:
            if child.type in ("&&", "||") and not child.is_missing:
                self._add_feature(child.start_byte, OPERATOR_RULES[child.type])

    def _check_command(self, command: Node) -> None:
        name_node = next((child for child in command.children if child.type == "command_name"), None)
        if name_node is None:
            return  # `& $block` or `& 'name'`: the name is not known here
        name = _text(name_node).rsplit("\\", 1)[-1].lower()  # Microsoft.PowerShell.Utility\Join-String
        name = ALIASES.get(name, name)
        if name in NEW_CMDLETS:
            self._add(name_node.start_byte, "new-cmdlet",
                      _feature_message(f"`{_text(name_node)}`", NEW_CMDLETS[name], "write it with 5.1 cmdlets or .NET"))
        elements = next((child for child in command.children if child.type == "command_elements"), None)
        if elements is None:
            return
        arguments = [child for child in elements.children if child.type != "command_argument_sep"]
        if name == "clean" and len(arguments) == 1 and _unwrap(arguments[0]).type == "script_block_expression":
            self._add_feature(name_node.start_byte, CLEAN_BLOCK_RULE)
        for position, argument in enumerate(arguments):
            if argument.type != "command_parameter":
                continue
            parameter = _text(argument).lstrip("-").rstrip(":").lower()
            since = NEW_PARAMETERS.get(name, {}).get(parameter)
            if since:
                feature = f"`{_text(name_node)} {_text(argument).rstrip(':')}`"
                self._add(argument.start_byte, "new-parameter", _feature_message(feature, since, PARAMETER_FIXES.get(parameter, PARAMETER_FIX)))
            elif parameter == "encoding" and position + 1 < len(arguments):
                self._check_encoding(arguments[position + 1])

    def _check_encoding(self, value_node: Node) -> None:
        value = _text(value_node).strip("'\"").lower()
        since = NEW_ENCODINGS.get(value) or ("6.2" if value.isdigit() else None)
        if since:
            self._add(value_node.start_byte, "new-encoding", _feature_message(f"the encoding `{_text(value_node)}`", since, ENCODING_FIX))

    def _check_variable(self, node: Node) -> None:
        name = _text(node).lstrip("$").strip("{}").lower()
        if name.startswith("global:"):
            name = name[len("global:"):]
        if name in AUTOMATIC_VARIABLES:
            feature = f"the automatic variable `{_text(node)}`"
            self._add(node.start_byte, "new-variable", _feature_message(feature, AUTOMATIC_VARIABLES[name], AUTOMATIC_VARIABLE_FIX))

    def _check_replace(self, operator: Node) -> None:
        if _text(operator).lower() not in ("-replace", "-ireplace", "-creplace"):
            return
        operand = operator.next_named_sibling
        if operand is None:
            return
        operand = _unwrap(operand)
        if operand.type == "array_literal_expression" and any(_unwrap(item).type == "script_block_expression" for item in operand.named_children):
            self._add_feature(operator.start_byte, REPLACE_SCRIPTBLOCK_RULE)

    def _check_unicode_escapes(self, string: Node) -> None:
        # Only the string's own text: `$(...)` inside it is parsed as code, and its strings are nodes of their own.
        start = string.start_byte
        for part_end, next_start in [(child.start_byte, child.end_byte) for child in string.named_children] + [(string.end_byte, string.end_byte)]:
            for match in _BACKTICK_UNICODE.finditer(self.source, start, part_end):
                if match.group() != b"``":  # a doubled backtick is a literal backtick
                    self._add_feature(match.start(), UNICODE_ESCAPE_RULE)
            start = next_start


def main(arguments: list[str]) -> int:
    paths = [Path(argument).resolve() for argument in arguments] or collection_powershell_files()
    findings = [finding for path in paths for finding in check_file(path)]
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
