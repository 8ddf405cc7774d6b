"""Tables of the library schema."""

from shelfspace_kernel.db import new_metadata

metadata = new_metadata()
