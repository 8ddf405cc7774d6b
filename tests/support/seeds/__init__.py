"""Representative rows for a service schema, and the catalog reads that follow them through migrations.

`generic.seed_schema()` fills every table from the catalog alone; a service whose tables need hand-written
values for some columns lists them in `tests/support/seeds/<service>.py` as `OVERRIDES`.
"""
