"""The client's real address: from X-Forwarded-For only when a trusted proxy sent it.

Behind nginx every request comes from nginx's address, so throttling and socket
caps by address would lump all clients together; but a client talking to the app
directly could write any X-Forwarded-For it likes. So werkzeug's ProxyFix is
applied only to requests whose peer is one of ``WOLFPACK_TRUSTED_PROXIES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

Network = IPv4Network | IPv6Network


def networks(entries: Iterable[str]) -> list[Network]:
    """Parse addresses and CIDR ranges (``10.0.0.0/8``); raise ValueError if bad."""
    return [ip_network(entry.strip(), strict=False) for entry in entries]


class TrustedProxies:
    """WSGI middleware: ProxyFix for requests from a trusted proxy, else nothing."""

    def __init__(self, app: Any, trusted: list[Network]) -> None:
        self.app = app
        self.trusted = trusted
        # One proxy in front: it appends (or sets) the address it saw, last.
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Serve the request, with the client's address if a trusted proxy gave it."""
        if self.trusted and self._from_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)

    def _from_trusted(self, peer: str | None) -> bool:
        try:
            address = ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.trusted)


def client_key(address: str | None) -> str:
    """Return what limits count a client by: its IPv4 address, or its IPv6 /64.

    One IPv6 subscriber is usually given a whole /64: counted by the address, it
    could try passwords or open sockets from as many addresses as it liked.
    """
    try:
        found = ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(found, IPv6Address):
        if found.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
            return str(found.ipv4_mapped)
        return str(ip_network(f"{found}/64", strict=False))
    return str(found)
