"""Session-wide: tests and nbval kernels save answers in a private folder, never the user's, and read answer keys
from a private copy of the package's, so a test building another course never rewrites the package's keys."""

import os
import shutil
import tempfile
from pathlib import Path


def pytest_configure(config):
    home = tempfile.mkdtemp(prefix="coursekit-test-home-")
    os.environ["COURSEKIT_HOME"] = home
    keys = Path(home) / "keys"
    shutil.copytree(Path(__file__).parent / "src" / "coursekit" / "data" / "keys", keys)
    os.environ["COURSEKIT_KEYS"] = str(keys)
    os.environ.pop("COURSEKIT_LEARNER", None)
