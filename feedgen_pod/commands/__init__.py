"""Subcommands: each module has ``register(subparsers)`` that adds its parser and sets
``func(args) -> int``. ``COMMANDS`` is the registry the CLI reads."""

COMMANDS = ["build", "captions", "chapters", "validate", "publish", "check-links"]
