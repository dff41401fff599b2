"""Female, male or both anatomies in a real headless Chromium (issue 7): what a user sees.

Each test builds a fresh app and ends with no browser console errors.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from painmap.app import create_app
from tests.browser.helpers import figure_ready, svg_texts

pytestmark = pytest.mark.browser

MALE_ONLY = ("Prostate", "Testes")
FEMALE_ONLY = ("Ovaries", "Uterus")


def start(dash_duo, query: str = "") -> None:
    dash_duo.start_server(create_app())
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    figure_ready(dash_duo)


def choose_sex(dash_duo, label: str) -> None:
    """Click the anatomy choice labelled ``label`` (Female, Male or Both), as a user would."""
    option = dash_duo.driver.find_element(By.XPATH, f"//*[@id='sex-picker']//label[normalize-space(.)='{label}']")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", option)
    option.click()


def organ_choices(dash_duo) -> list[str]:
    """The organ picker's options, read from its opened list."""
    picker = dash_duo.find_element("#organ-picker")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", picker)
    picker.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"))
    found = [e.text.strip() for e in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option")]
    dash_duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    return found


def page_text(dash_duo) -> str:
    return dash_duo.driver.execute_script("return document.body.innerText;")


def test_pm060_female_shows_no_male_organ_or_zone(dash_duo):
    start(dash_duo, "?organ=bladder&part=bladder-neck-trigone&step=9")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "penis" in page_text(dash_duo).lower())

    choose_sex(dash_duo, "Female")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "sex=female" in d.current_url)
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "Urethral opening and vulva" in page_text(dash_duo))
    assert "organ=bladder" in dash_duo.driver.current_url, "a both-sex organ stays chosen"
    assert "penis" not in page_text(dash_duo).lower()
    assert "penis" not in svg_texts(dash_duo).lower()
    choices = organ_choices(dash_duo)
    assert "Ovaries" in choices and "Uterus" in choices
    assert not set(MALE_ONLY) & set(choices)
    assert dash_duo.get_logs() == []


def test_pm061_male_shows_no_female_organ_or_zone_and_drops_a_female_organ(dash_duo):
    start(dash_duo, "?organ=uterus")
    choose_sex(dash_duo, "Male")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "sex=male" in d.current_url)
    assert "organ=uterus" not in dash_duo.driver.current_url, "the other anatomy's organ is dropped"
    choices = organ_choices(dash_duo)
    assert "Prostate" in choices and "Testes" in choices
    assert not set(FEMALE_ONLY) & set(choices)
    assert "vulva" not in svg_texts(dash_duo).lower()
    assert "labia" not in page_text(dash_duo).lower()

    choose_sex(dash_duo, "Both")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "sex=" not in d.current_url)
    choices = organ_choices(dash_duo)
    assert {"Prostate", "Ovaries", "Uterus"} <= set(choices)
    assert dash_duo.get_logs() == []


def test_pm062_a_link_with_sex_opens_that_anatomy(dash_duo):
    start(dash_duo, "?sex=male&organ=testis")
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "T10" in dash_duo.find_element("#selection-summary").text)
    checked = dash_duo.driver.find_element(By.CSS_SELECTOR, "#sex-picker input:checked")
    assert checked.get_attribute("value") == "male"
    assert "sex=male" in dash_duo.driver.current_url and "organ=testis" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
