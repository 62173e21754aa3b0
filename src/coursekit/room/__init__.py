"""Hand-in and the room: the exchange, gathering the briefs, the page, charts, the notebook view."""

from coursekit import compat


def __getattr__(name: str):
    """coursekit 0.1's names of the module this package replaced, with a warning (until 0.3.0)."""
    return compat.old_name(__name__, name)
