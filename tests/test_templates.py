"""Issue 14: user templates. A broken one is one line naming the template, its line and the problem: exit 2
before any document is read when it can be told up front, one line per document when it breaks while rendering.
Front matter beyond the known fields reaches templates as article.meta."""
from __future__ import annotations

import dataclasses
import re

from conftest import FIXTURES, ROOT, SEED, run_cli

import render

REPORT = FIXTURES / "markdown" / "images" / "report.md"


def theme(tmp_path, **files: str):
    folder = tmp_path / "theme"
    folder.mkdir()
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def page_body(body: str) -> str:
    return '{% extends "base.html" %}\n{% block body %}\n' + body + "\n{% endblock %}\n"


def assert_refused(result, line: str, out) -> None:
    assert result.returncode == 2
    assert result.stderr == f"render.py: error: {line}\n"
    assert not out.exists() or not any(out.iterdir()), "nothing rendered"


def test_syntax_error_in_the_page_template_stops_the_run_up_front(tmp_path):
    folder = theme(tmp_path, page_html=page_body("<h1>{{ article.title }</h1>"))
    result = run_cli(SEED, "-o", tmp_path / "out", "--templates", folder)
    assert_refused(result, f"template {folder / 'page.html'}, line 3: unexpected '}}'", tmp_path / "out")


def test_syntax_error_in_the_index_template_stops_the_run_up_front(tmp_path):
    folder = theme(tmp_path, index_html=page_body("{% for e in entries %}{{ e.title }}"))
    result = run_cli(SEED, "-o", tmp_path / "out", "--templates", folder)
    assert result.returncode == 2
    assert re.fullmatch(rf"render\.py: error: template {re.escape(str(folder / 'index.html'))}, line \d+: .*'endfor'.*\n", result.stderr)


def test_undefined_variable_is_named_with_its_line(tmp_path):
    folder = theme(tmp_path, page_html=page_body("<p>{{ article.title }}</p>\n<p>{{ titel }}</p>"))
    result = run_cli(SEED, "-o", tmp_path / "out", "--templates", folder)
    assert result.returncode == 2
    assert result.stderr.startswith(f"render.py: error: template {folder / 'page.html'}, line 4: 'titel' is undefined "
                                    "(page templates get: article, ")
    assert result.stderr.count("\n") == 1


def test_include_of_a_missing_template_is_named(tmp_path):
    folder = theme(tmp_path, page_html=page_body('{% include "sidebar.html" %}'))
    result = run_cli(SEED, "-o", tmp_path / "out", "--templates", folder)
    assert_refused(result, f"template {folder / 'page.html'}, line 3: template sidebar.html is in neither {folder} "
                           "nor the built-in templates", tmp_path / "out")


def test_templates_are_checked_before_standard_input_is_read(tmp_path):
    folder = theme(tmp_path, page_html=page_body("{{ nope }}"))
    result = run_cli("-", "--templates", folder, input="never read")
    assert result.returncode == 2 and "'nope' is undefined" in result.stderr and result.stdout == ""


def test_article_tags_is_one_line_per_document_pointing_at_meta(tmp_path):
    folder = theme(tmp_path, page_html=page_body("<p>{{ article.title }}</p>\n<p>{{ article.tags }}</p>"))
    result = run_cli(SEED, REPORT, "-o", tmp_path / "out", "--templates", folder, "-j", "1")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [f"render.py: error: {path}: template {folder / 'page.html'}, line 4: Article has no attribute 'tags' "
                      "(front-matter keys are in article.meta: article.meta.tags)" for path in (SEED, REPORT)]
    assert "Traceback" not in result.stderr


def test_front_matter_beyond_the_known_fields_is_article_meta(tmp_path):
    body = "<p>tags: {{ article.meta.tags | join(', ') }}</p>{% if article.meta.series %}<p>{{ article.meta.series }}</p>{% endif %}"
    folder = theme(tmp_path, page_html=page_body(body))
    result = run_cli(SEED, REPORT, "-o", tmp_path / "out", "--templates", folder, "-q")
    assert result.returncode == 0, result.stderr
    assert "<p>tags: harbour, shipping</p>" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<p>tags: </p></body>" in (tmp_path / "out" / f"{SEED.stem}.html").read_text(encoding="utf-8"), "a missing key is empty"


def test_meta_holds_only_the_other_keys():
    article = render.parse_document(REPORT.read_text(encoding="utf-8"), "report", markdown=True)
    assert dict(article.meta) == {"tags": ["harbour", "shipping"]}
    assert article.meta["series"] == "" and "series" not in article.meta
    pelican = render.parse_document("Title: Walks\nCategory: notes\nTags: a, b\n\nText.\n", "walks", markdown=True)
    assert dict(pelican.meta) == {"category": "notes", "tags": "a, b"}


def test_index_template_that_breaks_while_rendering_is_one_line(tmp_path):
    folder = theme(tmp_path, index_html=page_body("{% for e in entries %}{{ e.author }}{% endfor %}"))
    result = run_cli(SEED, "-o", tmp_path / "out", "--templates", folder, "-q")
    assert result.returncode == 1
    assert result.stderr == (f"render.py: error: {tmp_path / 'out' / 'index.html'}: template {folder / 'index.html'}, "
                             "line 3: PageRecord has no attribute 'author'\n")
    assert (tmp_path / "out" / f"{SEED.stem}.html").is_file()


def test_template_features_pass_the_check(tmp_path):
    body = ("{% macro item(x) %}<li>{{ x }}</li>{% endmacro %}{% set count = namespace(n=0) %}"
            "<ol>{% for s in sections %}{{ item(loop.index) }}{% set count.n = count.n + 1 %}{% endfor %}</ol>{{ count.n }}"
            "{% for n in range(2) %}{{ n }}{% endfor %}")
    page = '{% extends "base.html" %}\n{% block head %}{{ super() }}{% endblock %}\n{% block body %}' + body + "{% endblock %}\n"
    assert render.template_problem(theme(tmp_path, page_html=page)) is None


def test_built_in_templates_pass_the_check():
    assert render.template_problem(ROOT / "templates") is None


def test_json_never_looks_at_templates(tmp_path):
    folder = theme(tmp_path, page_html="{{ broken")
    assert run_cli("--json", SEED, "--templates", folder).returncode == 0


def test_readme_lists_every_template_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.split(r"\n##+ ", readme.split("### Template variables\n", 1)[1], maxsplit=1)[0]
    context = render.page_context(render.Article(name="x", title="x"))
    site = set().union(*render.site_template_contexts(None).values())
    names = (set(context) | set(context["ui"]) | site | set(render.PageRecord._fields)
             | {"date_display"} | {f.name for f in dataclasses.fields(render.Article)} | {"csp_hash"})
    missing = sorted(name for name in names if f"`{name}`" not in section)
    assert missing == [], f"README's template variables lack {missing}"
