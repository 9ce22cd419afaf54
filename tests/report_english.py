"""English left in a report page that a Spanish reader would read: a small, robust check shared by the tests.

The visible text of report.html is read with the HTML parser, leaving out what is not prose for the reader: the
style sheet, <pre> and <code> (command lines, raw output), the raw JSON one click further (<details class="raw">),
and quoted Microsoft messages (<q>, «...», "..."), which carry a Spanish explanation beside them. What is left is
cut into words; file names, paths, versions and codes (a dot, slash, backslash, colon, underscore or digit in the
token, or a hyphen inside it) are not words. A lowercase word of the list below is English: these words do not exist in Spanish, and an
English sentence cannot do without them. Capitalised words are left alone: they are names (Exchange Server,
Windows, Setup, the program Setup.exe, Mailbox). "setup" is not in the list: Spanish text uses it as the name of
Microsoft's program ("la marca de agua de setup", as the manual and the RPI's people say).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ENGLISH_WORDS = frozenset("""
the is was were with and of to for from this that it be are has have will would which when been
against arguments validating make sure mounted install installed run runs failed succeeded check read record
restart wait verify media server not by on at an or if up into its their there after before only
""".split())

_SKIPPED_TAGS = {"style", "script", "pre", "code", "q"}
_QUOTED = re.compile("\u00ab[^\u00bb]*\u00bb|\u201c[^\u201d]*\u201d|\"[^\"]*\"")  # guillemets, curly and straight quotes
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
_NOT_A_WORD = re.compile(r"[./\\:_0-9@=]|\w-\w")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        skipped = tag in _SKIPPED_TAGS or (tag == "details" and "raw" in classes)
        if tag not in ("meta", "br", "link", "img", "input", "hr"):
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not any(skipped for _tag, skipped in self.stack):
            self.chunks.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(parser.chunks)


def english_words(page: str) -> list[tuple[str, str]]:
    """(word, its context) for each English word in the page's visible prose."""
    text = _QUOTED.sub(" ", visible_text(page))
    found = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if _NOT_A_WORD.search(token.strip(".,;:()")):
            continue
        for word in _WORD.findall(token):
            if word in ENGLISH_WORDS:  # lowercase only: capitalised words are names
                found.append((word, text[max(0, match.start() - 60):match.end() + 60]))
    return found
