"""coursekit: build and run an interactive course on sales strategy and compensation.

Kept light on import: heavy parts (widgets, matplotlib, notebook tooling) load when used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
