"""``feedgen-pod upload``: the build's transcripts and chapters to where people meet episodes.

``sidecars`` reads what ``dist/`` holds, ``state`` remembers what each target was sent,
``plan`` is the list of actions and its reports; ``youtube`` (with ``youtube_api`` and
``google_transport``), ``buzzsprout`` and ``transistor`` are the targets, the two hosts sharing
``hosts`` (matching episodes, never clobbering, rate limits).
"""
