"""Checks on what the build produced, as the apps and directories that read it will see it."""
