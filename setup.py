"""The optional C speed-up of the caption cutter (everything else is in pyproject.toml).

``optional=True``: without a C compiler the install goes on and ``cuetext`` uses its Python.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("feedgen_pod._cutfast", ["feedgen_pod/_cutfast.c"], optional=True)])
