"""Widgets of the terminal app: the verdict line under a field, the field that feeds it, the tag
editor."""
