"""The contradiction map exercise: its kind (pure) and its widget."""
