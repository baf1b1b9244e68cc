"""Rendering: the results of an analysis for people (text, Markdown, HTML) and programs
(JSON), through one table of formats and one road that escapes every string for where it
goes."""
