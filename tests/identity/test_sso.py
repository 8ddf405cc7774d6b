"""Single sign-on through the gateway against a local OpenID provider (tests/fakes/oidc.py): the code
flow with PKCE, state and nonce, ID token verification (signature, audience, expiry, key rotation),
account linking and creation rules, group roles, password sign-in turned off, forward-auth headers
from trusted and untrusted peers, and the write-only client secret."""

import asyncio
import contextlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import text

from tests.fakes.oidc import FakeOidcProvider
from tests.support.identity import PASSWORD, Account, adopt_csrf, gateway_client, register, unique_email

LOOPBACK = {"outbound_allowed_networks": "127.0.0.1/32"}


@contextlib.asynccontextmanager
async def sso_stack(fresh_stack, identity: dict | None = None, gateway: dict | None = None, **options):
    """A fresh install (first admin signed in) with the local provider configured as `idp`."""
    async with (
        FakeOidcProvider() as idp,
        fresh_stack(identity={**LOOPBACK, **(identity or {})}, gateway=gateway, public_url=True) as stack,
    ):
        admin = await register(stack.url, email=unique_email("admin"), name="Admin")
        opened = await admin.client.patch("/api/admin/instance-settings", json={"registration": "open"})
        assert opened.status_code == 200, opened.text
        await configure(admin, idp, **options)
        try:
            yield idp, stack, admin
        finally:
            await admin.aclose()


async def configure(admin: Account, idp: FakeOidcProvider, *, secret: bool = True, **options) -> httpx.Response:
    provider = {"id": "idp", "name": "Local IdP", "issuer": idp.url, "client_id": idp.client_id, **options}
    if secret:
        provider["client_secret"] = idp.client_secret
    response = await admin.client.put("/api/admin/sso", json={"providers": [provider]})
    assert response.status_code == 200, response.text
    return response


async def authorize(client: httpx.AsyncClient, query: str = "") -> str:
    """Start a sign-in and let the provider approve it: the callback URL it sends the browser to."""
    start = await client.get(f"/api/auth/sso/idp/start{query}")
    assert start.status_code == 303, start.text
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(start.headers["location"])
    assert approved.status_code in (302, 307), approved.text
    return approved.headers["location"]


async def sign_in(
    url: str, client: httpx.AsyncClient | None = None, query: str = ""
) -> tuple[httpx.AsyncClient, httpx.Response]:
    client = client or gateway_client(url)
    done = await client.get(await authorize(client, query))
    adopt_csrf(client)
    return client, done


async def events_of(stack, user_id: str) -> list[dict]:
    async with stack.identity.app.state.sessionmaker() as session:
        rows = await session.execute(text("SELECT payload FROM outbox ORDER BY created_at"))
        payloads = [row.payload if isinstance(row.payload, dict) else json.loads(row.payload) for row in rows]
    return [p for p in payloads if user_id in (p["entity_id"], p["actor_user_id"])]


def refusal(response: httpx.Response) -> str | None:
    """The message a refused sign-in shows on the login page (None: not sent there)."""
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    if location.path != "/login":
        return None
    return parse_qs(location.query)["sso_error"][0]


async def me(client: httpx.AsyncClient) -> dict:
    response = await client.get("/api/auth/me")
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_unknown_person_gets_a_new_account_and_comes_back_to_it(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, _admin):
        config = (await gateway_client(stack.url).get("/api/auth/config")).json()
        email = unique_email("sso")
        idp.sign_in_as(email=email, name="Sam Sso")
        client, done = await sign_in(stack.url, query="?return_to=/library")
        first = await me(client)
        again, _ = await sign_in(stack.url)
        second = await me(again)
        token_call = idp.requests_to("/token")[0]

        assert config["sso"] == [{"id": "idp", "name": "Local IdP"}]
        assert config["password_login"] is True
        assert done.headers["location"] == "/library"
        assert first["user"]["email"] == email
        assert first["user"]["name"] == "Sam Sso"
        assert first["user"]["role"] == "user"
        assert first["spaces"] == []  # spaces are joined by invite, as for everyone
        assert second["user"]["id"] == first["user"]["id"]
        assert "code_verifier=" in token_call.body.decode()  # PKCE
        authorize_call = idp.requests_to("/authorize")[0]
        assert authorize_call.query["code_challenge_method"] == "S256"
        assert authorize_call.query["nonce"]
        events = await events_of(stack, first["user"]["id"])
        by_type = {event["type"]: event["data"] for event in events}
        assert by_type["identity.user.registered"]["via"] == "sso"
        assert by_type["identity.sso.account_linked"] == {"provider": "idp", "via": "created"}
        logins = [e["data"] for e in events if e["type"] == "identity.user.logged_in"]
        assert [(login["method"], login["provider"]) for login in logins] == [("sso", "idp")] * 2
        assert idp.client_secret not in json.dumps(events)
        # A password never signs in to an account made by single sign-on.
        refused = await gateway_client(stack.url).post("/api/auth/login", json={"email": email, "password": "!sso"})
        assert refused.status_code == 401


async def test_an_existing_account_is_linked_only_by_a_verified_email(fresh_stack):
    async with sso_stack(fresh_stack) as (idp, stack, _admin):
        existing = await register(stack.url, name="Existing")
        other = await register(stack.url, name="Other")

        idp.sign_in_as(email=other.email.upper(), email_verified=False)
        unverified_client, unverified = await sign_in(stack.url)
        idp.sign_in_as(email=existing.email)
        client, _ = await sign_in(stack.url)

        assert "not verified" in refusal(unverified)
        assert (await unverified_client.get("/api/auth/me")).status_code == 401
        assert (await me(client))["user"]["id"] == existing.user["id"]


async def test_unknown_people_are_refused_unless_accounts_are_created(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=False) as (idp, stack, _admin):
        idp.sign_in_as(email=unique_email("stranger"))
        client, done = await sign_in(stack.url)

        assert "no account" in refusal(done)
        assert (await client.get("/api/auth/me")).status_code == 401


async def test_a_wrong_state_a_replayed_callback_or_a_replayed_code_signs_nobody_in(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, _admin):
        idp.sign_in_as(email=unique_email("sso"))
        client = gateway_client(stack.url)
        callback = await authorize(client)
        other = await authorize(client)
        wrong_state = await client.get(callback.replace("state=", "state=x"))
        good = await client.get(callback)
        replayed_client = gateway_client(stack.url)
        replayed = await replayed_client.get(callback)
        # Another sign-in (its own, unused state) sent back with the code already spent.
        code = parse_qs(urlsplit(callback).query)["code"][0]
        state = parse_qs(urlsplit(other).query)["state"][0]
        replayed_code = await replayed_client.get(f"/api/auth/sso/idp/callback?state={state}&code={code}")

        assert "expired or was already used" in refusal(wrong_state)
        assert refusal(good) is None
        assert "expired or was already used" in refusal(replayed)
        assert "refused" in refusal(replayed_code)
        assert (await replayed_client.get("/api/auth/me")).status_code == 401


async def test_of_two_racing_callbacks_with_one_state_one_signs_in(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, _admin):
        person = idp.sign_in_as(email=unique_email("sso"))
        callback = await authorize(gateway_client(stack.url))
        clients = [gateway_client(stack.url) for _ in range(4)]
        answers = await asyncio.gather(*(client.get(callback) for client in clients))
        signed_in = [(await client.get("/api/auth/me")).status_code for client in clients]

        assert sum(refusal(answer) is None for answer in answers) == 1
        assert sorted(signed_in) == [200, 401, 401, 401]
        # Two first sign-ins of one new person at once: one account, never two.
        newcomer = idp.sign_in_as(email=unique_email("twice"))
        pair = [gateway_client(stack.url), gateway_client(stack.url)]
        callbacks = [await authorize(client) for client in pair]
        both = await asyncio.gather(*(client.get(url) for client, url in zip(pair, callbacks, strict=True)))

        assert any(refusal(answer) is None for answer in both)
        async with stack.identity.app.state.sessionmaker() as session:
            count = text("SELECT count(*) FROM users WHERE email = :e")
            assert await session.scalar(count, {"e": person["email"]}) == 1
            assert await session.scalar(count, {"e": newcomer["email"]}) == 1


async def test_id_tokens_that_do_not_verify_are_refused(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, _admin):
        idp.sign_in_as(email=unique_email("sso"))
        now = int(time.time())
        outcomes = {}
        for case, change in {
            "bad_signature": {"sign_with_unpublished_key": True},
            "expired": {"id_token_claims": {"exp": now - 3600, "iat": now - 3900}},
            "wrong_audience": {"id_token_claims": {"aud": "another-app"}},
            "wrong_issuer": {"id_token_claims": {"iss": "https://elsewhere.example"}},
            "issued_in_the_future": {"id_token_claims": {"iat": now + 3600, "exp": now + 4000}},
            "within_skew": {"id_token_claims": {"exp": now - 20, "iat": now - 320}},
        }.items():
            idp.sign_with_unpublished_key = change.get("sign_with_unpublished_key", False)
            idp.id_token_claims = change.get("id_token_claims", {})
            client, done = await sign_in(stack.url)
            outcomes[case] = (refusal(done), (await client.get("/api/auth/me")).status_code)

        assert outcomes["bad_signature"] == ("The provider's ID token did not verify.", 401)
        assert outcomes["expired"] == ("The provider's ID token did not verify.", 401)
        assert outcomes["wrong_audience"][1] == 401
        assert "another application" in outcomes["wrong_audience"][0]
        assert outcomes["wrong_issuer"] == ("The provider's ID token did not verify.", 401)
        assert outcomes["issued_in_the_future"][1] == 401
        assert outcomes["within_skew"] == (None, 200)  # 20 s late is within the 60 s clock skew


async def test_a_rotated_signing_key_is_fetched_again(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, _admin):
        idp.sign_in_as(email=unique_email("sso"))
        _, before = await sign_in(stack.url)
        _, cached = await sign_in(stack.url)
        fetched_before = len(idp.requests_to("/jwks"))
        idp.rotate_keys()
        client, after = await sign_in(stack.url)

        assert refusal(before) is None
        assert refusal(cached) is None
        assert fetched_before == 1  # the keys are kept while they verify
        assert refusal(after) is None
        assert len(idp.requests_to("/jwks")) == 2
        assert (await client.get("/api/auth/me")).status_code == 200


async def test_allowed_domains_and_groups_and_the_group_role_mapping(fresh_stack):
    options = {
        "auto_create": True,
        "allowed_email_domains": ["Example.org"],
        "allowed_groups": ["shelf-users", "shelf-admins"],
        "group_roles": {"shelf-admins": "admin"},
    }
    async with sso_stack(fresh_stack, **options) as (idp, stack, _admin):
        idp.sign_in_as(email=unique_email("x").replace("example.com", "example.net"), groups=["shelf-users"])
        _, wrong_domain = await sign_in(stack.url)
        idp.sign_in_as(email=unique_email("x").replace("example.com", "example.org"), groups=["others"])
        _, wrong_group = await sign_in(stack.url)
        person = idp.sign_in_as(email=unique_email("x").replace("example.com", "example.org"), groups=["shelf-admins"])
        admin_client, _ = await sign_in(stack.url)
        as_admin = await me(admin_client)
        admin_page = await admin_client.get("/api/admin/users")
        idp.user = {**person, "groups": ["shelf-users"]}
        user_client, _ = await sign_in(stack.url)

        assert "domain" in refusal(wrong_domain)
        assert "group" in refusal(wrong_group)
        assert as_admin["user"]["role"] == "admin"
        assert admin_page.status_code == 200
        # The next sign-in without the group: the role follows the provider's groups.
        assert (await me(user_client))["user"]["role"] == "user"
        assert (await user_client.get("/api/admin/users")).status_code == 403


async def test_a_signed_in_user_links_their_account_from_the_profile(fresh_stack):
    async with sso_stack(fresh_stack) as (idp, stack, _admin):
        person = await register(stack.url, name="Linker")
        idp.sign_in_as(email=unique_email("elsewhere"))  # another address at the provider
        _, linked = await sign_in(stack.url, client=person.client, query="?link=true&return_to=/profile")
        anonymous_link = await gateway_client(stack.url).get("/api/auth/sso/idp/start?link=true")
        space_id = (await me(person.client))["active_space"]["id"]
        token = await person.client.post("/api/auth/tokens", json={"name": "s", "space_id": space_id, "role": "viewer"})
        bearer = {"authorization": f"Bearer {token.json()['secret']}"}
        token_link = await gateway_client(stack.url, headers=bearer).get("/api/auth/sso/idp/start?link=true")
        later, _ = await sign_in(stack.url)

        assert linked.headers["location"] == "/profile"
        assert "Sign in first" in refusal(anonymous_link)
        assert "signed-in session" in refusal(token_link)
        assert (await me(later))["user"]["id"] == person.user["id"]


async def test_password_sign_in_off_leaves_only_the_break_glass_admin(fresh_stack):
    async with sso_stack(fresh_stack) as (_idp, stack, admin):
        person = await register(stack.url, name="Person")
        turned_off = await admin.client.patch("/api/admin/instance-settings", json={"password_login": False})
        config = (await gateway_client(stack.url).get("/api/auth/config")).json()
        refused = await gateway_client(stack.url).post(
            "/api/auth/login", json={"email": person.email, "password": PASSWORD}
        )
        wrong = await gateway_client(stack.url).post("/api/auth/login", json={"email": person.email, "password": "x"})
        break_glass = await gateway_client(stack.url).post(
            "/api/auth/login", json={"email": admin.email, "password": PASSWORD}
        )

        assert turned_off.status_code == 200
        assert turned_off.json()["password_login"] is False
        assert config["password_login"] is False
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "password_login_disabled"
        assert wrong.status_code == 401  # a wrong password still says nothing more
        assert break_glass.status_code == 200


async def test_the_client_secret_is_write_only_and_admins_only(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, admin):
        person = await register(stack.url, name="Person")
        shown = await admin.client.get("/api/admin/sso")
        kept = await configure(admin, idp, secret=False, name="Renamed", auto_create=True)
        idp.sign_in_as(email=unique_email("sso"))
        _, still_works = await sign_in(stack.url)
        missing = await admin.client.put(
            "/api/admin/sso",
            json={"providers": [{"id": "new", "name": "N", "issuer": idp.url, "client_id": "c"}]},
        )
        bad = await admin.client.put("/api/admin/sso", json={"providers": [{"id": "Bad Id!", "name": "x"}]})
        as_user = await person.client.get("/api/admin/sso")

        provider = shown.json()["providers"][0]
        assert shown.status_code == 200
        assert provider["secret_set"] is True
        assert "client_secret" not in provider
        assert idp.client_secret not in shown.text
        assert provider["redirect_uri"] == f"{stack.url}/api/auth/sso/idp/callback"
        assert kept.json()["providers"][0]["name"] == "Renamed"
        assert idp.client_secret not in kept.text
        assert refusal(still_works) is None
        assert missing.status_code == 422
        assert bad.status_code == 422
        assert as_user.status_code == 403
        assert (await admin.client.get("/api/admin/sso")).json()["providers"][0]["name"] == "Renamed"


async def test_the_admin_test_runs_discovery_and_never_fails_with_a_server_error(fresh_stack):
    async with sso_stack(fresh_stack) as (idp, _stack, admin):
        found = await admin.client.post("/api/admin/sso/test", json={"issuer": idp.url})
        idp.fail_next(500)
        failing = await admin.client.post("/api/admin/sso/test", json={"issuer": idp.url})
        closed = await admin.client.post("/api/admin/sso/test", json={"issuer": "http://127.0.0.1:9/"})
        link_local = await admin.client.post("/api/admin/sso/test", json={"issuer": "http://169.254.169.254/"})
        invalid = await admin.client.post("/api/admin/sso/test", json={"issuer": "ftp://x"})
        malformed = await admin.client.post("/api/admin/sso/test", json={"issuer": "http://[::1"})

        assert found.json()["ok"] is True
        assert failing.json() == {
            "ok": False,
            "detail": "The sign-in provider refused the request (discovery: HTTP 500).",
        }
        assert closed.status_code == 200
        assert closed.json()["ok"] is False
        assert link_local.status_code == 200
        assert link_local.json()["ok"] is False
        assert invalid.status_code == 422
        assert malformed.status_code in (200, 422)
        assert malformed.status_code == 422 or malformed.json()["ok"] is False


async def test_the_provider_unreachable_sends_the_person_back_to_the_login_page(fresh_stack):
    async with sso_stack(fresh_stack, auto_create=True) as (idp, stack, _admin):
        idp.fail_next(503, path="/.well-known")
        started = await gateway_client(stack.url).get("/api/auth/sso/idp/start")
        unknown = await gateway_client(stack.url).get("/api/auth/sso/nope/start")
        cancelled = await gateway_client(stack.url).get("/api/auth/sso/idp/callback?error=access_denied")

        assert "refused the request" in refusal(started)
        assert "No such sign-in provider" in refusal(unknown)
        assert refusal(cancelled) == "access_denied"


async def test_forward_auth_headers_count_only_from_a_trusted_proxy(fresh_stack):
    trusted = {"trusted_proxies": "127.0.0.1/32"}
    async with sso_stack(fresh_stack, identity={"forward_auth_enabled": True}, gateway=trusted) as (_, stack, admin):
        person = await register(stack.url, name="Proxied")
        client = gateway_client(stack.url)
        signed = await client.get("/api/auth/forward-auth", headers={"Remote-User": "p", "Remote-Email": person.email})
        adopt_csrf(client)
        stranger = await gateway_client(stack.url).get(
            "/api/auth/forward-auth", headers={"Remote-Email": unique_email("nobody")}
        )
        config = (await gateway_client(stack.url).get("/api/auth/config")).json()

        assert refusal(signed) is None
        assert (await me(client))["user"]["id"] == person.user["id"]
        assert "no active account" in refusal(stranger)
        assert config["forward_auth"] is True

    untrusted = {"trusted_proxies": "10.0.0.0/8"}
    async with sso_stack(fresh_stack, identity={"forward_auth_enabled": True}, gateway=untrusted) as (_, stack, admin):
        client = gateway_client(stack.url)
        spoofed = await client.get("/api/auth/forward-auth", headers={"Remote-Email": admin.email})

        assert "did not name an email" in refusal(spoofed)
        assert (await client.get("/api/auth/me")).status_code == 401

    async with sso_stack(fresh_stack, gateway=trusted) as (_, stack, admin):
        off = await gateway_client(stack.url).get("/api/auth/forward-auth", headers={"Remote-Email": admin.email})

        assert "off" in refusal(off)
