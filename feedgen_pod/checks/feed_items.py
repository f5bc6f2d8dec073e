"""A feed without items is an error: every app would drop the show's episodes.

Episode files were found but none became a feed item (each was skipped, had no audio, or
was not read by the preset): the build says so once, at the config, with the files and the
reasons, so the cause is not buried under each file's own message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..model import Episode, Show

#: the problem kinds that say why a file gave no item
_WHY = (
    "episode-unread",
    "not-an-episode",
    "episode-draft",
    "episode-scheduled",
    "episode-left-out",
    "no-audio",
    "episode-no-title",
    "yaml-invalid",
    "file-unreadable",
)


def empty_feed(
    show: Show,
    files: Sequence[Path],
    episodes: Sequence[Episode],
    problems: Sequence[Problem],
) -> list[Problem]:
    """An error when ``files`` were found and no episode has audio (a feed item). A show in
    this project's own layout with no audio source configured (no host feed, no media folder)
    is told with a warning, as each of its episodes is: its transcripts and chapters are
    still built, and it has no feed to keep."""
    if not files or any(e.audio is not None or e.live is not None for e in episodes):
        return []
    reasons: dict[str, str] = {}
    for problem in problems:
        if problem.kind in _WHY and problem.path not in reasons:
            reasons[problem.path] = f"{problem.path}: {problem.message}"
    shown = list(reasons.values())[:3]
    more = len(files) - len(shown)
    detail = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
    sourced = show.site.is_site or show.audio_feed is not None or show.media_dir is not None
    return [
        Problem(
            display_path(show.source),
            None,
            None,
            f"{len(files)} episode files found but the feed has no item (a feed without items "
            f"makes every app drop the show's episodes): {detail or 'none has audio'}; set "
            "preset (and fields:) to the site's layout, or give the episodes audio",
            Severity.ERROR if sourced else Severity.WARNING,
            kind="feed-empty",
        )
    ]
