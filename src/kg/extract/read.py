"""Stage 1, read: bytes → text, one clear error per bad input, never a traceback.

UTF-8 is tried first; when it fails, the encoding is *detected* (charset-normalizer)
and only a Chinese encoding (GB18030 and its subsets GBK/GB2312, Big5) is accepted, so
a binary file or a Latin-1 page is refused with a reason instead of read as noise.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass

MAX_BYTES = 50 * 1024 * 1024  # a newspaper page is ~20 KB; 50 MB is a corrupt or wrong file
# byte order marks of the wider Unicode encodings (UTF-32 first: its little-endian mark starts like UTF-16's)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CHINESE_ENCODINGS = {"gb18030", "gbk", "gb2312", "big5", "hz", "cp936"}


class InputError(Exception):
    """A bad input: carries the file name and a one-line reason."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):  # picklable, so worker processes can report it
        return (InputError, (self.source, self.reason))


@dataclass(frozen=True)
class Source:
    """One input text: its display name (file name, not path), path, text and encoding."""

    name: str
    path: str
    text: str
    encoding: str


@dataclass(frozen=True)
class InputFile:
    """A file to read and its page name: its path under the input folder it was found in
    (sub/page.txt), or its file name when named itself; '-' (stdin) is stdin.txt."""

    path: str
    name: str


def find_inputs(paths) -> tuple[list[InputFile], list[InputError]]:
    """Files as given, folders searched recursively for *.txt, '-' for stdin; in name order,
    each file once. A name two different files would share (a/page.txt, b/page.txt given as
    folders a and b) becomes each file's absolute path, so both count, whatever the order."""
    found: dict[str, str] = {}  # absolute path (or '-') -> name
    errors: list[InputError] = []
    for p in paths:
        p = str(p)
        if p == "-":
            found["-"] = "stdin.txt"
            continue
        if os.path.isdir(p):
            files = _folder_files(p, errors)
        elif os.path.lexists(p):
            problem = _not_regular(p)
            if problem:
                errors.append(InputError(p, problem))
                continue
            files = [(p, os.path.basename(p))]
        else:
            errors.append(InputError(p, "no such file or folder"))
            continue
        for path, name in files:  # a file reached twice keeps its shorter name, whichever came first
            key, name = os.path.abspath(path), printable(name)
            found[key] = min(found.get(key, name), name, key=lambda n: (n.count("/"), n))
    by_name: dict[str, list[str]] = {}
    for key, name in found.items():
        by_name.setdefault(name, []).append(key)
    for keys in by_name.values():
        keys = [k for k in keys if k != "-"]
        if len(keys) > 1:  # a/page.txt and b/page.txt: named from the folder they share
            base = os.path.commonpath(keys)
            for key in keys:
                found[key] = printable(os.path.relpath(key, base).replace(os.sep, "/"))
    if len(set(found.values())) < len(found):  # still not unique: every path in full
        found = {key: printable(key.lstrip("/")) if key != "-" else name for key, name in found.items()}
    return sorted((InputFile(key, name) for key, name in found.items()), key=lambda f: f.name), errors


def _folder_files(folder: str, errors: list[InputError]) -> list[tuple[str, str]]:
    """(path, path under the folder) of its *.txt files; a subfolder that cannot be listed and
    a *.txt that is no regular file (a FIFO would block the read forever) are reported."""
    files = []

    def unlisted(err: OSError) -> None:
        errors.append(InputError(err.filename or folder, f"folder cannot be read ({err.strerror or err})"))

    for top, dirs, names in os.walk(folder, onerror=unlisted):
        dirs.sort()
        for n in sorted(names):
            if not n.endswith(".txt"):
                continue
            path = os.path.join(top, n)
            problem = _not_regular(path)
            if problem:
                errors.append(InputError(path, problem))
            else:
                files.append((path, os.path.relpath(path, folder).replace(os.sep, "/")))
    if not files and not any(e.source.startswith(folder) for e in errors):
        errors.append(InputError(folder, "folder holds no .txt files"))
    return files


def _not_regular(path: str) -> str | None:
    """Why a path is no file to read (a FIFO, a socket, a device, a broken link), or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return err.strerror or str(err)
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a folder" if stat.S_ISDIR(mode) else "a device")
    return f"not a regular file ({kind})"


def printable(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by Python as lone surrogates) become
    U+FFFD, so the name can be written anywhere; its IRI is made from it (kg.write.triples)."""
    return os.fsencode(name).decode("utf-8", "replace") if any("\udc80" <= c <= "\udcff" for c in name) else name


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8, else as a detected Chinese encoding; raise InputError otherwise."""
    if not data.strip():
        raise InputError(name, "file is empty")
    bom = next((enc for mark, enc in _BOMS if data.startswith(mark)), None)
    if bom:  # Notepad's "Unicode" is UTF-16 with a byte order mark: NUL bytes, yet text
        try:
            text, encoding = data.decode(bom), bom
        except UnicodeDecodeError as err:
            raise InputError(name, f"starts with a {bom} byte order mark but is not {bom} (byte {err.start})") from None
    elif b"\x00" in data[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
            encoding = "utf-8"
        except UnicodeDecodeError as err:
            text, encoding = _decode_detected(data, name, err)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        raise InputError(name, f"no Chinese text found (read as {encoding})")
    return text, encoding


def _decode_detected(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guess = best.encoding.lower().replace("_", "") if best else ""
    if guess in _CHINESE_ENCODINGS or guess.startswith("gb"):
        enc = "big5" if guess == "big5" else "gb18030"  # GB18030 is a superset of GBK/GB2312
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    if utf8_error.start >= len(data) - 3:
        raise InputError(name, f"UTF-8 text cut off mid-character at byte {utf8_error.start}")
    raise InputError(
        name,
        f"not UTF-8 (invalid byte at offset {utf8_error.start}) and no Chinese encoding detected"
        + (f" (looks like {best.encoding})" if best else ""),
    )


def read_source(path: str, name: str | None = None) -> Source:
    """Read one file (or '-' for stdin) into a Source named `name` (by default the file's
    name); raise InputError with the reason."""
    if path == "-":
        try:
            data = sys.stdin.buffer.read()
        except (AttributeError, OSError, ValueError):  # stdin closed (kg build - <&-)
            raise InputError("stdin", "standard input is closed") from None
        name = "stdin.txt"
    else:
        name = name or printable(os.path.basename(path))
        try:
            problem = _not_regular(path)
            if problem:
                raise InputError(path, problem)
            size = os.path.getsize(path)
            if size > MAX_BYTES:
                raise InputError(path, f"file too large ({size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB)")
            with open(path, "rb") as fh:
                data = fh.read()
        except PermissionError:
            raise InputError(path, "permission denied") from None
        except OSError as err:
            raise InputError(path, err.strerror or str(err)) from None
    text, encoding = decode(data, path if path != "-" else "stdin")
    return Source(name=name, path=path, text=text, encoding=encoding)
