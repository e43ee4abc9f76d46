"""A crash leaves half-written uploads in blobs/tmp; the next start removes them, but never
a file that a live process is still writing."""

import hashlib
import os
import time
from pathlib import Path

from helper.store import BlobStore
from tests.support.daemon import start_daemon


def test_start_up_removes_crash_leftovers_but_not_a_live_upload(tmp_path: Path) -> None:
    data = tmp_path / "data"
    blobs = BlobStore(data / "blobs")
    crashed = blobs.tmp / "incoming-crashed"
    crashed.write_bytes(os.urandom(100_000))
    live = blobs.writer()  # this process is streaming an upload right now
    live.write(b"first half, ")
    an_hour_ago = time.time() - 3600
    for leftover in blobs.tmp.glob("incoming-*"):  # both predate the daemon's start
        os.utime(leftover, (an_hour_ago, an_hour_ago))

    daemon = start_daemon(data)
    try:
        assert not crashed.exists()
        assert len(list(blobs.tmp.glob("incoming-*"))) == 1  # the live upload's file
        live.write(b"second half")
        ref = live.commit()
        assert blobs.read_bytes(ref.sha256) == b"first half, second half"
        assert ref.sha256 == hashlib.sha256(b"first half, second half").hexdigest()
    finally:
        daemon.stop()
    assert list(blobs.tmp.glob("incoming-*")) == []
