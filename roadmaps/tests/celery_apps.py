"""Point the project's shared tasks at a broker a test chooses, without patching.

Shared tasks (`roadmaps.tasks.*`) resolve through Celery's *current* app on every call, so a
test makes a small app of its own current (a real broker URL, not eager, short connection
timeouts and publish retries) and makes the project's app current again afterwards.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

from celery import Celery, current_app


def closed_loopback_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def celery_app_at(broker_url: str, **conf: Any) -> Iterator[Celery]:
    previous = current_app._get_current_object()
    app = Celery("roadmapfinder-test", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_always_eager=False,
        broker_connection_timeout=1,
        broker_transport_options={"socket_connect_timeout": 1, "socket_timeout": 1},
        task_publish_retry_policy={
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.1,
            "interval_max": 0.1,
        },
        **conf,
    )
    app.set_current()
    try:
        yield app
    finally:
        previous.set_current()
        app.close()
