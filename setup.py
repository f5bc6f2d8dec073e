"""The optional C speed-up (everything else is in pyproject.toml): the caption cutter
(``derive.cue_cutting``).

``optional=True``: without a C compiler the install goes on and it uses its Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("feedgen_pod.derive._cutfast", ["feedgen_pod/derive/_cutfast.c"], optional=True),
    ]
)
