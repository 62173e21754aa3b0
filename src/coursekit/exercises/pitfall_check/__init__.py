"""The pitfall check exercise: its kind (pure) and its widget."""
