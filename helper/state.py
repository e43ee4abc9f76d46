"""Typed keys for application and request state (aiohttp `web.AppKey`)."""

from __future__ import annotations

from aiohttp import web

from helper.complaint.agenda import Agenda
from helper.config import Settings
from helper.models import Client
from helper.secrets import Pairing, Secrets
from helper.store import Store

SETTINGS = web.AppKey("settings", Settings)
STORE = web.AppKey("store", Store)
SECRETS = web.AppKey("secrets", Secrets)
AGENDA = web.AppKey("agenda", Agenda)
PAIRING = web.AppKey("pairing", Pairing)
ALLOWED_ORIGINS = web.AppKey("allowed_origins", frozenset)

CLIENT = web.RequestKey("client", Client)
"""The paired `Client` whose token authenticated the request."""
CORS_ORIGIN = web.RequestKey("cors_origin", str)
"""The extension Origin to echo in Access-Control-Allow-Origin."""

__all__ = ["AGENDA", "ALLOWED_ORIGINS", "CLIENT", "CORS_ORIGIN", "PAIRING", "SECRETS",
           "SETTINGS", "STORE", "Client"]
