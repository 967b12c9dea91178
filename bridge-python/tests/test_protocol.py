"""The wire helpers of protocol.py against hand-written expectations."""
import math

import numpy as np
import pytest

from symphony_bridge import protocol as p
from symphony_bridge.protocol import BridgeError


def test_info_keeps_what_json_can_carry_and_drops_the_rest():
    info = {"x": np.float64(1.5), "n": np.int64(3), "ok": np.bool_(True), "s": "text", "f": 2.0, "i": 7,
            "nan": float("nan"), "inf": np.float32(np.inf), "vec": np.array([1.0, 2.5]),
            "vec_nan": np.array([1.0, np.nan]), "ints": np.array([1, 2], dtype=np.int32), "scalar": np.array(4.0),
            "long": np.zeros(65), "nested": {"a": np.float64(1.0), "b": [np.float32(0.5), None]}, "obj": object()}
    assert p.info_to_json(info) == {"x": 1.5, "n": 3, "ok": True, "s": "text", "f": 2.0, "i": 7, "vec": [1.0, 2.5],
                                    "vec_nan": [1.0, None], "ints": [1, 2], "scalar": 4.0,
                                    "nested": {"a": 1.0, "b": [0.5, None]}}
    assert type(p.info_to_json({"x": np.float64(1.5)})["x"]) is float  # plain floats, so JSON shows 1.5


def test_floats_travel_little_endian_float32():
    frame = p.encode_floats([1.0, -2.0, np.inf])
    assert frame == b"\x00\x00\x80\x3f" + b"\x00\x00\x00\xc0" + b"\x00\x00\x80\x7f"
    np.testing.assert_array_equal(p.decode_floats(frame, "x", 3), [1.0, -2.0, np.inf])


def test_header_nested_thousands_deep_is_malformed_not_a_recursion_error():
    with pytest.raises(BridgeError) as e:
        p.decode_header(b"[" * 10_000 + b"]" * 10_000)
    assert e.value.code == "malformed_message" and "deeply" in e.value.message


@pytest.mark.parametrize("reward, fields", [(1.25, {"reward": 1.25}), (-0.0, {"reward": -0.0}),
                                            (math.inf, {"reward": None, "reward_nonfinite": "inf"}),
                                            (-math.inf, {"reward": None, "reward_nonfinite": "-inf"})])
def test_non_finite_rewards_travel_as_null_and_their_name(reward, fields):
    assert p.reward_fields(reward) == fields
    p.encode_header(fields)  # JSON can carry it


def test_nan_reward_travels_as_null_and_nan():
    fields = p.reward_fields(math.nan)
    assert fields == {"reward": None, "reward_nonfinite": "nan"}
    assert math.isnan(float(fields["reward_nonfinite"]))  # the name is what the client reads back


def test_a_reply_too_large_for_the_peer_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="reply header"):
        p.ok_reply({"info": {"k": "x" * (p.MAX_HEADER_BYTES + 1)}})


@pytest.mark.parametrize("env_id, ok", [
    ("Hopper-v5", True), ("ALE/Pong-v5", True), ("my_pkg.envs:Arm-v0", True), ("InvertedDoublePendulum-v5", True),
    ("", False), ("Hopper", False), ("Hop\0per-v5", False), ("Hop\ud800per-v5", False), ("../../etc/x-v0", False),
    ("/abs/Hopper-v5", False), ("a/b/Hopper-v5", False), ("Hopper-v5 ", False), ("Höpper-v5", False),
    ("..:Hopper-v5", False),
])
def test_environment_id_syntax(env_id, ok):
    assert (p.ENV_ID.fullmatch(env_id) is not None) is ok


def test_header_refuses_nan_both_ways():
    with pytest.raises(ValueError):
        p.encode_header({"x": math.nan})
    with pytest.raises(BridgeError) as e:
        p.decode_header(b'{"x": Infinity}')
    assert e.value.code == "malformed_message"


@pytest.mark.parametrize("version, ok", [("2.0", True), ("2.7", True), ("1.0", False), ("3.0", False), ("", False),
                                         (None, False), (2.0, False)])
def test_version_check_compares_major_versions(version, ok):
    if ok:
        p.check_version(version)
    else:
        with pytest.raises(BridgeError) as e:
            p.check_version(version)
        assert e.value.code == "version_mismatch"
