"""Command-line front door: thin Typer commands over custody.services (S2, S3)."""
