"""What each upload target was last sent, so a rerun sends only what changed.

One JSON file beside the build cache (``.cache/feedgen-pod/upload-state.json``), never
committed: per target, episode and kind, the hash of the bytes sent, the remote id, the
remote's own fingerprint of what it then held (to tell a later edit on the host apart from our
own) and when. It is written after every successful call, atomically, so a run stopped
half-way resumes where it stopped. YouTube's units spent are kept per Pacific-time day, the
day YouTube's quota counts.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from dateutil import tz

STATE_FILE = "upload-state.json"
QUOTA_ZONE = tz.gettz("America/Los_Angeles")


@dataclass(frozen=True)
class Sent:
    """One kind of one episode as a target last accepted it."""

    sha256: str
    remote_id: str = ""
    #: what the host reported right after our write (a timestamp, a text's hash)
    remote_fingerprint: str = ""
    at: str = ""


def quota_day(now: datetime | None = None) -> str:
    """The Pacific-time date YouTube counts a call's units against."""
    return (now or datetime.now(timezone.utc)).astimezone(QUOTA_ZONE).date().isoformat()


class UploadState:
    """The state file, read once and written after each change."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict[str, Any] = {"version": 1, "targets": {}, "units": {}}
        try:
            loaded = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            raise OSError(
                f"{path}: unreadable upload state ({exc}); delete it to start over"
            ) from None
        if isinstance(loaded, dict) and loaded.get("version") == 1:
            self.data.update(loaded)

    def get(self, target: str, slug: str, kind: str) -> Sent | None:
        entry = self.data["targets"].get(target, {}).get(slug, {}).get(kind)
        return Sent(**entry) if isinstance(entry, dict) else None

    def record(self, target: str, slug: str, kind: str, sent: Sent) -> None:
        if not sent.at:
            stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            sent = Sent(sent.sha256, sent.remote_id, sent.remote_fingerprint, stamp)
        episodes = self.data["targets"].setdefault(target, {})
        episodes.setdefault(slug, {})[kind] = asdict(sent)
        self.save()

    def units_used(self, day: str) -> int:
        return int(self.data["units"].get(day, 0))

    def spend_units(self, day: str, units: int) -> None:
        self.data["units"] = {day: self.units_used(day) + units}  # older days are of no use
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = orjson.dumps(self.data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".upload-state.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text + "\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
