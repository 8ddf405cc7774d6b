"""Contracts shared by Shelfspace services: the event envelope and internal API shapes."""
