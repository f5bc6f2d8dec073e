"""The upload report's text: a dry run says what it *would* send, and what already happened
(a failed read, an episode left as it is) as it is."""

from __future__ import annotations

from feedgen_pod.upload.plan import Action, render


def test_dry_run_says_would_only_for_what_it_would_send() -> None:
    actions = [
        Action("youtube", "a", "captions", "create", cost=400),
        Action("youtube", "b", "captions", "unchanged"),
        Action("youtube", "c", "video", "failed", detail="the host does not resolve"),
    ]
    lines = render(actions, "text", dry_run=True, unit="units").splitlines()
    assert lines[:3] == [
        "youtube a captions: would create (400 units)",
        "youtube b captions: unchanged",
        "youtube c video: failed: the host does not resolve",
    ]
    done = render(actions, "text", dry_run=False, unit="units").splitlines()
    assert done[0] == "youtube a captions: create (400 units)"
