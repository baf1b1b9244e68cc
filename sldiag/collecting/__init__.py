"""Live collection, read-only: the commands sldiag may ever send (per platform), the plan
that chooses among them, inventories read and checked, SSH connections and host keys, the
Nornir task, and a fleet run with its collection log. Nothing here is imported by an
offline analysis."""
