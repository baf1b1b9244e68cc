"""The TAC bundle: an analysis's reports and facts, and each capture's sanitised text, in a
deterministic zip with a manifest."""
