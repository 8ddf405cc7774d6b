"""Events the audit service publishes and the consumers it runs."""

from audit import SERVICE
from audit.handlers import record_event
from shelfspace_kernel.events import EventRecorder
from shelfspace_kernel.inbox import ConsumerSpec

recorder = EventRecorder(SERVICE)
ACTIVITY_CONSUMER = f"{SERVICE}.activity"
# "#" binds every routing key on the topic exchange: event types nobody declared are recorded too.
CONSUMERS: list[ConsumerSpec] = [ConsumerSpec(ACTIVITY_CONSUMER, ["#"], record_event)]
