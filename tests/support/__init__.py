"""What several test files share, defined once: paths, running the `reports` command, reading the files it writes,
the shared builds, and test data. Test files import `from support.<module> import ...` (tests/ is on sys.path:
pytest puts the folder of a rootless conftest.py there)."""
