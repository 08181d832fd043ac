"""The WSGI application served by gunicorn.

``peermentor serve`` loads it once in gunicorn's master process (``--preload``): the URL
configuration, every view module and the charting library are imported here, before the
workers are forked, so no one's first page pays for them and the workers share that memory.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peermentor.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    from django.db import connections
    from django.urls import get_resolver

    from peermentor.core.charts import pyplot

    get_resolver().url_patterns  # noqa: B018 -- imports every view module
    pyplot()
    connections.close_all()  # a forked worker must never share the master's connection


_warm_up()
