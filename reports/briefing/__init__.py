"""The briefing model and what builds it: a format-neutral `Briefing` chosen and phrased for one audience."""
