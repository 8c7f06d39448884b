"""Turn uploaded bytes (or a path) into something DuckDB's CSV reader can read safely.

Order of checks, each with its own message: size (on the byte length, before
anything is read), magic bytes (Excel, zip, images, PDF, other binary), a web
page or XML document saved instead of the export, encoding (UTF-8 with or
without BOM, UTF-16 with BOM, else cp1252), Excel's `sep=;` hint line,
delimiter, header (at most MAX_COLUMNS columns, counted before DuckDB sees the
file), at least one row after the header. A header in mojibake
(`ResponsÃ¡vel`: UTF-8 once read as Latin-1) gets the whole file repaired when
the repair round-trips, else the header alone. The data itself is never
parsed here: DuckDB reads it (see `analytics.importers.load`).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from analytics.errors import ImportRejected

# Read at call time (tests monkeypatch them). The app's upload limit is lower (.streamlit/config.toml).
MAX_FILE_BYTES = 1_000_000_000  # 1 GB
MAX_COLUMNS = 1000                   # a Jira "all fields" export of a large instance stays below this
SNIFF_BYTES = 256 * 1024

_MAGIC = [
    (b"PK\x03\x04", "an Excel workbook or a zip archive", "Export it as CSV (in Excel: File > Save As > CSV UTF-8) and upload the CSV."),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook", "Export it as CSV and upload the CSV."),
    (b"\x89PNG", "a PNG image", "Upload the CSV export from your tool instead."),
    (b"\xff\xd8\xff", "a JPEG image", "Upload the CSV export from your tool instead."),
    (b"%PDF", "a PDF document", "Upload the CSV export from your tool instead."),
    (b"\x1f\x8b", "a gzip archive", "Decompress it and upload the CSV inside."),
]


@dataclass(frozen=True)
class TextFile:
    """A delimited text file ready for DuckDB: UTF-8 on disk, header already parsed."""

    name: str
    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    skip_lines: int  # physical lines before the first data record (hint line + header)
    size: int
    temporary: bool

    def cleanup(self) -> None:
        if self.temporary:
            try:
                os.unlink(self.path)
            except OSError:
                pass


def size_text(n: int) -> str:
    """A byte count for messages: 512 bytes, 12.3 KB, 1,024 MB."""
    if n < 1000:
        return f"{n:,} bytes"
    if n < 1_000_000:
        return f"{n / 1e3:,.1f} KB"
    return f"{n / 1e6:,.1f} MB" if n < 10_000_000 else f"{n / 1e6:,.0f} MB"


def check_size(name: str, size: int) -> None:
    """Refuse a file over MAX_FILE_BYTES from its byte length alone (nothing is read or parsed)."""
    if size > MAX_FILE_BYTES:
        raise ImportRejected(name, f"the file is {size_text(size)}; at most {size_text(MAX_FILE_BYTES)} is accepted.",
                             hint="Export a shorter date range or fewer projects, and upload the parts one by one.")


def read_head(data: bytes | None, path: str | Path | None) -> tuple[bytes, int]:
    """The first SNIFF_BYTES of an upload and its total size."""
    if (data is None) == (path is None):
        raise ValueError("give exactly one of data or path")
    if data is not None:
        return data[:SNIFF_BYTES], len(data)
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES), os.fstat(fh.fileno()).st_size


_HTML_TAGS = (b"<html", b"<head", b"<body", b"<!doctype html", b"<form", b"<script", b"<meta", b"<title", b"<div")


def check_content(name: str, head: bytes) -> None:
    """Files that are not text exports at all: archives, workbooks, images, binaries, web pages, XML."""
    _check_magic(name, head)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096].lower()
    if start.startswith(b"<"):
        if any(tag in start for tag in _HTML_TAGS):
            raise ImportRejected(
                name, "this is a web page (HTML), not a CSV export: probably a login page saved instead of the "
                      "export (the session had expired when the file was downloaded).",
                hint="Sign in to the tool in your browser, export the CSV again and upload that file.")
        if start.startswith(b"<?xml") or start[1:2].isalpha():
            raise ImportRejected(name, "this is an XML document, not a CSV export (Jira's XML/RSS view, perhaps).",
                                 hint="Use the tool's CSV export instead (Jira: Export > CSV).")


def _check_magic(name: str, head: bytes) -> None:
    for magic, what, hint in _MAGIC:
        if head.startswith(magic):
            if magic == b"PK\x03\x04" and b"xl/" not in head[:4096] and b"[Content_Types]" not in head[:4096]:
                what, hint = "a zip archive", "Unzip it and upload the CSV inside."
            elif magic == b"PK\x03\x04":
                what = "an Excel workbook (.xlsx)"
            raise ImportRejected(name, f"this is {what}, not a CSV.", hint=hint)
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and _utf16_without_bom(head) is None:
        raise ImportRejected(name, "this is a binary file, not a CSV export.",
                             hint="Upload the CSV export from your tool.")


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the head is mostly Latin text with a NUL byte beside (nearly) every character."""
    sample = head[:4096]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.9 * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _decode_head(name: str, head: bytes, complete: bool) -> tuple[str, str]:
    """Return (encoding, decoded text of the head)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", head.decode("utf-8-sig", errors="replace")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", head.decode("utf-16", errors="replace")
    bomless = _utf16_without_bom(head)
    if bomless:
        return bomless, head.decode(bomless, errors="replace")
    try:
        return "utf-8", head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut in the middle of a multi-byte character at the end of the sniffed head is fine.
        if not complete and exc.start >= len(head) - 3:
            return "utf-8", head[: exc.start].decode("utf-8")
    return "cp1252", head.decode("cp1252", errors="replace")


def _split_hint(text: str) -> tuple[str | None, str]:
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) <= 6:
        return first.strip()[4:5] or None, rest
    return None, text


def _sniff_delimiter(name: str, text: str) -> str:
    """The delimiter (`,` `;` TAB `|`) that splits the header into the most columns and the rows that follow
    into the same number: a header whose quoted names contain `;` does not make a comma file `;`-separated."""
    best, best_key = ",", (-1.0, 0)
    for delim in (",", ";", "\t", "|"):
        rows: list[list[str]] = []
        try:
            for record in csv.reader(io.StringIO(text), delimiter=delim, quotechar='"'):
                rows.append(record)
                if len(rows) > 20:
                    break
        except csv.Error:
            pass
        if not rows or len(rows[0]) < 2:
            continue
        # the rows after the header, without blank ones and without the last (cut at the end of the head)
        body = [r for r in (rows[1:-1] if len(rows) > 2 else rows[1:]) if any(c.strip() for c in r)]
        share = sum(len(r) == len(rows[0]) for r in body) / len(body) if body else 1.0
        key = (round(share, 2), len(rows[0]))
        if key > best_key:
            best, best_key = delim, key
    return best


def _parse_header(name: str, text: str, delimiter: str, complete: bool = False) -> list[str]:
    """The header row. With `complete` (the text is the whole file) a file without any row after the
    header is refused here; a longer file always has more than its head."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(name, "the file is empty.", hint="Export again from your tool; the file has no rows.")
    except csv.Error as exc:
        raise ImportRejected(name, f"the header row cannot be read ({exc}).", row=1,
                             hint="Export the file again as CSV; the first row must be the column names.")
    if len(header) > MAX_COLUMNS:
        cut = "" if complete or "\n" in text else "at least "
        raise ImportRejected(name, f"the header has {cut}{len(header):,} columns; at most {MAX_COLUMNS:,} are "
                                   f"accepted.", row=1,
                             hint="Export only the columns you need (Jira: 'CSV (current fields)').")
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    if not any(header):
        raise ImportRejected(name, "the first row (the header) is empty.", row=1,
                             hint="Export the file again; its first row must be the column names.")
    if complete and not _has_rows(reader):
        raise ImportRejected(name, "the file has a header but no rows.", row=2,
                             hint="Export again with a filter or date range that includes some items.")
    return header


def _has_rows(reader) -> bool:
    """Whether any non-blank record follows (on the remaining head text)."""
    try:
        return any(any(cell.strip() for cell in row) for row in reader)
    except csv.Error:
        return True  # something follows; DuckDB's strict reader decides what it is


def open_text(name: str, *, data: bytes | None = None, path: str | Path | None = None,
              tmp_dir: str | Path | None = None) -> TextFile:
    """Sniff a delimited export given as bytes or a path; never parses the body."""
    head, size = read_head(data, path)
    check_size(name, size)
    if not head.strip():
        raise ImportRejected(name, "the file is empty.", hint="Export again from your tool; the file has no rows.")
    check_content(name, head)
    complete = len(head) >= size
    encoding, text = _decode_head(name, head, complete=complete)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip(" \t\n\ufeff\x00"):
        raise ImportRejected(name, "the file is empty.", hint="Export again from your tool; the file has no rows.")
    hint_delim, body = _split_hint(text)
    delimiter = hint_delim or _sniff_delimiter(name, body)
    header = _parse_header(name, body, delimiter, complete)
    skip = 1 + (1 if hint_delim else 0)

    if _repair_mojibake(" ".join(header)) is not None:
        return _repaired(name, data, path, encoding, delimiter, header, skip, size, tmp_dir)
    if encoding == "utf-8" and path is not None:
        return TextFile(name, Path(path), encoding, delimiter, header, skip, size, temporary=False)
    raw = data if data is not None else Path(path).read_bytes()
    if encoding == "utf-8":
        decoded = None
    else:
        decoded = raw.decode(encoding, errors="replace")
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw if decoded is None else decoded.encode("utf-8"))
    return TextFile(name, Path(tmp), encoding, delimiter, header, skip, size, temporary=True)


def _repair_mojibake(text: str) -> str | None:
    """UTF-8 text that was once decoded as Latin-1/cp1252 (`ResponsÃ¡vel`), decoded right; None when the
    text is not such mojibake (plain ASCII, proper UTF-8, or bytes that do not round-trip)."""
    if text.isascii():
        return None
    for codec in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return fixed if fixed != text else None
    return None


def _repaired(name: str, data: bytes | None, path: str | Path | None, encoding: str, delimiter: str,
              header: list[str], skip: int, size: int, tmp_dir: str | Path | None) -> TextFile:
    """The header is mojibake: repair the whole file when the repair round-trips, else only the header
    (so the columns are recognised; cell text stays as exported)."""
    raw = data if data is not None else Path(path).read_bytes()
    text = raw.decode(encoding, errors="replace")
    fixed = _repair_mojibake(text)
    if fixed is not None:
        text, encoding = fixed, f"{encoding}, mojibake repaired"
        header = _parse_header(name, _split_hint(fixed.replace("\r\n", "\n").replace("\r", "\n"))[1], delimiter)
    else:
        header = [_repair_mojibake(h) or h for h in header]
        encoding = f"{encoding}, header mojibake repaired"
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(text.encode("utf-8"))
    return TextFile(name, Path(tmp), encoding, delimiter, header, skip, size, temporary=True)


def reencode_cp1252(text_file: TextFile, tmp_dir: str | Path | None = None) -> TextFile:
    """The head looked like UTF-8 but the body is not: decode the whole file as cp1252."""
    raw = text_file.path.read_bytes()
    text_file.cleanup()
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw.decode("cp1252", errors="replace").encode("utf-8"))
    return TextFile(text_file.name, Path(tmp), "cp1252", text_file.delimiter, text_file.header,
                    text_file.skip_lines, text_file.size, temporary=True)


def normalize_newlines(text_file: TextFile, tmp_dir: str | Path | None = None) -> TextFile | None:
    """Records ending in a mix of CRLF, LF and CR (EXPORT_FORMATS quirk 12; a stray CR pasted into a cell),
    which DuckDB's strict reader refuses: every CRLF and every lone CR made LF, so that there is one record
    terminator. A stray CR outside quotes then splits its row, which is reported as a ragged row (citing
    it) instead of the whole file failing. None when the file has no CR."""
    raw = text_file.path.read_bytes()
    if b"\r" not in raw:
        return None
    text_file.cleanup()
    fd, tmp = tempfile.mkstemp(prefix="firebreak-", suffix=".csv", dir=tmp_dir)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    return TextFile(text_file.name, Path(tmp), text_file.encoding, text_file.delimiter, text_file.header,
                    text_file.skip_lines, text_file.size, temporary=True)
