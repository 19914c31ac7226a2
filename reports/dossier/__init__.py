"""The first stage: a dossier folder read into one validated `Dossier`, every problem reported at once.

Nothing here knows about briefings or output formats; every later stage builds on this one.
"""
