"""Events the sync service publishes and the consumers it runs."""

from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.inbox import ConsumerSpec
from sync import SERVICE

recorder = EventRecorder(SERVICE)
CONSUMERS: list[ConsumerSpec] = []
