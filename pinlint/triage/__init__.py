"""Triage, the step after the checks: inline suppressions, baselines and profiles."""

#: The profiles (``pinlint.triage.profiles`` says what each does); here so the command line can offer them
#: without loading the triage step.
PROFILES = ("precommit", "audit")
