"""Engagement: mailing lists with double opt-in, newsletters sent in batches, contact form."""
