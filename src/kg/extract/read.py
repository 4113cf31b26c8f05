"""Stage 1, read: bytes → text, one clear error per bad input, never a traceback.

UTF-8 is tried first; when it fails, the encoding is *detected* (charset-normalizer)
and only a Chinese encoding (GB18030 and its subsets GBK/GB2312, Big5) is accepted, so
a binary file or a Latin-1 page is refused with a reason instead of read as noise.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024  # a newspaper page is ~20 KB; 50 MB is a corrupt or wrong file
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


def expand_paths(paths) -> tuple[list[str], list[InputError]]:
    """Files as given, folders searched recursively for *.txt, '-' for stdin; sorted, deduplicated."""
    found: list[str] = []
    errors: list[InputError] = []
    for p in paths:
        p = str(p)
        if p == "-":
            found.append(p)
        elif os.path.isdir(p):
            txts = sorted(str(f) for f in Path(p).rglob("*.txt") if f.is_file())
            if not txts:
                errors.append(InputError(p, "folder holds no .txt files"))
            found.extend(txts)
        elif os.path.exists(p):
            found.append(p)
        else:
            errors.append(InputError(p, "no such file or folder"))
    seen, unique = set(), []
    for p in found:
        key = p if p == "-" else os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, errors


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8, else as a detected Chinese encoding; raise InputError otherwise."""
    if not data.strip():
        raise InputError(name, "file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
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


def read_source(path: str) -> Source:
    """Read one file (or '-' for stdin) into a Source; raise InputError with the reason."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "stdin.txt"
    else:
        name = os.path.basename(path)
        try:
            size = os.path.getsize(path)
            if size > MAX_BYTES:
                raise InputError(path, f"file too large ({size // (1024 * 1024)} MB > {MAX_BYTES // (1024 * 1024)} MB)")
            with open(path, "rb") as fh:
                data = fh.read()
        except PermissionError:
            raise InputError(path, "permission denied") from None
        except IsADirectoryError:
            raise InputError(path, "is a folder") from None
        except OSError as err:
            raise InputError(path, err.strerror or str(err)) from None
    text, encoding = decode(data, path if path != "-" else "stdin")
    return Source(name=name, path=path, text=text, encoding=encoding)
