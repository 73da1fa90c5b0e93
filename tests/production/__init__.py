"""Production configuration: fail-fast settings, cookie flags, headers, and gunicorn with Redis-backed limits."""
