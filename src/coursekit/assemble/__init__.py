"""Notebook assembly: notes -> notebooks (module pages and the start page), executed for stored outputs."""

from coursekit.assemble.run import BuildReport, brief_context, build, check_course, generate, outline

__all__ = ["BuildReport", "brief_context", "build", "check_course", "generate", "outline"]
