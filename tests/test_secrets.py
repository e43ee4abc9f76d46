"""Secrets in a real OS keyring (gnome-keyring over D-Bus), and the 0600 file fallback."""

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helper.secrets import FileBackend, Secrets, secret_backend

KEYRING_SCRIPT = """
import sys
from pathlib import Path
from helper.secrets import Secrets, secret_backend
data = Path(sys.argv[1])
backend = secret_backend(data)
secrets = Secrets(backend, data)
token = secrets.admin_token()
key = secrets.signing_key().private_bytes_raw()
again = Secrets(secret_backend(data), data)
print(backend.name, token == again.admin_token(), key == again.signing_key().private_bytes_raw())
"""


@pytest.mark.skipif(not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
                    reason="needs dbus + gnome-keyring (scripts/test installs them on Debian)")
def test_secrets_live_in_a_real_keyring_when_one_exists(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shell = ("echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
             f'"{sys.executable}" -c "$0" "$1" && "{sys.executable}" -m helper status --data-dir "$1"')
    result = subprocess.run(["dbus-run-session", "--", "sh", "-c", shell, KEYRING_SCRIPT, str(data)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "keyring True True"
    assert "secrets:  keyring" in result.stdout
    assert not (data / "secrets.json").exists()  # nothing secret on disk


def test_without_keyring_secrets_are_an_owner_only_file(tmp_path: Path) -> None:
    backend = secret_backend(tmp_path, "file")
    assert isinstance(backend, FileBackend)
    secrets = Secrets(backend, tmp_path)
    token = secrets.admin_token()
    key = secrets.signing_key()
    assert stat.S_IMODE(backend.path.stat().st_mode) == 0o600
    assert Secrets(FileBackend(tmp_path), tmp_path).admin_token() == token
    assert (tmp_path / "signing_key.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert Secrets(FileBackend(tmp_path), tmp_path).signing_key().private_bytes_raw() == \
        key.private_bytes_raw()
    assert secrets.description == "file (no keyring)"
