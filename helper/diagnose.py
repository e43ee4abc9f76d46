"""Storage failures in plain words: a full disk, a read-only or forbidden data dir, a
damaged database.

SQLite and the OS report these as `sqlite3.OperationalError("database or disk is full")`
or `OSError(ENOSPC)`, which a buyer cannot act on. `explain()` turns them into one
message that names the cause and the remedy, Chinese first, then English. The CLI prints
it instead of a traceback, and the API answers it as 507 `disk_full` or 503
`storage_unavailable` instead of a generic 500. It recognises nothing else: any other
error stays an unexpected one.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# SQLite primary result codes (the low byte of `sqlite_errorcode`).
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 3, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26
# The same, for builds that do not set `sqlite_errorcode`: SQLite's fixed messages.
_SQLITE_MESSAGES = {
    "database or disk is full": _SQLITE_FULL,
    "attempt to write a readonly database": _SQLITE_READONLY,
    "file is not a database": _SQLITE_NOTADB,
    "database disk image is malformed": _SQLITE_CORRUPT,
    "unable to open database file": _SQLITE_CANTOPEN,
    "disk i/o error": _SQLITE_IOERR,
    "access permission denied": _SQLITE_PERM,
}
_EDQUOT = getattr(errno, "EDQUOT", None)  # not defined on Windows


@dataclass(frozen=True)
class StorageProblem:
    """What went wrong with the data dir, said so the buyer can fix it."""

    status: int
    """The HTTP answer: 507 when the disk (or quota) is full, 503 otherwise."""
    code: str
    """`disk_full` or `storage_unavailable`."""
    message: str

    def __str__(self) -> str:
        return self.message


_FULL, _QUOTA, _READ_ONLY, _FORBIDDEN, _CANNOT_OPEN, _DAMAGED, _IO = range(7)
_PROBLEMS: dict[int, tuple[int, str, str]] = {
    _FULL: (507, "disk_full", (
        "磁盘空间不足：{where} 所在的磁盘已满。请释放空间后重试；之前保存的数据没有受影响。 / "
        "The disk is full: there is no space left for {where}. Free some space and try "
        "again; what was saved before is intact.")),
    _QUOTA: (507, "disk_full", (
        "磁盘配额已用完：{where} 无法再写入。请释放空间或提高配额后重试；之前保存的数据没有受影响。 / "
        "The disk quota is used up: nothing more can be written to {where}. Free some "
        "space or raise the quota, then try again; what was saved before is intact.")),
    _READ_ONLY: (503, "storage_unavailable", (
        "数据目录是只读的：{where} 无法写入。请把所在磁盘重新挂载为可写，或用 --data-dir "
        "指定一个可写的目录后重试。 / "
        "The data dir is read-only: {where} cannot be written. Remount its disk "
        "writable, or choose a writable directory with --data-dir, then try again.")),
    _FORBIDDEN: (503, "storage_unavailable", (
        "没有写入权限：当前用户不能写入 {where}。请检查它的所有者和权限（chown / chmod）后重试。 / "
        "Permission denied: this user may not write to {where}. Check its owner and "
        "permissions (chown / chmod), then try again.")),
    _CANNOT_OPEN: (503, "storage_unavailable", (
        "无法打开数据库：{where} 里的数据库文件打不开。请确认该目录存在、可写，且磁盘已连接。 / "
        "The database cannot be opened in {where}. Check that the directory exists, is "
        "writable and its disk is connected.")),
    _DAMAGED: (503, "storage_unavailable", (
        "数据库文件已损坏（{detail}）：{where}。请不要删除它：先停止助手，从备份恢复数据目录，"
        "或请技术人员用 `sqlite3 文件 .recover` 抢救，然后再启动。 / "
        "The database file is damaged ({detail}): {where}. Do not delete it: stop the "
        "helper, restore the data dir from a backup (or have a technician try "
        "`sqlite3 FILE .recover`), then start again.")),
    _IO: (503, "storage_unavailable", (
        "磁盘读写出错：{where} 所在的磁盘读写失败，它可能已断开或正在损坏。请检查磁盘后重试。 / "
        "Disk I/O error: reading or writing {where} failed; its disk may be disconnected "
        "or failing. Check the disk, then try again.")),
}


def _problem(kind: int, where: str, detail: str = "") -> StorageProblem:
    status, code, message = _PROBLEMS[kind]
    return StorageProblem(status, code, message.format(where=where, detail=detail))


def explain(exc: BaseException, data_dir: Path | None = None) -> StorageProblem | None:
    """The storage problem behind `exc` (or anything it was raised from), else None."""
    for error in _chain(exc):
        if isinstance(error, sqlite3.Error):
            problem = _from_sqlite(error, data_dir)
        elif isinstance(error, OSError):
            problem = _from_os(error, data_dir)
        else:
            continue
        if problem is not None:
            return problem
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what it was raised from or during, then an exception group's members."""
    seen: set[int] = set()
    pending = [exc]
    while pending:
        error = pending.pop(0)
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        if isinstance(error, BaseExceptionGroup):
            pending.extend(error.exceptions)
        pending.extend(e for e in (error.__cause__, error.__context__) if e is not None)


def _where(filename: object, data_dir: Path | None) -> str:
    if isinstance(filename, (str, Path)) and str(filename):
        return str(filename)
    return str(data_dir) if data_dir else "数据目录 (the data dir)"


def _from_sqlite(error: sqlite3.Error, data_dir: Path | None) -> StorageProblem | None:
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else _SQLITE_MESSAGES.get(str(error).lower())
    kind = {_SQLITE_FULL: _FULL, _SQLITE_READONLY: _READ_ONLY, _SQLITE_PERM: _FORBIDDEN,
            _SQLITE_CANTOPEN: _CANNOT_OPEN, _SQLITE_NOTADB: _DAMAGED, _SQLITE_CORRUPT: _DAMAGED,
            _SQLITE_IOERR: _IO}.get(primary)  # type: ignore[arg-type]
    if kind == _CANNOT_OPEN:
        kind = _why_unopenable(data_dir)
    return None if kind is None else _problem(kind, _where(None, data_dir), str(error))


def _why_unopenable(data_dir: Path | None) -> int:
    """SQLite says only "unable to open database file"; in WAL mode that is also what a
    read-only disk or a directory this user may not write gives (no room for -wal/-shm),
    so ask the file system which it is."""
    if data_dir is None or not data_dir.is_dir():
        return _CANNOT_OPEN
    try:
        if os.statvfs(data_dir).f_flag & os.ST_RDONLY:
            return _READ_ONLY
    except (AttributeError, OSError):  # no statvfs on Windows
        pass
    return _CANNOT_OPEN if os.access(data_dir, os.W_OK) else _FORBIDDEN


def _from_os(error: OSError, data_dir: Path | None) -> StorageProblem | None:
    where = _where(error.filename, data_dir)
    if error.errno == errno.ENOSPC:
        return _problem(_FULL, where)
    if _EDQUOT is not None and error.errno == _EDQUOT:
        return _problem(_QUOTA, where)
    if error.errno == errno.EROFS:
        return _problem(_READ_ONLY, where)
    if error.errno in (errno.EACCES, errno.EPERM) and _in_data_dir(error.filename, data_dir):
        return _problem(_FORBIDDEN, where)
    if error.errno == errno.EIO and _in_data_dir(error.filename, data_dir):
        return _problem(_IO, where)
    return None


def _in_data_dir(filename: object, data_dir: Path | None) -> bool:
    """A permission or I/O error is about storage only when it names a file of ours: the
    same errno also comes from binding a privileged port or launching a browser."""
    if not isinstance(filename, (str, Path)) or not str(filename):
        return False
    if data_dir is None:
        return True
    try:
        return Path(filename).resolve().is_relative_to(data_dir.resolve())
    except OSError:
        return False
