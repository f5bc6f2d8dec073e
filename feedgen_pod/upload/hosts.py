"""What Buzzsprout and Transistor uploads share: matching episodes, and never clobbering.

A host knows an episode by its own id. Ours are matched to theirs by guid, then audio URL,
then title (compared without case, punctuation or spacing), each host episode at most once;
the unmatched are listed. For each kind (transcript, chapters), an unchanged file costs no
request; a changed one is sent unless the host's copy differs from what it held right after
our last send, which means a person edited it there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..load.audio_match import normalise_title
from ..net import NetError
from .plan import Action
from .sidecars import BuiltEpisode, Sidecar
from .state import Sent, UploadState


@dataclass(frozen=True)
class RemoteEpisode:
    remote_id: str
    title: str
    guid: str = ""
    audio_url: str = ""


class HostError(Exception):
    """A host answered with an error, or could not be reached; the message says which."""


class HostApi(Protocol):
    @property
    def target(self) -> str: ...

    @property
    def kinds(self) -> dict[str, str]:
        """Our sidecar kind for each kind the host keeps: {"transcript": "transcript_srt"}."""
        ...

    def episodes(self) -> list[RemoteEpisode]: ...

    def current(self, kind: str, remote_id: str) -> str | None: ...

    def send(self, kind: str, remote_id: str, sidecar: Sidecar) -> str:
        """Sends the file; returns it in the form ``current`` will read it back."""
        ...


def match(
    ours: Sequence[BuiltEpisode], theirs: Sequence[RemoteEpisode]
) -> dict[str, RemoteEpisode]:
    """slug → the host's episode, by guid, then audio URL, then title; each used once."""
    found: dict[str, RemoteEpisode] = {}
    taken: set[str] = set()
    keys: list[Callable[[BuiltEpisode | RemoteEpisode], str]] = [
        lambda e: e.guid,
        lambda e: e.audio_url.split("?", 1)[0],
        lambda e: normalise_title(e.title),
    ]
    for key in keys:
        index: dict[str, list[RemoteEpisode]] = {}
        for remote in theirs:
            if remote.remote_id not in taken and key(remote):
                index.setdefault(key(remote), []).append(remote)
        for episode in ours:
            candidates = index.get(key(episode), []) if key(episode) else []
            free = [r for r in candidates if r.remote_id not in taken]
            if episode.slug not in found and len(free) == 1:
                found[episode.slug] = free[0]
                taken.add(free[0].remote_id)
    return found


def upload(
    episodes: Sequence[BuiltEpisode],
    host: HostApi,
    state: UploadState,
    *,
    dry_run: bool = False,
    force: bool = False,
) -> list[Action]:
    target = host.target
    try:
        remote = match(episodes, host.episodes())
    except HostError as exc:
        return [Action(target, "-", "episodes", "failed", detail=str(exc))]
    actions = []
    for episode in episodes:
        theirs = remote.get(episode.slug)
        if theirs is None:
            actions.append(
                Action(
                    target,
                    episode.slug,
                    "episode",
                    "unmatched",
                    detail="no episode with this guid, audio URL or title at the host",
                )
            )
            continue
        for kind, ours in host.kinds.items():
            sidecar = episode.files.get(ours)
            if sidecar is None:
                actions.append(
                    Action(target, episode.slug, kind, "missing", detail=f"no {ours} file in dist/")
                )
                continue
            sent = state.get(target, episode.slug, kind)
            if (
                sent is not None
                and sent.sha256 == sidecar.sha256
                and sent.remote_id == theirs.remote_id
            ):
                actions.append(Action(target, episode.slug, kind, "unchanged"))
                continue
            action = Action(target, episode.slug, kind, "update" if sent else "create", cost=2)
            if dry_run:
                actions.append(action)
                continue
            try:
                actions.append(
                    _send(host, state, episode.slug, kind, sidecar, theirs, sent, action, force)
                )
            except HostError as exc:
                actions.append(action.done("failed", str(exc)))
    return actions


def _send(
    host: HostApi,
    state: UploadState,
    slug: str,
    kind: str,
    sidecar: Sidecar,
    theirs: RemoteEpisode,
    sent: Sent | None,
    action: Action,
    force: bool,
) -> Action:
    now = host.current(kind, theirs.remote_id)
    if now and not force and (sent is None or sent.remote_fingerprint != fingerprint(now)):
        return action.done(
            "edited-remotely",
            f"the {kind} was changed at {host.target} since it "
            "was sent; left as it is (--force replaces it)",
        )
    after = host.send(kind, theirs.remote_id, sidecar)
    state.record(
        host.target, slug, kind, Sent(sidecar.sha256, theirs.remote_id, fingerprint(after))
    )
    return action.done("update" if now else "create")


def fingerprint(text: str) -> str:
    """A host's copy, compared without trailing spaces or line-ending differences."""
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def net_failure(what: str, exc: NetError) -> HostError:
    return HostError(f"{what}: {exc.message}")
