"""Pure rules of the library: titles, sort keys, facets, cursors, dedupe and access; no I/O."""
