"""`verify-bundle` on a WACZ: the same bounded, fail-closed reading as a bundle
(safezip.py refuses zip-slip names, duplicate entries, links and zip bombs), then every
file against the SHA-256 and size `datapackage.json` lists, and `datapackage.json`
against `datapackage-digest.json`. A WACZ is not signed by the case key (the ZIP bundle
is the signed evidence), so no signer is named.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable

from helper.bundle import layout
from helper.bundle.safezip import (
    BundleReadError,
    entry_problems,
    hash_entry,
    json_shape_problem,
    read_capped,
)
from helper.models import BundleCheck

PACKAGE, DIGEST = "datapackage.json", "datapackage-digest.json"


def is_wacz(zf: zipfile.ZipFile) -> bool:
    names = set(zf.namelist())
    return PACKAGE in names and layout.MANIFEST not in names


def check_wacz(zf: zipfile.ZipFile, report: BundleCheck, add: Callable[[str], None]) -> None:
    report.format = "wacz"
    unsafe = entry_problems(zf)
    for problem in unsafe:
        add(problem)
    if unsafe:
        return
    infos = {i.filename: i for i in zf.infolist() if not i.is_dir()}
    if PACKAGE not in infos:
        add(f"{PACKAGE} is missing")
        return
    try:
        raw = read_capped(zf, infos[PACKAGE], layout.MAX_MANIFEST_BYTES)
        digest = json.loads(read_capped(zf, infos[DIGEST], layout.MAX_TEXT_BYTES)) if DIGEST in infos else None
    except (BundleReadError, ValueError) as exc:
        add(f"{PACKAGE}: {exc}")
        return
    if shape := json_shape_problem(raw):
        add(f"{PACKAGE}: {shape}")
        return
    try:
        package = json.loads(raw)
        resources = package["resources"]
        assert isinstance(resources, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        add(f"{PACKAGE}: not a WACZ datapackage (no resources list)")
        return
    if digest is None:
        add(f"{DIGEST} is missing")
    elif not isinstance(digest, dict) or digest.get("hash") != "sha256:" + hashlib.sha256(raw).hexdigest():
        add(f"{PACKAGE}: its SHA-256 is not the one {DIGEST} records — it was changed")
    listed = set()
    for entry in resources[:layout.MAX_ENTRIES]:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str):
            add(f"{PACKAGE}: a resource without a path")
            continue
        listed.add(path)
        info = infos.get(path)
        if info is None:
            add(f"{path}: listed in {PACKAGE} but missing from the WACZ")
            continue
        try:
            sha, size = hash_entry(zf, info)
        except BundleReadError as exc:
            add(str(exc))
            continue
        if entry.get("hash") != f"sha256:{sha}" or entry.get("bytes") != size:
            add(f"{path}: SHA-256 {sha[:16]}… ({size} bytes) is not what {PACKAGE} lists — the file was altered")
        else:
            report.files_checked += 1
    for name in infos.keys() - listed - {PACKAGE, DIGEST}:
        add(f"{name}: in the WACZ but not listed in {PACKAGE} (added later)")
