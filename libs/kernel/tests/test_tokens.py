"""Internal tokens: one key per signer, bound to its caller name, each token good for one request."""

import time
import uuid

import jwt
import pytest

from shelfspace_kernel.errors import Unauthenticated
from shelfspace_kernel.internal_auth import CallerContext, TokenSigner, TokenVerifier
from shelfspace_kernel.internal_keys import generate_keypair, load_private_key, parse_public_keys, public_key_entry
from shelfspace_kernel.settings import BaseAppSettings

GATEWAY_KEY, SYNC_KEY, NEXT_GATEWAY_KEY = (generate_keypair()[0] for _ in range(3))
ALICE = CallerContext(
    request_id="r1", caller="gateway", user_id=uuid.uuid4(), space_id=uuid.uuid4(), space_role="member"
)
TITLES = "/api/titles?sort=title&limit=50"


def verifier(*entries: str, audience: str = "library") -> TokenVerifier:
    return TokenVerifier(parse_public_keys(" ".join(entries)), audience=audience)


TRUSTING_BOTH = verifier(public_key_entry("gateway", GATEWAY_KEY), public_key_entry("sync", SYNC_KEY))


def test_a_token_names_its_caller_for_the_request_it_was_signed_for():
    token = TokenSigner(GATEWAY_KEY).sign("library", ALICE, "GET", TITLES)

    assert TRUSTING_BOTH.verify(token, "GET", TITLES, "r1") == ALICE
    assert TRUSTING_BOTH.verify(token, "get", TITLES, "r2").request_id == "r2"


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("POST", TITLES),
        ("DELETE", TITLES),
        ("GET", "/api/titles?sort=title&limit=51"),
        ("GET", "/api/titles"),
        ("GET", "/api/spaces/members"),
        ("GET", "/api/titles/?sort=title&limit=50"),
    ],
)
def test_a_token_is_refused_for_another_method_path_or_query(method, target):
    token = TokenSigner(GATEWAY_KEY).sign("library", ALICE, "GET", TITLES)

    with pytest.raises(Unauthenticated):
        TRUSTING_BOTH.verify(token, method, target, "r1")


def test_every_request_gets_a_token_of_its_own():
    signer = TokenSigner(GATEWAY_KEY)

    assert signer.sign("library", ALICE, "GET", TITLES) != signer.sign("library", ALICE, "GET", "/api/titles")


def test_a_key_signs_only_as_the_caller_it_is_bound_to():
    as_gateway = CallerContext(request_id="r1", caller="gateway", user_id=uuid.uuid4(), global_role="admin")
    token = TokenSigner(SYNC_KEY).sign("library", as_gateway, "GET", TITLES)

    with pytest.raises(Unauthenticated):
        TRUSTING_BOTH.verify(token, "GET", TITLES, "r1")
    sync = CallerContext(request_id="r1", caller="sync", space_id=uuid.uuid4())
    assert TRUSTING_BOTH.verify(TokenSigner(SYNC_KEY).sign("library", sync, "GET", TITLES), "GET", TITLES, "r1") == sync


def test_a_token_from_an_unknown_key_or_without_a_key_id_is_refused():
    stranger = TokenSigner(generate_keypair()[0]).sign("library", ALICE, "GET", TITLES)
    claims = {**ALICE.claims(), "iss": "shelfspace", "aud": "library", "iat": int(time.time())}
    claims |= {"exp": claims["iat"] + 30, "htm": "GET", "htu": TITLES}
    without_kid = jwt.encode(claims, load_private_key(GATEWAY_KEY), algorithm="EdDSA")

    for token in (stranger, without_kid):
        with pytest.raises(Unauthenticated):
            TRUSTING_BOTH.verify(token, "GET", TITLES, "r1")


def test_during_a_rotation_both_keys_of_a_caller_are_trusted_and_the_old_one_stops_when_removed():
    old, new = TokenSigner(GATEWAY_KEY), TokenSigner(NEXT_GATEWAY_KEY)
    during = verifier(public_key_entry("gateway", GATEWAY_KEY), public_key_entry("gateway", NEXT_GATEWAY_KEY))
    after = verifier(public_key_entry("gateway", NEXT_GATEWAY_KEY))

    for signer in (old, new):
        assert during.verify(signer.sign("library", ALICE, "GET", TITLES), "GET", TITLES, "r1") == ALICE
    assert after.verify(new.sign("library", ALICE, "GET", TITLES), "GET", TITLES, "r1") == ALICE
    with pytest.raises(Unauthenticated):
        after.verify(old.sign("library", ALICE, "GET", TITLES), "GET", TITLES, "r1")
    assert old.key_id != new.key_id


def test_a_token_lives_at_most_thirty_seconds():
    with pytest.raises(ValueError, match="30"):
        TokenSigner(GATEWAY_KEY, ttl_seconds=31)
    with pytest.raises(ValueError, match="internal_token_ttl_seconds"):
        BaseAppSettings(internal_token_ttl_seconds=60)
    assert BaseAppSettings().internal_token_ttl_seconds == 30

    now = int(time.time())
    claims = {**ALICE.claims(), "iss": "shelfspace", "aud": "library", "iat": now, "exp": now + 3600}
    long_lived = jwt.encode(
        claims | {"htm": "GET", "htu": TITLES},
        load_private_key(GATEWAY_KEY),
        algorithm="EdDSA",
        headers={"kid": TokenSigner(GATEWAY_KEY).key_id},
    )
    with pytest.raises(Unauthenticated):
        TRUSTING_BOTH.verify(long_lived, "GET", TITLES, "r1")


def test_an_expired_token_is_refused():
    token = TokenSigner(GATEWAY_KEY, ttl_seconds=1).sign("library", ALICE, "GET", TITLES)
    time.sleep(2.1)
    with pytest.raises(Unauthenticated):
        TRUSTING_BOTH.verify(token, "GET", TITLES, "r1")


def test_a_token_for_another_service_or_with_a_changed_byte_is_refused():
    token = TokenSigner(GATEWAY_KEY).sign("library", ALICE, "GET", TITLES)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    elsewhere = verifier(public_key_entry("gateway", GATEWAY_KEY), audience="identity")

    with pytest.raises(Unauthenticated):
        elsewhere.verify(token, "GET", TITLES, "r1")
    with pytest.raises(Unauthenticated):
        TRUSTING_BOTH.verify(tampered, "GET", TITLES, "r1")


@pytest.mark.parametrize("token", ["", "not-a-token", "W10.e30.c2ln", "eyJraWQiOlsxXX0.e30.c2ln", "...", "%%%.e30."])
def test_a_malformed_token_is_refused(token):
    with pytest.raises(Unauthenticated):
        TRUSTING_BOTH.verify(token, "GET", TITLES, "r1")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "gateway",
        "Gateway:MCowBQYDK2VwAyEA",
        "gateway:not-base64!",
        f"{public_key_entry('gateway', GATEWAY_KEY)} {public_key_entry('sync', GATEWAY_KEY)}",
    ],
)
def test_a_public_key_list_that_is_empty_malformed_or_shares_one_key_between_callers_is_refused(value):
    with pytest.raises(ValueError, match="INTERNAL_AUTH_PUBLIC_KEYS"):
        parse_public_keys(value)


def test_a_public_key_list_may_span_lines_with_comments_and_commas():
    text = (
        f"# gateway, rotated 2026-12\n{public_key_entry('gateway', GATEWAY_KEY)},"
        f"{public_key_entry('gateway', NEXT_GATEWAY_KEY)}\n\n{public_key_entry('sync', SYNC_KEY)}  # sync\n"
    )
    assert sorted(key.caller for key in parse_public_keys(text).values()) == ["gateway", "gateway", "sync"]
