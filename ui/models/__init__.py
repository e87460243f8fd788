"""Qt table models over domain objects: one per table, each tested without a view."""
