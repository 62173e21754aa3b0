"""Notebook assembly: notes -> notebooks (module pages and the start page)."""

from .run import BuildReport, build, generate

__all__ = ["BuildReport", "build", "generate"]
