"""``feedgen-pod init``: recognise a static site's generator and podcast convention from its
files, and write the config that lets ``feedgen-pod build`` read it as it is.

``generators`` tells the generator and reads its settings files (``sitefiles``),
``convention`` picks the preset from the episode files' keys, ``templates`` finds the feed the
site publishes today, ``infer`` maps each generator's settings to config keys, ``plan`` checks
every value with the config's own parsers, and ``render`` writes the commented YAML.
"""

from __future__ import annotations

from .convention import Convention, detect_convention
from .generators import Generator, detect_generator
from .infer import Entry
from .plan import Plan, make_plan
from .render import render

__all__ = [
    "Convention",
    "Entry",
    "Generator",
    "Plan",
    "detect_convention",
    "detect_generator",
    "make_plan",
    "render",
]
