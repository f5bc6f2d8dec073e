"""``upload youtube``: the edited transcript as a caption track, chapters in the description.

The run first reads every video's snippet (``videos.list``, one unit per 50 videos), then
goes through the episodes in the feed's order. An episode's writes start only when the units
they may cost are left of the day's budget; the first episode that does not fit and every one
after it are ``deferred`` to the next run, which starts there because the state file says what
was already sent. A caption track is listed (``captions.list``) only when our transcript
changed since it was last sent, so an unchanged show costs only the snippet reads.

Never clobber: what a track or block held right after our last write is kept in the state
(the track's ``lastUpdated``, the block's text). When the host's copy differs from that, a
person changed it on YouTube: it is left alone with a warning unless ``--force``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .description import block_text, current_block, with_block
from .plan import Action
from .settings import YouTubeSettings
from .sidecars import BuiltEpisode
from .state import Sent, UploadState, quota_day
from .youtube_api import UNITS, VIDEOS_PER_LIST, ApiFailure, YouTubeApi

TARGET = "youtube"


@dataclass
class Budget:
    """The day's units: what is left, spent as each call is made (and kept in the state)."""

    state: UploadState
    daily: int
    day: str

    @property
    def left(self) -> int:
        return max(0, self.daily - self.state.units_used(self.day))

    def spend(self, call: str) -> None:
        self.state.spend_units(self.day, UNITS[call])

    def exhausted(self) -> None:
        """YouTube said the quota is gone: nothing more today, whatever our count says."""
        self.state.spend_units(self.day, self.left)


def upload(
    episodes: Sequence[BuiltEpisode],
    api: YouTubeApi,
    state: UploadState,
    settings: YouTubeSettings,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> list[Action]:
    """Plan (and unless ``dry_run``, make) the calls for every episode with a video."""
    budget = Budget(state, settings.daily_units, quota_day())
    with_video = [e for e in episodes if e.youtube_id]
    actions = [
        Action(TARGET, e.slug, "video", "unmatched", detail="no YouTube id in the feed")
        for e in episodes
        if not e.youtube_id
    ]
    try:
        snippets = _read_snippets(api, budget, [e.youtube_id or "" for e in with_video])
    except ApiFailure as exc:
        if exc.quota_exceeded:
            budget.exhausted()
        detail = f"{exc}; nothing sent"
        return actions + [
            Action(
                TARGET,
                e.slug,
                "video",
                "deferred" if exc.quota_exceeded else "failed",
                detail=detail,
            )
            for e in with_video
        ]
    stopped = ""
    for episode in with_video:
        snippet = snippets.get(episode.youtube_id or "")
        if snippet is None:
            actions.append(
                Action(
                    TARGET,
                    episode.slug,
                    "video",
                    "unmatched",
                    detail=f"video {episode.youtube_id} not found, or not this channel's",
                )
            )
            continue
        planned = [
            _chapters_action(episode, snippet, state, force),
            _caption_action(episode, state, settings),
        ]
        cost = sum(a.cost for a in planned)
        if stopped or cost > budget.left:
            stopped = stopped or f"{budget.left} units left today; resumes here next run"
            actions += [a.done("deferred", stopped) if a.cost else a for a in planned]
            continue
        if dry_run:
            actions += planned
            continue
        for action in planned:
            if stopped:
                actions.append(action.done("deferred", stopped) if action.cost else action)
                continue
            try:
                actions.append(_send(action, episode, snippet, api, budget, state, settings, force))
            except ApiFailure as exc:
                if exc.quota_exceeded:
                    budget.exhausted()
                    stopped = (
                        f"YouTube says the day's quota is used up ({exc.message}); "
                        "resumes here next run"
                    )
                    actions.append(action.done("deferred", stopped))
                else:
                    actions.append(action.done("failed", str(exc)))
    return actions


def _read_snippets(api: YouTubeApi, budget: Budget, ids: list[str]) -> dict[str, dict[str, Any]]:
    snippets: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), VIDEOS_PER_LIST):
        if budget.left < UNITS["videos.list"]:
            raise ApiFailure("videos.list", "quotaExceeded", "no units left today")
        batch = ids[start : start + VIDEOS_PER_LIST]
        budget.spend("videos.list")
        snippets.update(api.videos(batch))
    return snippets


def _chapters_action(
    episode: BuiltEpisode, snippet: dict[str, Any], state: UploadState, force: bool
) -> Action:
    chapters = episode.files.get("chapters_youtube")
    if chapters is None:
        return Action(
            TARGET,
            episode.slug,
            "chapters",
            "missing",
            detail="no chapters.txt in dist/ (YouTube needs 3 chapters of 10 s from 0:00)",
        )
    description = snippet.get("description", "")
    block = block_text(chapters.read_text())
    now = current_block(description)
    after = with_block(description, block)
    sent = state.get(TARGET, episode.slug, "chapters")
    if now == block:
        return Action(TARGET, episode.slug, "chapters", "unchanged")
    if now is not None and not force and (sent is None or sent.remote_fingerprint != _hash(now)):
        return Action(
            TARGET,
            episode.slug,
            "chapters",
            "edited-remotely",
            detail="the chapter block was changed on YouTube since it was sent; "
            "left as it is (--force replaces it)",
        )
    verb = "update" if now is not None else "create"
    return Action(
        TARGET,
        episode.slug,
        "chapters",
        verb,
        UNITS["videos.update"],
        before=description,
        after=after,
    )


def _caption_action(episode: BuiltEpisode, state: UploadState, settings: YouTubeSettings) -> Action:
    kind = f"transcript_{settings.caption_format}"
    transcript = episode.files.get(kind)
    if transcript is None:
        return Action(
            TARGET,
            episode.slug,
            "captions",
            "missing",
            detail=f"no transcript.{settings.caption_format} in dist/",
        )
    sent = state.get(TARGET, episode.slug, "captions")
    if sent is not None and sent.sha256 == transcript.sha256:
        return Action(TARGET, episode.slug, "captions", "unchanged")
    # captions.list tells insert from update; the worst case is planned
    verb = "update" if sent is not None else "create"
    cost = UNITS["captions.list"] + UNITS["captions.update"]
    return Action(TARGET, episode.slug, "captions", verb, cost)


def _send(
    action: Action,
    episode: BuiltEpisode,
    snippet: dict[str, Any],
    api: YouTubeApi,
    budget: Budget,
    state: UploadState,
    settings: YouTubeSettings,
    force: bool,
) -> Action:
    if action.verb not in {"create", "update"}:
        return action
    video_id = episode.youtube_id or ""
    if action.kind == "chapters":
        budget.spend("videos.update")
        api.update_snippet(video_id, {**snippet, "description": action.after})
        chapters = episode.files["chapters_youtube"]
        block = current_block(action.after) or ""
        state.record(
            TARGET, episode.slug, "chapters", Sent(chapters.sha256, video_id, _hash(block))
        )
        return action
    transcript = episode.files[f"transcript_{settings.caption_format}"]
    budget.spend("captions.list")
    tracks = [
        t
        for t in api.caption_tracks(video_id)
        if t.get("snippet", {}).get("name") == settings.caption_name
        and t.get("snippet", {}).get("language") == settings.caption_language
    ]
    sent = state.get(TARGET, episode.slug, "captions")
    data = transcript.path.read_bytes()
    if not tracks:
        budget.spend("captions.insert")
        made = api.insert_caption(video_id, settings.caption_language, settings.caption_name, data)
        verb = "create"
    else:
        track = tracks[0]
        stamp = track.get("snippet", {}).get("lastUpdated", "")
        if not force and (sent is None or sent.remote_fingerprint != stamp):
            return action.done(
                "edited-remotely",
                f"the track '{settings.caption_name}' was changed "
                "on YouTube since it was sent; left as it is (--force replaces it)",
            )
        budget.spend("captions.update")
        made = api.update_caption(track["id"], data)
        verb = "update"
    stamp = made.get("snippet", {}).get("lastUpdated", "")
    state.record(
        TARGET, episode.slug, "captions", Sent(transcript.sha256, made.get("id", ""), stamp)
    )
    return action.done(verb)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
