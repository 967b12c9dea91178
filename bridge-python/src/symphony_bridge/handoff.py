"""The hand-off file through which ``symphony export`` gives a checkpoint's actor to the exporter.

Format 1 (docs/deploy.md, "The hand-off file")::

    {"format": 1,
     "actor": {"observation_size": S, "action_size": A, "hidden": h, "layer_norm_epsilon": 1e-5,
               "action_max": [A numbers],
               "tensors": {"w1": {"shape": [h, S], "data": [h·S numbers]}, "b1": ..., "gamma", "beta",
                           "w2", "b2", "s", "w3", "b3"}},
     "policy": {...}}

Tensor data are float32 values written as decimals (Java's Float.toString); each is rounded to float32 exactly
as Java's Float.parseFloat would, so the exported weights are bit for bit the checkpoint's.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .export_format import FORMAT, RESERVED_POLICY_KEYS, TENSORS, tensor_shapes


class HandoffError(ValueError):
    """A hand-off the exporter refuses; the message names the file and the field."""


@dataclass(frozen=True)
class ActorWeights:
    """The actor of a checkpoint: FeedForward(S → h → h → 3A) plus the action scale a_max."""

    observation_size: int
    action_size: int
    hidden: int
    layer_norm_epsilon: float
    action_max: np.ndarray  # float32 (A,)
    tensors: dict[str, np.ndarray]  # float32, by the names of TENSORS, in PyTorch's shapes

    def description(self) -> dict:
        """The sizes, ε and a_max, as policy.json's "actor" section records them."""
        return {"observation_size": self.observation_size, "action_size": self.action_size, "hidden": self.hidden,
                "layer_norm_epsilon": self.layer_norm_epsilon, "action_max": [float(v) for v in self.action_max]}


@dataclass(frozen=True)
class Handoff:
    actor: ActorWeights
    policy: dict  # copied into policy.json as it is


class _JsonNumber(float):
    """A JSON number with a fraction or exponent: its float64 value, and its text for exact float32 rounding."""

    __slots__ = ("text",)

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.text = text
        return number


def read_handoff(path: str) -> Handoff:
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise HandoffError(f"cannot read the hand-off {path}: {e.strerror or e}") from None
    try:
        document = json.loads(raw, parse_float=_JsonNumber)
    except (ValueError, RecursionError) as e:
        raise HandoffError(f"hand-off {path} is not valid JSON: {e}") from None
    return parse_handoff(document, path)


def parse_handoff(document, where: str) -> Handoff:
    """Checks a parsed hand-off completely before anything is made from it."""
    fields = _Fields(where)
    fields.object(document, "the hand-off")
    version = fields.member(document, "format", int)
    if version != FORMAT:
        raise fields.error(f"format {version}; this exporter reads format {FORMAT} (use the symphony_bridge of "
                           f"the same release as the symphony command)")
    actor = _parse_actor(fields.member(document, "actor", dict), fields)
    policy = fields.member(document, "policy", dict)
    reserved = [key for key in RESERVED_POLICY_KEYS if key in policy]
    if reserved:
        raise fields.error(f"policy has the key(s) {', '.join(reserved)}, which the exporter writes itself")
    _check_space(policy, "observation_space", actor.observation_size, fields)
    _check_space(policy, "action_space", actor.action_size, fields)
    return Handoff(actor, policy)


def _parse_actor(actor: dict, fields: _Fields) -> ActorWeights:
    sizes = {name: fields.positive_int(actor, name, "actor")
             for name in ("observation_size", "action_size", "hidden")}
    epsilon = fields.member(actor, "layer_norm_epsilon", float, "actor")
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise fields.error(f"actor.layer_norm_epsilon must be a positive number, got {epsilon}")
    action_max = _float32_array(fields.member(actor, "action_max", list, "actor"), "actor.action_max", fields)
    if action_max.shape != (sizes["action_size"],) or not (action_max > 0).all():
        raise fields.error(f"actor.action_max must hold {sizes['action_size']} positive numbers (one per action), "
                           f"got {action_max.tolist()}")
    tensors = fields.member(actor, "tensors", dict, "actor")
    unknown = sorted(set(tensors) - set(TENSORS))
    if unknown:
        raise fields.error(f"actor.tensors has unknown tensor(s) {', '.join(unknown)}; expected {', '.join(TENSORS)}")
    shapes = tensor_shapes(sizes["observation_size"], sizes["action_size"], sizes["hidden"])
    arrays = {}
    for name in TENSORS:
        where = f"actor.tensors.{name}"
        tensor = fields.member(tensors, name, dict, "actor.tensors")
        shape = tuple(fields.member(tensor, "shape", list, where))
        if shape != shapes[name]:
            raise fields.error(f"{where} has shape {list(shape)}, expected {list(shapes[name])} "
                               f"(S {sizes['observation_size']}, A {sizes['action_size']}, h {sizes['hidden']})")
        data = _float32_array(fields.member(tensor, "data", list, where), f"{where}.data", fields)
        if data.size != math.prod(shape):
            raise fields.error(f"{where}.data has {data.size} values, its shape {list(shape)} needs "
                               f"{math.prod(shape)}")
        arrays[name] = data.reshape(shape)
    return ActorWeights(sizes["observation_size"], sizes["action_size"], sizes["hidden"], float(epsilon),
                        action_max, arrays)


def _check_space(policy: dict, key: str, size: int, fields: _Fields) -> None:
    """A space the policy section describes must have the actor's size (its bounds may be infinite)."""
    space = policy.get(key)
    if space is None:
        return
    fields.object(space, f"policy.{key}")
    if "shape" in space and space["shape"] != [size]:
        raise fields.error(f"policy.{key}.shape is {space['shape']}, the actor's is [{size}]")
    for bound in ("low", "high"):
        if bound in space and (not isinstance(space[bound], list) or len(space[bound]) != size):
            raise fields.error(f"policy.{key}.{bound} must list {size} numbers, like the actor's size")


def _float32_array(values: list, where: str, fields: _Fields) -> np.ndarray:
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise fields.error(f"{where}[{i}] is {json.dumps(v)[:40]}, not a number")
    array = float32_exact(values)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        i = int(bad[0])
        raise fields.error(f"{where}[{i}] is {values[i]}, not a finite float32 ({bad.size} such value(s)); "
                           f"the checkpoint's weights must be finite")
    return array


def float32_exact(values: list) -> np.ndarray:
    """The float32 nearest to each number (ties to even), as a direct decimal → float32 conversion gives it.

    Going through float64 rounds twice, which differs from rounding once only where the float64 lies exactly
    halfway between two float32 neighbours while the decimal does not: there the decimal's text decides.
    """
    wide = np.array(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):  # beyond float32's range: infinite, refused by the caller
        narrow = wide.astype(np.float32)
        toward = np.where(wide > narrow, np.float32(np.inf), np.float32(-np.inf)).astype(np.float32)
        other = np.nextafter(narrow, toward)
        halfway = np.isfinite(other) & (wide != narrow) & \
            ((narrow.astype(np.float64) + other.astype(np.float64)) / 2 == wide)
    for i in np.flatnonzero(halfway):
        text = getattr(values[i], "text", None)
        if text is None:
            continue  # an integer is exact in float64: the tie is real and ties-to-even is right
        exact, middle = Fraction(text), Fraction(float(wide[i]))
        if exact != middle and (exact > middle) == (other[i] > narrow[i]):
            narrow[i] = other[i]
    return narrow


class _Fields:
    """Field access with error messages that name the hand-off file and the field's path."""

    def __init__(self, where: str):
        self.where = where

    def error(self, message: str) -> HandoffError:
        return HandoffError(f"hand-off {self.where}: {message}")

    def object(self, value, what: str) -> None:
        if not isinstance(value, dict):
            raise self.error(f"{what} must be a JSON object")

    def member(self, parent: dict, name: str, kind: type, where: str = ""):
        path = f"{where}.{name}" if where else name
        if name not in parent:
            raise self.error(f"lacks {path}")
        value = parent[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            expected = {dict: "an object", list: "an array", float: "a number", int: "a whole number"}[kind]
            raise self.error(f"{path} must be {expected}, got {json.dumps(value)[:40]}")
        return value

    def positive_int(self, parent: dict, name: str, where: str) -> int:
        value = self.member(parent, name, int, where)
        if value < 1:
            raise self.error(f"{where}.{name} must be at least 1, got {value}")
        return value
