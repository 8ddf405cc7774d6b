"""The identity service: users, sessions, invites, spaces, memberships and feature flags."""

SERVICE = "identity"
