"""Reading a multipart/form-data body that a broken or hostile client may have sent.

aiohttp's parser raises `ValueError` or `HttpProcessingError` when a body is not what its
Content-Type says: no boundary, part headers without a colon or with control characters
(a NUL in a file name), a body that ends before its closing boundary. Those are the
client's mistakes, so each becomes a 400 that says which one — never a 500 — and the
handler only ever sees whole, readable parts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from helper.api.routes import KiB
from helper.errors import ApiError

CHUNK = 1 << 20
FIELD_MAX = 4 * KiB
"""A form field (title, category) is a short text; a bigger one is not a field."""

NO_BOUNDARY = ("the body is not multipart/form-data: Content-Type needs a boundary "
               "(multipart/form-data; boundary=…) and the body must start with it")
CUT_OFF = ("the upload ends before its closing boundary (--boundary--); it was probably cut "
           "off — send it again")
BAD_HEADERS = ("a part's headers cannot be read: each header line needs a name and a colon, "
               "and none may contain control characters such as NUL or line breaks (look at "
               "the file names)")


def invalid_upload(message: str) -> ApiError:
    return ApiError(400, "invalid_upload", message)


@contextmanager
def _unreadable(problem: str) -> Iterator[None]:
    try:
        yield
    except HttpProcessingError:
        raise invalid_upload(BAD_HEADERS) from None
    except ValueError:
        raise invalid_upload(problem) from None


async def form_parts(request: web.Request) -> AsyncIterator[BodyPartReader]:
    """Each part of the body in turn, until the closing boundary."""
    with _unreadable(NO_BOUNDARY):
        reader = await request.multipart()
    problem = NO_BOUNDARY  # until a first part is read, a parse error means the boundary never matched
    while True:
        with _unreadable(problem):
            part = await reader.next()
        if part is None:
            return
        if not isinstance(part, BodyPartReader):
            raise invalid_upload("nested multipart bodies are not supported; send each file as a `file` part")
        yield part
        problem = CUT_OFF


async def chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    """The part's bytes as sent (no content decoding), in chunks of at most 1 MiB."""
    while True:
        with _unreadable(CUT_OFF):
            chunk = await part.read_chunk(CHUNK)
        if not chunk:
            return
        yield chunk


async def read_field(part: BodyPartReader) -> str:
    data = b""
    async for chunk in chunks(part):
        data += chunk
        if len(data) > FIELD_MAX:
            raise ApiError(413, "body_too_large",
                           f"the form field {part.name} is longer than {FIELD_MAX // KiB} KiB")
    return decode_text(data, f"the form field {part.name}")


def part_filename(part: BodyPartReader) -> str | None:
    """The file name the client sent, or None when the part is not a file.

    aiohttp keeps header bytes that are not UTF-8 as surrogate escapes, which nothing
    downstream can store; older Chinese Windows clients send GBK names, so those bytes
    are read as GB18030 before the name is refused."""
    name = part.filename
    return None if name is None else decode_text(name.encode("utf-8", "surrogateescape"),
                                                 "the file name")


def decode_text(raw: bytes, what: str) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise invalid_upload(f"{what} is neither UTF-8 nor GB18030 text")
