"""The traceability exercise: its kind (pure) and its widget."""
