"""The verifier on real seed sentences: each perturbation kind caught, true sentences passed,
facts the article gives elsewhere (for something else) not counted, and ``newsweave verify``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.verify import (
    alias_map,
    check,
    recheck,
    split_sentences,
    support,
    support_score,
    support_share,
    verify_sentence,
)

CLASH_000 = "The Ukrainian military encountered soldiers from the DPRK for the first time in combat on November 4 in the Kursk region of Russia."
ARRIVED_002 = "On October 24, Ukrainian intelligence reported that the first soldiers from the DPRK had already arrived at the front — in the Kursk region."
PLAN_003 = "At an October 17 press conference in Brussels, Ukrainian President Volodymyr Zelenskyy revealed Russia's plan to train 10,000 North Korean soldiers for combat in Ukraine."
TROOPS_000 = "There are approximately 12 000 military personnel, including 500 officers and three generals."
NOT_YET_002 = (
    "The main part of the North Korean troops sent to Russia has not yet participated in hostilities."
)
UMYEROV_002 = "This was confirmed by the Minister of Defense of Ukraine Rustem Umyerov, but he did not specify the details of the battle."


def _seed(seed_texts: dict[str, str], number: str) -> str:
    return next(text for name, text in seed_texts.items() if name.startswith(number))


def _kinds(text: str, cited: list[str]) -> set[str]:
    return {f.kind for f in check(text, cited)}


def test_the_sentences_are_real(seed_texts: dict[str, str]) -> None:
    for sentence, seed in [(CLASH_000, "000"), (ARRIVED_002, "002"), (PLAN_003, "003"), (TROOPS_000, "000"),
                           (NOT_YET_002, "002"), (UMYEROV_002, "002")]:  # fmt: skip
        assert sentence in _seed(seed_texts, seed)


@pytest.mark.parametrize(
    ("sentence", "seed"),
    [(CLASH_000, "000"), (ARRIVED_002, "002"), (PLAN_003, "003"), (NOT_YET_002, "002"), (UMYEROV_002, "002")],
)
def test_true_sentences_pass(sentence: str, seed: str, seed_texts: dict[str, str]) -> None:
    assert check(sentence, [_seed(seed_texts, seed)]) == []


def test_the_article_splits_into_its_sentences(seed_texts: dict[str, str]) -> None:
    sentences = split_sentences(_seed(seed_texts, "002"))
    assert ARRIVED_002 in sentences and NOT_YET_002 in sentences


def test_a_changed_number_is_caught(seed_texts: dict[str, str]) -> None:
    assert _kinds(TROOPS_000.replace("12 000", "13 000"), [_seed(seed_texts, "000")]) == {"number"}


def test_a_number_the_article_gives_for_something_else_does_not_count(seed_texts: dict[str, str]) -> None:
    text = _seed(seed_texts, "003")
    assert "11,000" in text  # Budanov's figure, another sentence
    assert "number" in _kinds(PLAN_003.replace("10,000", "11,000"), [text])


def test_a_shifted_date_is_caught_even_when_the_article_has_that_date(seed_texts: dict[str, str]) -> None:
    text = _seed(seed_texts, "003")
    assert "October 23" in text  # the troops spotted in Kursk, another sentence
    assert "date" in _kinds(PLAN_003.replace("October 17", "October 23"), [text])
    assert "date" in _kinds(CLASH_000.replace("November 4", "November 5"), [_seed(seed_texts, "000")])


def test_a_swapped_name_is_caught_even_when_the_article_names_it(seed_texts: dict[str, str]) -> None:
    text = _seed(seed_texts, "003")
    assert "Budanov" in text
    assert "name" in _kinds(PLAN_003.replace("Zelenskyy", "Budanov"), [text])
    assert "name" in _kinds(ARRIVED_002.replace("DPRK", "Belarus"), [_seed(seed_texts, "002")])


def test_an_added_negation_is_caught(seed_texts: dict[str, str]) -> None:
    changed = ARRIVED_002.replace("had already arrived", "had not already arrived")
    assert _kinds(changed, [_seed(seed_texts, "002")]) == {"negation"}


def test_a_dropped_negation_is_caught(seed_texts: dict[str, str]) -> None:
    changed = NOT_YET_002.replace("has not yet participated", "has yet participated")
    assert _kinds(changed, [_seed(seed_texts, "002")]) == {"negation"}


def test_reworded_content_is_caught(seed_texts: dict[str, str]) -> None:
    changed = "Ukrainian intelligence said Pyongyang's fresh battalions were parading in Minsk near Lukashenko's palace."
    assert not verify_sentence(changed, [_seed(seed_texts, "002")])


def test_a_resolved_entity_lets_another_spelling_pass(seed_texts: dict[str, str]) -> None:
    respelled = UMYEROV_002.replace("Umyerov", "Umerov")
    text = _seed(seed_texts, "002")
    assert "name" in _kinds(respelled, [text])
    aliases = alias_map([("Rustem Umerov", ("Umerov", "Rustem Umyerov", "Umyerov"))])
    assert check(respelled, [text], aliases=aliases) == []


def test_each_clause_of_a_joined_sentence_is_checked_against_its_own_source(
    seed_texts: dict[str, str],
) -> None:
    cited = [_seed(seed_texts, "000"), _seed(seed_texts, "003")]
    joined = "Sources give different figures for North Korean troops: approximately 12 000; 11,000 (Kyrylo Budanov)."
    template = frozenset({"source", "give", "different", "figure", "troop"})
    assert check(joined, cited, template) == []
    # the figure and its source must be found together: 11,000 is Budanov's, not Zelenskyy's
    assert check(joined.replace("Kyrylo Budanov", "Volodymyr Zelenskyy"), cited, template)


def test_no_cited_article_fails() -> None:
    assert [f.kind for f in check(CLASH_000, [])] == ["citation"]


def test_recheck_reports_unknown_articles_and_failures(seed_texts: dict[str, str]) -> None:
    texts = {"a": _seed(seed_texts, "000")}
    brief = [
        {"story_id": "s", "text": CLASH_000, "article_ids": ["a"], "verified": True},
        {"story_id": "s", "text": CLASH_000.replace("November 4", "November 9"), "article_ids": ["a"]},
        {"story_id": "s", "text": CLASH_000, "article_ids": ["missing"]},
    ]
    reports = recheck(brief, texts.get)
    assert reports[0].failures == ()
    assert "date" in {f.kind for f in reports[1].failures}
    assert "citation" in {f.kind for f in reports[2].failures}


# ------------------------------------------------------------ newsweave verify


@pytest.fixture(scope="module")
def exported(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("verify")
    db, out = folder / "n.db", folder / "dossier.json"
    runner = CliRunner()
    assert runner.invoke(main, ["run", str(seeds_dir), "--db", str(db)]).exit_code == 0
    result = runner.invoke(main, ["export", "--format", "json", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return db, out


def test_verify_passes_the_seed_brief(exported: tuple[Path, Path]) -> None:
    db, out = exported
    result = CliRunner().invoke(main, ["verify", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    n = len(json.loads(out.read_text(encoding="utf-8"))["brief"])
    assert n >= 5 and f"{n} of {n} brief sentences verified" in result.output


def test_verify_lists_a_hand_edited_sentence_and_exits_1(exported: tuple[Path, Path], tmp_path: Path) -> None:
    db, out = exported
    data = json.loads(out.read_text(encoding="utf-8"))
    first = data["brief"][0]["text"]
    data["brief"][0]["text"] = (
        first.replace("first time", "first time, not", 1) if "first time" in first else "Not " + first
    )
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(edited), "--db", str(db)])
    assert result.exit_code == 1
    assert "FAIL brief[0]" in result.output and "negation" in result.output


def test_verify_on_a_file_that_is_not_a_dossier_is_one_line_error(
    exported: tuple[Path, Path], tmp_path: Path
) -> None:
    db, _ = exported
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(bad), "--db", str(db)])
    assert result.exit_code == 1 and "bad.json" in result.output


def test_support_score_is_graded_by_the_best_sentence(seed_texts: dict[str, str]) -> None:
    article = _seed(seed_texts, "002")
    assert support_score(ARRIVED_002, [article]) == 1.0  # one sentence says it all
    # the same words spread over two sentences of the article score below one sentence's
    fused = ARRIVED_002.rstrip(".") + ", and " + NOT_YET_002[0].lower() + NOT_YET_002[1:]
    assert 0.0 < support_score(fused, [article]) < 1.0
    assert support_share(fused, [article]) < 1.0 <= support_share(NOT_YET_002, [article])


def test_support_score_drops_with_each_failed_check(seed_texts: dict[str, str]) -> None:
    article = _seed(seed_texts, "000")
    true = support_score(TROOPS_000, [article])
    one = support_score(TROOPS_000.replace("12 000", "13 000"), [article])
    two = support_score(TROOPS_000.replace("12 000", "13 000").replace("500", "600"), [article])
    assert true > one > two > 0.0
    assert support_score(TROOPS_000, []) < true  # nothing cited supports nothing


def test_support_order_catches_swapped_roles_that_keep_every_word(seed_texts: dict[str, str]) -> None:
    article = _seed(seed_texts, "002")
    swapped = ARRIVED_002.replace("Ukrainian intelligence reported that the first soldiers from the DPRK",
                                  "the first soldiers from the DPRK reported that Ukrainian intelligence")  # fmt: skip
    true, changed = support(ARRIVED_002, [article]), support(swapped, [article])
    assert true.order == 1.0 and (changed.anywhere, changed.best) == (1.0, 1.0)
    assert changed.order < 0.9 and support_score(swapped, [article]) < support_score(ARRIVED_002, [article])


def test_support_counts_what_the_article_never_says(seed_texts: dict[str, str]) -> None:
    article = _seed(seed_texts, "000")
    changed = support(TROOPS_000.replace("12 000", "13 000"), [article])
    assert "13 000" not in article and changed.missing_numbers == 1
    assert changed.score <= 0.5 * support(TROOPS_000, [article]).score
    elsewhere = support(ARRIVED_002.replace("Kursk", "Belgorod"), [_seed(seed_texts, "002")])
    assert "Belgorod" not in _seed(seed_texts, "002") and elsewhere.anywhere < 1.0


def test_support_counts_a_negation_the_source_lacks(seed_texts: dict[str, str]) -> None:
    article = _seed(seed_texts, "002")
    assert support(ARRIVED_002.replace("had already", "had never"), [article]).added_negations == 1
    assert support(NOT_YET_002, [article]).added_negations == 0


def test_support_splits_sentences_glued_without_a_space() -> None:
    glued = ARRIVED_002 + NOT_YET_002  # paragraphs joined without a space
    fused = ARRIVED_002.rstrip(".") + ", and " + NOT_YET_002[0].lower() + NOT_YET_002[1:]
    assert support(NOT_YET_002, [glued]).score == 1.0
    assert support(fused, [glued]).best < 0.6
    assert (
        support_share("Sanctions on the U.S.A. hold.", ["Sanctions on the U.S.A. hold. Others fell."]) == 1.0
    )
