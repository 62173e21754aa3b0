"""Counsel notes: the typed model, parsing and validation."""

from .course import Course, load_course
from .model import Action, ExerciseSpec, FrontMatter, Note, Pitfall, Section
from .parse import parse_note

__all__ = ["Action", "Course", "ExerciseSpec", "FrontMatter", "Note", "Pitfall", "Section", "load_course", "parse_note"]
