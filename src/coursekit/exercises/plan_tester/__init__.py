"""The plan tester exercise: its kind (pure) and its widget."""
