"""Certificates: what a pin is a hash of.

A pin is base64 of the SHA-256 of a certificate's SubjectPublicKeyInfo; only the certificates tell what
it pins. This package reads X.509 files (PEM, DER, PKCS#7 chains, unencrypted PKCS#12), computes pins,
tells leaf from CA, finds private keys shipped in a tree, knows the public roots, matches hosts against
pin-set host patterns, and renders pin snippets, chain rehearsals and inventories.
"""
