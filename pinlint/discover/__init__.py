"""Discovery: the only stage that touches the file system's structure (walk, excludes, profile scope)."""
