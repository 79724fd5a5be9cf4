"""Key material: generation, public keys and fingerprints, file formats (PEM, OpenSSH, PuTTY),
saving, scanning and the SSH agent; imports only the contract.
"""
