"""A story on the page (?story=ID) and the "What are you explaining?" search, without a browser."""

from __future__ import annotations

from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painmap.app import panels
from painmap.app.callbacks import story_search
from painmap.app.page import outputs, page, views
from painmap.model import Dataset, text
from painmap.query import story_narration
from painmap.viewstate import ViewState
from tests.unit.test_callbacks import text_of


@pytest.fixture(scope="module")
def show(dataset: Dataset):
    @lru_cache(maxsize=None)
    def build(state, arrangement, width):
        return views(dataset, state, arrangement, width)

    def run(query: str) -> dict:
        state = ViewState.from_query(query).canonical(dataset)
        return page(dataset, state, None, "http://painmap.test/", build, search=query)

    return run


def walk(component):
    """Every component of a tree, depth first."""
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from walk(c)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def narration_items(panel) -> list:
    return [c for c in walk(panel) if "story-step" in props(c).get("className", "")]


def story_ids(dataset: Dataset) -> list[str]:
    return [s.id for s in dataset.stories]


BUNDLED = ["interstitial-cystitis", "period-pain", "gut-flare", "kidney-infection", "flu-back-ache"]


@pytest.mark.parametrize("story_id", BUNDLED)
def test_each_bundled_story_renders_its_title_condition_summary_and_narration(dataset, show, story_id):
    story = dataset.story[story_id]
    out = show(f"?story={story_id}")
    assert out["story_hidden"] is False
    shown = text_of(out["story"])
    assert text(story.title) in shown and text(story.condition) in shown
    if story.summary:
        assert text(story.summary) in shown
    items = narration_items(out["story"])
    told = story_narration(dataset, story_id)
    assert [(props(i)["data-route"], int(props(i)["data-step"])) for i in items] == [(r, n) for r, n, _ in told]
    for item, (_, _, words) in zip(items, told, strict=True):
        assert words in text_of(item)
    assert "story=" + story_id in out["share_link"]


def test_the_current_step_is_marked(dataset, show):
    route, step, _ = story_narration(dataset, "interstitial-cystitis")[1]
    out = show(f"?story=interstitial-cystitis&route={route}&step={step}")
    current = [i for i in narration_items(out["story"]) if "current" in props(i)["className"].split()]
    assert [(props(i)["data-route"], props(i)["data-step"]) for i in current] == [(route, str(step))]
    assert props(current[0])["aria-current"] == "step"


def test_the_first_step_is_marked_when_a_story_opens(show):
    items = narration_items(show("?story=kidney-infection")["story"])
    assert "current" in props(items[0])["className"].split()


def test_a_step_of_another_route_links_to_that_route_with_the_story_kept(dataset, show):
    story = dataset.story["period-pain"]
    assert len(story.routes) > 1
    items = narration_items(show("?story=period-pain")["story"])
    first = story.routes[0]
    for item in items:
        links = [c for c in walk(item) if "story-go" in props(c).get("className", "")]
        if props(item)["data-route"] == first:
            assert not links
            continue
        assert len(links) == 1
        target = ViewState.from_query(props(links[0])["href"]).canonical(dataset)
        assert (target.story, target.route, str(target.step)) == (
            "period-pain",
            props(item)["data-route"],
            props(item)["data-step"],
        )


def test_triggers_and_eases_cite_their_sources(dataset, show):
    for story in dataset.stories:
        panel = show(f"?story={story.id}")["story"]
        cited = [c for c in walk(panel) if props(c).get("className") == "claim-sources"]
        assert len(cited) == len(story.triggers) + len(story.eases)
        for claim, cite in zip([*story.triggers, *story.eases], cited, strict=True):
            assert props(cite)["data-sources"] == ",".join(claim.sources)
            for sid in claim.sources:
                assert dataset.source[sid].title in text_of(cite)
        shown = text_of(panel)
        assert "What can set it off" in shown and "What can ease it" in shown
        listed = [props(c)["data-source"] for c in walk(panel) if "data-source" in props(c)]
        assert listed == list(story.sources)


def test_the_storys_red_flags_come_first(dataset, show):
    for story in dataset.stories:
        flags = [props(f)["data-flag"] for f in show(f"?story={story.id}")["red_flags"]]
        own = list(dict.fromkeys(story.red_flags))
        assert set(flags[: len(own)]) == set(own)
        assert sorted(flags) == sorted(f.id for f in dataset.red_flags), "every flag stays"


def test_an_unknown_story_renders_the_normal_page(show):
    out = show("?story=no-such-story&organ=kidney")
    plain = show("?organ=kidney")
    assert out["story"] == [] and out["story_hidden"] is True
    assert set(out) == set(plain)
    assert text_of(out["summary"]) == text_of(plain["summary"])
    assert out["red_flags"] and "story=" not in out["share_link"]


def test_the_story_panel_is_an_output(dataset):
    named = outputs(dataset)
    assert named["story"][1] == "children" and named["story_hidden"][1] == "hidden"


def test_the_story_can_be_closed(dataset, show):
    panel = show("?story=gut-flare")["story"]
    close = [c for c in walk(panel) if props(c).get("className") == "story-close"]
    assert len(close) == 1
    assert ViewState.from_query(props(close[0])["href"]).canonical(dataset).story == ""


# --------------------------------------------------------------------------- search


def result_links(children) -> list[tuple[str, str]]:
    return [(text_of(c), props(c)["href"]) for c in walk(children) if "href" in props(c)]


def test_search_finds_the_story_first_and_links_to_it(dataset):
    links = result_links(story_search(dataset, "period pain", "en"))
    assert links[0] == ("Story: " + text(dataset.story["period-pain"].condition), "?story=period-pain")


def test_search_links_organs_parts_and_zones(dataset):
    links = result_links(story_search(dataset, "kidney", "en"))
    assert any(href == "?organ=kidney" for _, href in links)
    hrefs = [href for _, href in result_links(story_search(dataset, "back", "en"))]
    assert any(h.startswith("?zone=") for h in hrefs)
    kinds = [h.split("=")[0] for _, h in links]
    assert kinds == sorted(kinds, key=lambda k: k != "?story"), "stories first"


@pytest.mark.parametrize("words", [None, "", "   ", 42, ["kidney"], "x" * 100_000, "kidney " * 50_000, "\x00\ud800"])
def test_search_is_total(dataset, words):
    assert isinstance(story_search(dataset, words, "en"), list)


def test_nothing_found_says_so(dataset):
    assert "Nothing found" in text_of(story_search(dataset, "qqqzzz", "en"))


@settings(max_examples=60, deadline=None)
@given(words=st.text(max_size=300), lang=st.one_of(st.none(), st.text(max_size=5), st.integers()))
def test_search_answers_anything(dataset, words, lang):
    found = story_search(dataset, words, lang)
    assert isinstance(found, list)
    for _, href in result_links(found):
        assert href.split("=")[0] in ("?story", "?organ", "?part", "?zone")


def test_search_results_are_panels_own_function(dataset):
    assert result_links(panels.search_results(dataset, "cystitis")) == result_links(story_search(dataset, "cystitis"))


def test_a_choice_outside_the_story_leaves_it_and_one_inside_keeps_it(dataset):
    """The pickers are never trapped by an open story."""
    from painmap.app import ids
    from painmap.app.page import next_state

    story = "?story=interstitial-cystitis"
    kidney = next_state(dataset, story, ids.ORGAN, "kidney")
    assert (kidney.organ, kidney.story) == ("kidney", "")
    assert next_state(dataset, story, ids.ZONE, "flank").story == ""
    assert next_state(dataset, story, ids.SEGMENT, "L1").story == ""
    outside = next_state(dataset, story, ids.ROUTE, "bladder-dome-hypogastric")
    assert (outside.route, outside.story) == ("bladder-dome-hypogastric", "")
    inside = next_state(dataset, story, ids.ROUTE, "bladder-pelvic-floor-loop")
    assert (inside.route, inside.story) == ("bladder-pelvic-floor-loop", "interstitial-cystitis")
    assert next_state(dataset, story, ids.PART, "bladder-neck-trigone").story == "interstitial-cystitis"
