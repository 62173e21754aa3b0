"""The signals spotter exercise: its kind (pure) and its widget."""
