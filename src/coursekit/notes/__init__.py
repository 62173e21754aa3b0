"""Counsel notes: the typed model, parsing and validation."""

from coursekit.notes.course import Course, load_course
from coursekit.notes.model import Action, ExerciseSpec, FrontMatter, Note, Pitfall, Section
from coursekit.notes.parse import parse_note

__all__ = ["Action", "Course", "ExerciseSpec", "FrontMatter", "Note", "Pitfall", "Section", "load_course", "parse_note"]
