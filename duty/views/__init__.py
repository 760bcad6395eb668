"""HTML pages of the duty app, one module per concern: the roster, attendance at the post,
and supervision."""
