"""Problems with a place, and the exceptions that carry them.

Every exception class of the tool is in this tree, under the class it derives from (a class
defined outside this module names its module in brackets; ``tests/test_errors_tree.py`` checks
the tree against the classes)::

    Exception
    ├── FeedgenPodError          anything the CLI turns into a message, never a traceback
    │   ├── ConfigError          the show's config is unusable (exit 2, nothing written)
    │   ├── InputError           one input file is unusable; it is skipped, the rest build
    │   │   ├── FrontMatterError [load.yaml_nodes; also ValueError] its front matter
    │   │   │                    cannot be read
    │   │   └── FieldError       [load.field_base; also ValueError] one front matter value
    │   │                        cannot be used
    │   ├── OutputError          a path would escape dist/, two outputs claim one path, or
    │   │                        a write failed (``write_failure``: disk full, read-only)
    │   ├── PublishError         [publish] an upload or a publish plan failed
    │   └── DistUnreadable       [upload.sidecars] dist/ has no readable manifest or feed
    ├── NetError                 [net.errors] a request that ended with no answer (a kind says
    │   │                        why: refused, timed out, too large...)
    │   └── FeedUnavailable      [load.hostfeed] a host feed URL answered with an error status
    ├── HostError                [upload.hosts] a podcast host refused an upload or was not
    │                            reached
    ├── ApiFailure               [upload.youtube_api] a YouTube call refused or not delivered
    └── Unconfirmed              [linkcheck.check] a HEAD 404 to ask again with GET later
    ValueError
    ├── LimitError               [config_values] a config text over its Podcasting 2.0 limit
    ├── LiveError                [load.live] a wrong part of an episode's ``live:``
    └── UnreadableFeed           [feeddiff.read] ``diff`` cannot fetch or read a feed
    BaseException
    └── Terminated               [cli] SIGTERM, raised like Ctrl-C so ``finally`` blocks run

``NetError`` and the link checker's ``Unconfirmed`` become a problem or a link's state (its
kind says which); they never reach the CLI as a traceback.

Parsing helpers (``times``, ``load.fields``) raise a plain ``ValueError`` for a value they
cannot read; their callers turn it into a ``Problem`` at once, as modules do with their
private control-flow exceptions (``load.yaml_nodes._Fallback``). Problems that do not stop
anything (warnings, or a skipped episode) are ``Problem`` values, collected while building
and printed once at the end.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    WARNING = "warning"
    ERROR = "error"
    #: a measurement worth printing (say, how well captions aligned); never fails a build
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with an input, with where it is and what to do.

    Reads like ``episodes/s21e03.md:14: duration: expected ISO 8601 like PT1H2M3S, got '90 min'``.
    """

    path: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = Severity.ERROR
    #: a short stable code for what went wrong (``audio-id-clash``, ``duration-invalid``), for
    #: grouping the build's summary and for ``validate --only/--ignore``; "" is not yet given one
    kind: str = ""

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {self.severity.value}: {what}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def display_path(path: Path | str | None) -> str:
    """A path as the user will recognise it: relative to the working directory when inside it."""
    if path is None:
        return "<input>"
    given = Path(path)
    try:
        return str(given.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(given)


#: what an ``OSError`` of a write means to the user, and what to do about it
_WRITE_FAILURES = {
    errno.ENOSPC: ("no space left on device", "free space and {again}"),
    errno.EDQUOT: ("disk quota exceeded", "free space and {again}"),
    errno.EROFS: ("the file system is read-only", "use a writable folder and {again}"),
    errno.EACCES: ("permission denied", "make the folder writable and {again}"),
    errno.EPERM: ("not permitted", "make the folder writable and {again}"),
    errno.EISDIR: ("a folder is where this file goes", "remove or rename that folder and {again}"),
    errno.ENOTDIR: ("a file is where a folder goes", "remove or rename that file and {again}"),
    errno.EEXIST: ("a file is where a folder goes", "remove or rename that file and {again}"),
    errno.ENAMETOOLONG: ("the name is too long for the file system", "shorten the file's name"),
    errno.EMFILE: ("too many open files", "raise the limit (ulimit -n) and {again}"),
    errno.EIO: ("the disk reported an I/O error", "check the disk and {again}"),
}


def write_failure(path: Path | str, exc: OSError, again: str = "build again") -> Problem:
    """A failed write as the user reads it: what happened in words, that nothing was left
    half-written (every write goes to a temporary file renamed into place), and what to do."""
    what, todo = _WRITE_FAILURES.get(
        exc.errno or 0, (exc.strerror or str(exc), "check the folder and {again}")
    )
    return Problem(
        display_path(path),
        None,
        None,
        f"{what}; nothing was half-written; {todo.format(again=again)}",
        kind="output-unwritable",
    )


class FeedgenPodError(Exception):
    """Base of every error the CLI reports as a message."""

    def __init__(self, problem: Problem | str):
        self.problem = problem if isinstance(problem, Problem) else None
        super().__init__(str(problem))


class ConfigError(FeedgenPodError):
    """The show's config cannot be used."""


class InputError(FeedgenPodError):
    """An input file cannot be used; the caller skips it and goes on."""


class OutputError(FeedgenPodError):
    """An output path escapes the output folder or is claimed twice."""
