"""Links for a room: Binder launch links and nbgitpuller links for a JupyterHub."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlparse

from coursekit.errors import CourseError


def binder_link(repo: str, branch: str = "HEAD", notebook: str = "00-start-here.ipynb") -> str:
    """mybinder.org launch link for a GitHub repository URL or OWNER/REPO."""
    if "://" in repo:
        _check_url("--repo", repo)
    path = urlparse(repo).path if "://" in repo else repo
    owner_repo = path.strip("/").removesuffix(".git")
    if owner_repo.count("/") != 1 or not re.fullmatch(r"[\w.-]+/[\w.-]+", owner_repo):
        raise CourseError.at("links", "--repo", f"{repo!r} is not a GitHub repository", "give it as https://github.com/OWNER/REPO")
    return f"https://mybinder.org/v2/gh/{owner_repo}/{quote(branch, safe='')}?urlpath={quote(f'lab/tree/notebooks/{notebook}', safe='/')}"


def nbgitpuller_link(hub: str, repo: str, branch: str, notebook: str = "00-start-here.ipynb") -> str:
    """A JupyterHub link that pulls the course into each learner's home and opens ``notebook``. The clone's folder
    is named in the link (``targetpath``): nbgitpuller would otherwise name it after the URL, ``REPO.git`` for a
    repository URL ending in ``.git``, and the link would open a folder that does not exist."""
    for name, url in (("--hub", hub), ("--repo", repo)):
        _check_url(name, url)
    folder = urlparse(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder, "urlpath": f"lab/tree/{folder}/notebooks/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def _check_url(name: str, url: str) -> None:
    """A URL fit to print in a link for a room: http(s), a host, no user info, no control characters or spaces."""
    def bad(problem: str, fix: str = "give a full http(s) URL such as https://hub.example.org") -> CourseError:
        return CourseError.at("links", name, f"{url!r} {problem}", fix)

    if any(not ch.isprintable() or ch.isspace() for ch in url):
        raise bad("holds control characters or spaces", "give the URL alone, with no spaces or control characters")
    try:
        parts = urlparse(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise bad("is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad("is not a full http(s) URL")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise bad("holds a user name or password", "give the URL without `user:password@`; learners sign in on the hub")
