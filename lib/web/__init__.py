"""The ASGI layer serve.py mounts: sign-in cookie routes (auth), security headers (security)
and precompressed static files (static). May import core and storage."""
