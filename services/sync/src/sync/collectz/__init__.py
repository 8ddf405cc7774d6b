"""The move from collectZ: read another install's Postgres (read-only) and bring it over as a job."""
