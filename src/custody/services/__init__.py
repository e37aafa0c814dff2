"""Use cases: the imperative shell over the domain core and the ports (S2, S4)."""
