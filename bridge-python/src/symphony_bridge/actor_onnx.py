"""The deterministic policy as an ONNX graph, exactly as ``symphony eval`` acts (docs/algorithm.md §2).

    y = FeedForward(observation):  Linear → LayerNorm(ε) → Linear → ReSine → Linear     (B, 3A)
    A | σ | β = tanh(y/2), split in three                                              (B, A) each
    action = a_max · tanh(|σ| · A)                                                      (no noise, active)

Opset 13 (ONNX 1.8, IR version 7): onnxruntime has run it since 1.6 (2020), so the file also runs where only an
older onnxruntime exists — NVIDIA's builds for JetPack 4 (Jetson Nano, TX2) stop at 1.11, and 32-bit Raspberry Pi
builds lag too. LayerNormalization became an ONNX operator only in opset 17 (onnxruntime ≥ 1.13), so the graph
spells it out as (x − mean) / sqrt(mean((x − mean)²) + ε) · γ + β, in the form onnxruntime recognises and fuses
back into its own LayerNormalization kernel when it loads the model (the same kernel, the same speed).
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import __version__
from .export_format import INPUT, OUTPUT, TENSORS
from .handoff import ActorWeights

OPSET = 13
IR_VERSION = 7


def build_model(actor: ActorWeights) -> onnx.ModelProto:
    a = actor.action_size
    constants = {
        "half": np.array(0.5, np.float32),  # tanh(x/2), as the Java actor multiplies by 1/2
        "gate": np.array(1.5, np.float32),  # ReSine's gate weight
        "two": np.array(2.0, np.float32),
        "epsilon": np.array(actor.layer_norm_epsilon, np.float32),
        "action_max": actor.action_max.reshape(1, a),
        "thirds": np.array([a, a, a], np.int64),
    }
    initializers = [numpy_helper.from_array(actor.tensors[name], name) for name in TENSORS]
    initializers += [numpy_helper.from_array(value, name) for name, value in constants.items()]
    nodes = _feed_forward() + _squash()
    graph = helper.make_graph(
        nodes, "symphony_actor",
        [helper.make_tensor_value_info(INPUT, TensorProto.FLOAT, ["batch", actor.observation_size])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", a])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
                              producer_name="symphony_bridge.export", producer_version=__version__,
                              doc_string="Symphony actor, deterministic policy: a_max * tanh(|sigma| * A) "
                                         "(docs/deploy.md)")
    onnx.checker.check_model(model, full_check=True)
    return model


def _node(op: str, inputs: list[str], output: str, **attributes) -> onnx.NodeProto:
    return helper.make_node(op, inputs, [output], name=output, **attributes)


def _feed_forward() -> list[onnx.NodeProto]:
    return [
        _node("Gemm", [INPUT, "w1", "b1"], "linear1", transB=1),
        # LayerNorm over the h units, the two-pass form PyTorch uses
        _node("ReduceMean", ["linear1"], "mean", axes=[-1]),
        _node("Sub", ["linear1", "mean"], "centred"),
        _node("Pow", ["centred", "two"], "squared"),
        _node("ReduceMean", ["squared"], "variance", axes=[-1]),
        _node("Add", ["variance", "epsilon"], "variance_epsilon"),
        _node("Sqrt", ["variance_epsilon"], "deviation"),
        _node("Div", ["centred", "deviation"], "normalised"),
        _node("Mul", ["normalised", "gamma"], "scaled"),
        _node("Add", ["scaled", "beta"], "layer_norm"),
        _node("Gemm", ["layer_norm", "w2", "b2"], "linear2", transB=1),
        # ReSine: σ = sigmoid(s), sine = sin(x/σ), F = σ · sine · sigmoid(1.5 · sine)
        _node("Sigmoid", ["s"], "resine_sigma"),
        _node("Div", ["linear2", "resine_sigma"], "resine_argument"),
        _node("Sin", ["resine_argument"], "sine"),
        _node("Mul", ["sine", "gate"], "gate_input"),
        _node("Sigmoid", ["gate_input"], "gate_value"),
        _node("Mul", ["sine", "gate_value"], "gated"),
        _node("Mul", ["gated", "resine_sigma"], "resine"),
        _node("Gemm", ["resine", "w3", "b3"], "linear3", transB=1),
    ]


def _squash() -> list[onnx.NodeProto]:
    return [
        _node("Mul", ["linear3", "half"], "half_output"),
        _node("Tanh", ["half_output"], "squashed"),
        helper.make_node("Split", ["squashed", "thirds"], ["strength", "scaling", "beta_out"], name="split", axis=1),
        _node("Abs", ["scaling"], "sigma"),
        _node("Mul", ["sigma", "strength"], "pre_squash"),
        _node("Tanh", ["pre_squash"], "unit_action"),
        _node("Mul", ["unit_action", "action_max"], OUTPUT),
    ]
