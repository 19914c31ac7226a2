"""Words and figures in the reader's language: message catalogs and Babel formatting, shared by every later stage."""
