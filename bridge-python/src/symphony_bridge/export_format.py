"""Names shared by the exporter and the loader of a policy export (see docs/deploy.md, "The export").

Kept free of heavy imports: the loader on a robot's computer needs only numpy and onnxruntime.
"""

#: Version of the hand-off file the Java command writes and of the policy.json the exporter writes.
FORMAT = 1

POLICY_JSON = "policy.json"
POLICY_ONNX = "policy.onnx"
ACTOR_SAFETENSORS = "actor.safetensors"
#: The only files of an export; ``--force`` replaces a directory holding nothing else.
EXPORT_FILES = (POLICY_JSON, POLICY_ONNX, ACTOR_SAFETENSORS)

#: The ONNX graph's input, float32 [batch, S], and output, float32 [batch, A].
INPUT = "observation"
OUTPUT = "action"

#: The actor's parameters in the order of a FeedForward (bundles/symphony-core FeedForward.NAMES), with
#: PyTorch's shapes (weights are (out, in)); the safetensors file prefixes them with ``actor.``.
TENSORS = ("w1", "b1", "gamma", "beta", "w2", "b2", "s", "w3", "b3")
SAFETENSORS_PREFIX = "actor."
ACTION_MAX_TENSOR = "actor.action_max"

#: Keys the exporter writes into policy.json next to the hand-off's policy section.
RESERVED_POLICY_KEYS = ("format", "actor", "onnx", "files", "exported_by")


def tensor_shapes(observation_size: int, action_size: int, hidden: int) -> dict[str, tuple[int, ...]]:
    """Every actor tensor's shape: FeedForward(S → h → h → 3A)."""
    s, h, out = observation_size, hidden, 3 * action_size
    return {"w1": (h, s), "b1": (h,), "gamma": (h,), "beta": (h,), "w2": (h, h), "b2": (h,), "s": (h,),
            "w3": (out, h), "b3": (out,)}
