"""The relational stage on DuckDB (default) and Spark, written once as Ibis expressions."""
