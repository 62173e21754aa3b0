"""File input and output for the whole project: one reader for users' text files, one atomic writer,
and a lock file that also works on network home directories (NFS), where ``flock`` does not.

* ``read_text(path, field)``: a user's text file, every way it can be unreadable a ``CourseError``.
* ``atomic_write(path, data)``: a reader sees the old file or the new one, never half of one. The
  temporary file sits in the same folder (so ``os.replace`` is atomic), is fsynced, and is removed if
  the write fails. A writer killed mid-write leaves ``.NAME.XXXX.coursekit-tmp``; the next write into
  that folder sweeps such files once they are older than a minute.
* ``atomic_write_all({path: data})``: several files, all replaced or none (a build's notebooks): a rename that
  fails puts back the files replaced before it.
* ``file_lock(path)``: a lock file created with ``O_CREAT | O_EXCL`` (atomic on NFS v3 and later),
  holding ``pid host time``. A lock whose process is gone (same host) or that is older than
  ``STALE_LOCK_SECONDS`` is broken: a holder keeps it for milliseconds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from coursekit.errors import CourseError

MAX_INPUT_BYTES = 2_000_000
TMP_SUFFIX = ".coursekit-tmp"
STALE_TMP_SECONDS = 60
STALE_LOCK_SECONDS = 30
LOCK_TIMEOUT_SECONDS = 20


def read_text(path: str | Path, field: str = "file", limit: int = MAX_INPUT_BYTES) -> str:
    """Read a user's text file, turning every way it can be unreadable into a CourseError."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise CourseError.at(p, field, f"cannot read: {exc.strerror or exc}", "check the path") from None
    if not p.is_file():
        raise CourseError.at(p, field, "is not a file", "give the path of a file")
    if size > limit:
        raise CourseError.at(
            p, field, f"file is {size:,} bytes, more than the {limit:,} allowed", "split or shorten it"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise CourseError.at(p, field, f"cannot read: {exc.strerror or exc}", "check the file's permissions") from None
    if b"\x00" in data:
        raise CourseError.at(p, field, "is a binary file, not text", "save it as UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CourseError.at(
            p, field, f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8 text"
        ) from None


def repeated(names: Iterable[str], norm: Callable[[str], str] = str) -> str | None:
    """The first column header written twice (as ``norm`` compares them), else None: a CSV reader keeps one of the two
    silently, so which column counts would be a guess."""
    seen: set[str] = set()
    for name in names:
        key = norm(name)
        if key in seen:
            return name
        seen.add(key)
    return None


def sweep_temporaries(folder: Path, older_than: float = STALE_TMP_SECONDS) -> list[Path]:
    """Remove temporary files that killed writers left in ``folder``; returns what was removed."""
    removed = []
    now = time.time()
    with contextlib.suppress(OSError):
        for p in folder.glob(f".*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if now - p.lstat().st_mtime > older_than:
                    p.unlink()
                    removed.append(p)
    return removed


def _mode(path: Path, mode: int | None) -> int:
    if mode is not None:
        return mode
    try:
        return path.stat().st_mode & 0o777  # keep the mode of the file being replaced
    except OSError:
        return 0o644


def _stage(path: Path, data: str | bytes, mode: int | None) -> Path:
    """Write ``data`` to a fsynced temporary file beside ``path``; returns the temporary path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(path, mode))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (best effort: some file systems cannot open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def private_folder(folder: Path) -> None:
    """Make ``folder`` (and missing parents) readable by this user only, or check that an existing one is a real folder
    (not a link) this user owns that no one else can write to. ``PermissionError`` naming the folder if not."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # made meanwhile: checked below like any other
            os.mkdir(folder, 0o700)
        st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
        why = ("is not a folder (a link or a file is in its place)" if not stat.S_ISDIR(st.st_mode) else
               "belongs to another account" if st.st_uid != os.geteuid() else "others can write to it")
        raise PermissionError(errno.EPERM, f"{why}: remove it and write again (it is made private then)", str(folder))


def atomic_write(path: str | Path, data: str | bytes, *, mode: int | None = None, parents: bool = True,
                 private: bool = False) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) so readers never see half a file.

    ``mode`` defaults to the replaced file's mode, else 0o644. Missing folders above ``path`` are made unless
    ``parents`` is false (a folder someone else made, such as the room's exchange, is never made again by a writer:
    ``FileNotFoundError`` then); with ``private`` the folder is made readable by this user only, and an existing one
    must be this user's own (see :func:`private_folder`). Raises ``OSError`` when it cannot write.
    """
    path = Path(path)
    if private:
        private_folder(path.parent)
    elif parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "the folder is gone (it is not made again here)", str(path.parent))
    sweep_temporaries(path.parent)
    tmp = _stage(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _keep(path: Path) -> Path | None:
    """A second name for the file at ``path`` (a hard link, else a copy) to put back if a later rename fails; None if
    there is no file there."""
    if not path.is_file():
        return None
    spare = path.with_name(f".{path.name}.{secrets.token_hex(6)}.old{TMP_SUFFIX}")
    try:
        os.link(path, spare)
    except OSError:
        spare.write_bytes(path.read_bytes())
    return spare


def atomic_write_all(files: Mapping[str | Path, str | bytes], *, mode: int | None = None) -> None:
    """Write several files all or nothing: every one is staged first (if staging any fails, none is replaced), the
    files replaced are kept under a second name until every rename has succeeded, and a rename that fails (a file
    another account owns in a sticky folder, say) puts back every file replaced before it: the old set stays whole."""
    staged: list[tuple[Path, Path, Path | None]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            if path.is_dir() and not path.is_symlink():  # found now, before any rename: no file goes over a folder
                raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(path))
            path.parent.mkdir(parents=True, exist_ok=True)
            sweep_temporaries(path.parent)
            tmp = _stage(path, data, mode)
            staged.append((tmp, path, None))
            staged[-1] = (tmp, path, _keep(path))
    except BaseException:
        for tmp, _, spare in staged:
            tmp.unlink(missing_ok=True)
            if spare:
                spare.unlink(missing_ok=True)
        raise
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, path, spare in staged:  # renames in one folder: each atomic, and they do not fail for want of space
            os.replace(tmp, path)
            done.append((path, spare))
    except BaseException:
        for path, spare in reversed(done):  # put the old set back
            with contextlib.suppress(OSError):
                if spare:
                    os.replace(spare, path)
                else:
                    path.unlink()
        for tmp, _, spare in staged:
            tmp.unlink(missing_ok=True)
            if spare:
                spare.unlink(missing_ok=True)
        raise
    for _, _, spare in staged:
        if spare:
            spare.unlink(missing_ok=True)
    for folder in {p.parent for _, p, _ in staged}:
        _sync_folder(folder)


class LockTimeout(OSError):
    """Another process held the lock longer than the timeout."""


def _holder(lock: Path) -> tuple[str, float] | None:
    """(content, age in seconds) of a lock file; None if it vanished."""
    try:
        st = lock.stat()
        return lock.read_text(encoding="utf-8", errors="replace"), time.time() - st.st_mtime
    except FileNotFoundError:
        return None


def _is_stale(content: str, age: float, stale_after: float) -> bool:
    if age > stale_after:
        return True
    parts = content.split()
    if len(parts) >= 2 and parts[1] == socket.gethostname() and parts[0].isdigit():
        try:
            os.kill(int(parts[0]), 0)
        except ProcessLookupError:
            return True  # its process is gone
        except OSError:
            return False  # alive, owned by someone else
    return False


def _break(lock: Path, seen: str) -> None:
    """Remove a stale lock, unless it changed hands since we judged it (then put it back)."""
    aside = lock.with_name(f".{lock.name}.{secrets.token_hex(6)}{TMP_SUFFIX}")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return
    try:
        if aside.read_text(encoding="utf-8", errors="replace") != seen:
            with contextlib.suppress(OSError):
                os.link(aside, lock)  # a fresh lock taken meanwhile: give it back (never overwrites)
    finally:
        aside.unlink(missing_ok=True)


@contextlib.contextmanager
def file_lock(path: str | Path, *, timeout: float = LOCK_TIMEOUT_SECONDS,
              stale_after: float = STALE_LOCK_SECONDS) -> Iterator[Path]:
    """Hold ``<path>.lock`` for the duration of the block. Raises ``LockTimeout`` or another ``OSError``."""
    lock = Path(f"{path}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    me = f"{os.getpid()} {socket.gethostname()} {time.time():.3f} {secrets.token_hex(4)}\n"
    deadline, pause = time.monotonic() + timeout, 0.001
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            held = _holder(lock)
            if held is None:
                continue  # released meanwhile
            content, age = held
            if _is_stale(content, age, stale_after):
                _break(lock, content)
                continue
            if time.monotonic() > deadline:
                raise LockTimeout(f"{lock} is held by another process ({content.strip() or 'unknown'})") from None
            time.sleep(pause * (0.5 + secrets.randbelow(1000) / 1000))
            pause = min(pause * 2, 0.05)
            continue
        try:
            os.write(fd, me.encode())
        except BaseException:  # a full disk: a lock left empty would hold off every later save for the stale time
            os.close(fd)
            with contextlib.suppress(OSError):
                lock.unlink()
            raise
        os.close(fd)
        break
    try:
        yield lock
    finally:
        if (_holder(lock) or ("",))[0] == me:  # never remove a lock that was broken and taken by another
            lock.unlink(missing_ok=True)
