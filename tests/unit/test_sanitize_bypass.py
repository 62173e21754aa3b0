"""The note sanitizer against the known bypass families (issue 28), judged by what each viewer would build from the
cleaned Markdown: nbconvert's renderer (what Voila and nbconvert show, raw HTML passed through), markdown-it-py
(CommonMark) and mistune with GFM tables, each also after taking math out first as JupyterLab does. Nothing may
run, load from elsewhere or change the page: no tag outside the allow-list, no event handler, no script or data URL,
no remote image."""

from __future__ import annotations

import re

import mistune
import pytest
from markdown_it import MarkdownIt
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from coursekit.sanitize import ALLOWED_TAGS, RENDERED_TAGS, clean_html, sanitize_markdown
from tests.helpers import Built, scheme

VIEWERS = {
    "nbconvert (Voila)": markdown2html_mistune,
    "markdown-it": MarkdownIt("commonmark", {"html": True}).enable("table").render,
    "mistune GFM": mistune.create_markdown(escape=False, plugins=["table", "strikethrough"]),
}


def without_math(text: str) -> str:
    """JupyterLab takes $...$ out before parsing Markdown (and puts it back escaped)."""
    return re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", "", text, flags=re.S)


def assert_harmless(page: str, where: str) -> None:
    b = Built()
    b.feed(page)
    for tag, attrs in b.tags:
        assert tag in RENDERED_TAGS | ALLOWED_TAGS, (where, tag, page)
        for name, value in attrs.items():
            assert not name.startswith("on") and name not in ("style", "srcdoc", "formaction"), (where, name, page)
            if name == "href":
                assert scheme(value) in ("", "http", "https", "mailto"), (where, value, page)
            if name == "src":
                assert scheme(value) == "", (where, value, page)  # the course's own files only: nothing fetched


HOSTILE = {
    # code spans
    "unclosed span": "`<img src=x onerror=alert(1)>",
    "span, unequal runs": "``<script>alert(1)</script>`",
    "span across a blank line": "`a\n\n<img src=x onerror=alert(1)>`",
    "span split by table cells": "| `a | <img src=x onerror=alert(1)> | b` |\n|---|---|---|",
    "span hidden by math": "$`$ <img src=x onerror=alert(1)> `",
    "escaped backtick": "\\`<img src=x onerror=alert(1)>`",
    # fences
    "fence indented four spaces": "    ```\n<script>document.title='pwned'</script>\n    ```",
    "tilde fence": "~~~\n<script>alert(1)</script>\n~~~",
    "unclosed fence": "```\n<script>alert(1)</script>",
    "fence in a list item": "- item\n\n  ```\n  <script>alert(1)</script>\n  ```\n<img src=x onerror=alert(1)>",
    "fence with math around": "$a$\n\n```\n<script>alert(1)</script>\n```\n\n$b$",
    "indented code": "    <script>alert(1)</script>\n<img src=x onerror=alert(1)>",
    # entity tricks
    "entity in href": '<a href="&#106;avascript:alert(1)">x</a>',
    "entity in link": "[x](&#x6A;avascript:alert(1))",
    "tab entity in scheme": '<a href="java&Tab;script:alert(1)">x</a>',
    "escaped colon": "[x](javascript\\:alert(1))",
    "entities spelling a tag": "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
    # URLs
    "javascript link": "[x](javascript:alert(1))",
    "upper case": "[x](JAVASCRIPT:alert(1))",
    "leading blank": '<a href=" javascript:alert(1)">x</a>',
    "data link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript": "<a href='vbscript:msgbox(1)'>x</a>",
    "reference javascript": "[x][r]\n\n[r]: javascript:alert(1)",
    "angle destination": "[x](<javascript:alert(1)>)",
    "destination that is a tag": "[x](<img src=x onerror=alert(1)>)",
    "javascript autolink": "<javascript:alert(1)>",
    # SVG and MathML
    "svg onload": "<svg onload=alert(1)><circle/></svg>",
    "script in svg": "<svg><script>alert(1)</script></svg>",
    "math mtext": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # remote images
    "remote image": "![t](https://evil.example/t.png)",
    "protocol-relative image": "![t](//evil.example/t.png)",
    "reference image": "![t][r]\n\n[r]: https://evil.example/t.png",
    "remote img tag": '<img src="https://evil.example/t.png" alt="t">',
    # the page itself
    "title": "<title>pwned</title>",
    "base": "<base href=https://evil.example/>",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "comment": "<!-- --><script>alert(1)</script><!-- -->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "processing instruction": "<?xml-stylesheet href='https://evil.example/x.css'?>",
    "style": "<style>body{display:none}</style>",
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "form": '<form action="javascript:alert(1)"><button>x</button></form>',
    "handler on an allowed tag": '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "unfinished tag": "<img src=x onerror=alert(1)",
    "nested tag": "<scr<script>ipt>alert(1)</script>",
}


SECOND_PASS = {  # issue 28's second hostile pass: titles, alt text, entity spellings, HTML blocks, images by every road
 "ref title tag": '[x][r]\n\n[r]: /x "<img src=x onerror=alert(1)>"',
 "link text tag": "[<img src=x onerror=alert(1)>](https://a.example)",
 "alt tag": "![<img src=x onerror=alert(1)>](x.png)",
 "title breakout": '[x](https://a.example "a\\" onmouseover=\\"alert(1)")',
 "leading zeros entity": '<a href="&#0000106avascript:alert(1)">x</a>',
 "colon entity": '<a href="javascript&colon;alert(1)">x</a> [y](javascript&colon;alert(1))',
 "newline entity": '<a href="java&NewLine;script:alert(1)">x</a>',
 "unquoted js": "<a href=javascript:alert(1)>x</a>",
 "hex colon": '<a href="javascript&#x3A;alert(1)">x</a>',
 "html block": "<div>\n<img src=x onerror=alert(1)>\n</div>",
 "html block 7": "<details open ontoggle=alert(1)>\n\n<summary>x</summary>\n\n</details>",
 "srcset": '<img src="x.png" srcset="https://evil.example/x.png 1x">',
 "img remote via entity": '<img src="&#104;ttps://evil.example/x.png">',
 "img protocol relative backslash": '<img src="\\\\evil.example/x.png">',
 "md image backslash": "![a](\\\\evil.example/x.png)",
 "md image entity": "![a](&#104;ttps://evil.example/x.png)",
 "md image spaces": "![a]( https://evil.example/x.png )",
 "md image angle": "![a](<https://evil.example/x.png>)",
 "nested image in link": "[![a](https://evil.example/x.png)](https://ok.example)",
 "image in ref title": "![a][r]\n\n[r]: <https://evil.example/x.png>",
 "collapsed ref image": "![r][]\n\n[r]: https://evil.example/x.png",
 "shortcut ref image": "![r]\n\n[r]: https://evil.example/x.png",
 "ref def indented continuation": "![r]\n\n[r]:\n  https://evil.example/x.png",
 "ref def in blockquote": "> ![r]\n>\n> [r]: https://evil.example/x.png",
 "ref def in list": "- ![r]\n\n  [r]: https://evil.example/x.png",
 "ref def case": "![R]\n\n[r]: https://evil.example/x.png",
 "ref def multi-line label": "![a\nb]\n\n[a\nb]: https://evil.example/x.png",
 "setext heading code": "`a\n===\n<img src=x onerror=alert(1)>`",
 "table with escaped pipe": "| `a\\|<img src=x onerror=alert(1)>` |\n|---|",
 "data svg img": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
 "link in html attr": '<a title="<img src=x onerror=alert(1)>" href="#">x</a>',
 "svg use": '<svg><use href="https://evil.example/x.svg#a"/></svg>',
 "math tags in dollar": "$<img src=x onerror=alert(1)>$",
 "double dollar": "$$\n<img src=x onerror=alert(1)>\n$$",
 "backslash dollar": "\\$ `$` <img src=x onerror=alert(1)> `",
 "html entity in code": "`&lt;img src=x onerror=alert(1)&gt;`",
 "footnote-ish": "[^1]\n\n[^1]: javascript:alert(1)",
 "autolink mailto js": "<mailto:javascript:alert(1)>",
 "autolink with quote": '<https://a.example/"onmouseover="alert(1)>',
 "email with tag": "<a@b.example><img src=x onerror=alert(1)>",
}

@pytest.mark.parametrize("name", [*HOSTILE, *SECOND_PASS])
def test_no_bypass_runs_loads_or_rewrites_the_page_under_any_viewer(name):
    out = sanitize_markdown(f"Before.\n\n{({**HOSTILE, **SECOND_PASS})[name]}\n\nAfter.")
    assert out.startswith("Before.") and "After." in out  # the text around is kept (an unclosed fence takes it as code)
    for viewer, render in VIEWERS.items():
        for text, how in ((out, ""), (without_math(out), ", math taken out first")):
            assert_harmless(render(text), f"{name} under {viewer}{how}")


def test_the_bypasses_did_get_through_before_the_sanitizer():
    """The harness can fail: the raw attacks do build scripts, handlers or remote loads in some viewer."""
    got_through = 0
    for text in HOSTILE.values():
        try:
            for render in VIEWERS.values():
                assert_harmless(render(text), "raw")
        except AssertionError:
            got_through += 1
    assert got_through >= len(HOSTILE) * 3 // 4


@pytest.mark.parametrize("text", [
    "A [link](https://example.org/a_(b)) and ![chart](img/chart.png \"the chart\").",
    '<a id="glossary-bcr"></a>\n\n### BCR\n\nBase commission rate.',
    "Pay $x < y$ and `a < b` and <https://example.org> and <me@example.org>.",
    "```python\nif a < b:\n    print('<ok>')\n```",
    "| a | b |\n|---|---|\n| `x` | [y](#y) |",
])
def test_safe_notes_keep_their_meaning(text):
    out = sanitize_markdown(text)
    for render in VIEWERS.values():
        assert_harmless(render(out), text)
    page = VIEWERS["markdown-it"](out)
    assert page == VIEWERS["markdown-it"](text)  # shown exactly as before


def test_html_the_course_renders_is_cleaned_by_one_path():
    fragment = ('<h3>Room</h3><img alt="chart" src="data:image/png;base64,iVBOR" style="max-width:100%">'
                '<img src="https://evil.example/t.png"><a href="javascript:alert(1)">x</a><script>alert(1)</script>'
                '<p onclick="alert(1)">text</p><img src="data:image/svg+xml;base64,PHN2Zz4=">')
    out = clean_html(fragment)
    assert_harmless(out.replace("data:image/png;base64,iVBOR", "chart.png").replace(' style="max-width:100%"', ""), "clean_html")
    assert 'src="data:image/png;base64,iVBOR"' in out and "max-width:100%" in out and "<h3>Room</h3>" in out
    assert "evil" not in out and "script" not in out and "onclick" not in out and "svg" not in out
