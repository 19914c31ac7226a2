"""`reports run`: which briefings are due, whether their inputs changed, and building them in a pool."""
