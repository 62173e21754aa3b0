"""Raw HTML in a note's Markdown, made safe the way JupyterLab's sanitizer treats it.

JupyterLab sanitizes rendered Markdown (an allow-list of tags and attributes); Voila and nbconvert do
not, so a ``<script>`` or ``onerror=`` written in a note would run there. Every Markdown cell the
builder writes from a note passes through :func:`sanitize_markdown`: allowed tags keep their allowed
attributes, URLs keep only safe schemes, and everything else is escaped so it shows as text. Code
(fenced blocks and inline spans) and Markdown autolinks are left exactly as written.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre "
    "q s samp small span strike strong sub summary sup table tbody td tfoot th thead tr u ul var".split()
)
ALLOWED_ATTRS = frozenset("href src alt title colspan rowspan align width height open id name".split())
URL_ATTRS = frozenset({"href", "src"})
SAFE_SCHEMES = ("http:", "https:", "mailto:", "#", "/", "./", "../")
DROP_CONTENT = frozenset("script style iframe object embed template noscript textarea select svg math".split())
VOID = frozenset("br hr img".split())

# code fences, inline code spans and autolinks are kept verbatim
_KEEP = re.compile(r"(^[ \t]*(```|~~~).*?^[ \t]*\2[ \t]*$|`+[^`\n]*?`+|<(?:https?|mailto):[^>\s]+>)", re.M | re.S)


def _safe_url(value: str) -> bool:
    v = "".join(ch for ch in html.unescape(value) if ch > " ").lower()
    if ":" not in v.split("/")[0].split("?")[0].split("#")[0]:
        return True  # relative link, no scheme
    return v.startswith(SAFE_SCHEMES)


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.dropping = 0

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> str:
        kept = []
        for name, value in attrs:
            name = name.lower()
            if name not in ALLOWED_ATTRS or (name in URL_ATTRS and not _safe_url(value or "")):
                continue
            kept.append(f' {name}="{html.escape(value or "", quote=True)}"')
        return f"<{tag}{''.join(kept)}{close}>"

    def handle_starttag(self, tag, attrs):
        if tag in DROP_CONTENT:
            self.dropping += tag not in VOID
        elif not self.dropping:
            self.out.append(self._tag(tag, attrs, "") if tag in ALLOWED_TAGS else html.escape(self.get_starttag_text() or ""))

    def handle_startendtag(self, tag, attrs):
        if not self.dropping and tag not in DROP_CONTENT:
            self.out.append(self._tag(tag, attrs, " /") if tag in ALLOWED_TAGS else html.escape(self.get_starttag_text() or ""))

    def handle_endtag(self, tag):
        if tag in DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
        elif not self.dropping:
            self.out.append(f"</{tag}>" if tag in ALLOWED_TAGS else html.escape(f"</{tag}>"))

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(data.replace("<", "&lt;"))  # a stray or unfinished tag stays text

    def handle_entityref(self, name):
        if not self.dropping:
            self.out.append(f"&{name};")

    def handle_charref(self, name):
        if not self.dropping:
            self.out.append(f"&#{name};")

    def handle_comment(self, data):
        pass  # comments can hide conditional markup; drop them

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass


def _clean(text: str) -> str:
    if "<" not in text:
        return text
    p = _Cleaner()
    p.feed(text)
    p.close()
    return "".join(p.out)


def sanitize_markdown(text: str) -> str:
    """Markdown with raw HTML restricted to an allow-list; code and autolinks untouched."""
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(_clean(text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_clean(text[last:]))
    return "".join(out)
