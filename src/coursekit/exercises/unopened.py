"""Widgets built but not shown yet: their comms open when the exercise is first shown (issue 27).

An ipywidgets widget opens its comm when it is constructed: one ``comm_open`` message with its whole state, which the
kernel sends and the frontend (JupyterLab, nbclient) takes in, shown or not. A module's worked examples build whole
exercises only to print their report (module 5's four: 382 widgets, none ever shown), and every widget costs a Run All
about 0.4 ms on this machine's kind (docs/performance.md, "Run All per module").

So an exercise is built inside ``unopened()``: each widget made there gets a placeholder comm (its id, no kernel:
ipywidgets sends nothing through it, and a change of its state is simply kept), and ``open_all`` opens the real comms,
with those ids, when the exercise is shown (``Exercise._repr_mimebundle_``), each widget after the widgets its state
names (children, layout, style), as ipywidgets itself opens them. A widget made after construction opens at once, as
before. An exercise that is never shown opens nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W

_REAL_OPEN = W.Widget.open
_MADE: list[list[W.Widget]] = []  # one list per ``unopened()`` block, innermost last
_STYLES: dict[tuple[str, str], W.Widget] = {}  # one style per look, shared by the exercises' widgets (``_share_styles``)


class _Placeholder:
    """A comm that is not open yet: an id for the widget's model, and no kernel, so ipywidgets sends nothing."""

    kernel = None

    def __init__(self) -> None:
        self.comm_id = uuid.uuid4().hex

    def on_msg(self, callback: Any) -> None:
        pass

    def send(self, *args: Any, **kwargs: Any) -> None:
        pass

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass


def _open_later(self: W.Widget) -> None:
    if self.comm is None:
        self.comm = _Placeholder()
        _MADE[-1].append(self)


@contextmanager
def unopened() -> Iterator[list[W.Widget]]:
    """Inside the block, a widget made gets a placeholder comm; yields the list of those widgets (for ``open_all``)."""
    made: list[W.Widget] = []
    _MADE.append(made)
    W.Widget.open = _open_later
    try:
        yield made
    finally:
        _MADE.pop()
        if not _MADE:
            W.Widget.open = _REAL_OPEN


def is_open(w: W.Widget) -> bool:
    return w.comm is not None and not isinstance(w.comm, _Placeholder)


def open_all(made: list[W.Widget]) -> None:
    """Open the real comm of every widget in ``made`` still waiting, each after the widgets its state names; widgets
    that look alike share one style first (``_share_styles``)."""
    with unopened() as defaults:  # a style made now (a widget's default) waits too
        dropped = _share_styles(made)
    for w in [*made, *defaults]:
        if id(w) not in dropped:
            _open(w)


def _share_styles(made: list[W.Widget]) -> set[int]:
    """Widgets of ``made`` whose styles are alike (same class, same values) take one of them, as ipywidgets lets a
    style be shared ("widget styles can be assigned to other widgets"): one model per look in the kernel instead of one
    per widget (module 5 had 240 styles and 27 looks). No course code changes a style once built. Returns the ids of the
    styles left out."""
    dropped: set[int] = set()
    for w in made:
        if "style" not in w.keys:
            continue
        style = w.style
        if not isinstance(style, W.Widget) or not isinstance(style.comm, _Placeholder):
            continue
        look = (type(style).__qualname__, json.dumps(style.get_state(), sort_keys=True, default=str))
        kept = _STYLES.get(look)
        if kept is None or kept.comm is None:  # none yet, or closed (``Widget.close_all``): this one is the look's
            kept = _STYLES[look] = style
        if kept is not style:
            w.style = kept
            dropped.add(id(style))
    return dropped


def _open(w: W.Widget) -> None:
    if not isinstance(w.comm, _Placeholder):
        return
    model_id = w.comm.comm_id
    w.comm = None  # taken off first: a widget that names itself (none does) cannot loop
    for name in w.keys:
        for inner in _widgets_in(getattr(w, name, None)):
            _open(inner)
    w._model_id = model_id  # the id its parents' state already names
    _REAL_OPEN(w)


def _widgets_in(value: Any) -> Iterator[W.Widget]:
    if isinstance(value, W.Widget):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _widgets_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _widgets_in(v)
