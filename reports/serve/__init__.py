"""`reports serve`: the briefings of a dossier in a browser, rebuilt and reloaded as the dossier is edited.

`server.py` listens and runs the application of `app.py` (the routes, the `Host` check, the reload events);
`library.py` holds the briefings in memory and rebuilds what a change touched; `pages.py` makes what the browser
gets (the reload script, the problems over the briefing, the index); `engine.py` is the one door to the build.
Needs the `serve` extra (watchfiles, Starlette, uvicorn): `pip install 'reports[serve]'`.
"""
