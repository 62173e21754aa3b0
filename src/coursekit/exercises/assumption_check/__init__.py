"""The assumption check exercise: its kind (pure) and its widget."""
