"""Facts and findings: the neutral vocabulary every stage after parsing speaks."""
