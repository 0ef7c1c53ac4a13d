"""The policy a scan applies (``policy``) and the loader of policy files (``loader``)."""
