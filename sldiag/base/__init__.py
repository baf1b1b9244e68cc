"""Mechanisms that know nothing of licensing: bounds, shipped data and caches, errors, atomic
files, and the escapes each output format needs."""
