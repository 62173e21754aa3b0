"""The capstone's pure logic: inputs from the learner's answers, and its checks."""

from coursekit import compat


def __getattr__(name: str):
    """coursekit 0.1's names of the module this package replaced, with a warning (until 0.3.0)."""
    return compat.old_name(__name__, name)
