"""The library service: titles, owned copies, annotations, duplicates, merges and trash."""

SERVICE = "library"
