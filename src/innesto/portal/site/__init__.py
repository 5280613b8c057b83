"""The public site's frame: home, seed pages, help, search, accessibility, middleware."""
