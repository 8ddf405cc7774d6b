"""The upgrade rehearsal (`make rehearse-upgrade`): the previous release's schema with a large library,
backed up and restored with the release's own scripts, upgraded to head while a writer keeps writing."""
