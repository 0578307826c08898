"""Use cases: load from the database, call the domain, persist. Each owns its transaction."""
