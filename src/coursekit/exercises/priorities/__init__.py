"""The priorities exercise: its kind (pure) and its widget."""
