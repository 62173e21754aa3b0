"""The plan audit exercise: its kind (pure) and its widget."""
