"""Back office: roles, audit log, plan editing in Django's admin, translations, imports."""
