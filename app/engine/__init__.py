"""The key pair engine: rules, keys, fingerprints, the store and the API operations.

Nothing here knows of Textual or of argument parsing; the TUI and the CLI are shells over it.
"""
