"""The decisions exercise: its kind (pure) and its widget."""
