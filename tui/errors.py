"""Failures that the command line reports as one plain line."""


class CommandError(Exception):
    """A failure to report as one plain line; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code
