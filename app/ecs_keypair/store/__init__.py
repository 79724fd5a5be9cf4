"""The local store: the backend that answers every action from TinyDB files, their storage, locks
and settings; imports the contract and key material.
"""
