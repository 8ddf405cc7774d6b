"""Fixtures of the identity suite: a private stack on an empty database, for first-run and limits."""

import functools

import pytest

from tests.support.identity import identity_stack


@pytest.fixture
def fresh_stack(postgres, amqp_url, keys):
    """`async with fresh_stack(identity={...}, gateway={...}) as stack:` an empty install."""
    return functools.partial(identity_stack, postgres, amqp_url, keys)
