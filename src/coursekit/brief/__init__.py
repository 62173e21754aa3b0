"""The Alignment brief: composed from the answers, rendered, exported, handed in."""
