"""The gateway: resolves who calls and in which space, checks the route's policy, forwards."""
