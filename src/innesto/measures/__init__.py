"""Regional-economics measures: pure functions on the tidy panel, one module per family."""
