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


def test_header_refuses_nan_both_ways():
    with pytest.raises(ValueError):
        p.encode_header({"x": math.nan})
    with pytest.raises(BridgeError) as e:
        p.decode_header(b'{"x": Infinity}')
    assert e.value.code == "malformed_message"


@pytest.mark.parametrize("version, ok", [("1.0", True), ("1.7", True), ("2.0", False), ("0.9", False), ("", False),
                                         (None, False), (1.0, False)])
def test_version_check_compares_major_versions(version, ok):
    if ok:
        p.check_version(version)
    else:
        with pytest.raises(BridgeError) as e:
            p.check_version(version)
        assert e.value.code == "version_mismatch"
