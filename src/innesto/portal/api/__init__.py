"""The read API (django-ninja): plans, nodes, indicators, sectors, measures."""
