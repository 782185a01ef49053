"""The headline rules (README, "What the parser recognises": where the article is, and Title): which short line
beside the article is its headline, how each line is weighed, and where the title is looked for without one.

Every expected value is written by hand from the rule as render.py states it: a line's headline score is
-0.3 per block of distance from the text, +3 for a byline or date right below it, else +1 for one two lines
below or right above, +1 when the page repeats it, +2 x the share of its words that open the text, -1 for a
menu's separators; nothing scoring -1.5 or less is a headline. The behaviour-level tests parse small dumps;
the few internal functions they need are wrapped just below, so that a rename in render.py is a one-line fix.
"""
from __future__ import annotations

import pytest

import render

# ---------------------------------------------------------------------------
# The internal names this module uses, in one place
# ---------------------------------------------------------------------------


def lines_of(*rows: str) -> list:
    """A dump's lines as the parser reads them."""
    return render.split_lines("\n".join(rows))


def headline_score(rows: tuple[str, ...], i: int, distance: int = 0, opening: frozenset[str] = frozenset(),
                   repeated: bool = False) -> float | None:
    """How much line i of rows reads as a headline, distance blocks from the text, whose opening has these words."""
    return render.headline_score(lines_of(*rows), i, distance, set(opening), repeated)


def headline_block(rows: tuple[str, ...], first: int) -> str | None:
    """The text of the block chosen as the headline when the article's text starts at block first."""
    lines = lines_of(*rows)
    blocks = render.page_blocks(lines)
    k = render.headline_block(lines, blocks, first)
    return None if k is None else blocks[k][2]


def find_title(rows: tuple[str, ...], meta_block: tuple[int, int] | None, labelled: str | None = None) -> int | None:
    """The index of the title line among rows, given where the metadata lines are and a labelled title."""
    return render.find_title(lines_of(*rows), meta_block, labelled)


def title_of(*rows: str) -> str:
    """The title parse_document finds in the dump made of rows."""
    return render.parse_document("\n".join(rows), NO_TITLE).to_json()["title"]


# ---------------------------------------------------------------------------
# Small pieces of dumps
# ---------------------------------------------------------------------------

NO_TITLE = "doc"  # the file name stands in for a title that is not found
HEADLINE = "Harbour Ferry Returns"
OTHER = "Coastal Life Weekly"  # a short line with no words in common with the rest
THIRD = "Sunny Spells Later"
DATE = "March 3, 2024"
# Three paragraphs of prose that share no word with HEADLINE, OTHER or THIRD.
PROSE = ("Boats are running again between the old town and the isle since Monday, the operator said on its website.",
         "",
         "The crossing takes twenty minutes, and tickets cost the same as they did before the long closure began.",
         "",
         "Local shops near the pier expect the summer season to be busier than the last two years have been.")
# A first paragraph that opens with the words of HEADLINE.
OPENING = "The harbour ferry returns to the isle on Monday, the operator said on its website this morning."
# Site chrome: never a headline, and a block of distance each.
CHROME = ("Share on Facebook", "Share on Twitter", "Share on LinkedIn", "Share on WhatsApp", "Print", "Print this page",
          "Subscribe", "Newsletter", "Follow us", "Contact us", "Back to top", "Email this article")


# ---------------------------------------------------------------------------
# headline_score: each term of the score, one row each
# ---------------------------------------------------------------------------

BLANKS = ("",) * 7


@pytest.mark.parametrize(("rows", "i", "distance", "opening", "repeated", "expected"), [
    pytest.param((HEADLINE,), 0, 0, (), False, 0.0, id="plain-line-at-the-text"),
    pytest.param((HEADLINE,), 0, 2, (), False, -0.6, id="two-blocks-away-costs-0.6"),
    pytest.param((HEADLINE, DATE), 0, 2, (), False, 3.0 - 0.6, id="date-right-below"),
    pytest.param((HEADLINE, *BLANKS[:6], DATE), 0, 0, (), False, 3.0, id="date-below-six-blank-lines-is-right-below"),
    pytest.param((HEADLINE, *BLANKS, DATE), 0, 0, (), False, 0.0, id="date-eight-lines-below-is-too-far"),
    pytest.param((HEADLINE, OTHER), 0, 0, (), False, 0.0, id="plain-line-right-below-is-no-byline"),
    pytest.param((HEADLINE, OTHER, DATE), 0, 2, (), False, 1.0 - 0.6, id="date-second-below"),
    pytest.param((HEADLINE, OTHER, THIRD, DATE), 0, 0, (), False, 0.0, id="date-third-below-does-not-count"),
    pytest.param((DATE, HEADLINE), 1, 0, (), False, 1.0, id="date-right-above"),
    pytest.param((OTHER, DATE, HEADLINE), 2, 0, (), False, 1.0, id="date-right-above-under-a-plain-line"),
    pytest.param((OTHER, DATE, "", HEADLINE), 3, 0, (), False, 1.0, id="date-above-past-a-blank-line"),
    pytest.param((DATE, "", "", "", HEADLINE), 4, 0, (), False, 1.0, id="date-four-lines-above"),
    pytest.param((DATE, "", "", "", "", HEADLINE), 5, 0, (), False, 0.0, id="date-five-lines-above-is-too-far"),
    pytest.param((DATE, OTHER, HEADLINE), 2, 0, (), False, 0.0, id="date-above-the-line-above-does-not-count"),
    pytest.param((HEADLINE,), 0, 2, (), True, 1.0 - 0.6, id="repeated-on-the-page"),
    # Two of its three words open the text: 2 x 2/3.
    pytest.param((HEADLINE,), 0, 2, ("harbour", "ferry", "boats"), False, 2.0 * 2 / 3 - 0.6, id="shares-words-with-the-opening"),
    # Its only word is a function word: there is no share to weigh (nor a division by zero).
    pytest.param(("7 of 10",), 0, 0, ("of", "ten"), False, 0.0, id="no-words-of-its-own-shares-nothing"),
    pytest.param((f"{HEADLINE} | Valley Times",), 0, 0, (), False, 0.0, id="headline-bar-site-is-no-menu"),
    pytest.param((f"{HEADLINE} » Island",), 0, 0, (), False, -1.0, id="one-separator-without-a-site-is-a-menu"),
    pytest.param((f"{HEADLINE} > Island",), 0, 0, (), False, -1.0, id="breadcrumb-arrow-is-a-menu"),
    pytest.param((f"{HEADLINE} > Island | Valley Times",), 0, 0, (), False, -1.0, id="two-separators-even-before-a-site"),
])
def test_headline_score_adds_up_its_terms(rows, i, distance, opening, repeated, expected):
    assert headline_score(rows, i, distance, frozenset(opening), repeated) == pytest.approx(expected)


@pytest.mark.parametrize(("line", "expected"), [
    pytest.param(DATE, None, id="a-date-is-metadata"),
    pytest.param("What We Know So Far:", None, id="ends-with-a-colon"),
    pytest.param("harbour ferry returns", None, id="starts-lower-case"),
    pytest.param("读书", None, id="one-word-is-too-short"),  # two Han characters: a word
    pytest.param("读书节", 0.0, id="a-word-and-a-half-is-enough"),
    pytest.param("市民周末骑行赏景" * 10, 0.0, id="forty-words-is-not-too-long"),  # 80 Han characters
    pytest.param("市民周末骑行赏景" * 10 + "活动", None, id="forty-one-words-is-too-long"),
])
def test_lines_that_cannot_be_a_headline(line, expected):
    assert headline_score((line,), 0) == expected


# ---------------------------------------------------------------------------
# headline_block: the likeliest short line beside the text, in small dumps
# ---------------------------------------------------------------------------


def test_the_nearest_of_two_plain_lines_is_the_headline():
    assert title_of("Valley Times Online", HEADLINE, "", *PROSE) == HEADLINE


def test_a_line_the_page_repeats_beats_a_nearer_one():
    # HEADLINE one block further up (-0.3) but repeated (+1) beats OTHER right above the text.
    assert title_of(HEADLINE, "", "Home", "News", "Sport", "", HEADLINE, OTHER, "", *PROSE) == HEADLINE


def test_a_line_sharing_words_with_the_opening_beats_a_nearer_one():
    assert title_of(HEADLINE, OTHER, "", OPENING, *PROSE[1:]) == HEADLINE


@pytest.mark.parametrize(("filler", "expected"), [
    pytest.param(4, "Valley Times Online", id="four-blocks-up"),
    pytest.param(5, NO_TITLE, id="five-blocks-up-scores-only-the-bar"),  # -0.3 x 5 = -1.5: not above it
])
def test_a_plain_line_too_far_above_the_text_is_no_headline(filler, expected):
    assert title_of("Valley Times Online", *CHROME[:filler], "", *PROSE) == expected


@pytest.mark.parametrize(("filler", "expected"), [
    pytest.param(10, HEADLINE, id="twelve-blocks-up-is-in-reach"),  # distance 11: 3 - 3.3
    pytest.param(11, NO_TITLE, id="thirteen-blocks-up-is-out-of-reach"),  # distance 12: 3 - 3.6 would still pass
])
def test_the_headline_is_looked_for_twelve_blocks_up(filler, expected):
    assert title_of(HEADLINE, DATE, *CHROME[:filler], "", *PROSE) == expected


def test_on_a_tie_the_nearer_line_is_the_headline():
    # HEADLINE, ten blocks up with a date right below, scores 3 - 0.3 x 10 = 0, as OTHER right above the text does.
    assert title_of(HEADLINE, DATE, *CHROME[:8], OTHER, "", *PROSE) == OTHER


def test_a_short_line_at_the_end_of_the_page_is_not_a_headline_above_it():
    assert title_of(*PROSE, "", OTHER) == NO_TITLE


def test_a_site_name_and_date_at_the_top_of_the_page_is_not_the_headline():
    # Six blocks up with a date right below, the site name scores 3 - 1.8; the headline, all of whose words
    # open the text, 2.
    assert title_of("Valley Times", DATE, "Home", "News", "Sport", "Weather", "", HEADLINE, "", OPENING, *PROSE[1:]) == HEADLINE


def test_only_three_short_blocks_below_the_start_of_the_text_are_weighed():
    # The text starts at block 2; blocks 2-4 are weighed, block 5 (which has a date right below) is not.
    rows = (HEADLINE, DATE, OTHER, "Weekend Edition", "Valley Times", THIRD, DATE, "", *PROSE)
    assert headline_block(rows, 2) == HEADLINE


def test_a_paragraph_wrapped_over_two_lines_is_not_a_headline():
    # Hard-wrapped at 72 columns: the standfirst is one block of two lines, between the headline and the text.
    assert title_of(
        HEADLINE,
        "",
        "A standfirst wide enough to wrap across the column width",
        "onto a second line",
        "",
        "Boats are running again between the old town and the isle since Monday,",
        "the operator said on its website, and the first crossing was full within",
        "an hour of the ticket office opening its doors to the waiting crowd.",
        "",
        "The crossing takes twenty minutes, and tickets cost the same as they did",
        "before the long closure began, which locals said was a welcome surprise",
        "after two years of detours along the coast road and its slow buses.",
    ) == HEADLINE


# ---------------------------------------------------------------------------
# find_title: without a headline beside the text, the labelled title's line, the nearest plain line above
# the metadata, else the first plain line (within 30) before the text
# ---------------------------------------------------------------------------

DATE_LINE = f"Date: {DATE}"
BYLINE = "By Jane Doe"


@pytest.mark.parametrize(("rows", "meta_block", "labelled", "expected"), [
    pytest.param((f"{HEADLINE} | Valley Times", f"Title: {HEADLINE}", DATE_LINE, "", PROSE[0]), (1, 2), HEADLINE, 1,
                 id="labelled-title-among-the-metadata"),
    # The labelled title stands in no metadata line: the line above the metadata, not the one below.
    pytest.param((OTHER, DATE_LINE, HEADLINE, "", PROSE[0]), (1, 1), HEADLINE, 0, id="labelled-title-outside-the-metadata"),
    pytest.param(("Valley Times", HEADLINE, DATE_LINE, BYLINE, OTHER, "", PROSE[0]), (2, 3), None, 1,
                 id="nearest-plain-line-above-the-metadata"),
    pytest.param((HEADLINE, "", DATE_LINE, "", PROSE[0]), (2, 2), None, 0, id="above-the-metadata-past-a-blank-line"),
    pytest.param((DATE_LINE, HEADLINE, "", PROSE[0]), (0, 0), None, 1, id="metadata-first-then-the-line-below-it"),
    pytest.param((DATE_LINE, BYLINE, HEADLINE, "", PROSE[0]), (0, 1), None, 2, id="the-line-below-all-the-metadata"),
    pytest.param(("", DATE_LINE, PROSE[0], "", OTHER), (1, 1), None, None, id="text-right-below-the-metadata-no-title"),
    pytest.param((HEADLINE, OTHER, "", PROSE[0]), None, None, 0, id="no-metadata-the-first-plain-line"),
    pytest.param(("", PROSE[0], "", OTHER), None, None, None, id="no-metadata-text-first-no-title"),
    pytest.param(("",) * 29 + (HEADLINE,), None, None, 29, id="the-thirtieth-line-is-in-reach"),
    pytest.param(("",) * 30 + (HEADLINE,), None, None, None, id="the-thirty-first-line-is-out-of-reach"),
])
def test_where_the_title_is_looked_for_without_a_headline(rows, meta_block, labelled, expected):
    assert find_title(rows, meta_block, labelled) == expected
