"""Load and soak drivers that run the app as in production (gunicorn) and walk it over loopback."""
