"""Own covers: uploaded images made safe to serve (images.py) and where they are kept (storage.py)."""
