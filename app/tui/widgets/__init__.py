"""Widgets of the terminal app: the verdict line under a field, the tag editor."""
