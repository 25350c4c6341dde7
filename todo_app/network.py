"""Who is on the other end of a connection, for rate limits: trusted proxies only."""

from __future__ import annotations

import ipaddress

from todo_app.settings import IPNetwork, get_settings


def _is_trusted(address: str, trusted: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(
    peer: str,
    forwarded_for: str | None,
    trusted: tuple[IPNetwork, ...] | None = None,
) -> str:
    """The client's address: the socket peer, or what trusted proxies say it forwarded.

    X-Forwarded-For is read only when the peer is a trusted proxy (TODO_TRUSTED_PROXIES), from
    the right, skipping further trusted proxies: the first untrusted hop is the client. Anyone
    else's header is ignored, so a forged one neither resets nor evades a limit.
    """
    trusted = get_settings().trusted_proxies if trusted is None else trusted
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer
