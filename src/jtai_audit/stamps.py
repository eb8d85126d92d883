"""When an output says it was made: `SOURCE_DATE_EPOCH` when set, so reruns are identical.

Reports and the blank workbook share this, and xlsx files carry it in their properties
and zip entries, so two runs on the same inputs compare byte for byte.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def generated_now() -> str:
    """The "generated at" time of a report, in UTC.

    `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), so two runs on the
    same inputs compare byte for byte; else the current time.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    else:
        when = dt.datetime.now(dt.UTC)
    return when.replace(microsecond=0).isoformat()


def stamp(book: Workbook, generated_at: str) -> dt.datetime:
    """Creation and modification time = when the report was generated (naive UTC)."""
    when = dt.datetime.fromisoformat(generated_at)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    book.properties.created = when
    book.properties.modified = when
    book.properties.creator = "jtai-audit"
    book.properties.lastModifiedBy = "jtai-audit"
    return when


def save(book: Workbook, when: dt.datetime) -> bytes:
    """The workbook's bytes, without openpyxl resetting `modified` to now, with fixed zip times."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    stamp_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute,
                  when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dest.writestr(entry, source.read(info.filename))
    return out.getvalue()


def xlsx_bytes(book: Workbook, generated_at: str | None = None) -> bytes:
    """The workbook's bytes, stamped with `generated_at` (default: `generated_now()`)."""
    return save(book, stamp(book, generated_at or generated_now()))
