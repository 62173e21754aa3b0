"""The review exercise: its kind (pure) and its widget."""
