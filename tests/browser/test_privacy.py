"""Nothing a page loads leaves this machine: no fonts, scripts, images or trackers from other hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.tour import open_all_details, tour

pytestmark = pytest.mark.browser


def test_no_request_leaves_the_server(new_page, live_server) -> None:
    page = new_page()
    requests: list[str] = []
    sockets: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket: sockets.append(socket.url))

    def visit(name: str) -> None:
        if page.locator("details").count():
            open_all_details(page)  # anything inside a closed topic loads too
            page.wait_for_load_state("networkidle")

    seen = tour(page, visit)
    assert {"results-urgent", "results", "summary-urgent", "summary"} <= set(seen)
    assert len(requests) > 40, "the requests were not recorded"
    server = urlsplit(live_server)
    elsewhere = [
        url for url in requests if (urlsplit(url).hostname, urlsplit(url).port) != (server.hostname, server.port)
    ]
    assert not elsewhere, f"requests leaving {server.netloc}: {elsewhere}"
    assert not sockets
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in requests)
