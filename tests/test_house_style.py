"""An organization's templates folder (`--templates DIR`): the example house style read back from the PDF, the Word
file and the HTML; the built-in output unchanged without it; every error of a folder as exit 2 with file and line."""

from __future__ import annotations

import base64
import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from support.builds import shared_run
from support.cli import Result, build_args, run_in_process
from support.paths import REPO_ROOT, VALID_DOSSIER
from support.read import normalize, pdf_headings, pdf_text

from reports.template_folders import BUILTIN_TEMPLATES

DOSSIER_ID = "north-south"  # the id in tests/dossiers/valid/dossier.yaml
HOUSE = REPO_ROOT / "examples" / "house-style"
BUILTIN = BUILTIN_TEMPLATES
# The built-in English words these tests look for (the msgids of the catalogs, written out here).
LABELS = {
    "contents": "Contents",
    "page": "Page",
    "of": "of",
    "column_year": "Year",
    "key_figures": "Key figures",
    "trade": "Trade",
    "targets": "Where the targets stand",
    "areas": "Cooperation",
    "commitments": "Commitments and where they stand",
    "chronology": "Chronology",
    "upcoming": "Upcoming events",
    "sources": "Sources",
}
BUILTIN_AUDIENCES = ("leadership", "ministry", "press")
DESK_LINE = "Prepared by the Central Asia Desk, Analysis Unit"  # the text of the example's own cover block
DESK_MARKING = "INTERNAL - CENTRAL ASIA DESK"
HOUSE_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3")


# -- helpers ---------------------------------------------------------------------------------------------


def pdf_sections(path: Path) -> list[str]:
    """The top-level section headings of a PDF (depth 1: under the document title), the contents page left out."""
    return [title for title in pdf_headings(path, depth=1) if title != LABELS["contents"]]


def word_sections(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]


# a section with nothing to show is left out: the valid dossier has no products.csv, and these builds no --since
WITHOUT_DATA = ("products", "since")


def headings_for(sections: list[str], labels: dict[str, str] = LABELS) -> list[str]:
    """Section ids of an audience file (`key_figures` ...) as the headings a reader sees in the valid dossier's briefing."""
    return [labels[section] for section in sections if section not in WITHOUT_DATA]


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def folder(tmp_path: Path, files: dict[str, str], name: str = "house") -> Path:
    """A templates folder in tmp_path holding `files` (relative path → text); returned resolved, as it is reported."""
    root = tmp_path / name
    root.mkdir()
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root.resolve()


def assert_problem(result: tuple[int, str, str], path: Path | str, line: int | None, field: str, *words: str) -> str:
    """Exit 2, no traceback, and a `path:line: field: ...` line on stderr that contains each of `words`."""
    code, out, err = result
    assert code == 2, f"exit {code}\n{out}\n{err}"
    assert "Traceback" not in out + err, err
    where = f"{path}:{line}" if line is not None else f"{path}"
    lines = [text for text in err.splitlines() if text.startswith(f"{where}: {field}: ")]
    assert lines, f"no problem '{where}: {field}: ...' in:\n{err}"
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    return lines[0]


def audience_listing(stdout: str) -> dict[str, dict[str, str]]:
    """`reports audiences` output: name → origin, description, the settings line and the sections."""
    listing: dict[str, dict[str, str]] = {}
    for block in re.split(r"\n(?=\S)", stdout.strip()):
        head, description, settings, sections = block.splitlines()
        name, origin = re.fullmatch(r"(\S+) \((.+)\)", head).groups()
        assert sections.startswith("  sections: "), block
        listing[name] = {
            "origin": origin,
            "description": description.strip(),
            "settings": settings.strip(),
            "sections": sections.removeprefix("  sections: "),
        }
    return listing


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- 1. the example house style, built and read back -------------------------------------------------------


@pytest.fixture(scope="session")
def house(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every audience in every format with `--templates examples/house-style`, as a user types it (relative to the
    repository root, where the command runs); built once per test run."""
    out, (run,) = shared_run(
        tmp_path_factory,
        "house-style",
        tuple(
            build_args(
                VALID_DOSSIER,
                Path("{out}"),
                "--templates",
                "examples/house-style",
                "--format",
                "pdf",
                "--format",
                "docx",
                "--format",
                "html",
            )
        ),
    )
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return out / DOSSIER_ID


@pytest.mark.slow
def test_the_extra_audience_is_built_beside_the_built_in_ones(house):
    for audience in ("desk-note", *BUILTIN_AUDIENCES):
        for suffix in ("pdf", "docx", "html"):
            assert (house / f"{audience}.en.{suffix}").stat().st_size > 0


@pytest.mark.slow
def test_the_overridden_cover_block_is_in_the_pdf_and_html_of_every_audience(house):
    for audience in ("desk-note", *BUILTIN_AUDIENCES):
        text = normalize(pdf_text(house / f"{audience}.en.pdf"))
        assert DESK_LINE in text, audience
        assert f'<p class="desk">{DESK_LINE}</p>' in (house / f"{audience}.en.html").read_text(encoding="utf-8")
    # the rest of the cover is still the briefing's own
    text = normalize(pdf_text(house / "desk-note.en.pdf"))
    assert "Northland–Southland relations" in text
    assert "As of 30 June 2025" in text


@pytest.mark.slow
def test_desk_note_has_exactly_the_sections_its_file_lists_in_pdf_and_word(house):
    sections = read_yaml(HOUSE / "audiences" / "desk-note.yaml")["sections"]
    expected = headings_for(sections)
    assert expected == [
        "Key figures",
        "Where the targets stand",
        "Commitments and where they stand",
        "Upcoming events",
        "Sources",
    ]
    assert pdf_sections(house / "desk-note.en.pdf") == expected
    assert word_sections(house / "desk-note.en.docx") == expected
    # the parent (ministry) has every section: the child's list replaced it
    assert pdf_sections(house / "ministry.en.pdf") == headings_for(read_yaml(BUILTIN / "audiences" / "ministry.yaml")["sections"])


@pytest.mark.slow
def test_desk_note_marking_is_in_the_word_header_and_the_pdf(house):
    document = docx.Document(str(house / "desk-note.en.docx"))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert DESK_MARKING in header
    assert "FOR OFFICIAL USE ONLY" not in header  # the parent's marking is replaced, not added
    text = normalize(pdf_text(house / "desk-note.en.pdf"))
    assert text.count(DESK_MARKING) >= 2  # cover and running header
    assert "FOR OFFICIAL USE ONLY" not in text


@pytest.mark.slow
def test_word_file_uses_the_style_names_and_look_of_reference_docx(house):
    reference = docx.Document(str(HOUSE / "reference.docx"))
    default = docx.Document()
    output = docx.Document(str(house / "desk-note.en.docx"))
    used = {p.style.name for p in output.paragraphs}
    assert {"Title", "Subtitle", "Heading 1", "Normal"} <= used
    assert used <= {style.name for style in reference.styles}
    assert {table.style.name for table in output.tables} == {"Light Grid Accent 1"}

    heading = reference.styles["Heading 1"]
    assert (heading.font.name, str(heading.font.color.rgb)) == ("DejaVu Serif", "1B5E20")
    assert heading.font.name != default.styles["Heading 1"].font.name  # the comparison below means something
    for name in HOUSE_STYLES:
        want, got = reference.styles[name], output.styles[name]
        assert (got.font.name, got.font.size, got.font.color.rgb) == (want.font.name, want.font.size, want.font.color.rgb), name
    assert output.styles["Heading 1"].font.name == "DejaVu Serif"
    assert str(output.styles["Heading 1"].font.color.rgb) == "1B5E20"
    assert output.styles["Normal"].font.name == reference.styles["Normal"].font.name == "DejaVu Serif"


@pytest.mark.slow
def test_logo_is_in_the_word_header_the_html_cover_and_the_pdf_cover(house):
    logo = (HOUSE / "logo.png").read_bytes()
    header = docx.Document(str(house / "desk-note.en.docx")).sections[0].header
    images = [rel.target_part for rel in header.part.rels.values() if rel.reltype.endswith("/image")]
    assert [part.blob for part in images] == [logo]
    assert header._element.xpath(".//pic:pic")

    html = (house / "desk-note.en.html").read_text(encoding="utf-8")
    match = re.search(r'<img class="logo" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert match, "no inlined logo on the HTML cover"
    assert base64.b64decode(match.group(1)) == logo

    assert pypdf.PdfReader(house / "desk-note.en.pdf").pages[0].images, "no image on the PDF cover"


@pytest.mark.slow
def test_house_css_comes_after_the_built_in_css_in_the_html(house):
    html = (house / "desk-note.en.html").read_text(encoding="utf-8")
    builtin_css = (BUILTIN / "briefing.css").read_text(encoding="utf-8")
    house_css = (HOUSE / "briefing.css").read_text(encoding="utf-8")
    assert "--accent: #1b5e20;" in house_css
    assert builtin_css in html and house_css in html
    assert html.index(house_css) >= html.index(builtin_css) + len(builtin_css)
    accents = re.findall(r"--accent:\s*(#[0-9a-fA-F]{6})", html)
    assert accents[-1] == "#1b5e20"  # the last declaration wins: the house colour
    assert "#1b5e20" not in builtin_css


# -- 2. without --templates the output is unchanged -----------------------------------------------------


@pytest.mark.slow
def test_an_empty_templates_folder_changes_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    formats = ["--audience", "ministry", "--format", "pdf", "--format", "docx", "--format", "html"]
    plain, with_empty = tmp_path / "plain", tmp_path / "with-empty"
    code, _, stderr = run_in_process(*build_args(VALID_DOSSIER, plain, *formats))
    assert code == 0, stderr
    code, _, stderr = run_in_process(*build_args(VALID_DOSSIER, with_empty, "--templates", str(empty), *formats))
    assert code == 0, stderr

    before, after = plain / DOSSIER_ID, with_empty / DOSSIER_ID
    assert normalize(pdf_text(before / "ministry.en.pdf")) == normalize(pdf_text(after / "ministry.en.pdf"))
    assert document_xml(before / "ministry.en.docx") == document_xml(after / "ministry.en.docx")
    assert (before / "ministry.en.html").read_bytes() == (after / "ministry.en.html").read_bytes()
    # and nothing of the house style leaks into the built-in look
    assert DESK_LINE not in normalize(pdf_text(before / "ministry.en.pdf"))
    assert 'class="logo"' not in (before / "ministry.en.html").read_text(encoding="utf-8")
    assert not pypdf.PdfReader(before / "ministry.en.pdf").pages[0].images
    header = docx.Document(str(before / "ministry.en.docx")).sections[0].header
    assert not [rel for rel in header.part.rels.values() if rel.reltype.endswith("/image")]


def test_built_in_audiences_are_listed_as_built_in():
    code, stdout, stderr = run_in_process("audiences")
    assert code == 0, stderr
    listing = audience_listing(stdout)
    assert list(listing) == list(BUILTIN_AUDIENCES)
    for name, entry in listing.items():
        data = read_yaml(BUILTIN / "audiences" / f"{name}.yaml")
        assert entry["origin"] == "built-in"
        assert entry["description"] == data["description"]
        assert entry["sections"] == ", ".join(data["sections"])
        assert f"marking: {data['marking']}" in entry["settings"]


# -- 3. audiences with the example folder ------------------------------------------------------------------


def test_audiences_lists_the_folder_audience_with_its_origin_description_and_sections():
    code, stdout, stderr = run_in_process("audiences", "--templates", "examples/house-style")
    assert code == 0, stderr
    listing = audience_listing(stdout)
    assert sorted(listing) == sorted(["desk-note", *BUILTIN_AUDIENCES])
    desk, data = listing["desk-note"], read_yaml(HOUSE / "audiences" / "desk-note.yaml")
    assert desk["origin"] == str((HOUSE / "audiences" / "desk-note.yaml").resolve())
    assert desk["description"] == data["description"]
    assert desk["sections"] == ", ".join(data["sections"])
    assert f"marking: {DESK_MARKING}" in desk["settings"]
    assert "restricted material: yes" in desk["settings"]  # inherited from ministry, which it extends
    for name in BUILTIN_AUDIENCES:
        assert listing[name]["origin"] == "built-in"


def test_a_file_named_like_a_built_in_audience_replaces_it_and_can_extend_it(tmp_path):
    root = folder(tmp_path, {"audiences/press.yaml": "extends: press\nmarking: PUBLIC - DESK COPY\n"})
    code, stdout, stderr = run_in_process("audiences", "--templates", str(root))
    assert code == 0, stderr
    press = audience_listing(stdout)["press"]
    assert press["origin"] == str(root / "audiences" / "press.yaml")
    assert press["description"] == read_yaml(BUILTIN / "audiences" / "press.yaml")["description"]
    assert "marking: PUBLIC - DESK COPY" in press["settings"]


# -- 4. errors: exit 2, the file, the line, the field, no traceback ---------------------------------------


@pytest.mark.slow
def test_reference_docx_missing_a_required_style(tmp_path):
    root = folder(tmp_path, {})
    document = docx.Document()
    for name in ("Caption", "List Number 2"):
        style = document.styles[name]
        style.element.getparent().remove(style.element)
    document.save(root / "reference.docx")
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(root), "--format", "docx"))
    assert_problem(result, root / "reference.docx", None, "style 'Caption'", "missing")
    assert_problem(result, root / "reference.docx", None, "style 'List Number 2'", "missing")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_reference_docx_that_is_not_a_word_file(tmp_path):
    root = folder(tmp_path, {"reference.docx": "this is not a Word document\n"})
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(root), "--format", "docx"))
    assert_problem(result, root / "reference.docx", None, "reference.docx", "not a readable Word document")


AUDIENCE_ERRORS = {
    "unknown parent": (
        {"audiences/brief.yaml": "description: Brief\nmarking: M\nextends: nosuch\n"},
        [("audiences/brief.yaml", 3, "extends", "unknown audience 'nosuch'")],
    ),
    "cycle": (
        {"audiences/aa.yaml": "extends: bb\ndescription: A\n", "audiences/bb.yaml": "description: B\nextends: aa\n"},
        [("audiences/aa.yaml", 1, "extends", "cycle"), ("audiences/bb.yaml", 2, "extends", "cycle")],
    ),
    "own name with nothing to extend": (
        {"audiences/weekly.yaml": "# the weekly note\nextends: weekly\nmarking: M\n"},
        [("audiences/weekly.yaml", 2, "extends", "'weekly'")],
    ),
    "unknown section": (
        {"audiences/brief.yaml": "description: Brief\nmarking: M\nsections:\n  - key_figures\n  - nosuch\n"},
        [("audiences/brief.yaml", 5, "sections[1]", "unknown section 'nosuch'")],
    ),
    "unknown key": (
        {"audiences/brief.yaml": "description: Brief\nmarking: M\nsections: [key_figures]\ncolour: red\n"},
        [("audiences/brief.yaml", 4, "colour", "unknown key")],
    ),
    "missing marking": (
        {"audiences/brief.yaml": "description: Brief\nsections: [key_figures]\n"},
        [("audiences/brief.yaml", None, "marking", "required")],
    ),
}


@pytest.mark.parametrize("case", AUDIENCE_ERRORS, ids=list(AUDIENCE_ERRORS))
def test_broken_audience_files(case, tmp_path):
    files, problems = AUDIENCE_ERRORS[case]
    root = folder(tmp_path, files)
    result = run_in_process("audiences", "--templates", str(root))
    for relative, line, field, words in problems:
        assert_problem(result, root / relative, line, field, words)


def test_a_broken_audience_stops_the_build_before_anything_is_written(tmp_path):
    root = folder(tmp_path, AUDIENCE_ERRORS["unknown parent"][0])
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(root), "--format", "html"))
    assert_problem(result, root / "audiences" / "brief.yaml", 3, "extends", "nosuch")
    assert not (tmp_path / "out").exists()


def build_html(tmp_path: Path, root: Path) -> Result:
    return run_in_process(
        *build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(root), "--audience", "press", "--format", "html")
    )


def test_template_syntax_error_names_file_and_line(tmp_path):
    root = folder(tmp_path, {"briefing.html.j2": '{% extends "base.html.j2" %}\n\n{% block cover %}{% if %}{% endblock %}\n'})
    assert_problem(build_html(tmp_path, root), root / "briefing.html.j2", 3, "template")


def test_syntax_error_in_an_overridden_blocks_file_names_that_file(tmp_path):
    builtin = (BUILTIN / "blocks.html.j2").read_text(encoding="utf-8")
    root = folder(tmp_path, {"blocks.html.j2": builtin + "\n{% macro broken() %}{{ }}{% endmacro %}\n"})
    line = builtin.count("\n") + 2
    assert_problem(build_html(tmp_path, root), root / "blocks.html.j2", line, "template")


def test_unknown_variable_names_file_and_line(tmp_path):
    text = '{% extends "base.html.j2" %}\n{% block cover %}\n<p>ok</p>\n<p>{{ nosuch }}</p>\n{% endblock %}\n'
    root = folder(tmp_path, {"briefing.html.j2": text})
    assert_problem(build_html(tmp_path, root), root / "briefing.html.j2", 4, "template", "nosuch", "undefined")


@pytest.mark.parametrize(
    "statement, secret",
    [
        ('{% extends "base.html.j2" %}\n{% block cover %}{% include "../../README.md" %}{% endblock %}\n', "## Exit status"),
        (
            '{% extends "base.html.j2" %}\n{% block cover %}{% include "../../../../../../../etc/passwd" %}{% endblock %}\n',
            "root:",
        ),
        ('{% extends "/etc/passwd" %}\n', "root:"),
        ('{% extends "base.html.j2" %}\n{% block cover %}{% include "/etc/hostname" %}{% endblock %}\n', None),
    ],
    ids=["include ../../README.md", "include ../.../etc/passwd", "extends /etc/passwd", "include /etc/hostname"],
)
def test_templates_cannot_read_outside_the_template_folders(statement, secret, tmp_path):
    root = folder(tmp_path, {"briefing.html.j2": statement})
    code, out, err = build_html(tmp_path, root)
    assert code == 2, err
    assert "Traceback" not in out + err
    assert re.search(r": template: .*not found", err), err
    if secret:
        assert secret not in out + err
    assert not (tmp_path / "out").exists()


def test_a_missing_include_names_the_including_file_and_line(tmp_path):
    """The not-found template is reported where it is asked for, like a syntax error, not as the page template."""
    text = '{% extends "base.html.j2" %}\n{% block cover %}\n{% include "nosuch.html.j2" %}\n{% endblock %}\n'
    root = folder(tmp_path, {"briefing.html.j2": text})
    assert_problem(build_html(tmp_path, root), root / "briefing.html.j2", 3, "template", "nosuch.html.j2")


def test_a_symlink_in_the_folder_does_not_let_a_template_read_outside_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-THE-FOLDER\n", encoding="utf-8")
    root = folder(
        tmp_path, {"briefing.html.j2": '{% extends "base.html.j2" %}\n{% block cover %}{% include "leak.txt" %}{% endblock %}\n'}
    )
    (root / "leak.txt").symlink_to(secret)
    code, out, err = build_html(tmp_path, root)
    assert "Traceback" not in out + err
    written = [path.read_text(encoding="utf-8") for path in (tmp_path / "out").rglob("*.html")]
    assert not any("SECRET-OUTSIDE-THE-FOLDER" in text for text in written), "a symlink let a template read a file outside"
    assert code == 2, err


@pytest.mark.parametrize(
    "expression",
    [
        "briefing.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "briefing.labels.__init__.__globals__",
        "kind_of.__globals__",
        "chart_svg.__closure__",
    ],
)
def test_sandbox_escapes_are_refused(expression, tmp_path):
    text = '{% extends "base.html.j2" %}\n{% block cover %}\n<p>[{{ ' + expression + " }}]</p>\n{% endblock %}\n"
    root = folder(tmp_path, {"briefing.html.j2": text})
    code, out, err = result = build_html(tmp_path, root)
    assert code in (0, 2), err
    assert "Traceback" not in out + err
    written = "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "out").rglob("*.html"))
    for internal in ("<class", "&lt;class", "subclasses", "Popen", "__builtins__", "<function", "&lt;function", "<cell"):
        assert internal not in out + err + written
    if code == 2:
        assert_problem(result, root / "briefing.html.j2", 3, "template", "unsafe")
    else:
        assert "<p>[]</p>" in written


def test_a_runtime_error_in_a_user_template_is_exit_2_with_file_and_line(tmp_path):
    """A mistake in an organization's template is bad input (README: exit 2), not a bug of the program (exit 1)."""
    text = '{% extends "base.html.j2" %}\n{% block cover %}\n<p>{{ briefing.title + 1 }}</p>\n{% endblock %}\n'
    root = folder(tmp_path, {"briefing.html.j2": text})
    assert_problem(build_html(tmp_path, root), root / "briefing.html.j2", 3, "template")


@pytest.mark.parametrize("command", ["build", "audiences"])
def test_templates_folder_that_does_not_exist(command, tmp_path):
    missing = tmp_path / "no-such-folder"
    args = (
        build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(missing))
        if command == "build"
        else [command, "--templates", str(missing)]
    )
    assert_problem(run_in_process(*args), missing, None, "templates", "not a folder")


def test_a_file_given_as_templates_folder(tmp_path):
    not_a_folder = tmp_path / "style.css"
    not_a_folder.write_text("html {}\n", encoding="utf-8")
    assert_problem(run_in_process("audiences", "--templates", str(not_a_folder)), not_a_folder, None, "templates")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="20"><text x="0" y="15">{}</text></svg>\n'


@pytest.mark.slow
@pytest.mark.parametrize(
    "css",
    [
        '.cover::after {{ content: url("{outside}"); }}',
        '.cover::after {{ content: url("file://{outside}"); }}',
        '.cover::after {{ content: url("linked.svg"); }}',
        '.cover {{ background: url("{outside}"); }}',
        '@font-face {{ font-family: Leak; src: url("file:///etc/passwd"); }}\nhtml {{ font-family: Leak, serif; }}',
        '.cover {{ background: url("file:///etc/passwd"); }}',
        '@import url("file:///etc/hostname");',
    ],
    ids=["relative", "file-url", "symlink", "background", "font-face", "background-etc-passwd", "import-etc-hostname"],
)
def test_house_css_cannot_fetch_outside_the_template_folders(css, tmp_path):
    outside = tmp_path / "secret.svg"
    outside.write_text(SVG.format("SECRET-OUTSIDE"), encoding="utf-8")
    root = folder(tmp_path, {"briefing.css": css.format(outside=outside if "file:" in css else "../secret.svg") + "\n"})
    if "linked.svg" in css:
        (root / "linked.svg").symlink_to(outside)
    code, out, err = run_in_process(
        *build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(root), "--audience", "press", "--format", "pdf")
    )
    assert code in (0, 2), err  # refused and reported, or ignored; never a crash
    assert "Traceback" not in out + err
    if code == 0:
        text = normalize(pdf_text(tmp_path / "out" / DOSSIER_ID / "press.en.pdf"))
        assert "SECRET-OUTSIDE" not in text
        assert "root:" not in text
    else:
        assert "outside" in err, err


@pytest.mark.slow
def test_house_css_can_use_a_file_inside_its_folder(tmp_path):
    """The other side of the test above: the same kind of reference to a file in the folder is drawn, so the
    refusals above are the fetcher's doing and not a reference that could never work."""
    root = folder(
        tmp_path, {"briefing.css": '.cover::after { content: url("inside.svg"); }\n', "inside.svg": SVG.format("INSIDE-OK")}
    )
    code, _, err = run_in_process(
        *build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(root), "--audience", "press", "--format", "pdf")
    )
    assert code == 0, err
    assert "INSIDE-OK" in normalize(pdf_text(tmp_path / "out" / DOSSIER_ID / "press.en.pdf"))


# -- 5. replacing a built-in file by one of the same name --------------------------------------------------


@pytest.mark.slow
def test_overridden_words_and_blocks_take_effect(tmp_path):
    """A house catalog of one message renames a heading (the built-in words stay for the rest); a house macro file
    replaces the built-in one."""
    blocks = (BUILTIN / "blocks.html.j2").read_text(encoding="utf-8")
    marker = '<h{{ item.level + 1 }} id="{{ item.id }}">'
    assert blocks.count(marker) == 1
    root = folder(
        tmp_path,
        {
            "locale/en/LC_MESSAGES/reports.po": 'msgid "Key figures"\nmsgstr "Headline numbers"\n',
            "blocks.html.j2": blocks.replace(marker, '<p class="house-kicker">DESK-CHECKED</p>\n' + marker),
        },
    )
    code, _, err = run_in_process(
        *build_args(
            VALID_DOSSIER,
            tmp_path / "out",
            "--templates",
            str(root),
            "--audience",
            "ministry",
            "--format",
            "pdf",
            "--format",
            "docx",
        )
    )
    assert code == 0, err
    labels = {**LABELS, "key_figures": "Headline numbers"}
    expected = headings_for(read_yaml(BUILTIN / "audiences" / "ministry.yaml")["sections"], labels)
    assert expected[0] == "Headline numbers" and "Where the targets stand" in expected and "Sources" in expected
    pdf, word = tmp_path / "out" / DOSSIER_ID / "ministry.en.pdf", tmp_path / "out" / DOSSIER_ID / "ministry.en.docx"
    assert pdf_sections(pdf) == expected
    assert word_sections(word) == expected
    text = normalize(pdf_text(pdf))
    assert "Key figures" not in text
    assert text.count("DESK-CHECKED") >= len(expected)  # the replaced macro draws every section
    # the other labels are still the built-in words: e.g. the page footer and a column title
    assert f"{LABELS['page']} 1 {LABELS['of']}" in text
    assert LABELS["column_year"] in text


@pytest.mark.slow
def test_a_template_that_changes_the_briefing_is_refused_and_nothing_is_written(tmp_path: Path):
    """Every format is drawn from one briefing model, so no template may change it: emptying the labels in the HTML
    template is a template error (exit 2, its file and line), and the Word file built with it is not written."""
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}{{ briefing.labels.clear() or "" }}{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    together = tmp_path / "together"
    args = ("--templates", str(house), "--audience", "ministry", "--lang", "ru")
    result = run_in_process(*build_args(VALID_DOSSIER, together, *args, "--format", "html", "--format", "docx"))
    assert result.code == 2, result.describe()
    assert f"{house / 'briefing.html.j2'}:1: template: " in result.err and "clear" in result.err, result.err
    assert not (together / DOSSIER_ID).exists()
