"""Developer tools run with `python -m mdt_app.tools.<name>` (not part of `mdt-app`)."""
