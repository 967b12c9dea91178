"""symphony_bridge.export: the three files from a hand-off, exact float32 weights, bad hand-offs, atomic writes."""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from safetensors import safe_open

from actor_reference import HUMANOID, NAMES, PENDULUM, handoff_document, handoff_text, random_weights, \
    policy_section, write_handoff
from symphony_bridge import export as export_module
from symphony_bridge.handoff import HandoffError, parse_handoff, read_handoff

PYTHON = sys.executable


def run_export(*args, cwd=None, umask=None):
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([PYTHON, "-I", "-m", "symphony_bridge.export", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120, preexec_fn=preexec)


@pytest.fixture(scope="module")
def humanoid(tmp_path_factory):
    """A Humanoid-size S3 hand-off (S 348, A 17, h 512) and its export, made once by the command."""
    base = tmp_path_factory.mktemp("humanoid")
    weights, action_max = write_handoff(base / "handoff.json", HUMANOID, 512, seed=11)
    done = run_export(base / "handoff.json", "--out", base / "export", umask=0)
    assert done.returncode == 0, done.stderr
    return base, weights, action_max, done.stdout


def leftovers(parent: Path) -> list[str]:
    return sorted(name for name in os.listdir(parent) if name.startswith("."))


def test_export_writes_the_three_files_owner_only_whatever_the_umask(humanoid):
    base, _, _, stdout = humanoid
    out = base / "export"
    assert sorted(os.listdir(out)) == ["actor.safetensors", "policy.json", "policy.onnx"]
    assert os.stat(out).st_mode & 0o777 == 0o700
    assert {os.stat(out / name).st_mode & 0o777 for name in os.listdir(out)} == {0o600}
    assert leftovers(base) == [], "the temporary directory was renamed into place"
    assert f"exported to {out}" in stdout and "ONNX opset 13" in stdout


def test_policy_json_keeps_the_policy_section_and_records_opset_hashes_and_sizes(humanoid):
    base, _, _, _ = humanoid
    out = base / "export"
    info = json.loads((out / "policy.json").read_text())
    section = policy_section(HUMANOID)
    for key, value in section.items():
        assert info[key] == value, key  # Humanoid's infinite bounds come back as infinities
    assert info["observation_space"]["low"][0] == -np.inf and "-Infinity" in (out / "policy.json").read_text()
    assert info["format"] == 1
    assert info["actor"] == {"observation_size": 348, "action_size": 17, "hidden": 512, "layer_norm_epsilon": 1e-5,
                             "action_max": [1.0] * 17}
    assert (info["onnx"]["opset"], info["onnx"]["ir_version"]) == (13, 7)
    assert info["exported_by"].startswith("symphony_bridge ")
    for name in ("policy.onnx", "actor.safetensors"):
        data = (out / name).read_bytes()
        assert info["files"][name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert info["onnx"]["sha256"] == info["files"]["policy.onnx"]["sha256"]


def test_the_onnx_file_passes_the_checker_with_a_dynamic_batch(humanoid):
    model = onnx.load(humanoid[0] / "export" / "policy.onnx")
    onnx.checker.check_model(model, full_check=True)
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [13]
    assert model.ir_version == 7
    [given], [taken] = model.graph.input, model.graph.output
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]  # noqa: E731
    assert (given.name, dims(given)) == ("observation", ["batch", 348])
    assert (taken.name, dims(taken)) == ("action", ["batch", 17])
    assert given.type.tensor_type.elem_type == taken.type.tensor_type.elem_type == onnx.TensorProto.FLOAT


def test_safetensors_hold_the_hand_off_weights_bit_for_bit_under_documented_names(humanoid):
    base, weights, action_max, _ = humanoid
    with safe_open(str(base / "export" / "actor.safetensors"), "np") as f:
        assert sorted(f.keys()) == sorted(["actor." + n for n in NAMES] + ["actor.action_max"])
        for name in NAMES:
            stored = f.get_tensor("actor." + name)
            assert stored.dtype == np.float32 and stored.shape == weights[name].shape
            assert stored.tobytes() == weights[name].tobytes(), name
        assert f.get_tensor("actor.action_max").tobytes() == action_max.tobytes()
        assert f.metadata() == {"format": "1", "observation_size": "348", "action_size": "17", "hidden": "512",
                                "layer_norm_epsilon": "1e-05"}


@pytest.mark.parametrize("text, expected", [
    # 1 + 2^-24 lies halfway between the float32s 1 and 1 + 2^-23; a decimal just above it must round up,
    # although its nearest float64 is the halfway point itself (which rounds to even: down)
    ("1.000000059604644775390625000001", 1 + 2 ** -23),
    ("-1.000000059604644775390625000001", -(1 + 2 ** -23)),
    ("1.000000059604644775390625", 1.0),  # exactly halfway: ties to even
    ("1.0000000596046447753906249", 1.0),
    ("1.0E-8", 9.99999993922529e-09),  # Java's Float.toString(1e-8f), the float32 0x322BCC77
    ("3.4028235E38", 3.4028234663852886e38),  # Float.MAX_VALUE
    ("1.4E-45", 2 ** -149),  # Float.MIN_VALUE
])
def test_decimals_round_to_float32_as_a_direct_conversion_does(text, expected, tmp_path):
    document = good_document()
    document["actor"]["tensors"]["b1"]["data"][0] = "@value@"
    path = tmp_path / "handoff.json"
    path.write_text(json.dumps(document).replace('"@value@"', text))
    b1 = read_handoff(str(path)).actor.tensors["b1"]
    assert b1.dtype == np.float32 and b1[0] == np.float32(expected)


def good_document(shape=PENDULUM, h=8, seed=3):
    weights = random_weights(shape["S"], shape["A"], h, seed)
    document = handoff_document(weights, np.full(shape["A"], shape["a_max"]), policy_section(shape))
    return json.loads(handoff_text(document, weights))


def broken(change):
    document = good_document()
    change(document)
    return document


BAD_HANDOFFS = {
    "missing tensor": (lambda d: d["actor"]["tensors"].pop("w2"), "lacks actor.tensors.w2"),
    "wrong shape": (lambda d: d["actor"]["tensors"]["w3"].update(shape=[3, 9]),
                    "actor.tensors.w3 has shape [3, 9], expected [3, 8]"),
    "short data": (lambda d: d["actor"]["tensors"]["b1"]["data"].pop(), "actor.tensors.b1.data has 7 values"),
    "NaN weight": (lambda d: d["actor"]["tensors"]["w1"]["data"].__setitem__(5, float("nan")),
                   "actor.tensors.w1.data[5] is nan, not a finite float32"),
    "infinite weight": (lambda d: d["actor"]["tensors"]["s"]["data"].__setitem__(2, float("-inf")),
                        "actor.tensors.s.data[2] is -inf"),
    "beyond float32": (lambda d: d["actor"]["tensors"]["b3"]["data"].__setitem__(0, 1e39),
                       "actor.tensors.b3.data[0] is 1e+39, not a finite float32"),
    "text weight": (lambda d: d["actor"]["tensors"]["b2"]["data"].__setitem__(1, "0.5"),
                    'actor.tensors.b2.data[1] is "0.5", not a number'),
    "unknown tensor": (lambda d: d["actor"]["tensors"].update(w4={"shape": [1], "data": [0.0]}),
                       "unknown tensor(s) w4"),
    "wrong format": (lambda d: d.update(format=2), "format 2; this exporter reads format 1"),
    "no format": (lambda d: d.pop("format"), "lacks format"),
    "no policy": (lambda d: d.pop("policy"), "lacks policy"),
    "reserved key": (lambda d: d["policy"].update(onnx={}), "policy has the key(s) onnx"),
    "space mismatch": (lambda d: d["policy"]["observation_space"].update(shape=[4]),
                       "policy.observation_space.shape is [4], the actor's is [3]"),
    "bounds mismatch": (lambda d: d["policy"]["action_space"]["high"].append(2.0),
                        "policy.action_space.high must list 1 numbers"),
    "a_max count": (lambda d: d["actor"].update(action_max=[2.0, 2.0]), "actor.action_max must hold 1 positive"),
    "a_max zero": (lambda d: d["actor"].update(action_max=[0.0]), "actor.action_max must hold 1 positive"),
    "size not whole": (lambda d: d["actor"].update(hidden=8.5), "actor.hidden must be a whole number, got 8.5"),
    "bad epsilon": (lambda d: d["actor"].update(layer_norm_epsilon=-1.0), "layer_norm_epsilon must be a positive"),
}


@pytest.mark.parametrize("case", sorted(BAD_HANDOFFS))
def test_a_bad_hand_off_is_refused_with_its_field_and_nothing_is_written(case, tmp_path):
    change, message = BAD_HANDOFFS[case]
    path = tmp_path / "handoff.json"
    path.write_text(json.dumps(broken(change)))
    done = run_export(path, "--out", tmp_path / "export")
    assert done.returncode == 2, done.stderr
    assert f"hand-off {path}: " in done.stderr and message in done.stderr, done.stderr
    assert sorted(os.listdir(tmp_path)) == ["handoff.json"]


def test_a_hand_off_that_is_not_json_or_not_there_is_refused(tmp_path):
    (tmp_path / "cut.json").write_text(json.dumps(good_document())[:500])
    done = run_export(tmp_path / "cut.json", "--out", tmp_path / "export")
    assert done.returncode == 2 and "is not valid JSON" in done.stderr
    done = run_export(tmp_path / "absent.json", "--out", tmp_path / "export")
    assert done.returncode == 2 and f"cannot read the hand-off {tmp_path / 'absent.json'}" in done.stderr
    assert not (tmp_path / "export").exists()


def test_an_existing_out_is_refused_unless_force_which_replaces_only_a_previous_export(tmp_path):
    path = tmp_path / "handoff.json"
    path.write_text(json.dumps(good_document(seed=1)))
    out = tmp_path / "export"
    assert run_export(path, "--out", out).returncode == 0
    first = (out / "policy.onnx").read_bytes()

    path.write_text(json.dumps(good_document(seed=2)))
    done = run_export(path, "--out", out)
    assert done.returncode == 2 and "exists; pass --force" in done.stderr
    assert (out / "policy.onnx").read_bytes() == first

    assert run_export(path, "--out", out, "--force").returncode == 0
    assert (out / "policy.onnx").read_bytes() != first
    assert leftovers(tmp_path) == []

    (out / "notes.txt").write_text("mine")
    done = run_export(path, "--out", out, "--force")
    assert done.returncode == 2 and "holds files that are not part of an export (notes.txt)" in done.stderr
    assert (out / "notes.txt").read_text() == "mine"
    (tmp_path / "file").write_text("x")
    done = run_export(path, "--out", tmp_path / "file", "--force")
    assert done.returncode == 2 and "is not a directory" in done.stderr
    done = run_export(path, "--out", tmp_path / "missing" / "export")
    assert done.returncode == 2 and f"the directory {tmp_path / 'missing'} does not exist" in done.stderr
    done = run_export(path, "--out", tmp_path / "file" / "export")
    assert done.returncode == 2 and f"the directory {tmp_path / 'file'} does not exist" in done.stderr


def test_a_failure_while_writing_leaves_no_directory_and_no_temporary_files(tmp_path, monkeypatch):
    handoff = parse_handoff(good_document(), "test")
    written = []

    def fail_on_second(path, data):
        assert not (tmp_path / "export").exists(), "files are written elsewhere, then renamed into place"
        if written:
            raise OSError(28, "No space left on device")
        written.append(path)
        Path(path).write_bytes(data)

    monkeypatch.setattr(export_module, "_write_durably", fail_on_second)
    with pytest.raises(OSError):
        export_module.export(handoff, tmp_path / "export")
    assert written and os.listdir(tmp_path) == []


def test_an_interrupt_while_replacing_keeps_the_previous_export(tmp_path, monkeypatch):
    handoff = parse_handoff(good_document(), "test")
    out = tmp_path / "export"
    export_module.export(handoff, out)
    before = {name: (out / name).read_bytes() for name in os.listdir(out)}

    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "_sync_directory", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_module.export(parse_handoff(good_document(seed=9), "test"), out, force=True)
    assert {name: (out / name).read_bytes() for name in os.listdir(out)} == before
    assert leftovers(tmp_path) == []


def test_read_handoff_names_the_file(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"format": 1}))
    with pytest.raises(HandoffError, match=f"hand-off {path}: lacks actor"):
        read_handoff(str(path))
