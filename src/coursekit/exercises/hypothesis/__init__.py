"""The hypothesis exercise: its kind (pure) and its widget."""
