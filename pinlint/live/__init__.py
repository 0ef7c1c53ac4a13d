"""The live-check network stage: which hosts to ask, how to reach them, and the chains they present.

Only ``connect`` opens connections, and only the ``live-check`` command imports it; ``check`` and the
pre-commit hook never touch the network.
"""
