"""Classifications (NACE, ATECO, NAICS, ...), hierarchies, crosswalks and sector groupings."""
