"""Every stored secret names the origins (scheme, host, port) it was entered for.

A provider's secret is sent only while its URL settings still point at those origins: the service
checks the column before it opens the secret, and secrets sealed from now on carry the origin in
their AES-GCM associated data as well. Rows written before this revision keep their ciphertext
untouched; they are bound here to the origins their settings name today (what they were being sent
to), and are re-sealed with the origin on their next use or by `python -m integrations.rotate_keys`.

A Trakt link is bound the same way, to the origin of the space's Trakt settings when it was made.

Downgrade drops the columns; secrets sealed with an origin after the upgrade then no longer open
under the previous release (they show as cannot_decrypt and must be entered again). No ciphertext is
removed either way.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from integrations.domain.providers import CONFIG_MODELS, secret_origin

revision = "0002_secret_origin"
down_revision = "0001_integrations"
branch_labels = None
depends_on = None

ORIGIN_SET = "(secret_ciphertext IS NULL) = (secret_origin IS NULL)"


def _origin(provider: str, config: dict[str, Any]) -> str:
    model = CONFIG_MODELS[provider]
    try:
        current = model.model_validate({**model().model_dump(), **config})
    except ValueError:
        # Settings that do not validate cannot be used; the public default is the only safe binding.
        current = model()
    return secret_origin(provider, current)


def upgrade() -> None:
    conn = op.get_bind()
    for table in ("provider_settings", "trakt_links"):
        op.add_column(table, sa.Column("secret_origin", sa.Text()))
    settings = conn.execute(
        sa.text("SELECT space_id, provider, config FROM provider_settings WHERE secret_ciphertext IS NOT NULL")
    ).all()
    for space_id, provider, config in settings:
        conn.execute(
            sa.text("UPDATE provider_settings SET secret_origin = :origin WHERE space_id = :space AND provider = :p"),
            {"origin": _origin(provider, config or {}), "space": space_id, "p": provider},
        )
    trakt = dict(conn.execute(sa.text("SELECT space_id, config FROM provider_settings WHERE provider = 'trakt'")).all())
    for (space_id,) in conn.execute(sa.text("SELECT DISTINCT space_id FROM trakt_links")).all():
        conn.execute(
            sa.text(
                "UPDATE trakt_links SET secret_origin = :origin WHERE space_id = :space AND secret_ciphertext IS NOT NULL"
            ),
            {"origin": _origin("trakt", trakt.get(space_id) or {}), "space": space_id},
        )
    for table in ("provider_settings", "trakt_links"):
        op.create_check_constraint(f"ck_{table}_secret_origin_set", table, ORIGIN_SET)


def downgrade() -> None:
    for table in ("provider_settings", "trakt_links"):
        op.drop_constraint(f"ck_{table}_secret_origin_set", table, type_="check")
        op.drop_column(table, "secret_origin")
