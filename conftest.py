"""Session-wide: tests and nbval kernels save answers in a private folder, never the user's."""

import os
import tempfile


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="coursekit-test-home-")
    os.environ["COURSEKIT_HOME"] = home
    os.environ.pop("COURSEKIT_LEARNER", None)
