"""Reading the project's locks: requirements/lock.txt (uv's universal lock), binder/requirements.txt (its subset)
and requirements/npm (the hub tests' proxy). Shared by the lock test and the Binder test."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
BINDER = ROOT / "binder" / "requirements.txt"
NPM = ROOT / "requirements" / "npm"

_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.+))?$")

def pins(path: Path = LOCK, env: dict | None = None) -> dict[str, str]:
    """Every ``name==version`` line of a lock, name normalized, keeping those whose marker holds here (or in ``env``).

    Any other requirement line (a range, a URL, an editable) is an error: a lock pins."""
    out = {}
    for n, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("-c "):
            continue
        m = _PIN.match(line)
        if not m:
            raise AssertionError(f"{path.name}:{n}: {line!r} is not an exact pin (name==version)")
        name, version, marker = m.groups()
        if marker is None or Marker(marker).evaluate(env):
            out[canonicalize_name(name)] = version
    return out

def declared(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    """The names pyproject.toml asks for: dependencies and every extra."""

    project = tomllib.loads(pyproject.read_text())["project"]
    reqs = list(project["dependencies"]) + [r for extra in project["optional-dependencies"].values() for r in extra]
    return {canonicalize_name(Requirement(r).name) for r in reqs}

def npm_pins() -> tuple[dict, dict]:
    """package.json's dependencies and the package-lock's versions of them."""
    pkg = json.loads((NPM / "package.json").read_text())["dependencies"]
    lock = json.loads((NPM / "package-lock.json").read_text())["packages"]
    return pkg, {name: lock[f"node_modules/{name}"]["version"] for name in pkg}
