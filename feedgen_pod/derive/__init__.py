"""Derived episode data, computed once per episode before any format runs.

``episode`` fills in an episode's cues and chapters; ``alignment`` and ``word_alignment`` move
transcript lines to the times the words are spoken; ``chapters`` normalises chapters;
``cue_timing`` times caption cues and ``cue_cutting`` cuts their text into caption-sized pieces.
"""
