"""Email: MIME building, transports (SMTP or `.eml` files) and the barometer email."""
