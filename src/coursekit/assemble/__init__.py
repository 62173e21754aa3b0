"""Notebook assembly: notes -> notebooks (module pages and the start page), executed for stored outputs."""

from .run import BuildReport, build, check_course, generate, outline

__all__ = ["BuildReport", "build", "check_course", "generate", "outline"]
