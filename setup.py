"""The optional C speed-ups (everything else is in pyproject.toml): the caption cutter
(``derive.cue_cutting``) and the transcript list reader (``load.listblock``).

``optional=True``: without a C compiler the install goes on and each uses its Python.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("feedgen_pod.derive._cutfast", ["feedgen_pod/derive/_cutfast.c"], optional=True),
        Extension("feedgen_pod.load._listfast", ["feedgen_pod/load/_listfast.c"], optional=True),
    ]
)
