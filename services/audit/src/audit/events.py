"""Events the audit service publishes and the consumers it runs."""

from audit import SERVICE
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.inbox import ConsumerSpec

recorder = EventRecorder(SERVICE)
CONSUMERS: list[ConsumerSpec] = []
