"""Cite this report in Debian's chromium at desktop (1280 px) and phone (390 px) widths:
each citation gets a copy button that puts the citation's text on the clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import axe_violations, screenshot

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/i11cite")


@pytest.mark.parametrize(
    ("doc", "hl", "copy", "copied"),
    [("r9-en", "en", "Copy", "Copied"), ("r9-be", "be", "Скапіяваць", "Скапіявана")],
)
def test_copy_buttons_copy_each_citation(sized, live_server, doc, hl, copy, copied) -> None:
    sized.goto(f"{live_server.url}/reports/{doc}?hl={hl}")
    section = sized.locator("section.cite")
    buttons = section.locator("button.copy-button")
    expect(buttons).to_have_count(2)
    for style, button in zip(("apa", "chicago"), buttons.all(), strict=True):
        expect(button).to_have_text(copy)
        button.scroll_into_view_if_needed()
        button.click()
        expect(button.locator("xpath=following-sibling::*[@role='status']")).to_have_text(copied)
        expected = sized.locator(f"#cite-{style}").text_content()
        assert "International Accountability Platform for Belarus" in expected
        assert sized.evaluate("navigator.clipboard.readText()") == expected
    screenshot(sized, SCREENSHOTS, f"cite-{doc}", part=section)
    assert axe_violations(sized) == []
