"""The optional C speed-up (everything else is in pyproject.toml): the caption cutter
(``cuetext``).

``optional=True``: without a C compiler the install goes on and it uses its Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("feedgen_pod._cutfast", ["feedgen_pod/_cutfast.c"], optional=True),
    ]
)
