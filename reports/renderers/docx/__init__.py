"""The Word format: python-docx draws the briefing model; the raw OOXML it cannot write is kept apart here."""
