"""The output contract: an output folder is replaced whole or not at all, by one writer.

Every command that writes a folder (``sim run``, ``sim report --from``, ``sim population``,
and the Python API's ``Results.report``) goes through :func:`output_folder`:

1. **Checked before any work** (:func:`check_target`): the target is not a file, does not lie
   under a file, its nearest existing folder is writable, every name fits the file system
   (with room for the temporary names below), and it neither is, contains nor lies inside
   an input (a population folder, a ``--from`` folder's results, a profile or scenario file)
   — so a run can never delete or write into its own population.
2. **One writer**: a lock file ``.<name>.lock`` beside the target, held with ``flock`` for
   the whole write; a second writer gets one line naming the holder's pid. The kernel
   drops the lock when its process dies, so a killed run never leaves a lock that blocks.
3. **Written beside, swapped in**: everything is written into ``.<name>.tmp-<pid>`` beside
   the target (same file system, so renames are atomic; created with ``os.mkdir``, so its
   mode follows the umask). At the end the new folder replaces the old one: on Linux in one
   ``renameat2(RENAME_EXCHANGE)`` (the target holds the old or the new folder at every
   instant), elsewhere by renaming the old folder aside to ``.<name>.old-<pid>``, the new
   one in, and deleting the old one. Then the old folder is deleted.
4. **Leftovers of dead runs**: whoever holds the lock knows that every other
   ``.<name>.tmp-*`` and ``.<name>.old-*`` beside the target belongs to a run that died
   (the lock proves no other writer is alive). Temporary folders are deleted; an
   ``.old-*`` folder is renamed back into place when the target is missing (a run killed
   between the two renames of the fallback swap), else deleted. What was done is returned
   in :attr:`OutputWriter.cleaned` and logged as a warning of the ``sim`` logger (without
   logging configured, Python prints it on stderr).

Test hook: with ``SIM_TEST_PAUSE_AT`` set to ``writing`` or ``swap`` and
``SIM_TEST_PAUSE_FILE`` to a path, the writer creates that file and sleeps when it
reaches that point (used by tests/test_reliability.py to SIGKILL a writer exactly there);
``SIM_TEST_NO_EXCHANGE=1`` forces the portable two-rename swap. Nothing is read from the
environment on import.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sim.common.errors import SimInputError

#: Characters the temporary names add to the target's name (".", ".tmp-", a pid of up to 10
#: digits): a target name longer than the file system's limit less this is refused.
NAME_ROOM = 16

_RENAME_EXCHANGE = 2  # linux/fs.h


def resolved(path: str | Path) -> Path:
    """``path`` made absolute with symlinks resolved as far as it exists."""
    return Path(os.path.abspath(path)).resolve(strict=False)


def overlaps(a: str | Path, b: str | Path) -> bool:
    """``a`` is ``b``, contains it or lies inside it (after resolving both).

    >>> overlaps("/data/pop", "/data/pop/results"), overlaps("/data/pop", "/data/out")
    (True, False)
    """
    ra, rb = resolved(a), resolved(b)
    return ra == rb or ra in rb.parents or rb in ra.parents


def check_target(
    target: str | Path,
    *,
    force: bool = False,
    inputs: Iterable[str | Path | None] = (),
    what: str = "--out",
    probe_lock: bool = True,
) -> Path:
    """Refuse, with one line, a target folder that cannot or must not be written.

    Called before any computation. ``inputs`` are paths the command reads (None skipped).
    ``probe_lock``: also refuse when another writer holds the target's lock (off for the
    check :func:`output_folder` repeats while it holds the lock itself).
    Returns the target as given (a :class:`Path`).
    """
    if not str(target).strip():  # Path("") would be the working folder
        raise SimInputError(f"{what} is empty")
    target = Path(target)
    try:
        _check_target(target, force=force, inputs=inputs, what=what, probe_lock=probe_lock)
    except OSError as error:  # a path the system refuses outright
        raise SimInputError(f"{what} {str(target)[:80]}: {error.strerror}") from None
    return target


def _check_target(
    target: Path,
    *,
    force: bool,
    inputs: Iterable[str | Path | None],
    what: str,
    probe_lock: bool,
) -> None:
    absolute = Path(os.path.abspath(target))
    if len(os.fsencode(str(absolute))) + NAME_ROOM > _limit(absolute, "PC_PATH_MAX", 4096):
        raise SimInputError(
            f"{what} {str(target)[:80]}...: the path is too long for the file system"
        )
    existing = absolute.parent
    while not existing.exists():
        existing = existing.parent
    name_max = _limit(existing, "PC_NAME_MAX", 255)
    new_parts = absolute.relative_to(existing).parts
    for i, part in enumerate(new_parts):
        room = NAME_ROOM if i == len(new_parts) - 1 else 0
        if len(os.fsencode(part)) + room > name_max:
            raise SimInputError(f"{what} {str(target)[:80]}: the name {part[:40]}... is too long")
    for source in inputs:
        if source is not None and overlaps(target, source):
            raise SimInputError(
                f"{what} {target} overlaps the input {source}; "
                "an output may not be, contain or lie inside an input"
            )
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise SimInputError(f"{what} {target} exists and is not a folder")
        if not force:
            raise SimInputError(f"{target} exists; use --force to overwrite it")
    if not existing.is_dir():
        raise SimInputError(f"{what} {target} lies under {existing}, which is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SimInputError(f"{what} {target}: {existing} is not writable")
    if probe_lock:
        _refuse_if_locked(target)


def _refuse_if_locked(target: Path) -> None:
    """Refuse now, before any work, when another writer holds the target's lock (the lock
    itself is taken when the writing starts: :func:`writer_lock`)."""
    import fcntl

    try:
        fd = os.open(_lock_path(target), os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise _locked(target, fd) from None
    finally:
        os.close(fd)  # also releases the probe's own lock


def _lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def _locked(target: Path, fd: int) -> SimInputError:
    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
    return SimInputError(
        f"{target} is being written by another sim process (pid {holder}); wait for it to finish"
    )


def _limit(path: Path, name: str, default: int) -> int:
    probe = path
    while not probe.exists():
        probe = probe.parent
    try:
        return os.pathconf(probe, name)
    except (OSError, ValueError):
        return default


class OutputWriter:
    """The state of one write: the temporary folder to fill and what was cleaned up."""

    def __init__(self, target: Path, tmp: Path, cleaned: list[str]) -> None:
        self.target = target
        self.tmp = tmp
        self.cleaned = cleaned


@contextlib.contextmanager
def output_folder(
    target: str | Path,
    *,
    force: bool = False,
    inputs: Iterable[str | Path | None] = (),
    what: str = "--out",
    seed_from: Path | None = None,
) -> Iterator[OutputWriter]:
    """Write a folder atomically: ``with output_folder(out) as w: write into w.tmp``.

    On a clean exit the folder ``w.tmp`` replaces ``target`` whole; on an exception it is
    deleted and ``target`` is untouched. ``seed_from``: start the temporary folder as a copy
    of this folder (hard links where possible), for commands that rewrite part of a folder.
    The checks of :func:`check_target` are made again under the lock.
    """
    target = Path(target)
    if target.is_symlink():  # write where the link points; the link itself stays
        target = target.resolve()
    inputs = list(inputs)
    check_target(target, force=force, inputs=inputs, what=what)
    target.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(target) as cleaned:
        # Under the lock: another writer may have created the target meanwhile.
        check_target(target, force=force, inputs=inputs, what=what, probe_lock=False)
        tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
        if seed_from is not None:
            shutil.copytree(seed_from, tmp, copy_function=_link_or_copy)
        else:
            os.mkdir(tmp)
        try:
            yield OutputWriter(target, tmp, cleaned)
            _swap(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(tmp: Path, target: Path) -> None:
    """Put ``tmp`` at ``target``; the old ``target`` (if any) is deleted afterwards."""
    if not target.exists():
        pause_point("swap")
        os.rename(tmp, target)
        return
    if _exchange(tmp, target):
        pause_point("swap")  # after the exchange: the target is the new folder, tmp the old one
        shutil.rmtree(tmp, ignore_errors=True)
        return
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    os.rename(target, old)
    pause_point("swap")  # between the two renames: the next writer puts the old folder back
    os.rename(tmp, target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where that is not available."""
    if not sys.platform.startswith("linux") or os.environ.get("SIM_TEST_NO_EXCHANGE") == "1":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(
        at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # a file system without exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def writer_lock(target: Path) -> Iterator[list[str]]:
    """Hold ``.<name>.lock`` beside ``target``; yields what was cleaned of dead runs."""
    import fcntl

    path = _lock_path(target)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            error = _locked(target, fd)
            os.close(fd)
            raise error from None
        # The file may have been removed by the previous holder after we opened it.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield _clean_dead_runs(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)


def _clean_dead_runs(target: Path) -> list[str]:
    """Remove the temporary folders of writers that died; restore a target they left out."""
    cleaned = []
    prefix = f".{target.name}."
    leftovers = sorted(
        p
        for p in target.parent.iterdir()
        if p.name.startswith(prefix)
        and (p.name[len(prefix) :].startswith(("tmp-", "old-")))
        and p.is_dir()
    )
    for path in leftovers:
        if path.name[len(prefix) :].startswith("old-") and not target.exists():
            os.rename(path, target)
            cleaned.append(f"restored {target} from {path.name} (a run died while swapping)")
        else:
            if path.is_symlink():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)
            cleaned.append(f"removed {path} (left by a run that died)")
    for line in cleaned:
        logging.getLogger("sim").warning("sim: note: %s", line)
    return cleaned


def pause_point(point: str) -> None:
    """The test hook (see the module docstring): stop here until killed. Writers call
    ``pause_point("writing")`` half-way through their files."""
    if os.environ.get("SIM_TEST_PAUSE_AT") != point:
        return
    flag = os.environ.get("SIM_TEST_PAUSE_FILE")
    if flag:
        Path(flag).write_text(str(os.getpid()))
    while True:  # pragma: no cover - ends by SIGKILL
        time.sleep(1)


def write_file(path: str | Path, write: Callable[[Path], object]) -> None:
    """One file, whole or not at all: ``write(tmp)`` writes a temporary file beside ``path``
    (``.<name>.<pid>.tmp<suffix>``: the suffix kept for writers that read the format from
    it), which is then renamed to ``path``; if writing fails it is removed, and ``path`` is
    as it was. The file gets the permissions of any file the user creates (no mkstemp's
    0600)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
