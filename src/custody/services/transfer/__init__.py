"""Company transfer use cases, seller side and buyer side (issue 4)."""
