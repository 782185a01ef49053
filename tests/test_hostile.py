"""Hostile and broken input (issue 5): encodings, bad files, XSS, output files, size.

Every CLI test renders into tmp_path; none writes into seeds/ or the repository's out/.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SEED, need_module, run_cli, unprivileged

import render

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
SUMMARY = re.compile(r"^rendered (\d+), failed (\d+)", re.M)
GOOD_DOC = "好文章的標題\n\n發布時間:2022-02-16 08:57:00 來源:新华社\n\n  這是第一段正文，內容完整。\n  這是第二段正文。\n"


def env_without_epoch() -> dict:
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("render.py: error:")]


def summary(stderr: str) -> tuple[int, int]:
    m = SUMMARY.search(stderr)
    assert m, f"no summary line in {stderr!r}"
    return int(m[1]), int(m[2])


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below folder and the sha256 of its bytes; not the manifest, which records each file's inode and time."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(render.MANIFEST_NAME)}


# ---------------------------------------------------------------------------
# Encodings and line endings
# ---------------------------------------------------------------------------


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def big5_corpus() -> str:
    """The seed without its pinyin readings, kept to the characters Big5 can encode."""
    text = render.PINYIN_ANNOTATION.sub("", seed_text())

    def encodable(ch: str) -> bool:
        try:
            ch.encode("big5")
            return True
        except UnicodeEncodeError:
            return False
    kept = "".join(ch for ch in text if encodable(ch))
    assert len(kept) > 0.9 * len(text)  # the seed is Traditional: nearly all of it is Big5
    kept.encode("big5", errors="strict")
    return kept


def simplified_corpus() -> str:
    opencc = need_module("opencc")
    return opencc.OpenCC("t2s").convert(render.PINYIN_ANNOTATION.sub("", seed_text()))


@pytest.mark.parametrize("bom, codec, name", [
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
])
def test_byte_order_marks(bom, codec, name):
    text = seed_text()
    assert render.decode(bom + text.encode(codec)) == (text, name)


def test_strict_utf8_without_bom():
    assert render.decode(seed_text().encode("utf-8")) == (seed_text(), "utf-8")


def test_gb18030_whole_seed():
    data = seed_text().encode("gb18030")
    assert render.decode(data) == (seed_text(), "gb18030")


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_simplified_article_in_gb_encodings(codec):
    text = simplified_corpus()
    assert render.decode(text.encode(codec)) == (text, "gb18030")


def test_big5_whole_seed():
    text = big5_corpus()
    assert render.decode(text.encode("big5")) == (text, "big5")


@pytest.mark.parametrize("codec", ["big5", "gb18030"])
@pytest.mark.parametrize("start", range(0, 3000, 250))
def test_article_length_slices_decode(codec, start):
    """Paragraph-sized pieces (200 characters) of real text come back exactly, in both encodings."""
    text = (big5_corpus() if codec == "big5" else simplified_corpus())[start:start + 200]
    assert render.decode(text.encode(codec)) == (text, codec)


def test_invalid_after_bom_is_not_text():
    with pytest.raises(render.DocumentError, match="not a text document"):
        render.decode(b"\xff\xfe" + b"\x00\xd8")  # a lone surrogate


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200),
    b"GIF89a" + bytes(100),
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    random.Random(5).randbytes(4096),
    bytes(range(256)) * 16,
])
def test_binary_is_not_text(data):
    with pytest.raises(render.DocumentError, match="not a text document"):
        render.decode(data)


def test_random_bytes_are_never_text():
    rng = random.Random(7)
    for _ in range(50):
        with pytest.raises(render.DocumentError, match="not a text document"):
            render.decode(rng.randbytes(rng.choice((64, 512, 4096))))


@pytest.mark.parametrize("ending", ["\r\n", "\r", "mixed"])
def test_line_endings_parse_alike(ending):
    text = seed_text()
    assert "\r" not in text
    if ending == "mixed":  # every line its own ending, as files pasted together have them
        endings = ("\r\n", "\r", "\n")
        other = "".join(line + endings[i % 3] for i, line in enumerate(text.split("\n")))
    else:
        other = text.replace("\n", ending)
    assert other != text
    got = render.parse_document(other, "seed")
    assert got == render.parse_document(text, "seed")
    doc = got.to_json()  # and the parse is the seed's, not an empty one that both sides share
    assert [len(s["paragraphs"]) for s in doc["sections"]] == [7, 11, 14, 10]
    assert "\r" not in repr(got)


def test_cli_bom_crlf_and_gb18030_files_report_their_encoding(tmp_path):
    text = seed_text()
    (tmp_path / "bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "utf16_crlf.txt").write_bytes(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    (tmp_path / "big5.txt").write_bytes(big5_corpus().encode("big5"))
    (tmp_path / "cr.txt").write_bytes(text.replace("\n", "\r").encode("utf-8"))
    result = run_cli("--json", tmp_path)
    assert result.returncode == 0, result.stderr
    documents = {d["file"]: d for d in json.loads(result.stdout)}
    assert {k: d["encoding"] for k, d in documents.items()} == {
        "big5": "big5", "bom_crlf": "utf-8-sig", "cr": "utf-8", "gb": "gb18030", "utf16_crlf": "utf-16"}
    reference = render.analyse_document(text, "x")  # a consistency check: the same parse whatever the bytes were
    for name in ("bom_crlf", "utf16_crlf", "gb", "cr"):
        assert documents[name]["title"] == reference["title"]
        assert documents[name]["sections"] == reference["sections"]
        assert "\r" not in json.dumps(documents[name]["sections"])


# ---------------------------------------------------------------------------
# Bad files: one clear line each, the rest still rendered
# ---------------------------------------------------------------------------


@pytest.fixture
def mixed_batch(tmp_path):
    """A folder with one good document and every kind of bad one."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_DOC, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text(" \n\t\n\u3000\u3000\r\n \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "noise.md").write_bytes(random.Random(3).randbytes(2048))
    with zipfile.ZipFile(folder / "archive.txt", "w") as archive:
        archive.writestr("a.txt", "hello")
    (folder / "folder.txt").mkdir()  # a folder named like a document: a folder, passed over
    # Unreadable even for root: a link to nothing, a link to itself.
    (folder / "dangling.txt").symlink_to(folder / "missing-target.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    return folder


BAD_REASONS = {
    "empty.txt": "empty file", "blank.txt": "white space only", "binary.txt": "not a text document",
    "noise.md": "not a text document", "archive.txt": "not a text document", "dangling.txt": "broken link",
    "loop.txt": "cannot be read",
}


def test_mixed_batch_reports_each_bad_file_once_and_renders_the_good_one(mixed_batch, tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "does-not-exist.txt"
    result = run_cli(mixed_batch, missing, "-o", out, "-j", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = error_lines(result.stderr)
    for name, reason in BAD_REASONS.items():
        hits = [line for line in errors if f"{mixed_batch / name}:" in line]
        assert len(hits) == 1, (name, errors)
        assert reason in hits[0], hits[0]
    assert any(f"{missing}: no such file" in line for line in errors)
    assert len(errors) == len(BAD_REASONS) + 1
    assert summary(result.stderr) == (1, len(BAD_REASONS) + 1)
    assert (out / "good.html").is_file()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["good.html", "index.html"]
    assert not list(out.glob(".*.tmp"))


def test_every_error_is_one_line_naming_the_file(mixed_batch, tmp_path):
    result = run_cli(mixed_batch, "-o", tmp_path / "out", "-j", "4")
    assert result.returncode == 1
    for line in result.stderr.splitlines():
        assert line.startswith(("render.py: error: ", "rendered ")), line
    errors = error_lines(result.stderr)
    assert len(errors) == len(BAD_REASONS)
    for line in errors:
        assert re.match(r"render\.py: error: \S.*: \S", line), line
    assert sorted(line.split(": ")[2] for line in errors) == sorted(str(mixed_batch / name) for name in BAD_REASONS)
    assert summary(result.stderr) == (1, len(BAD_REASONS))


def test_json_mode_reports_bad_files_and_prints_the_good(mixed_batch):
    result = run_cli("--json", mixed_batch)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert [d["file"] for d in json.loads(result.stdout)] == ["good"]
    assert len(error_lines(result.stderr)) == len(BAD_REASONS)


def test_unreadable_file_by_mode(open_tmp):
    """Run as an unprivileged user (root reads files whatever their mode)."""
    locked = open_tmp / "locked.txt"
    locked.write_text(GOOD_DOC, encoding="utf-8")
    locked.chmod(0)
    readable = open_tmp / "readable.txt"
    readable.write_text(GOOD_DOC, encoding="utf-8")
    result = run_cli(locked, readable, "-o", open_tmp / "out", user=unprivileged())
    assert result.returncode == 1
    assert error_lines(result.stderr) == [f"render.py: error: {locked}: cannot be read (Permission denied)"]
    assert summary(result.stderr) == (1, 1)
    assert (open_tmp / "out" / "readable.html").is_file() and not (open_tmp / "out" / "locked.html").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    result = subprocess.run([sys.executable, str(ROOT / "render.py"), str(tmp_path), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"render.py: error: {pipe}: not a regular file" in result.stderr


def test_device_is_refused():
    with pytest.raises(render.DocumentError, match="not a regular file"):
        render.read_document(Path(os.devnull))


def test_missing_title_uses_the_file_name_with_a_warning(tmp_path):
    article = render.parse_document("來源:新华社\n", "untitled-note")  # metadata and nothing else
    assert article.title == "untitled-note"
    assert article.source == "新华社" and article.meta_lines == ("來源:新华社",)
    assert any(w["kind"] == "title" for w in article.warnings)
    (tmp_path / "only-meta.txt").write_text("來源:新华社\n", encoding="utf-8")
    result = run_cli(tmp_path / "only-meta.txt", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "<title>only-meta" in (tmp_path / "out" / "only-meta.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# The output folder
# ---------------------------------------------------------------------------


def test_output_folder_that_is_a_file(tmp_path):
    doc = tmp_path / "good.txt"
    doc.write_text(GOOD_DOC, encoding="utf-8")
    target = tmp_path / "out"
    target.write_text("I am a file", encoding="utf-8")
    result = run_cli(doc, "-o", target)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [f"render.py: error: {target}: output folder is a file"]
    assert summary(result.stderr) == (0, 1)
    assert target.read_text(encoding="utf-8") == "I am a file"


def test_output_folder_under_a_file_cannot_be_created(tmp_path):
    doc = tmp_path / "good.txt"
    doc.write_text(GOOD_DOC, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    result = run_cli(doc, "-o", blocker / "sub")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = error_lines(result.stderr)
    assert line.startswith(f"render.py: error: {blocker / 'sub'}: cannot create output folder")


def test_one_page_that_cannot_be_written_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(GOOD_DOC.replace("好文章", f"文章{name}"), encoding="utf-8")
    out = tmp_path / "out"
    (out / "b.html").mkdir(parents=True)  # a folder where the page of b.txt should go
    result = run_cli(folder, "-o", out, "-j", "1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = error_lines(result.stderr)
    assert line.startswith(f"render.py: error: {folder / 'b.txt'}: cannot write")
    assert (out / "a.html").is_file() and (out / "c.html").is_file()
    assert summary(result.stderr) == (2, 1)


def test_read_only_output_folder(open_tmp):
    """Run as an unprivileged user (root writes anywhere)."""
    doc = open_tmp / "good.txt"
    doc.write_text(GOOD_DOC, encoding="utf-8")
    out = open_tmp / "ro"
    out.mkdir()
    out.chmod(0o555)
    result = run_cli(doc, "-o", out, user=unprivileged())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [f"render.py: error: {out}: output folder is not writable"]
    assert list(out.iterdir()) == []


def test_output_into_seeds_is_a_usage_error(tmp_path):
    before = tree_digest(ROOT / "seeds")
    result = run_cli("-o", ROOT / "seeds")
    assert result.returncode == 2
    assert "never written into seeds/" in result.stderr
    assert tree_digest(ROOT / "seeds") == before


def test_usage_errors_exit_2(tmp_path):
    for args in (["--max-size", "0"], ["--jobs", "0"], ["--no-such-option"], ["--templates", tmp_path / "nope"]):
        result = run_cli(*args, "-o", tmp_path / "out")
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------
# Output names, atomic writes, nothing written over inputs, reproducible pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("plain.txt", "plain"),
    ("with space.txt", "with_space"),
    (".hidden.txt", "hidden"),
    ("..txt", "document"),
    ("-rf.txt", "rf"),
    ("a\x1b[31mred.txt", "a_31mred"),
    ("tab\there.txt", "tab_here"),
    ("\u202eevil.txt", "evil"),
    ("中文 標題.txt", "中文_標題"),
    ("con.txt", "con_"),
])
def test_safe_stem(name, expected):
    assert render.safe_stem(Path(name)) == expected


def test_safe_stem_is_short_and_clean_whatever_the_name():
    for name in ("國" * 300 + ".txt", "a/../../etc/passwd.txt", "x" + "\x00\x01\x7f" * 5 + ".md", "\ud800bad.txt"):
        stem = render.safe_stem(Path(name))
        assert stem and len(stem.encode("utf-8")) <= render.MAX_STEM_BYTES
        assert not stem.startswith((".", "-"))
        assert not re.search(r"[/\\\x00-\x1f\x7f]", stem)
        stem.encode("utf-8")  # no lone surrogates


def test_same_stem_in_two_folders_gets_distinct_deterministic_names(tmp_path):
    for sub in ("one", "two"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "news.txt").write_text(GOOD_DOC.replace("好文章", sub), encoding="utf-8")
    inputs = [tmp_path / "one" / "news.txt", tmp_path / "two" / "news.txt"]
    names = render.output_names(inputs)
    assert len(set(names.values())) == 2
    assert all(re.fullmatch(r"news-[0-9a-f]{8}\.html", n) for n in names.values())
    assert render.output_names(list(reversed(inputs))) == names
    out = tmp_path / "out"
    result = run_cli(tmp_path / "one", tmp_path / "two", "-o", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("news-*.html")) == sorted(names.values())


def test_case_clash_and_index_names():
    names = render.output_names([Path("a/Index.txt"), Path("b/x.txt"), Path("c/X.md")])
    assert names[Path("a/Index.txt")] != "Index.html"
    assert len({n.lower() for n in names.values()}) == 3


def test_write_atomic_leaves_nothing_behind_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")

    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(render.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render.write_atomic(target, "new page")
    assert target.read_text(encoding="utf-8") == "old page"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_input_is_never_overwritten(tmp_path):
    page_like = tmp_path / "note.html"
    page_like.write_text(GOOD_DOC, encoding="utf-8")
    result = run_cli(page_like, "-o", tmp_path)
    assert result.returncode == 1
    assert "would overwrite the input" in result.stderr
    assert page_like.read_text(encoding="utf-8") == GOOD_DOC


def test_default_run_leaves_seeds_untouched(tmp_path):
    before = tree_digest(ROOT / "seeds")
    result = run_cli("-o", tmp_path / "out", env=env_without_epoch())
    assert result.returncode == 0, result.stderr
    assert tree_digest(ROOT / "seeds") == before
    assert (tmp_path / "out" / f"{SEED.stem}.html").is_file()


def test_same_folder_twice_gives_byte_identical_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for source in (SEED, HOSTILE / "xss.txt", HOSTILE / "xss.md"):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "gb.txt").write_bytes(seed_text().encode("gb18030"))
    first, second = tmp_path / "first", tmp_path / "second"
    assert run_cli(folder, "-o", first, env=env_without_epoch()).returncode == 0
    assert run_cli(folder, "-o", second, "-j", "1", env=env_without_epoch()).returncode == 0
    assert tree_digest(first) == tree_digest(second)
    again = run_cli(folder, "-o", first, "--force", env=env_without_epoch())
    assert again.returncode == 0
    assert tree_digest(first) == tree_digest(second)


def test_build_date_only_with_source_date_epoch(tmp_path):
    doc = tmp_path / "good.txt"
    doc.write_text(GOOD_DOC, encoding="utf-8")
    run_cli(doc, "-o", tmp_path / "plain", env=env_without_epoch())
    run_cli(doc, "-o", tmp_path / "dated", env={**env_without_epoch(), "SOURCE_DATE_EPOCH": "1700000000"})
    plain = (tmp_path / "plain" / "good.html").read_text(encoding="utf-8")
    dated = (tmp_path / "dated" / "good.html").read_text(encoding="utf-8")
    assert "2023-11-14" not in plain and "dcterms.modified" not in plain
    assert "2023-11-14T22:13:20Z" in dated


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------


def test_max_size_is_documented_in_help():
    result = run_cli("--help")
    assert "--max-size" in result.stdout
    assert f"default: {render.DEFAULT_MAX_SIZE}" in " ".join(result.stdout.split())


def test_documents_above_max_size_are_refused(tmp_path):
    doc = tmp_path / "big.txt"
    doc.write_text(GOOD_DOC * 100, encoding="utf-8")
    size = doc.stat().st_size
    result = run_cli(doc, "-o", tmp_path / "out", "--max-size", "1000")
    assert result.returncode == 1
    assert error_lines(result.stderr) == [f"render.py: error: {doc}: larger than --max-size ({size} > 1000 bytes)"]


def test_ten_megabyte_document_renders(tmp_path):
    body = seed_text().split("\n", 4)[4]
    paragraphs = (10 * 1024 * 1024) // len(body.encode("utf-8")) + 1
    doc = tmp_path / "huge.txt"
    doc.write_text("一篇很長的文章\n\n" + "\n".join([body] * paragraphs), encoding="utf-8")
    assert doc.stat().st_size >= 10 * 1024 * 1024
    result = run_cli(doc, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "huge.html").read_text(encoding="utf-8")
    assert page.count("特警、武警、交警") >= paragraphs


# ---------------------------------------------------------------------------
# Hostile content
# ---------------------------------------------------------------------------

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "form", "input", "button", "base",
                  "svg", "math", "style", "link", "meta", "template", "noscript", "video", "audio", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data", "cite"}


class PageAudit(HTMLParser):
    """Every start tag of a page, with its attributes, and the text outside script and style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.raw: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            del self._stack[self._stack.index(tag):]

    def handle_data(self, data):
        (self.raw if self._stack and self._stack[-1] in ("script", "style") else self.text).append(data)


def audit(page: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(page)
    parser.close()
    return parser


def scheme_of(url: str) -> str:
    """The scheme a browser would see: tabs and newlines removed, outer controls and spaces stripped."""
    url = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return m[1].lower() if m else ""


def assert_safe_page(page: str) -> PageAudit:
    """The checks every rendered page must pass, whatever the input."""
    found = audit(page)
    head = page[: page.index("</head>")]
    # One script element only: the JSON-LD data block, which cannot be closed early from inside.
    scripts = [attrs for tag, attrs in found.tags if tag == "script"]
    assert scripts == [{"type": "application/ld+json"}]
    assert page.lower().count("<script") == 1
    ld = page[page.index('<script type="application/ld+json">') + 35:]
    ld = ld[: ld.index("</script>")]
    assert "<" not in ld and ">" not in ld
    json.loads(ld)
    for tag, attrs in found.tags:
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            raise AssertionError("meta refresh")
        if tag == "input":  # the page's own pinyin switch, nothing else
            assert attrs == {"type": "checkbox", "id": "show-pinyin"}, attrs
            continue
        if tag in FORBIDDEN_TAGS - {"meta", "style", "link", "script"}:  # the head's own, checked above
            raise AssertionError(f"forbidden element <{tag}>")
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in URL_ATTRIBUTES and value is not None:
                assert scheme_of(value) in ("", "http", "https", "mailto"), (tag, name, value)
            if name == "style":
                raise AssertionError(f"style attribute on <{tag}>")
    # meta, style and link appear only in the head, and only the page's own.
    body_tags = found.tags[[t for t, _ in found.tags].index("body"):]
    assert not [t for t, a in body_tags if t in FORBIDDEN_TAGS and a.get("id") != "show-pinyin"], body_tags
    assert head.count("<style>") == 1 and "<link" not in head.lower()
    for tag in re.findall(r"<[a-zA-Z][^>]*>", page):  # raw tags, attribute values left out
        assert not re.search(r"\son[a-z]+\s*=", re.sub(r'"[^"]*"|\'[^\']*\'', '""', tag), re.I), tag
    return found


def test_plain_text_xss_is_shown_as_text():
    text = (HOSTILE / "xss.txt").read_text(encoding="utf-8")
    page, meta = render.render_document(text, "xss")
    found = assert_safe_page(page)
    shown = "".join(found.text)
    body = "\n".join(p for s in meta["sections"] for p in s["paragraphs"])
    # Every line's markup comes back as the very text the file holds.
    for needle in ("<script>alert(1)</script>", '<img src="x" onerror="alert(2)">', "<svg/onload=alert(3)>",
                   '<a href="javascript:alert(4)">', "jav&#x61;script:alert(5)", "<iframe", "<object", "<embed",
                   "<form", "<base", '<meta http-equiv="refresh"', "<math>", "<style>", "[markdown link](javascript:alert(7))",
                   "&lt;script&gt;", "</script><script>alert(10)</script>", "<!-- <script>alert(11)</script> -->", "{{ 7*7 }}"):
        assert needle in body, needle
        assert needle in shown, needle
    for tail in re.findall(r"[A-Z]+(?:-[A-Z]+)*-TAIL", text):
        assert tail in shown, tail
    tags = [tag for tag, _ in found.tags]
    assert "img" not in tags and "a" not in tags  # nothing in a text document becomes markup


def test_plain_text_metadata_is_escaped_everywhere():
    page, meta = render.render_document((HOSTILE / "xss.txt").read_text(encoding="utf-8"), "xss")
    assert meta["source"] == "<img src=x onerror=alert('source')>"
    assert meta["author"].startswith('"><svg onload=')
    assert_safe_page(page)
    title = page[page.index("<title>") + 7: page.index("</title>")]
    assert "<" not in title and "&lt;script&gt;" in title


def test_markdown_xss_is_sanitized_and_the_text_survives():
    text = (HOSTILE / "xss.md").read_text(encoding="utf-8")
    page, meta = render.render_document(text, "xss", markdown=True)
    found = assert_safe_page(page)
    shown = "".join(found.text)
    for tail in re.findall(r"[A-Z]+(?:-[A-Z]+)*-(?:TAIL|TEXT|LINK)", text):
        assert tail in shown, tail
    links = {attrs.get("href") for tag, attrs in found.tags if tag == "a" and "href" in attrs}
    assert {"https://example.org/page", "other.html", "mailto:a@example.org", "https://example.org"} <= links
    assert all(scheme_of(h) in ("", "http", "https", "mailto") for h in links)
    tags = {tag for tag, _ in found.tags}
    assert {"ruby", "rt", "time", "table", "td", "figure", "figcaption", "img", "details", "summary"} <= tags
    imgs = [attrs.get("src") for tag, attrs in found.tags if tag == "img"]
    assert "photo.png" in imgs and "chart.png" in imgs
    assert all(scheme_of(src or "") in ("", "http", "https") for src in imgs)
    for tag, attrs in found.tags:
        if tag == "a" and "href" in attrs:
            assert attrs.get("rel") == "noopener noreferrer nofollow"
        assert "target" not in attrs


def test_markdown_front_matter_attacks_are_escaped():
    page, meta = render.render_document((HOSTILE / "xss.md").read_text(encoding="utf-8"), "xss", markdown=True)
    assert_safe_page(page)
    head = page[: page.index("</head>")]
    title = head[head.index("<title>") + 7: head.index("</title>")]
    assert "<" not in title and "&lt;/title&gt;&lt;script&gt;" in title
    for attribute in re.findall(r'content="([^"]*)"', head):
        assert "<" not in attribute and '"' not in attribute
    ld = head[head.index('application/ld+json">') + 21: head.index("</script>")]
    data = json.loads(ld)
    assert data["headline"].startswith('"><script>alert("fm-title")</script></title>')
    assert data["author"]["name"] == '"><svg onload=alert("fm-author")>'
    assert "</script>" in json.dumps(data, ensure_ascii=False)  # the text is kept, only encoded in the page
    html_open = page[page.index("<html"): page.index(">", page.index("<html")) + 1]
    assert html_open.count('"') == 2  # lang="…" cannot grow an attribute


@pytest.mark.parametrize("vector", [
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href="jav&#97;script:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<img src=x onerror=alert(1)>',
    '<img src="x" ONERROR="alert(1)">',
    '<svg><script>alert(1)</script></svg>',
    '<svg onload=alert(1)>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form><button formaction="javascript:alert(1)">x</button></form>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="import" href="evil.html">',
    '<style>@import "evil.css";</style>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<details open ontoggle=alert(1)>x</details>',
    '<body onload=alert(1)>',
    '<input autofocus onfocus=alert(1)>',
    '<video><source onerror="alert(1)"></video>',
    '<scr<script>ipt>alert(1)</script>',
    '<<script>script>alert(1)<</script>/script>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<!--><script>alert(1)</script>-->',
    '<a href="\x01javascript:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1) "t")',
    '[x]: javascript:alert(1)\n\n[y][x]',
    '![x](javascript:alert(1))',
    '<javascript:alert(1)>',
])
def test_classic_vectors_in_markdown(vector):
    text = f"# Title\n\nBEFORE-TEXT\n\n{vector}\n\nAFTER-TEXT\n"
    page, _ = render.render_document(text, "v", markdown=True)
    found = assert_safe_page(page)
    shown = "".join(found.text)
    assert "BEFORE-TEXT" in shown and "AFTER-TEXT" in shown


@pytest.mark.parametrize("vector", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                                    "</title><script>alert(1)</script>", "'; alert(1); '", "{{ 7*7 }}"])
def test_vectors_in_every_plain_text_field(vector):
    text = (f"{vector} 標題\n\n發布時間:2022-02-16 來源:{vector} 作者:{vector}\n\n"
            f"  正文 {vector} 正文。\n  第二段。\n\n版权所有 © {vector}\n")
    page, meta = render.render_document(text, "v")
    found = assert_safe_page(page)
    shown = "".join(found.text)
    assert shown.count(vector.strip()) >= 2
    assert "49" not in shown  # no template ever evaluated {{ 7*7 }}


def test_sanitize_keeps_the_allowlist():
    html = ('<p><ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp></ruby> <time datetime="2022-02-16">t</time> '
            '<a href="https://a.example/x?y=1&amp;z=2" title="t">a</a> <a href="rel/page.html">r</a> '
            '<a href="mailto:x@example.org">m</a></p><figure><img src="i.png" alt="a"><figcaption>c</figcaption></figure>'
            '<table><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>')
    clean = render.sanitize(html)
    for kept in ("<ruby>", "<rt>hàn</rt>", '<time datetime="2022-02-16">', 'href="https://a.example/x?y=1&amp;z=2"',
                 'href="rel/page.html"', 'href="mailto:x@example.org"', "<figure>", '<img src="i.png" alt="a">',
                 "<figcaption>", '<th scope="col">', '<td colspan="2">'):
        assert kept in clean, kept


# ---------------------------------------------------------------------------
# Content-Security-Policy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("source, markdown", [(SEED, False), (HOSTILE / "xss.md", True)])
def test_content_security_policy(source, markdown):
    page, _ = render.render_document(source.read_text(encoding="utf-8"), "p", markdown=markdown)
    head = page[: page.index("</head>")]
    tags = re.findall(r"<meta[^>]*>", head)
    assert tags[0] == '<meta charset="utf-8">'
    assert 'http-equiv="Content-Security-Policy"' in tags[1]
    assert head.index('<meta charset="utf-8">') < head.index("Content-Security-Policy") < head.index("<title>")
    policy = dict((d.split(" ", 1) + [""])[:2] for d in
                  re.search(r'content="([^"]*)"', tags[1])[1].replace("&#39;", "'").split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'none'"
    assert "script-src" not in policy  # scripts fall back to default-src 'none'
    assert "'unsafe-inline'" not in policy.get("style-src", "") and "'unsafe-eval'" not in tags[1]
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(styles[0].encode("utf-8")).digest()).decode() + "'"
    assert policy["style-src"] == digest


# ---------------------------------------------------------------------------
# Hostile structure: costly Markdown, YAML bombs, names that break lines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["[", "![", "<a ", "<a <b ", "[x](y) ", "*a* ", "`a` ", "a<b>c</b> "])
def test_pathological_markdown_renders_whole_as_text(unit):
    """Inputs that cost Python-Markdown or the HTML parser quadratic time (minutes at this size) are shown
    as the text they are, every unit of it: the defusing that keeps them linear loses nothing."""
    count = 200_000 // len(unit)
    text = "# T\n\nBEFORE-TEXT\n\n" + unit * count + "\n\nAFTER-TEXT\n"
    page, _ = render.render_document(text, "p", markdown=True)
    found = assert_safe_page(page)
    shown = "".join(found.text)
    assert "BEFORE-TEXT" in shown and "AFTER-TEXT" in shown
    assert shown.count(unit.strip()) == count


@pytest.mark.parametrize("unit", ["[", "<a ", "&", "*", "國\\"])
def test_pathological_plain_paragraph_renders(unit):
    text = "標題\n\n" + unit * (200_000 // len(unit)) + "\n"
    page, meta = render.render_document(text, "p")
    assert_safe_page(page)
    assert "".join(audit(page).text).count(unit.strip()) == 200_000 // len(unit)


def test_defuse_leaves_real_markdown_alone():
    text = (HOSTILE / "xss.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert render.defuse_markdown(text) == text
    links = "\n\n".join(f"Para {i} with [a link](https://example.org/{i}) and <b>bold</b> & more." for i in range(2000))
    assert render.defuse_markdown(links) == links


def test_plain_text_is_shown_as_typed_never_as_markup():
    """A text document's paragraphs are escaped text: Markdown and HTML syntax in them is shown, not interpreted."""
    sentence = "國(guó)家 a & b < c > \"d\" *x* [y](z) `k` \\ # - 1. ~~~ <b>bold</b> &amp;"
    article = render.parse_document("標題一\n\n發布時間：2024-03-03\n\n" + sentence + "\n", "plain")
    [section] = render.body_html(render.restore(article, render.Options(keep_punctuation=True)))
    assert section["html"] == ("<p><ruby>國<rp>(</rp><rt lang=\"zh-Latn-pinyin\">guó</rt><rp>)</rp></ruby>家 a &amp; b &lt; c &gt; "
                               "\"d\" *x* [y](z) `k` \\ # - 1. ~~~ &lt;b&gt;bold&lt;/b&gt; &amp;amp;</p>")


def test_a_long_plain_paragraph_is_rendered_whole():
    """A paragraph of 100,000 characters full of Markdown marks comes out whole, escaped, in one <p>."""
    long_text = "中文 *x* [y](z) & < `k` " * 5000
    article = render.parse_document("標題二\n\n發布時間：2024-03-03\n\n" + long_text + "\n", "long")
    [section] = render.body_html(article)
    assert section["html"] == "<p>" + long_text.strip().replace("&", "&amp;").replace("<", "&lt;") + "</p>"


class CountingSet(set):
    """A set that counts the membership tests made of it."""

    probes = 0

    def __contains__(self, item) -> bool:
        self.probes += 1
        return super().__contains__(item)


def test_many_identical_headings_get_distinct_ids_in_few_probes():
    taken = CountingSet()
    ids = [render.slug("同一個標題", taken) for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert ids[:3] == ["同一個標題", "同一個標題-2", "同一個標題-3"] and ids[-1] == "同一個標題-20000"
    before = taken.probes
    assert render.slug("同一個標題", taken) == "同一個標題-20001"
    assert taken.probes - before <= 40, "a free number is found by bisection (about 2 log2 n probes), not by trying each"


def test_yaml_alias_bomb_and_deep_nesting_are_refused_politely():
    bomb = "---\ntitle: ok\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(12)) + "author: *m\n---\n\nbody text\n"
    article = render.parse_document(bomb, "bomb", markdown=True)
    assert article.title == "ok" and article.author is None
    assert any(w["kind"] == "front-matter" for w in article.warnings)
    deep = "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\nbody\n"
    article = render.parse_document(deep, "deep", markdown=True)
    assert any(w["kind"] == "front-matter" for w in article.warnings)
    page, _ = render.render_document(bomb, "bomb", markdown=True)
    assert_safe_page(page)


def test_metadata_lines_in_json(tmp_path):
    doc = tmp_path / "meta.txt"
    doc.write_text(GOOD_DOC, encoding="utf-8")
    [data] = json.loads(run_cli("--json", doc).stdout)
    assert data["metadata_lines"] == ["發布時間:2022-02-16 08:57:00 來源:新华社"]


def test_file_name_with_a_newline_gives_one_error_line(tmp_path):
    odd = tmp_path / "bad\nname.txt"
    odd.write_bytes(b"")
    result = run_cli(odd, "-o", tmp_path / "out")
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "bad\\nname.txt: empty file" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipe_replacing_an_unchanged_file_does_not_block_the_next_run(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    doc = folder / "a.txt"
    doc.write_text(GOOD_DOC, encoding="utf-8")
    command = [sys.executable, str(ROOT / "render.py"), str(folder), "-o", str(out)]
    assert subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    doc.unlink()
    os.mkfifo(doc)
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"render.py: error: {doc}: not a regular file" in result.stderr


def test_an_input_named_index_html_in_the_output_folder_is_not_overwritten(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    index_input = out / "index.html"
    index_input.write_text(GOOD_DOC, encoding="utf-8")
    result = run_cli(index_input, "-o", out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert index_input.read_text(encoding="utf-8") == GOOD_DOC
    assert len(list(out.glob("index-*.html"))) == 1  # the page itself, under another name


def test_damaged_utf8_stays_utf8():
    data = bytearray(seed_text().encode("utf-8"))
    at = seed_text().index("湖北") + 40
    at = len(seed_text()[:at].encode("utf-8")) + 1  # the middle of a three-byte character
    del data[at]
    text, encoding = render.decode(bytes(data))
    assert encoding == "utf-8"
    assert 1 <= text.count("\ufffd") - seed_text().count("\ufffd") <= 2  # the broken character, nothing more
    assert "信息主導" in text


@pytest.mark.parametrize("text, codec", [
    ("Le gouvernement a présenté une nouvelle politique économique. Les élèves étudient à la bibliothèque. "
     "Où est la gare ? Ça va très bien, merci.", "cp1252"),
    ("대한민국의 수도는 서울이다. 오늘 날씨가 매우 좋습니다. 우리는 공원에서 산책을 했습니다. "
     "정부는 새로운 경제 정책을 발표했다. 학생들은 도서관에서 공부하고 있습니다.", "euc_kr"),
    ("日本の首都は東京です。今日はとても良い天気ですね。私たちは公園を散歩しました。"
     "政府は新しい経済政策を発表した。学生たちは図書館で勉強しています。", "shift_jis"),
])
def test_other_encodings_go_to_charset_normalizer(text, codec):
    decoded, encoding = render.decode(text.encode(codec))
    assert decoded == text
    assert encoding == codec


def test_damaged_utf8_with_bom_stays_utf8_sig():
    data = bytearray(b"\xef\xbb\xbf" + seed_text().encode("utf-8"))
    del data[len(b"\xef\xbb\xbf" + seed_text()[:200].encode("utf-8")) + 1]
    text, encoding = render.decode(bytes(data))
    assert encoding == "utf-8-sig" and "信息主導" in text


def test_the_index_and_manifest_are_never_written_over_an_input(tmp_path):
    out = tmp_path / "site"
    assert run_cli(SEED, "-o", out, "-q").returncode == 0
    index = out / "index.html"
    before = index.read_bytes()
    link = tmp_path / "linked.txt"
    link.symlink_to(index)  # a document that is the index itself, through a link
    for source in (index, link):
        result = run_cli(source, "-o", out)
        assert result.returncode == 1
        assert "is an input; the index and manifest" in result.stderr
        assert index.read_bytes() == before


def test_a_file_that_grows_while_read_is_read_whole_or_refused(tmp_path, monkeypatch):
    # read_file_safely reads as many bytes as fstat saw plus one; a file longer by then is read on.
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def fstat_seen_earlier(fd):
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid, info.st_gid, 10,
                               info.st_atime, info.st_mtime, info.st_ctime))

    monkeypatch.setattr(os, "fstat", fstat_seen_earlier)
    assert render.read_file_safely(path, 1000)[0] == b"x" * 100
    assert render.read_file_safely(path, 100)[0] == b"x" * 100
    with pytest.raises(render.DocumentError, match="larger than --max-size"):
        render.read_file_safely(path, 50)
