"""Sector dashboards: employment, location quotient, shift-share, opportunity, map."""
