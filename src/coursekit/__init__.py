"""coursekit: build and run an interactive course on sales strategy and compensation.

Kept light on import: heavy parts (widgets, matplotlib, notebook tooling) load when used.
"""

from coursekit import compat

__version__ = "0.2.0"

compat.install()  # coursekit 0.1's import paths, for notebooks saved before 0.2 (until 0.3.0)

__all__ = ["__version__"]
