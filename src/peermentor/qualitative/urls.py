"""URLs of the qualitative workbench (evaluators only), one module per part of it."""

from __future__ import annotations

from peermentor.qualitative import urls_analysis, urls_coding, urls_exchange

urlpatterns = [*urls_coding.urlpatterns, *urls_analysis.urlpatterns, *urls_exchange.urlpatterns]
