"""Private folders (mode 0700) for a template's socket and its kernels' connection files, and for a batch's
temporary files: each locked by the process that made it, and removed by the next one to start if that process
was killed with nobody left to clean up."""

from __future__ import annotations

import os

OWNER_FILE = ".owner"  # held locked (flock) by the process that made the folder, for as long as it runs


def temp_base() -> str:
    """Where private folders go: the temporary directory, unless its path is too long for the Unix sockets made
    in them (about 107 bytes in all); then /tmp, as Python 3.12's multiprocessing does."""
    import tempfile

    base = tempfile.gettempdir()
    if len(os.fsencode(base)) > 60 and os.path.isdir("/tmp") and os.access("/tmp", os.W_OK | os.X_OK):
        return "/tmp"
    return base


def private_folder(prefix: str) -> tuple[str, int]:
    """A new folder in the temporary directory, mode 0700, and the descriptor of the lock its maker holds on it
    (close it after removing the folder). While the lock is held, :func:`remove_stale_folders` leaves it alone."""
    import fcntl
    import tempfile

    folder = tempfile.mkdtemp(prefix=prefix, dir=temp_base())
    fd = os.open(os.path.join(folder, OWNER_FILE), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return folder, fd


def remove_stale_folders(prefixes: tuple[str, ...] = ("briefing-kernels-", "briefing-batch-")) -> None:
    """Remove the private folders (``prefixes``) of templates and batches that were killed with nobody left to clean
    up: folders of this user whose owner lock nobody holds. A folder being made (no lock file yet) is left."""
    import fcntl
    import shutil
    import stat
    import tempfile

    paths = []
    for top in dict.fromkeys((tempfile.gettempdir(), temp_base())):
        try:
            paths += [os.path.join(top, n) for n in os.listdir(top) if n.startswith(prefixes)]
        except OSError:
            pass
    for path in paths:
        try:
            st = os.lstat(path)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                continue
            fd = os.open(os.path.join(path, OWNER_FILE), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its owner is running
        finally:
            os.close(fd)
        shutil.rmtree(path, ignore_errors=True)


def _remove_folder(folder: str | None, lock_fd: int | None) -> None:
    import shutil

    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    if lock_fd is not None:
        try:
            os.close(lock_fd)
        except OSError:
            pass
