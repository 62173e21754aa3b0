"""The checklist exercise: its kind (pure) and its widget."""
