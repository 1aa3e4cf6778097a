"""Errors the command line turns into one clear line and an exit code (never a traceback)."""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 75


class BriefingError(Exception):
    """A problem the user can fix; ``exit_code`` is what the CLI returns."""

    exit_code = EXIT_FAILED


class InputError(BriefingError):
    """Bad input or parameters: exit code 2, raised before any kernel starts."""

    exit_code = EXIT_BAD_INPUT


class StageError(BriefingError):
    """A notebook or document stage failed: exit code 1."""

    exit_code = EXIT_FAILED


class LockedError(BriefingError):
    """Another render of the same article holds its lock: exit code 75."""

    exit_code = EXIT_LOCKED
