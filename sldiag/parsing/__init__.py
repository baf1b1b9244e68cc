"""Parsing: each command output through its TextFSM templates (parsers/), values to typed
facts with the line they came from, unexpected lines kept as gaps."""
