"""How output files are written (write_atomic: the temporary file's name and place, the modes, UTF-8 whatever the
locale, no leftover on failure) and what the renderer fingerprint covers (template files whose names are no UTF-8).

Expected values are written by hand from the README ("Output files", "Interrupted runs", "Batches and
re-runs") and the comments in render.py; none is computed by render.py.
"""
from __future__ import annotations

import contextlib
import locale
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import render

# ---------------------------------------------------------------------------
# The internal names this module uses, in one place
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def umask(mask: int):
    """Run with this umask, as a process started under it would (render.py reads the umask once a process)."""
    old = os.umask(mask)
    render.process_umask.cache_clear()
    try:
        yield
    finally:
        os.umask(old)
        render.process_umask.cache_clear()


# ---------------------------------------------------------------------------
# write_atomic: the temporary file
# ---------------------------------------------------------------------------


def folder_at_rename(monkeypatch, target: Path, content: str | bytes) -> list[str]:
    """What the target's folder holds at the instant of the rename: what a run killed there leaves behind."""
    seen = []
    rename = os.replace

    def watched_rename(source, destination):
        seen.append(sorted(os.listdir(target.parent)))
        rename(source, destination)
    monkeypatch.setattr(os, "replace", watched_rename)
    render.write_atomic(target, content)
    [listing] = seen
    return listing


@pytest.mark.parametrize(("name", "content"), [
    ("page.html", "新的一頁"),
    ("image.png", b"\x89PNG\r\n"),
    ("新聞.html", "page"),
], ids=["page", "bytes", "han-name"])
def test_a_killed_run_leaves_a_hidden_temporary_file_beside_the_target(tmp_path, monkeypatch, name, content):
    # README, Interrupted runs: a temporary file left by a killed run is .NAME.html.xxxxxxxx.tmp, in the
    # target's own folder (mkstemp beside it: the rename stays on one file system).
    target = tmp_path / name
    target.write_bytes(b"old")
    listing = folder_at_rename(monkeypatch, target, content)
    assert len(listing) == 2 and name in listing
    [temporary] = [entry for entry in listing if entry != name]
    assert re.fullmatch(rf"\.{re.escape(name)}\.[a-z0-9_]+\.tmp", temporary), temporary
    assert target.read_bytes() == (content if isinstance(content, bytes) else content.encode("utf-8"))
    assert sorted(os.listdir(tmp_path)) == [name]


# ---------------------------------------------------------------------------
# write_atomic: the modes any new file gets
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "mode"), [
    (0o022, 0o644),
    (0o002, 0o664),
    (0o077, 0o600),
    (0o000, 0o666),  # no execute bit ever, whatever the umask allows
], ids=["022", "002", "077", "000"])
@pytest.mark.parametrize("content", ["page", b"image"], ids=["text", "bytes"])
def test_a_written_file_gets_the_modes_any_new_file_gets(tmp_path, mask, mode, content):
    # README, Output files: renamed into place "with the modes any new file gets": 0o666 less the umask,
    # not mkstemp's 0o600 (a page only its owner could read).
    target = tmp_path / "page.html"
    with umask(mask):
        render.write_atomic(target, content)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_replaced_file_gets_the_new_file_modes_too(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")
    target.chmod(0o600)
    with umask(0o022):
        render.write_atomic(target, "new page")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


# ---------------------------------------------------------------------------
# write_atomic: UTF-8 whatever the locale
# ---------------------------------------------------------------------------


def write_in_ascii_locale(target: Path, text: str) -> None:
    """write_atomic(target, text) where the platform's default text encoding is ASCII (LC_CTYPE=C): in this process,
    or, when it runs in Python's UTF-8 mode (where every default is UTF-8), in a child process started outside it."""
    if not sys.flags.utf8_mode:
        old = locale.setlocale(locale.LC_CTYPE)
        locale.setlocale(locale.LC_CTYPE, "C")
        try:
            assert locale.getpreferredencoding(False) != "UTF-8"
            render.write_atomic(target, text)
        finally:
            locale.setlocale(locale.LC_CTYPE, old)
        return
    code = f"import pathlib, render; render.write_atomic(pathlib.Path({ascii(str(target))}), {ascii(text)})"
    env = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
           "PYTHONPATH": str(Path(render.__file__).parent)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)


def test_text_is_written_as_utf8_whatever_the_locale(tmp_path):
    target = tmp_path / "page.html"
    write_in_ascii_locale(target, "<p>本文 café</p>\n")
    assert target.read_bytes() == "<p>本文 café</p>\n".encode()


# ---------------------------------------------------------------------------
# write_atomic: a failed write
# ---------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_page_and_no_temporary_file(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        render.write_atomic(target, "a lone surrogate \ud800 has no UTF-8")
    assert os.listdir(tmp_path) == ["page.html"]
    assert target.read_text(encoding="utf-8") == "old page"


def test_a_failed_rename_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "page.html"
    target.mkdir()  # a folder at the page's name: the rename onto it fails
    with pytest.raises(IsADirectoryError):
        render.write_atomic(target, "new page")
    assert os.listdir(tmp_path) == ["page.html"]
    assert os.listdir(target) == []


def test_a_cleanup_that_fails_never_hides_the_error(tmp_path, monkeypatch):
    # The temporary file may already be gone (removed by someone else): the error the caller sees is
    # still the one that stopped the write, not the cleanup's.
    target = tmp_path / "page.html"
    target.mkdir()

    def gone(path, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", path)
    monkeypatch.setattr(os, "unlink", gone)
    with pytest.raises(IsADirectoryError):
        render.write_atomic(target, "new page")


# ---------------------------------------------------------------------------
# The renderer fingerprint: template files whose names are not UTF-8
# ---------------------------------------------------------------------------


def theme_with_file(folder: Path, name: bytes) -> Path:
    """A template folder holding one small file, its name given as the bytes the file system stores."""
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), name), "wb") as file:
        file.write(b":root { --bg: #fdf6e3; }\n")
    return folder


def test_a_template_file_name_that_is_not_utf8_counts_like_any_other(tmp_path):
    # README, Batches and re-runs: the fingerprint covers "every file below the template folders"; a theme
    # copied from a Latin-1 system may hold a name that is no UTF-8 (Python reads it with surrogate escapes).
    latin = render.renderer_fingerprint(theme_with_file(tmp_path / "latin", b"caf\xe9.css"), render.Options())
    other = render.renderer_fingerprint(theme_with_file(tmp_path / "other", b"caf\xe8.css"), render.Options())
    plain = render.renderer_fingerprint(theme_with_file(tmp_path / "plain", b"cafe.css"), render.Options())
    assert len({latin, other, plain}) == 3
    assert render.renderer_fingerprint(tmp_path / "latin", render.Options()) == latin
