"""The customer picker and the promoter list as a person sees them, saved to
test-artifacts/ at 1280×800 and 1366×768: a customer found and chosen on the
quote page, and History filtered by that customer."""

from __future__ import annotations

from fractions import Fraction

from bng_desktop.core.customers import CustomerDetails
from bng_desktop.core.model import DemandLine, Site
from bng_desktop.core.policy import Promoter
from bng_desktop.core.result import QuoteRequest
from bng_desktop.workspace import Workspace
from tests.ui.app_process import free_port, running_app, wait_for_app
from tests.ui.chromium import (
    LAPTOP_SIZES,
    UNNAMED_BUTTONS_JS,
    click,
    needs_chromium,
    overflow,
    pick,
    shot,
    viewport,
    wait_for_text,
)

pytestmark = needs_chromium
SIZES = LAPTOP_SIZES


def test_a_customer_chosen_on_the_quote_page_then_history_by_customer(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    data = tmp_path / "data"
    with Workspace.open(data) as workspace:
        workspace.ensure_reference()
        workspace.add_customer(
            CustomerDetails(
                name="Acme Homes",
                company="Acme Homes Ltd",
                email="jo@acme.example.com",
                phone="01632 960123",
            )
        )
        brook = workspace.add_customer(
            CustomerDetails(name="Brook Estates", email="info@brook.example")
        )
        site = Site(lpa="Winchester", nca="South Downs")
        demand = (DemandLine("Grassland - Modified grassland", Fraction(2)),)
        workspace.save_quote(workspace.quote(QuoteRequest(site, demand)), customer=brook)
        workspace.promoters.replace(
            [Promoter("Green Introductions", "percentage", Fraction(10)), Promoter("Plain Ltd")]
        )
    with running_app(data, "--browser", "--no-show", "--port", str(free_port())) as app:
        session = wait_for_app(data, app)
        browser.get(session.entry_url)
        viewport(browser, *SIZES[0])
        wait = WebDriverWait(browser, 30)
        pick(browser, wait, "Local planning authority", "Winchest", "Winchester")
        pick(browser, wait, "National Character Area", "South Do", "South Downs")
        pick(browser, wait, "Habitat lost", "Modified grass", "Grassland - Modified grassland")
        units = browser.find_element(By.XPATH, "//label[.//*[text()='Units']]//input")
        units.send_keys("1.2", "\t")
        click(browser, "//button[.//*[contains(text(),'Get quote')]]")
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(),'+ VAT')]")))
        search = browser.find_element(By.XPATH, "//label[.//*[text()='Customer']]//input")
        search.send_keys("acme")
        option = "//*[contains(text(),'Acme Homes (Acme Homes Ltd)')]"
        wait_for_text(browser, "Acme Homes (Acme Homes Ltd)")
        row = browser.find_element(By.XPATH, option)
        for width, height in SIZES:
            viewport(browser, width, height)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
            shot(browser, "customer-search", width, height)
        click(browser, option)
        wait_for_text(browser, "For Acme Homes")
        chosen = browser.find_element(By.XPATH, "//*[contains(text(),'For Acme Homes')]")
        for width, height in SIZES:
            viewport(browser, width, height)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", chosen)
            shot(browser, "customer-chosen", width, height)
        assert overflow(browser) == []
        assert browser.execute_script(UNNAMED_BUTTONS_JS) == [], "icon buttons need a name"
        click(browser, "//*[contains(text(),'3. Options')]")
        pick(
            browser,
            wait,
            "Promoter (introducer)",
            "Green",
            "Green Introductions (10% off every price)",
        )
        options = browser.find_element(By.XPATH, "//*[contains(text(),'3. Options')]")
        for width, height in SIZES:
            viewport(browser, width, height)
            browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", options)
            shot(browser, "promoter-chosen", width, height)
        click(browser, "//button[.//*[contains(text(),'Get quote')]]")
        wait_for_text(browser, "Quote ready")
        click(browser, "//button[.//*[contains(text(),'Save to history')]]")
        wait_for_text(browser, "Saved as BNG-A-02026")

        browser.get(session.base_url + "/history")
        wait_for_text(browser, "2 quotes")
        assert saved_promoter(data, "BNG-A-02026") == "Green Introductions"
        pick(browser, wait, "Customer", "Acme", "Acme Homes (Acme Homes Ltd)")
        wait_for_text(browser, "1 quote")
        for width, height in SIZES:
            viewport(browser, width, height)
            shot(browser, "history-by-customer", width, height)
        assert overflow(browser) == []


def saved_promoter(data, reference: str) -> str:
    with Workspace.open(data) as workspace:
        promoter = workspace.quotes.get(reference).quote.request.policy.promoter
    return promoter.name if promoter else ""
