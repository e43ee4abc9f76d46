"""`GET /health`: lets the extension tell our daemon from any other program on the port."""

from aiohttp import web

from helper import __version__
from helper.api.routes import Route, json_response
from helper.models import Health


async def health(request: web.Request) -> web.Response:
    return json_response(Health(version=__version__))


ROUTES = [Route("GET", "/health", health, "Is the helper running, and which version", auth="public",
                response=Health)]
