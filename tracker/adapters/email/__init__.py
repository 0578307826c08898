"""Email: composition (Jinja templates under `templates/`, named `email/...` in the app's
environment: the barometer and the survey link), the sender of outbox messages, MIME
building and the transports (SMTP or `.eml` files)."""
