"""The shared vocabulary: frozen dataclasses made by the loader and only read by everything else.

Times are seconds as floats, dates are ``datetime.date``, durations are seconds.
Nothing here reads files; every builder turns these objects into bytes.

``model.episode`` holds what an episode is made of, ``model.show`` the show's settings; every
name is re-exported here, so code imports from ``feedgen_pod.model``.
"""

from .episode import (
    UNKNOWN_LENGTH,
    WORDS_PER_SECOND,
    Audio,
    AudioSource,
    Chapter,
    Clip,
    Cue,
    Enclosure,
    Episode,
    LiveStream,
    Person,
    RawCaption,
    RawCaptions,
    SectionHeader,
    TimestampEntry,
    TimestampList,
    TranscriptEntry,
    TranscriptLine,
    reading_time,
)
from .show import (
    PODPING_URL,
    Category,
    ChapterSettings,
    FeedSettings,
    FieldRule,
    PublishSettings,
    Show,
    SiteLayout,
    TranscriptSettings,
)

__all__ = [
    "PODPING_URL",
    "UNKNOWN_LENGTH",
    "WORDS_PER_SECOND",
    "Audio",
    "AudioSource",
    "Category",
    "Chapter",
    "ChapterSettings",
    "Clip",
    "Cue",
    "Enclosure",
    "Episode",
    "FeedSettings",
    "FieldRule",
    "LiveStream",
    "Person",
    "PublishSettings",
    "RawCaption",
    "RawCaptions",
    "SectionHeader",
    "Show",
    "SiteLayout",
    "TimestampEntry",
    "TimestampList",
    "TranscriptEntry",
    "TranscriptLine",
    "TranscriptSettings",
    "reading_time",
]
