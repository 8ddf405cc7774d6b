"""Internal tokens name the caller, not the request: reused while young, remembered once checked."""

import time
import uuid
from dataclasses import replace

import pytest

from shelfspace_kernel.errors import Unauthenticated
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner, TokenVerifier, generate_keypair

PRIVATE, PUBLIC = generate_keypair()
ALICE = CallerContext(
    request_id="r1", caller="gateway", user_id=uuid.uuid4(), space_id=uuid.uuid4(), space_role="member"
)


def test_one_token_serves_a_caller_request_after_request_and_carries_no_request_id():
    signer = TokenSigner(PRIVATE, ttl_seconds=60)
    verifier = TokenVerifier(PUBLIC, audience="library")

    first = signer.sign("library", ALICE)
    again = signer.sign("library", replace(ALICE, request_id="r2"))

    assert again == first
    assert verifier.verify(first, "r1") == ALICE
    assert verifier.verify(again, "r2").request_id == "r2"


def test_another_caller_space_role_or_audience_gets_its_own_token():
    signer = TokenSigner(PRIVATE, ttl_seconds=60)
    others = [
        signer.sign("identity", ALICE),
        signer.sign("library", replace(ALICE, space_role="viewer")),
        signer.sign("library", replace(ALICE, space_id=uuid.uuid4())),
        signer.sign("library", CallerContext(request_id="r1", caller="gateway", user_id=uuid.uuid4())),
    ]
    assert len({signer.sign("library", ALICE), *others}) == 5
    assert TokenVerifier(PUBLIC, audience="library").verify(others[1], "r9").space_role == "viewer"


def test_a_token_is_renewed_once_half_its_life_has_passed():
    signer = TokenSigner(PRIVATE, ttl_seconds=2)
    first = signer.sign("library", ALICE)
    time.sleep(1.1)
    assert signer.sign("library", ALICE) != first


def test_a_remembered_token_is_refused_once_it_expires():
    token = TokenSigner(PRIVATE, ttl_seconds=2).sign("library", ALICE)
    verifier = TokenVerifier(PUBLIC, audience="library")
    assert verifier.verify(token, "r1") == ALICE
    time.sleep(3.1)
    with pytest.raises(Unauthenticated):
        verifier.verify(token, "r2")


def test_a_token_for_another_service_or_with_a_changed_byte_is_refused_every_time():
    token = TokenSigner(PRIVATE).sign("library", ALICE)
    elsewhere = TokenVerifier(PUBLIC, audience="identity")
    verifier = TokenVerifier(PUBLIC, audience="library")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            elsewhere.verify(token, "r1")
        with pytest.raises(Unauthenticated):
            verifier.verify(tampered, "r1")
