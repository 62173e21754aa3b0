"""Cell helpers: deterministic ids, tags, and literal-data rendering for generated code."""

from __future__ import annotations

import pprint
from typing import Any

from coursekit.sanitize import sanitize_markdown
from coursekit.yamlio import plain

KERNEL = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
          "language_info": {"name": "python"}}  # every generated notebook's kernel
IGNORE = "nbval-ignore-output"
WORKED = "worked-example"  # a worked example's code: its output is the example, its source is collapsed like setup


class Cells:
    """Collects cells for one notebook; ids are ``<prefix>-<n>`` so rebuilds are byte-identical."""

    def __init__(self, prefix: str):
        self.prefix = prefix[:40]
        self.cells: list = []
        self.linker: Any = None  # a glossary Linker: once set, every Markdown cell links the first use of each term


    def _id(self) -> str:
        return f"{self.prefix}-{len(self.cells):03d}"

    # Cells are built as plain nodes: nbformat.v4.new_*_cell validates every cell against the schema,
    # which dominated build time; the whole notebook is validated once when it is written.
    def md(self, text: str, *tags: str, slide: str | None = None, link: bool = True) -> None:
        """A Markdown cell. Its raw HTML is restricted to an allow-list (notes are untrusted: Voila renders
        Markdown unsanitized, JupyterLab sanitizes it); code and autolinks are kept as written. With a
        ``linker``, the first use of each glossary term in the notebook links to the glossary."""
        from nbformat import NotebookNode

        text = text.strip("\n")
        if self.linker is not None and link:  # not in citations or tables of activity names
            text = self.linker.link(text)
        cell = NotebookNode(cell_type="markdown", id=self._id(), metadata=NotebookNode(),
                            source=sanitize_markdown(text))
        self._meta(cell, tags, slide)
        self.cells.append(cell)

    def code(self, source: str, *tags: str, slide: str | None = None) -> None:
        from nbformat import NotebookNode

        cell = NotebookNode(cell_type="code", id=self._id(), metadata=NotebookNode(), source=source.strip("\n"),
                            outputs=[], execution_count=None)
        self._meta(cell, tags, slide)
        self.cells.append(cell)

    @staticmethod
    def _meta(cell, tags, slide) -> None:
        if tags:
            cell.metadata["tags"] = list(tags)
        if slide:
            cell.metadata["slideshow"] = {"slide_type": slide}
        if "setup" in tags or WORKED in tags:  # data, imports, a worked example's calls: collapsed, one click shows them
            cell.metadata["jupyter"] = {"source_hidden": True}


def literal(value: Any) -> str:
    """Plain data as Python source (dicts, lists, str, numbers): deterministic and safe to embed."""
    return pprint.pformat(plain(value), width=100, sort_dicts=False)


def md_escape(text: str) -> str:
    """Text safe inside a markdown table cell: HTML escaped, pipes escaped."""
    import html

    return html.escape(str(text)).replace("|", "\\|").replace("\n", " ")
