"""Command line: ``serve`` a bridge, ``keygen`` a CURVE key pair, ``announce`` a robot adapter running elsewhere."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from .security import CurveKeys, SecurityError

#: First line the server prints on stdout once it listens; the Java side waits for it to learn the endpoint.
READY = "SYMPHONY_BRIDGE_READY"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m symphony_bridge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve Gymnasium environments over ZeroMQ to clients holding the key")
    serve.add_argument("--bind", default="tcp://127.0.0.1:5555",
                       help="endpoint to listen on; port 0 picks a free port (default %(default)s)")
    serve.add_argument("--curve-keys", metavar="FILE", help="server CURVE key pair (required for a non-loopback bind)")
    serve.add_argument("--key-stdin", action="store_true",
                       help="read the key clients must prove from the first line of standard input (64 hex digits; "
                            "how the runtime passes a fresh key to a server it starts) instead of the per-user key "
                            "~/.symphony/secret")
    serve.add_argument("--exit-with-parent", action="store_true",
                       help="exit when standard input closes (the process that started us is gone)")
    keygen = sub.add_parser("keygen", help="write a new CURVE key pair to FILE (public key also printed)")
    keygen.add_argument("file")
    announce = sub.add_parser("announce", help="announce a robot adapter that runs on another machine to this "
                                               "user's runtimes, until stopped (Ctrl-C)")
    announce.add_argument("id", help="the adapter's environment id, Name-vN")
    announce.add_argument("--endpoint", required=True, help="where the adapter listens, e.g. tcp://robot-host:5600")
    announce.add_argument("--curve-key", metavar="KEY",
                          help="the adapter's CURVE public key (40 Z85 characters); required for a non-loopback endpoint")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s bridge %(levelname)s %(message)s")

    if args.command == "keygen":
        keys = CurveKeys.generate()
        keys.save(args.file)
        print(keys.public.decode())
        return 0
    if args.command == "announce":
        from .announce import announce_command

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        return announce_command(args.id, args.endpoint, args.curve_key, stop)
    return _serve(args)


def _serve(args) -> int:
    from .server import BridgeServer
    from .userdir import parse_key, user_secret

    try:
        key = parse_key(_first_line_of_stdin(), "the key on standard input") if args.key_stdin else user_secret()
        curve = CurveKeys.load(args.curve_keys) if args.curve_keys else None
        server = BridgeServer(args.bind, key=key, curve=curve)
    except (SecurityError, OSError) as e:
        print(f"symphony_bridge: {e}", file=sys.stderr)
        return 2
    if args.exit_with_parent:
        threading.Thread(target=_exit_on_stdin_eof, daemon=True, name="parent-watch").start()
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    print(f"{READY} {server.endpoint}", flush=True)
    logging.getLogger("symphony_bridge").info("serving on %s (pid %d)", server.endpoint, os.getpid())
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _first_line_of_stdin() -> bytes:
    # byte by byte with os.read: a buffered reader would swallow what follows, and the rest of stdin is the
    # parent-watch pipe. The key never appears on the command line or in the environment (both readable in /proc).
    line = bytearray()
    while not line.endswith(b"\n") and len(line) < 1024:
        chunk = os.read(sys.stdin.fileno(), 1)
        if not chunk:
            break
        line += chunk
    return bytes(line)


def _exit_on_stdin_eof() -> None:
    # the parent holds our stdin's write end; EOF means it died without stopping us: do not outlive it.
    # os.read, not sys.stdin: a daemon thread blocked inside the buffered reader holds its lock and makes
    # a normal interpreter shutdown (SIGTERM) abort.
    while os.read(sys.stdin.fileno(), 4096):
        pass
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
