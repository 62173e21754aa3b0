"""Note Markdown and the course's own HTML, made safe under every viewer (JupyterLab, Voila, nbconvert).

JupyterLab sanitizes rendered Markdown; Voila and nbconvert do not, and each viewer parses Markdown a little
differently (math is taken out first in JupyterLab, table cells are split before code spans in GFM). So the
Markdown the build writes into a cell is cleaned at the source, in a form that is safe whichever way a viewer
reads it:

* Block structure comes from a maintained CommonMark parser (markdown-it-py): a fence indented four spaces is
  an indented code block there, as in every viewer, never a fence that hides the HTML after it.
* Outside code, every ``<`` either starts an allowed tag, rebuilt from its allowed attributes with escaped
  values and safe URLs, or an http(s)/mailto autolink, or is written ``&lt;`` (so comments, processing
  instructions, unknown tags, unfinished tags and stray brackets all show as text).
* Code is kept as written unless it holds something tag-like (``<`` then a letter, ``/``, ``!`` or ``?``):
  then a code span becomes ``<code>`` with escaped text and a code block ``<pre><code>`` (unless it is a plain
  backtick fence at the margin in a cell without math), which every viewer shows as the same code and none
  can read as a tag, whatever it thinks of the backticks (an unclosed span, a fence indented four spaces).
* Link destinations keep only http, https, mailto and relative URLs (after entities and escapes are decoded);
  images load only from the course itself (a remote image becomes a link: no request leaves the page).

Then a real sanitizer checks the result: the cell is rendered with markdown-it-py and cleaned with nh3 (the
Ammonia binding) under the same allow-list; if nh3 would remove anything, the cell is written with no raw HTML
at all. :func:`clean_html` is the one path for HTML the course renders itself (the room's page and view).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from functools import cache
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre "
    "q s samp small span strike strong sub summary sup table tbody td tfoot th thead tr u ul var".split()
)
ALLOWED_ATTRS = frozenset("href src alt title colspan rowspan align width height open id name".split())
URL_ATTRS = frozenset({"href", "src"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
RENDERED_TAGS = ALLOWED_TAGS | {"p", "pre", "code", "em", "strong", "img", "hr", "br"}  # what Markdown itself makes

_NAME = r"[A-Za-z][A-Za-z0-9-]*"  # CommonMark's raw HTML: tag name, attribute name and value
_ATTR_NAME = r"[A-Za-z_:][A-Za-z0-9_.:-]*"
_VALUE = r"[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\""
OPEN_TAG = re.compile(rf"<({_NAME})((?:\s+{_ATTR_NAME}(?:\s*=\s*(?:{_VALUE}))?)*)\s*(/?)>")
CLOSE_TAG = re.compile(rf"</({_NAME})\s*>")
ATTR = re.compile(rf"({_ATTR_NAME})(?:\s*=\s*({_VALUE}))?")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}):[^<>\x00-\x20]*>")
EMAIL = re.compile(r"<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>")
TAGLIKE = re.compile(r"<[A-Za-z/!?]")
REF_DEF = re.compile(r"^( {0,3}\[(?:[^\]\\\n]|\\.)+\]:[ \t]*)(<[^<>\n]*>|\S+)", re.M)
SAFE_ID = re.compile(r"^[\w.:-]{1,100}$")
ESCAPABLE = re.compile(r"\\([!-/:-@\[-`{-~])")



@cache
def _parser():
    """CommonMark with raw HTML and GFM tables, as the viewers read cells. markdown-it-py is jupytext's parser: like
    jupytext it is imported when first used (the build), not when a kernel imports the widgets."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


def _scheme(url: str) -> str | None:
    """The URL's scheme as a browser would read it (entities and Markdown escapes decoded, blanks dropped), else None."""
    v = "".join(ch for ch in ESCAPABLE.sub(r"\1", html.unescape(url)) if ch > " " and ch != "\x7f").lower()
    m = re.match(r"([a-z][a-z0-9+.-]*):", v)
    return m.group(1) if m else ("//" if v.startswith(("//", "\\\\", "/\\", "\\/")) else None)


def safe_href(url: str) -> bool:
    s = _scheme(url)
    return s is None or s in SAFE_SCHEMES


def safe_src(url: str) -> bool:
    """An image from the course itself: a relative URL (a remote one would make the reader's browser fetch it)."""
    return _scheme(url) is None


def _escape_code(text: str) -> str:
    return html.escape(text, quote=False)


def _open_tag(m: re.Match) -> str | None:
    name = m.group(1).lower()
    if name not in ALLOWED_TAGS:
        return None
    kept = []
    for a in ATTR.finditer(m.group(2)):
        attr, raw = a.group(1).lower(), a.group(2)
        value = html.unescape(raw[1:-1] if raw and raw[0] in "'\"" else raw or "")
        if attr not in ALLOWED_ATTRS or attr in ("id", "name") and not SAFE_ID.match(value):
            continue
        if attr == "href" and not safe_href(value) or attr == "src" and not safe_src(value):
            continue
        kept.append(f' {attr}="{html.escape(value, quote=True)}"')
    return f"<{name}{''.join(kept)}{' /' if m.group(3) else ''}>"


def _destination(text: str, i: int) -> tuple[str, int]:
    """The link destination starting at ``text[i]`` (after ``](``): (destination, end index)."""
    j = i
    while j < len(text) and text[j] in " \t":
        j += 1
    if j < len(text) and text[j] == "<":
        end = text.find(">", j)
        if end != -1 and "\n" not in text[j:end]:
            return text[i:end + 1], end + 1
    depth = 0
    while j < len(text) and not text[j].isspace():
        if text[j] == "\\":
            j += 2
            continue
        depth += text[j] == "("
        if text[j] == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return text[i:j], min(j, len(text))


def _plain_destination(dest: str) -> str:
    """A destination written without angle brackets, so no ``<`` is ever written for one."""
    d = dest.strip()
    if d.startswith("<") and d.endswith(">"):  # may hold blanks and unbalanced brackets: encode them
        d = d[1:-1].replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return d.replace("<", "%3C").replace(">", "%3E")


def _closing_run(text: str, start: int, run: int) -> int | None:
    """Where a run of exactly ``run`` backticks starts at or after ``start`` (a code span's end), else None."""
    j = start
    while True:
        j = text.find("`", j)
        if j == -1:
            return None
        k = j
        while k < len(text) and text[k] == "`":
            k += 1
        if k - j == run:
            return j
        j = k


def _inline(text: str, allow_html: bool) -> str:
    """One block's text outside code blocks, scanned left to right as CommonMark does: backslash escapes, code spans,
    autolinks and tags, link destinations. Every ``<`` written is a tag this module rebuilt or a safe autolink."""
    out: list[str] = []
    brackets: list[int | None] = []  # per open "[": index in out of its "!" when it opens an image
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            out.append("&lt;" if text[i + 1] == "<" else text[i:i + 2])
            i += 2
        elif c == "`":
            j = i
            while j < n and text[j] == "`":
                j += 1
            close = _closing_run(text, j, j - i)
            if close is None:
                out.append(text[i:j])
                i = j
            else:
                inner = text[j:close]
                out.append(f"<code>{_escape_code(inner.strip() if inner.strip() else inner)}</code>" if TAGLIKE.search(inner)
                           else text[i:close + j - i])
                i = close + j - i
        elif c == "<":
            m = AUTOLINK.match(text, i) or EMAIL.match(text, i)
            if m and (m.re is EMAIL or m.group(1).lower() in SAFE_SCHEMES):
                out.append(m.group(0))
                i = m.end()
                continue
            tag = (OPEN_TAG.match(text, i) or CLOSE_TAG.match(text, i)) if allow_html else None
            kept = None
            if tag and tag.re is OPEN_TAG:
                kept = _open_tag(tag)
            elif tag and tag.group(1).lower() in ALLOWED_TAGS:
                kept = f"</{tag.group(1).lower()}>"
            if kept is not None:
                out.append(kept)
                i = tag.end()
            elif tag:  # a tag not allowed shows as written
                out.append(html.escape(tag.group(0), quote=False))
                i = tag.end()
            else:
                out.append("&lt;")
                i += 1
        elif c == "[":
            brackets.append(len(out) - 1 if out and out[-1] == "!" else None)
            out.append(c)
            i += 1
        elif c == "]":
            image = brackets.pop() if brackets else None
            out.append(c)
            i += 1
            if i < n and text[i] == "(":
                dest, end = _destination(text, i + 1)
                url = _plain_destination(dest)
                if image is not None and not safe_src(url):
                    out[image] = ""  # a remote image becomes a link to it: nothing is fetched
                out.append("(" + (url if safe_href(url) else "#"))
                i = end
            elif image is not None:
                out[image] = ""  # a reference image: where it loads from is not known here, so it is a link
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _ref_defs(text: str) -> str:
    """Reference definitions (``[id]: URL``) keep only safe destinations, written without angle brackets."""
    return REF_DEF.sub(lambda m: m.group(1) + (_plain_destination(m.group(2)) if safe_href(_plain_destination(m.group(2))) else "#"), text)


def _code_block(lines: list[str], token, canonical_ok: bool) -> list[str]:
    """A code block as written, unless it holds something tag-like and is not a plain backtick fence at the margin:
    then ``<pre><code>`` with escaped text, the same code in every viewer."""
    if not TAGLIKE.search(token.content):
        return lines
    first = lines[0]
    fence = token.type == "fence" and token.level == 0 and first.startswith(token.markup) and token.markup[0] == "`"
    if fence and canonical_ok and lines[-1].rstrip("\n") == token.markup:
        return lines
    indent = min((len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()), default=0) if token.level else 0
    pad = " " * min(indent, 3) if token.level == 0 else " " * indent
    escaped = _escape_code(token.content.rstrip("\n")).replace("\n", "\n" + pad)
    return [f"{pad}<pre><code>{escaped}</code></pre>\n"]


def _clean(text: str, allow_html: bool) -> str:
    lines = text.splitlines(keepends=True)
    code: dict[int, tuple[int, object]] = {}
    for t in _parser().parse(text):
        if t.type in ("fence", "code_block") and t.map:
            code[t.map[0]] = (t.map[1], t)
    canonical_ok = "$" not in text  # JupyterLab takes math out before Markdown: with math about, no fence is trusted
    out, chunk, i = [], [], 0

    def flush() -> None:
        if chunk:
            out.append(_inline(_ref_defs("".join(chunk)), allow_html))
            chunk.clear()

    while i < len(lines):
        if i in code:
            flush()
            end, token = code[i]
            out.append("".join(_code_block(lines[i:end], token, canonical_ok)))
            i = end
            continue
        if not lines[i].strip() or lines[i].lstrip(" ").startswith("#"):  # a code span never crosses a blank line or a heading
            flush()
            out.append(_inline(lines[i], allow_html) if lines[i].strip() else lines[i])
        else:
            chunk.append(lines[i])
        i += 1
    flush()
    return "".join(out)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, tuple]] = []

    def handle_starttag(self, tag, attrs):  # markdown-it's own code classes and table alignment are not compared
        kept = [(k, v or "") for k, v in attrs if not (k == "class" and (v or "").startswith("language-")
                                                      or k == "style" and re.fullmatch(r"text-align:(left|right|center)", v or ""))]
        self.tags.append((tag, tuple(sorted(kept))))


def _tags(fragment: str) -> list[tuple[str, tuple]]:
    p = _Tags()
    p.feed(fragment)
    p.close()
    return p.tags


def _nh3_agrees(markdown: str) -> bool:
    """True when nh3, under the same allow-list, would remove nothing from the cell as markdown-it renders it."""
    rendered = _parser().render(markdown)
    cleaned = nh3.clean(rendered, tags=set(RENDERED_TAGS), attributes={"*": set(ALLOWED_ATTRS)}, url_schemes=set(SAFE_SCHEMES),
                        link_rel=None, strip_comments=True,
                        attribute_filter=lambda _t, a, v: v if a != "src" or safe_src(v) else None)
    return not Counter(_tags(rendered)) - Counter(_tags(cleaned))  # tree repair may add tags; removing any disagrees


def sanitize_markdown(text: str) -> str:
    """Note Markdown safe under every viewer: allowed HTML rebuilt, everything else shown as text, code and links
    made safe whichever way a viewer parses them; checked with nh3, and written with no raw HTML if it disagrees."""
    if "<" not in text and "[" not in text:  # no tag, autolink, link or image: nothing to clean
        return text
    out = _clean(text, allow_html=True)
    return out if _nh3_agrees(out) else _clean(text, allow_html=False)


# Classes and inline styles the course's own HTML uses (the brief's page, feedback lines, the room); nothing else.
COURSE_CLASSES = frozenset("summary warn todo num muted small row".split())
COURSE_STYLES = frozenset({"color", "max-width", "margin", "margin-top", "margin-left", "min-height", "padding-left",
                           "list-style", "border-left"})


def _course_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "src":
        return value if tag == "img" and (value.startswith("data:image/png;base64,") or safe_src(value)) else None
    if attr == "href":
        return value if _scheme(value) in (None, *SAFE_SCHEMES) else None
    if attr == "class":
        kept = [c for c in value.split() if c in COURSE_CLASSES]
        return " ".join(kept) or None
    if attr in ("id", "name"):
        return value if SAFE_ID.match(value) else None
    return value


def clean_html(fragment: str) -> str:
    """The one path for HTML the course renders itself (widget feedback, model answers, the brief's page, the room's
    page and view, status lines), cleaned by nh3: the allow-list above; images inline PNG or the course's own (no
    remote request, no SVG); links http, https, mailto or relative; only the course's own classes and a few layout
    and colour styles; comments, scripts, styles and event handlers removed."""
    return nh3.clean(str(fragment), tags=set(RENDERED_TAGS) | {"h2", "h3", "h4", "figure", "figcaption"},
                     clean_content_tags={"script", "style"},
                     attributes={"*": set(ALLOWED_ATTRS) | {"style", "class"}, "a": {"download"}},
                     url_schemes=set(SAFE_SCHEMES) | {"data"}, filter_style_properties=set(COURSE_STYLES), link_rel=None,
                     strip_comments=True, attribute_filter=_course_filter)


# Terminal escape codes: CSI (ESC [ ... final byte, or its one-byte C1 form), OSC, DCS, SOS, PM and APC strings (ended by
# BEL or ST, or left unended), any other ESC and the byte after it; then every C0 and C1 control but tab and newline.
TERMINAL_CODE = re.compile(r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
                           r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
                           r"|\x1b.?|[\x00-\x08\x0b-\x1f\x7f-\x9f]", re.S)


def plain_text(text: str) -> str:
    """Text safe to print to a terminal: escape codes (colours, cursor moves, window titles, hyperlinks, clipboard
    writes) and control characters taken out, tab and newline kept. The CLI passes all its output through it."""
    return TERMINAL_CODE.sub("", text)

