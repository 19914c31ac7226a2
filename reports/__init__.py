"""reports: turns a dossier on the relations between two countries into briefings (PDF, Word, HTML).

`reports.load_dossier(path)` loads a dossier for a notebook: its tables as pandas DataFrames and its indicators
(reports/api.py). It is imported on first use, so the command line pays nothing for it.
"""

__version__ = "0.1.0"  # the one place: pyproject.toml reads it (dynamic), `reports --version` and the files say it


def __getattr__(name: str):
    if name == "load_dossier":
        import importlib

        # by name: the stages below import `reports` for its version, and must not be seen to import the API above them
        return importlib.import_module("reports.api").load_dossier
    raise AttributeError(f"module 'reports' has no attribute {name!r}")
