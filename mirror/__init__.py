"""A deterministic mirror of a provincial People's Council website, served on loopback.

`Site` generates every page and knows the ground truth of every article; `MirrorServer` serves a site over
HTTP/1.1 on a real socket.
"""

from mirror.http import Response
from mirror.server import MirrorServer
from mirror.site import Site

__all__ = ["MirrorServer", "Response", "Site"]
