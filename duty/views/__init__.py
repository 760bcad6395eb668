"""HTML pages of the duty app, one module per concern: the roster, and attendance at the
post."""
