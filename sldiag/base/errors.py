"""The two kinds of failure a user is told about in one line."""

from __future__ import annotations


class InputError(Exception):
    """A capture that cannot be analysed; the message is one line for stderr."""


class DataError(Exception):
    """A broken rule, template or index file; the message names the file and the field."""
