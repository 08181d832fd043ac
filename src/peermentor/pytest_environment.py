"""A pytest plugin, loaded before Django reads its settings, that sets the test environment.

A throw-away data folder, plain static files, tasks run at once and an in-process cache; any
of these may still be overridden from the environment.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("PEERMENTOR_DATA_DIR", tempfile.mkdtemp(prefix="peermentor-test-"))
os.environ.setdefault(
    "PEERMENTOR_STATIC_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("PEERMENTOR_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("CACHE_URL", "locmem://")
