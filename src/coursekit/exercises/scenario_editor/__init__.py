"""The scenario editor exercise: its kind (pure) and its widget."""
