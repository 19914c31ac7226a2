"""`reports run`: which jobs are due, which of their documents are stale, and building them with the engine."""
