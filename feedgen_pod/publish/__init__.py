"""Publish ``dist/`` to a folder or an S3-compatible bucket, sending only what changed.

What the remote holds is read from the manifest published last time (``manifest.json`` at the
target), not by listing or downloading files: a file is sent when its SHA-256 or content type
differs from that manifest's. Per-episode files go first, then the show-level files (the feed),
then deletions (only with ``delete``), and the manifest last, so a reader never sees a feed that
points at files not yet uploaded, and an interrupted publish is simply redone next time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build import manifest
from ..build.cache import hash_bytes
from ..contenttypes import http_content_type, is_feed
from ..errors import FeedgenPodError, write_failure
from ..formats.rss import FEED_FILE
from ..model import PublishSettings
from .headers import HEADERS_FILE, headers_file
from .notify import podping_reason
from .targets import DirTarget, S3Target, Target, open_target


class PublishError(FeedgenPodError):
    """The local dist/ or the remote cannot be used; nothing (more) is sent."""


@dataclass(frozen=True)
class Step:
    action: str  # "upload" or "delete"
    path: str
    reason: str = ""
    entry: manifest.FileEntry | None = None


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    unchanged: int = 0

    @property
    def uploads(self) -> list[Step]:
        return [s for s in self.steps if s.action == "upload"]

    @property
    def deletes(self) -> list[Step]:
        return [s for s in self.steps if s.action == "delete"]


def plan(
    local: dict[str, manifest.FileEntry],
    remote: dict[str, manifest.FileEntry],
    delete: bool = False,
    manifest_changed: bool = True,
) -> Plan:
    """What to send, in order: episode files, show files (feed last of them), deletes, manifest."""
    result = Plan()
    episode_files: list[Step] = []
    show_files: list[Step] = []
    for path in sorted(local):
        entry = local[path]
        before = remote.get(path)
        if before is None:
            reason = "new"
        elif before.sha256 != entry.sha256:
            reason = "changed"
        elif before.content_type != entry.content_type:
            reason = "content type"
        else:
            result.unchanged += 1
            continue
        step = Step("upload", path, reason, entry)
        (episode_files if entry.episode else show_files).append(step)
    show_files.sort(key=lambda s: (is_feed(s.path), s.path))
    result.steps = episode_files + show_files
    if delete:
        gone = sorted(set(remote) - set(local) - {manifest.MANIFEST})
        result.steps += [Step("delete", path, "no longer built") for path in gone]
    if result.steps or manifest_changed:
        result.steps.append(Step("upload", manifest.MANIFEST, "manifest"))
    return result


def cache_control(settings: PublishSettings, path: str, entry: manifest.FileEntry | None) -> str:
    """Short for the feed, the manifest and other show-level files; long for episode files."""
    if entry is not None and entry.episode and not is_feed(path):
        return settings.file_cache_control
    return settings.feed_cache_control


@dataclass
class Result:
    plan: Plan
    sent_bytes: int = 0
    #: said once, after the summary (an S3 bucket without a CORS rule for web players)
    warnings: list[str] = field(default_factory=list)
    #: what Podping is told: ``live`` when a live item turned live with this feed
    podping_reason: str = "update"

    @property
    def feed_changed(self) -> bool:
        """True when the feed's bytes were (or would be) sent: what apps are told of."""
        return any(is_feed(s.path) and s.reason in ("new", "changed") for s in self.plan.uploads)

    def summary_line(self, dry_run: bool) -> str:
        verb = "would upload" if dry_run else "uploaded"
        gone = "would delete" if dry_run else "deleted"
        return (
            f"{verb} {len(self.plan.uploads)} files ({self.sent_bytes} bytes), "
            f"{gone} {len(self.plan.deletes)}, {self.plan.unchanged} unchanged"
        )


def publish(
    dist: Path,
    to: str,
    settings: PublishSettings,
    dry_run: bool = False,
    delete: bool = False,
    endpoint_url: str | None = None,
    target: Target | None = None,
) -> Result:
    """Send what changed in ``dist`` to ``to``; returns the plan that was (or would be) run."""
    manifest_path = dist / manifest.MANIFEST
    try:
        manifest_bytes = manifest_path.read_bytes()
    except OSError:
        raise PublishError(f"{manifest_path} not found; run `feedgen-pod build` first") from None
    local = manifest.loads(manifest_bytes)
    if not local:
        raise PublishError(f"{manifest_path} lists no files; run `feedgen-pod build` first")
    target = target or open_target(to, endpoint_url or settings.endpoint_url)
    remote_bytes = target.read(manifest.MANIFEST)
    remote = manifest.loads(remote_bytes or b"")
    # files left remote (no --delete) stay in the published manifest, so a later --delete
    # still knows they are ours
    left = [e for p, e in remote.items() if p not in local] if not delete else []
    if left:
        manifest_bytes = manifest.dumps([*local.values(), *left])
    steps = plan(local, remote, delete, manifest_changed=remote_bytes != manifest_bytes)
    result = Result(steps)
    extra: dict[str, bytes] = {}
    if settings.headers_file and isinstance(target, DirTarget):
        published = {**local, **{e.path: e for e in left}, manifest.MANIFEST: None}
        data = headers_file(published, lambda p, e: cache_control(settings, p, e))
        if target.read(HEADERS_FILE) != data:
            extra[HEADERS_FILE] = data
            _before_feed(steps, Step("upload", HEADERS_FILE, "headers"))
    elif settings.headers_file:
        result.warnings.append(
            "publish.headers_file is for folder targets; S3 objects carry their own headers"
        )
    if isinstance(target, S3Target) and not target.cors_allows_any_origin():
        result.warnings.append(
            f"{target.url} has no CORS rule allowing GET from any origin: web players on "
            "other sites cannot load its transcripts and chapters (see docs/publishing.md, CORS)"
        )
    feed = next((s for s in steps.uploads if s.path == FEED_FILE and s.entry is not None), None)
    if feed is not None:  # a live item that turned live is announced as such
        new_feed = _read_checked(dist, feed)
        result.podping_reason = podping_reason(target.read(FEED_FILE), new_feed)
    for step in steps.steps:
        try:
            result.sent_bytes += _send(step, target, dist, settings, manifest_bytes, extra, dry_run)
        except OSError as exc:  # a folder target: its writes are atomic, the feed goes last
            failure = write_failure(f"{to.rstrip('/')}/{step.path}", exc, "publish again")
            raise PublishError(
                replace(failure, message=failure.message + " (the published feed is the last one)")
            ) from None
    return result


def _before_feed(steps: Plan, step: Step) -> None:
    """Insert ``step`` before the feed (or the manifest, or at the end)."""
    at = next(
        (i for i, s in enumerate(steps.steps) if is_feed(s.path) or s.path == manifest.MANIFEST),
        len(steps.steps),
    )
    steps.steps.insert(at, step)


def _send(
    step: Step,
    target: Target,
    dist: Path,
    settings: PublishSettings,
    manifest_bytes: bytes,
    extra: dict[str, bytes],
    dry_run: bool,
) -> int:
    """Carry out one step of the plan; the bytes it sends."""
    if step.action == "delete":
        if not dry_run:
            target.delete(step.path)
        return 0
    if step.path == manifest.MANIFEST:
        data = manifest_bytes
    elif step.path in extra:
        data = extra[step.path]
    else:
        data = _read_checked(dist, step)
    if not dry_run:
        target.put(
            step.path,
            data,
            http_content_type(step.path),
            cache_control(settings, step.path, step.entry),
        )
    return len(data)


def _read_checked(dist: Path, step: Step) -> bytes:
    """A file's bytes, refusing one that changed since the manifest was written."""
    try:
        data = (dist / step.path).read_bytes()
    except OSError as exc:
        where = dist / step.path
        raise PublishError(f"{where}: {exc.strerror}; rebuild before publishing") from None
    assert step.entry is not None
    if hash_bytes(data) != step.entry.sha256:
        raise PublishError(
            f"{dist / step.path} changed since the build wrote manifest.json; rebuild first"
        )
    return data


__all__ = ["Plan", "PublishError", "PublishSettings", "Result", "plan", "publish"]
