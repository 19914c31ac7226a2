"""reports: turns a dossier on the relations between two countries into briefings (PDF, Word, HTML)."""

__version__ = "0.1.0"
