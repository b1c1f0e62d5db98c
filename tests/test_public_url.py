"""Absolute URLs: from ``PUBLIC_URL`` when set, else only for a ``Host`` the app trusts.

The request's ``Host`` is chosen by the client and answers are cached by proxies: a
forged host must never be written into a feed, a snippet or a link."""

from __future__ import annotations

import html
from xml.etree import ElementTree as ET

import pytest
from flask import url_for

from webapp import create_app

NS = {"a": "http://www.w3.org/2005/Atom"}
FORGED = "https://evil.example"


def make_app(index_dir, **config):
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), **config})


def _feed_urls(response) -> list[str]:
    root = ET.fromstring(response.data)
    urls = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}id")]
    urls += [e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link")]
    return urls


@pytest.mark.parametrize("url", ["/api/search?q=ICC", "/", "/feed.atom", "/widget", "/healthz"])
def test_without_public_url_an_untrusted_host_gets_400_in_the_error_shape(index_dir, url):
    response = make_app(index_dir).test_client().get(url, base_url=FORGED)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "untrusted_host"
    assert "evil.example" not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_trusted_hosts_are_served_with_their_own_absolute_urls(index_dir):
    app = make_app(index_dir, TRUSTED_HOSTS="search.example.org, .mirror.example")
    client = app.test_client()
    for base in ("https://search.example.org", "http://eu.mirror.example:8080"):
        response = client.get("/feed.atom?q=ICC", base_url=base)
        assert response.status_code == 200
        assert all(url.startswith(base + "/") for url in _feed_urls(response))


def test_with_public_url_the_feed_uses_it_whatever_the_host(index_dir):
    client = make_app(index_dir, PUBLIC_URL="https://search.example.org").test_client()
    response = client.get("/feed.atom?q=ICC", base_url=FORGED)
    assert response.status_code == 200
    urls = _feed_urls(response)
    assert len(urls) > 4
    assert all(url.startswith("https://search.example.org/") for url in urls)
    assert b"evil" not in response.data


def test_with_public_url_the_widget_snippet_uses_it(index_dir):
    client = make_app(index_dir, PUBLIC_URL="https://search.example.org").test_client()
    page = html.unescape(client.get("/widget", base_url=FORGED).get_data(as_text=True))
    assert 'src="https://search.example.org/widget.js"' in page
    assert "evil.example" not in page


def test_any_external_url_for_honours_public_url_with_its_path(index_dir):
    # Other modules (exports, citations) build URLs with url_for(..., _external=True).
    app = make_app(index_dir, PUBLIC_URL="https://example.org/iapb")

    @app.get("/probe")
    def probe():
        return {"report": url_for("pages.report", doc="r9-en", _external=True)}

    client = app.test_client()
    # Whether the proxy strips the public path or passes it through.
    for path in ("/probe", "/iapb/probe"):
        response = client.get(path, base_url="http://10.0.0.7:8000")
        assert response.get_json() == {"report": "https://example.org/iapb/reports/r9-en"}


def test_a_malformed_public_url_stops_the_start_with_a_message(index_dir):
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        make_app(index_dir, PUBLIC_URL="search.example.org/?x=1")


@pytest.mark.parametrize(
    ("host", "base"),
    [
        ("LOCALHOST", "http://localhost"),
        ("LocalHost:8000", "http://localhost:8000"),
        ("localhost.", "http://localhost"),
        ("Search.Example.ORG.:8443", "http://search.example.org:8443"),
        ("EU.Mirror.Example", "http://eu.mirror.example"),
    ],
)
def test_host_names_are_compared_as_dns_does_case_and_trailing_dot_aside(index_dir, host, base):
    app = make_app(index_dir, TRUSTED_HOSTS="localhost, search.example.org, .mirror.example")
    response = app.test_client().get("/feed.atom?q=ICC", headers={"Host": host})
    assert response.status_code == 200, response.get_data(as_text=True)
    # The links are written with the name as DNS has it, not as the client spelt it.
    assert all(url.startswith(base + "/") for url in _feed_urls(response))


@pytest.mark.parametrize("host", ["EVIL.example", "localhost..", "evil.example.", "LOCALHOST.evil"])
def test_other_names_stay_untrusted_whatever_their_case_or_dots(index_dir, host):
    response = make_app(index_dir).test_client().get("/healthz", headers={"Host": host})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "untrusted_host"
