"""feedgen-pod: a podcast's episode files to its feed, chapters, transcripts, JSON-LD and a
link health check."""

__version__ = "0.1.0"
