"""What limits count a client by: an IPv4 address, or an IPv6 /64."""

from __future__ import annotations

import pytest

from server.proxies import client_key


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("not an address", "not an address"),
        (None, "unknown"),
    ],
)
def test_clients_are_counted_by_address_or_by_their_ipv6_64(address, key):
    assert client_key(address) == key
