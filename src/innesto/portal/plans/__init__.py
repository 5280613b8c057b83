"""Plan content in the database: editions, node tree, indicators, actors, media."""
