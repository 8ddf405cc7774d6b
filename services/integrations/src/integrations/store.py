"""Tables of the integrations schema."""

from shelfspace_kernel.db import new_metadata

metadata = new_metadata()
