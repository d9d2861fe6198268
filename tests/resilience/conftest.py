import socket

import pytest


@pytest.fixture
def closed_port():
    """A loopback port nobody listens on: bound by this test, so no other process can take it,
    but never listening, so every connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
