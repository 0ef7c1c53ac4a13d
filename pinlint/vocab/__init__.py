"""Shared vocabulary: one definition of each idea several front ends need (URLs, test code, TLS, pins)."""
