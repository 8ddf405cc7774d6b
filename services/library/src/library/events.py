"""Events the library service publishes and the consumers it runs."""

from library import SERVICE
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.inbox import ConsumerSpec

recorder = EventRecorder(SERVICE)
CONSUMERS: list[ConsumerSpec] = []
