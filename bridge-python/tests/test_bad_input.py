"""Every kind of bad request gets an error reply with its code, and the server keeps serving."""
import json
import math

import numpy as np
import pytest
import zmq
from gymnasium import spaces

from symphony_bridge import PROTOCOL_VERSION
from symphony_bridge import protocol as p
from symphony_bridge.protocol import BridgeError

from conftest import RunningServer

V = PROTOCOL_VERSION


@pytest.fixture(scope="module")
def owner(bridge):
    """An authenticated client with a Hopper episode running."""
    c = bridge.client()
    handle, _, _ = c.make("Hopper-v5")
    c.reset(handle, seed=0)
    c.hopper = handle
    yield c
    c.close()


@pytest.fixture
def hopper(owner):
    return owner.hopper


def error_of(call, *args, **kwargs) -> BridgeError:
    with pytest.raises(BridgeError) as e:
        call(*args, **kwargs)
    return e.value


def test_unknown_environment_id(client):
    e = error_of(client.make, "NoSuchRobot-v9")
    assert e.code == "unknown_env_id" and "NoSuchRobot-v9" in e.message


@pytest.mark.parametrize("env_id", ["", "\0", "Hopper\0-v5", "\ud800-v0", "Hop\udfffper-v5", "../../etc/passwd-v0",
                                    "/tmp/x/Hopper-v5", "a/b/c-v1", "Hopper-v5/..", " Hopper-v5", "x" * 5000])
def test_ids_that_are_not_environment_ids_are_unknown_not_make_failures(client, env_id):
    e = error_of(client.make, env_id)
    assert e.code == "unknown_env_id" and "Name-vN" in e.message


def test_discrete_spaces_are_unsupported_not_unknown(client):
    e = error_of(client.make, "CartPole-v1")
    assert e.code == "unsupported_space" and "Discrete" in e.message


def test_bad_keyword_arguments_that_were_allowed(client):
    e = error_of(client.make, "Hopper-v5", no_such_option=1)
    assert e.code == "make_failed" and "no_such_option" in e.message


def test_keyword_arguments_are_refused_unless_allowed_and_the_refusal_names_the_option(client, tmp_path):
    e = error_of(client.make, "Hopper-v5", allow_kwargs=False, xml_file=str(tmp_path / "secret.xml"))
    assert e.code == "bad_field" and "'xml_file'" in e.message and "--env-kwarg xml_file=VALUE" in e.message
    e = error_of(client.make, "Hopper-v5", allow_kwargs=False, max_episode_steps=10)
    assert e.code == "bad_field" and "--env-kwarg max_episode_steps=VALUE" in e.message
    handle, spec, _ = client.make("Hopper-v5", max_episode_steps=10)  # allowed: served
    assert spec["max_episode_steps"] == 10
    client.close_env(handle)


def test_path_kwargs_are_no_file_existence_oracle_by_default(client, tmp_path):
    """Refused before gymnasium.make opens anything: an existing and a missing file get the same answer."""
    real = tmp_path / "real.xml"
    real.write_text("<mujoco/>")
    answers = {error_of(client.make, "Hopper-v5", allow_kwargs=False, xml_file=str(f)).message.replace(str(f), "F")
               for f in (real, tmp_path / "missing.xml")}
    assert len(answers) == 1


def test_module_ids_are_refused_unless_the_module_is_allowed(client, tmp_path, monkeypatch):
    marker = tmp_path / "imported"
    module = tmp_path / "planted_envs.py"
    module.write_text(f"open({str(marker)!r}, 'w').write('code ran')\n"
                      "import gymnasium\n"
                      "gymnasium.register('Planted-v0', entry_point='gymnasium.envs.mujoco.hopper_v5:HopperEnv')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    e = error_of(client.make, "planted_envs:Planted-v0")
    assert e.code == "unknown_env_id" and "--allow-module planted_envs" in e.message
    assert not marker.exists(), "the module was imported although it was not allowed"
    handle, spec, _ = client.make("planted_envs:Planted-v0", modules=("planted_envs",))
    assert marker.exists() and spec["action_size"] == 3
    client.close_env(handle)


def test_an_allowed_module_that_does_not_exist_is_an_unknown_id(client):
    e = error_of(client.make, "no_such_module_xyz:Foo-v0", modules=("no_such_module_xyz",))
    assert e.code == "unknown_env_id" and "no_such_module_xyz" in e.message


def test_wrong_action_length(owner, hopper):
    e = error_of(owner.step, hopper, np.zeros(4, np.float32))
    assert e.code == "action_length" and "expected 3" in e.message


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_action(owner, hopper, bad):
    e = error_of(owner.step, hopper, np.array([0, bad, 0], np.float32))
    assert e.code == "action_not_finite" and "action[1]" in e.message


def test_step_before_reset(client):
    handle, _, _ = client.make("InvertedPendulum-v5")
    assert error_of(client.step, handle, np.zeros(1, np.float32)).code == "not_reset"
    client.close_env(handle)


def test_unknown_handle(client):
    assert error_of(client.reset, 987654).code == "no_such_env"


@pytest.mark.parametrize("seed", [-1, 2 ** 64, 1.5, "7", True])
def test_bad_seed(owner, hopper, seed):
    assert error_of(owner.reset, hopper, seed=seed).code == "bad_field"


def test_protocol_version_mismatch_is_refused_with_both_versions(bridge):
    for other in ("1.0", "3.0"):
        c = bridge.client(version=other)
        e = error_of(c.authenticate)
        assert e.code == "version_mismatch" and other in e.message and PROTOCOL_VERSION in e.message
        c.close()


def test_minor_version_difference_is_accepted(bridge):
    major = PROTOCOL_VERSION.split(".")[0]
    c = bridge.client(version=f"{major}.99")
    assert c.ping()["v"] == PROTOCOL_VERSION
    c.close()


@pytest.mark.parametrize("frames, code", [
    ([b"not json"], "malformed_message"),
    ([b"\xff\xfe"], "malformed_message"),
    ([b"[1, 2]"], "malformed_message"),
    ([b"[" * 10_000 + b"]" * 10_000], "malformed_message"),
    ([b'{"v": "%s", "op": "ping", "x": ' % V.encode() + b"[" * 10_000 + b"]" * 10_000 + b"}"], "malformed_message"),
    ([b'{"v": "%s", "op": "ping", "x": NaN}' % V.encode()], "malformed_message"),
    ([b'{"op": "ping"}'], "version_mismatch"),
    ([b'{"v": "%s", "op": "fly"}' % V.encode()], "unknown_op"),
    ([b'{"v": "%s", "op": ["step"]}' % V.encode()], "unknown_op"),
    ([b'{"v": "%s", "op": {"x": 1}}' % V.encode()], "unknown_op"),
    ([b'{"v": "%s", "op": null}' % V.encode()], "unknown_op"),
    ([b'{"v": "%s", "op": "ping", "seq": "one"}' % V.encode()], "bad_field"),
    ([b'{"v": "%s", "op": "ping"}' % V.encode(), b"\0\0\0\0"], "malformed_message"),
    ([b'{"v": "%s", "op": "ping"}' % V.encode()], "unauthorized"),
    ([b'{"v": "%s", "op": "hello"}' % V.encode()], "bad_field"),
    ([b'{"v": "%s", "op": "hello", "nonce": "xyz"}' % V.encode()], "bad_field"),
    ([b" " * (p.MAX_HEADER_BYTES + 1)], "too_large"),
    ([b'{"v": "%s", "op": "ping"}' % V.encode()] + [b""] * p.MAX_FRAMES, "too_large"),
])
def test_malformed_messages(client, frames, code):
    assert error_of(client.send_raw, frames).code == code
    assert client.ping()["ok"]


def test_bad_step_frames(owner, hopper):
    header = p.encode_header({"v": V, "op": "step", "env": hopper, "session": owner.session})
    assert error_of(owner.send_raw, [header]).code == "malformed_message"
    assert error_of(owner.send_raw, [header, b"\0" * 7]).code == "malformed_message"
    assert error_of(owner.send_raw, [header, b"\0" * (p.MAX_ARRAY_BYTES + 4)]).code == "too_large"


def test_ipv6_loopback_is_served():
    running = RunningServer("tcp://[::1]:0")
    try:
        assert running.endpoint.startswith("tcp://[::1]:")
        c = running.client()
        handle, _, _ = c.make("InvertedPendulum-v5")
        assert c.reset(handle, seed=0).shape == (4,)
        c.close()
    finally:
        running.close()


@pytest.mark.parametrize("bind", ["tcp://[::1]", "tcp://127.0.0.1"])
def test_a_bind_that_cannot_work_is_a_clear_error(bind):
    from symphony_bridge.security import SecurityError

    with pytest.raises(SecurityError) as e:
        RunningServer(bind)
    assert f"cannot listen on {bind}" in str(e.value) and "tcp://HOST:PORT" in str(e.value)


def test_retried_request_is_answered_from_memory_not_redone(owner, hopper):
    """Lazy Pirate resends a request whose reply was lost; a step must not be applied twice."""
    owner.reset(hopper, seed=11)
    header = {"v": V, "session": owner.session, "seq": 10_001, "op": "step", "env": hopper}
    frames = [p.encode_header(header), p.encode_floats(np.ones(3))]
    first, (obs1,) = owner.send_raw(frames)
    again, (obs2,) = owner.send_raw(frames)
    assert first == again
    np.testing.assert_array_equal(obs1, obs2)
    header["seq"] = 10_002
    _, (obs3,) = owner.send_raw([p.encode_header(header), p.encode_floats(np.ones(3))])
    assert not np.array_equal(obs3, obs2)  # a new seq is a new step


class Scripted:
    """An environment whose step answers what the test says, to reach reply-encoding failures."""

    observation_space = spaces.Box(-np.inf, np.inf, (2,), np.float64)
    action_space = spaces.Box(-1.0, 1.0, (1,), np.float32)
    spec = None

    def __init__(self):
        self.answers = []
        self.steps = 0

    def reset(self, seed=None):
        return np.zeros(2), {}

    def step(self, action):
        self.steps += 1
        return self.answers.pop(0)

    def close(self):
        pass


@pytest.fixture
def scripted():
    env = Scripted()
    running = RunningServer(makers={"Scripted-v0": lambda _id, _kwargs: env}, fallback=None)
    c = running.client()
    handle, _, _ = c.make("Scripted-v0")
    c.reset(handle)
    yield env, c, handle
    c.close()
    running.close()


@pytest.mark.parametrize("reward", [math.inf, -math.inf, math.nan, 3e38 * 3e38])
def test_a_non_finite_reward_travels_and_the_episode_goes_on(scripted, reward):
    env, c, handle = scripted
    env.answers = [(np.ones(2), reward, False, False, {}), (np.ones(2), 1.0, False, False, {})]
    _, got, terminated, truncated, _ = c.step(handle, np.zeros(1, np.float32))
    assert (math.isnan(got) and math.isnan(reward)) or got == reward
    assert c.step(handle, np.zeros(1, np.float32))[1] == 1.0, "the episode goes on: the server stayed consistent"


@pytest.mark.parametrize("answer", [
    (np.array(["a", "b"]), 1.0, False, False, {}),       # an observation that is not numbers
    (np.ones(3), 1.0, False, False, {}),                 # an observation of the wrong size
    (np.ones(2), "much", False, False, {}),              # a reward that is not a number
    (np.ones(2), 1.0, False, False, {"log": "x" * 70_000, **{f"k{i}": "y" * 1000 for i in range(70)}}),
])
def test_a_reply_that_cannot_be_encoded_ends_the_episode_with_an_error(scripted, answer):
    env, c, handle = scripted
    env.answers = [answer]
    e = error_of(c.step, handle, np.zeros(1, np.float32))
    assert e.code == "env_failed" and "could not be answered" in e.message and "episode is over" in e.message
    assert env.steps == 1
    assert error_of(c.step, handle, np.zeros(1, np.float32)).code == "not_reset", "the episode ended on both sides"
    assert env.steps == 1
    c.reset(handle)
    env.answers = [(np.ones(2), 0.5, False, False, {})]
    assert c.step(handle, np.zeros(1, np.float32))[1] == 0.5


def test_a_huge_action_gives_hopper_an_infinite_reward_that_travels(client):
    handle, _, _ = client.make("Hopper-v5")
    client.reset(handle, seed=0)
    _, reward, _, _, _ = client.step(handle, np.full(3, 3e38, np.float32))
    assert reward == -math.inf  # the control cost overflows
    client.reset(handle, seed=0)
    assert math.isfinite(client.step(handle, np.zeros(3, np.float32))[1])
    client.close_env(handle)


def test_fuzzed_frames_get_replies_and_the_server_keeps_serving(bridge, owner, hopper):
    """Random bytes, mutated valid headers and random frame counts, from REQ and from raw DEALER peers."""
    rng = np.random.default_rng(20261125)
    valid = [
        {"v": V, "op": "step", "env": hopper, "session": owner.session},
        {"v": V, "op": "make", "id": "Hopper-v5", "kwargs": {}, "session": owner.session},
        {"v": V, "op": "reset", "env": hopper, "seed": 1, "session": owner.session},
        {"v": V, "op": "hello", "nonce": "ab" * 16},
        {"v": V, "op": "auth", "nonce": "ab" * 16, "proof": "cd" * 32},
    ]
    req = bridge.client(timeout_ms=5000)
    dealer = zmq.Context.instance().socket(zmq.DEALER)
    dealer.linger = 0
    dealer.connect(bridge.endpoint)
    codes = set()
    for i in range(500):
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
                req.send_raw(frames)
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
    assert codes <= set(p.ERROR_CODES) and {"malformed_message", "unauthorized"} <= codes, codes
    owner.reset(hopper, seed=0)
    assert owner.step(hopper, np.zeros(3, np.float32))[0].shape == (11,)
    for handle in bridge.server.envs.handles():
        if handle != hopper:
            try:
                owner.close_env(handle)  # fuzzed 'make's that happened to stay valid
            except BridgeError:
                pass
    req.close()
