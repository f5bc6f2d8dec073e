"""The build: episode files in, ``dist/`` out, incrementally.

``run`` drives the build; ``cache`` and ``manifest`` decide what to rebuild;
``workers`` builds episodes in worker processes; ``writer`` writes files atomically; ``watch``
rebuilds on change; ``report`` is what a build did.
"""

from .report import BuildReport
from .run import BuildOptions, build

__all__ = ["BuildOptions", "BuildReport", "build"]
