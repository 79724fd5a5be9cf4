"""Workflows over any backend (local, serve, the cloud): several regions at once, creating a key
and delivering its private half; imports the contract and key material.
"""
