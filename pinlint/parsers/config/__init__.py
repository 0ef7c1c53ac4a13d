"""Parsers of configuration formats: network security config, manifest, Gradle, plists, Expo, certificates."""
