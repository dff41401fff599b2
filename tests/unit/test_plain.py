"""Patient mode's plain words: the dataset's `plain_words`, one plain sentence per animation
step, and "Where does it hurt?" answered for a zone, with no jargon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from painmap import figures, plain, query
from painmap.loader import DatasetError, load
from tests.unit.tiny import TINY_YAML, tiny_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
#: What a patient should not meet unless they ask for the technical terms.
JARGON = re.compile(r"\b(?:[TLS]\d{1,2}\b|lamina|laminae|UBERON|ILX|splanchnic|plexus|ganglion|dorsal|afferent|nociceptor|spinothalamic|erector|psoas|piriformis|quadratus)", re.I)


@pytest.fixture(scope="module")
def bundled():
    return load(DATA)


def test_every_step_of_every_route_has_one_plain_sentence_without_jargon(bundled):
    for route in bundled.routes:
        steps = figures.animation_steps(bundled, route, "en")
        sentences = plain.step_sentences(bundled, route, steps, "en")
        assert len(sentences) == len(steps), route.id
        for sentence in sentences:
            assert sentence and sentence[0].isupper(), (route.id, sentence)
            assert not JARGON.search(sentence), (route.id, sentence)


def test_the_last_segmental_step_names_where_the_pain_is_felt_in_plain_words(bundled):
    route = bundled.route["kidney-splanchnic"]
    last = plain.step_sentences(bundled, route, figures.animation_steps(bundled, route, "en"), "en")[-1]
    assert "side of the back below the ribs" in last and "referred pain" in last


def test_plain_names_come_from_the_data_else_from_the_label_without_its_aside(bundled):
    assert plain.plain_name(bundled, "erector-spinae") == "long back muscles along the spine"
    assert plain.plain_name(bundled, "uterus", "es") == "matriz (útero)"
    assert plain.plain_name(bundled, "low-back") == "low back"  # 'Low back (lumbar)'


def test_where_does_it_hurt_groups_the_causes_by_how_they_hurt(bundled):
    answers = {a.kind: a for a in plain.zone_answer(bundled, "low-back")}
    groups = {g.kind: g for g in query.zone_groups(bundled, "low-back") if g.routes}
    assert set(answers) == set(groups)
    assert "bladder" in answers["mechanical"].causes
    for answer in answers.values():
        assert not JARGON.search(answer.heading + answer.explanation + " ".join(answer.causes)), answer
    assert plain.zone_answer(bundled, "no-such-zone") == []


def test_lists_that_hold_lists_are_kept_apart():
    assert plain.listed(["a", "b", "c"]) == "a, b and c"
    assert plain.listed(["kidney and ureter", "groin"]) == "kidney and ureter; groin"
    assert plain.listed(["one"]) == "one"


def test_plain_words_for_an_unknown_id_or_given_twice_are_refused_where_written(tmp_path):
    tiny_dataset(tmp_path)
    (tmp_path / "words.yaml").write_text("plain_words:\n  pump: {en: heart}\n  pumpp: {en: typo}\n", encoding="utf-8")
    (tmp_path / "more.yaml").write_text("plain_words:\n  pump: {en: again}\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load(tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert any("words.yaml:3" in m and "unknown id 'pumpp'" in m and "'pump'" in m for m in messages), messages
    # files load in name order: more.yaml first, so the second word for 'pump' is words.yaml's
    assert any("words.yaml:2" in m and "'pump' are already given in more.yaml" in m for m in messages), messages


def test_a_dataset_without_plain_words_still_reads_plainly(tmp_path):
    ds = tiny_dataset(tmp_path)
    assert plain.plain_name(ds, "pump-top") == "pump top"
    assert TINY_YAML  # the tiny dataset has no plain_words section
