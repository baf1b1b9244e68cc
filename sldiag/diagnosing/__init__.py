"""Diagnosing: the knowledge in rules/ compiled (conditions as small typed nodes), facts
derived, rules run with their calibrations, causes linked, the verdict and the flowchart
placement decided, and the licensing state summarised once."""
