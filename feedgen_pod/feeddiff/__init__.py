"""``feedgen-pod diff``: the feed subscribers have now against the one about to be published.

``read`` turns any RSS feed into plain values, ``compare`` pairs the items and finds what apps
will see (added, removed, changed, and the breaks that hurt subscribers), and ``report`` has
one small formatter per output format.
"""

from __future__ import annotations

from .compare import Break, Change, Changed, Diff, compare
from .read import Feed, Item, UnreadableFeed, load_feed, parse_feed

__all__ = [
    "Break",
    "Change",
    "Changed",
    "Diff",
    "Feed",
    "Item",
    "UnreadableFeed",
    "compare",
    "load_feed",
    "parse_feed",
]
