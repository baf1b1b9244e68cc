"""The model every stage shares: the fact vocabulary (from parsers/facts.yaml), the command
catalog (from parsers/index.yaml), typed values, and the results of an analysis."""
