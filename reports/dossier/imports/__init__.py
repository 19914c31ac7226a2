"""Trade figures from the partners' own statistics files merged into a dossier's `trade.csv`."""
