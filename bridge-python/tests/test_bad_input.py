"""Every kind of bad request gets an error reply with its code, and the server keeps serving."""
import json

import numpy as np
import pytest
import zmq

from symphony_bridge import PROTOCOL_VERSION
from symphony_bridge import protocol as p
from symphony_bridge.protocol import BridgeError


@pytest.fixture(scope="module")
def hopper(bridge):
    c = bridge.client()
    handle, _, _ = c.make("Hopper-v5")
    c.reset(handle, seed=0)
    yield handle
    c.close_env(handle)
    c.close()


def error_of(call, *args, **kwargs) -> BridgeError:
    with pytest.raises(BridgeError) as e:
        call(*args, **kwargs)
    return e.value


def test_unknown_environment_id(client):
    e = error_of(client.make, "NoSuchRobot-v9")
    assert e.code == "unknown_env_id" and "NoSuchRobot-v9" in e.message


def test_discrete_spaces_are_refused(client):
    e = error_of(client.make, "CartPole-v1")
    assert e.code == "unsupported_space" and "Discrete" in e.message


def test_bad_keyword_arguments(client):
    e = error_of(client.make, "Hopper-v5", no_such_option=1)
    assert e.code == "make_failed" and "no_such_option" in e.message


def test_wrong_action_length(client, hopper):
    e = error_of(client.step, hopper, np.zeros(4, np.float32))
    assert e.code == "action_length" and "expected 3" in e.message


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_action(client, hopper, bad):
    e = error_of(client.step, hopper, np.array([0, bad, 0], np.float32))
    assert e.code == "action_not_finite" and "action[1]" in e.message


def test_step_before_reset(client):
    handle, _, _ = client.make("InvertedPendulum-v5")
    assert error_of(client.step, handle, np.zeros(1, np.float32)).code == "not_reset"
    client.close_env(handle)


def test_unknown_handle(client):
    assert error_of(client.reset, 987654).code == "no_such_env"


@pytest.mark.parametrize("seed", [-1, 2 ** 64, 1.5, "7", True])
def test_bad_seed(client, hopper, seed):
    assert error_of(client.reset, hopper, seed=seed).code == "bad_field"


def test_protocol_version_mismatch_is_refused_with_both_versions(bridge):
    c = bridge.client(version="2.0")
    e = error_of(c.hello)
    assert e.code == "version_mismatch" and "2.0" in e.message and PROTOCOL_VERSION in e.message
    c.close()


def test_minor_version_difference_is_accepted(bridge):
    major = PROTOCOL_VERSION.split(".")[0]
    c = bridge.client(version=f"{major}.99")
    assert c.hello()["v"] == PROTOCOL_VERSION
    c.close()


@pytest.mark.parametrize("frames, code", [
    ([b"not json"], "malformed_message"),
    ([b"\xff\xfe"], "malformed_message"),
    ([b"[1, 2]"], "malformed_message"),
    ([b'{"v": "1.0", "op": "ping", "x": NaN}'], "malformed_message"),
    ([b'{"op": "ping"}'], "version_mismatch"),
    ([b'{"v": "1.0", "op": "fly"}'], "unknown_op"),
    ([b'{"v": "1.0", "op": "ping", "seq": "one"}'], "bad_field"),
    ([b'{"v": "1.0", "op": "ping"}', b"\0\0\0\0"], "malformed_message"),
    ([b" " * (p.MAX_HEADER_BYTES + 1)], "too_large"),
    ([b'{"v": "1.0", "op": "ping"}'] + [b""] * p.MAX_FRAMES, "too_large"),
])
def test_malformed_messages(client, frames, code):
    assert error_of(client.send_raw, frames).code == code
    assert client.hello()["ok"]


def test_bad_step_frames(client, hopper):
    header = p.encode_header({"v": PROTOCOL_VERSION, "op": "step", "env": hopper})
    assert error_of(client.send_raw, [header]).code == "malformed_message"
    assert error_of(client.send_raw, [header, b"\0" * 7]).code == "malformed_message"
    assert error_of(client.send_raw, [header, b"\0" * (p.MAX_ARRAY_BYTES + 4)]).code == "too_large"


def test_retried_request_is_answered_from_memory_not_redone(client, hopper):
    """Lazy Pirate resends a request whose reply was lost; a step must not be applied twice."""
    client.reset(hopper, seed=11)
    header = {"v": PROTOCOL_VERSION, "session": "retry-test", "seq": 1, "op": "step", "env": hopper}
    frames = [p.encode_header(header), p.encode_floats(np.ones(3))]
    first, (obs1,) = client.send_raw(frames)
    again, (obs2,) = client.send_raw(frames)
    assert first == again
    np.testing.assert_array_equal(obs1, obs2)
    header["seq"] = 2
    _, (obs3,) = client.send_raw([p.encode_header(header), p.encode_floats(np.ones(3))])
    assert not np.array_equal(obs3, obs2)  # a new seq is a new step


def test_fuzzed_frames_get_replies_and_the_server_keeps_serving(bridge, hopper):
    """Random bytes, mutated valid headers and random frame counts, from REQ and from raw DEALER peers."""
    rng = np.random.default_rng(20261125)
    valid = [
        {"v": PROTOCOL_VERSION, "op": "step", "env": hopper},
        {"v": PROTOCOL_VERSION, "op": "make", "id": "Hopper-v5", "kwargs": {}},
        {"v": PROTOCOL_VERSION, "op": "reset", "env": hopper, "seed": 1},
    ]
    req = bridge.client(timeout_ms=5000)
    dealer = zmq.Context.instance().socket(zmq.DEALER)
    dealer.linger = 0
    dealer.connect(bridge.endpoint)
    codes = set()
    for i in range(400):
        header = bytearray(json.dumps(valid[i % len(valid)]).encode())
        kind = i % 4
        if kind == 0:  # random bytes
            header = rng.bytes(int(rng.integers(0, 200)))
        elif kind == 1:  # flip a few bytes of a valid header
            for _ in range(int(rng.integers(1, 4))):
                header[int(rng.integers(len(header)))] = int(rng.integers(256))
        elif kind == 2:  # truncate a valid header
            header = header[: int(rng.integers(len(header)))]
        arrays = [rng.bytes(int(rng.integers(0, 64))) for _ in range(int(rng.integers(0, 4)))]
        frames = [bytes(header)] + arrays
        if i % 2:
            try:
                reply, _ = req.send_raw(frames)
            except BridgeError as e:
                codes.add(e.code)
        else:
            dealer.send_multipart([b""] + frames)  # a DEALER peer adds the delimiter REQ would add
            assert dealer.poll(5000), f"no reply to fuzzed message {i}"
            delimiter, reply_header, *_ = dealer.recv_multipart()
            assert delimiter == b""
            reply = p.decode_header(reply_header)
            if not reply["ok"]:
                codes.add(reply["error"]["code"])
    dealer.close()
    assert codes <= set(p.ERROR_CODES) and {"malformed_message"} <= codes
    req.reset(hopper, seed=0)
    assert req.step(hopper, np.zeros(3, np.float32))[0].shape == (11,)
    for handle in list(bridge.server.envs):
        if handle != hopper:
            req.close_env(handle)  # fuzzed 'make's that happened to stay valid
    req.close()
