"""The release an upgrade starts from: each service's revision head when it was cut.

0.1.0 (CHANGELOG.md) shipped library migrations up to 0004; 0005 onwards and every other service's 0002
onwards are listed under [Unreleased]. Update this when a release is cut.
"""

PREVIOUS_RELEASE = "0.1.0"
HEADS = {
    "identity": "0001_identity",
    "library": "0004_list_revisions",
    "integrations": "0001_integrations",
    "sync": "0001_sync",
    "audit": "0001_activity_log",
}
