"""Passwords kept from collectZ: its bcrypt hashes verify their own password only, and say to be
stored again as argon2."""

import bcrypt

from identity.domain.credentials import Passwords


def test_a_collectz_bcrypt_hash_verifies_its_password_and_asks_for_a_rehash():
    passwords = Passwords(time_cost=1, memory_kib=8, parallelism=1)
    kept = "$2a$" + bcrypt.hashpw(b"old password", bcrypt.gensalt(rounds=4)).decode()[4:]

    assert passwords.verify(kept, "old password")
    assert not passwords.verify(kept, "another password")
    assert passwords.needs_rehash(kept)
    assert not passwords.needs_rehash(passwords.hash("old password"))
