"""Shared kernel of Shelfspace services; imported by services, never importing them."""
