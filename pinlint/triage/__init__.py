"""Triage, the step after the checks: inline suppressions, baselines and profiles."""
