"""Monitoring reports (HTML and tagged PDF) and the static archive of one edition."""
