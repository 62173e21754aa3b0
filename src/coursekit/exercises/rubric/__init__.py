"""The brief rubric self-check exercise: its kind (pure) and its widget."""
