"""Symphony RL's Python side: serves Gymnasium environments and robot adapters over ZeroMQ."""

__version__ = "0.1.0"

#: Version of the wire protocol in PROTOCOL.md; both sides refuse a peer with another major version.
PROTOCOL_VERSION = "2.0"
