"""Compose the captures sldiag ships: rule examples (rules/examples/<rule id>/) and samples
(samples/), one module per category.

The captures are ours: realistic Smart Licensing outputs (IOS-XE 16.9 - 17.x) built from the
layouts real switches print and the failure texts of the TAC guide, in the forms engineers
save (terminal session logs, show tech, bare output, CRLF with --More--, .gz, several
devices in one file)."""
