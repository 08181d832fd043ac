"""Fixtures of the security tests: the browser set-up of tests/browser, for the XSS check."""

from __future__ import annotations

from tests.browser.conftest import browser_context_args, browser_type_launch_args

__all__ = ["browser_context_args", "browser_type_launch_args"]
