"""The system Chromium, driven headless by Playwright: where it is, how it is launched, and why it cannot run here."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def missing() -> str | None:
    """Why a headless Chromium cannot be driven here, in one line, or None."""
    if not Path(CHROMIUM).exists():
        return "Chromium not installed (apt-get install -y chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright (Python) not installed"
    return None
