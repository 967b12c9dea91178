"""Export time, file sizes and onnxruntime's actions per second for a Humanoid-size S3 actor (S 348, A 17, h 512).

    .venv/bin/python bridge-python/tests/bench_policy.py [SECONDS_PER_REPEAT] [REPEATS]

The weights are synthetic (actor_reference.py): time and size do not depend on their values. Prints one line per
figure; docs/deploy.md ("Figures") quotes a run.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime

sys.path.insert(0, str(Path(__file__).resolve().parent))
from actor_reference import HUMANOID, observations, write_handoff  # noqa: E402
from symphony_bridge.export import export  # noqa: E402
from symphony_bridge.handoff import read_handoff  # noqa: E402
from symphony_bridge.policy import Policy  # noqa: E402


def actions_per_second(act, observation, seconds: float) -> tuple[float, float]:
    """Actions per wall-clock second and per CPU second of this process (on a busy machine the second is
    the steadier figure: one intra-op thread computes on the calling thread)."""
    for _ in range(200):  # warm-up
        act(observation)
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            act(observation)
        count += 100
    return count / (time.perf_counter() - start), count / (time.process_time() - cpu)


def main(seconds: float = 3.0, repeats: int = 5) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-policy-"))
    handoff = work / "handoff.json"
    write_handoff(handoff, HUMANOID, 512, seed=1)
    print(f"hand-off: {handoff.stat().st_size:,} bytes of JSON")

    command, in_process, in_process_cpu = [], [], []
    for i in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-m", "symphony_bridge.export", str(handoff), "--out",
                        str(work / f"cli-{i}")], check=True, capture_output=True)
        command.append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        export(read_handoff(str(handoff)), work / f"lib-{i}")
        in_process.append(time.perf_counter() - start)
        in_process_cpu.append(time.process_time() - cpu)
    print(f"export command (python -I -m symphony_bridge.export, interpreter start included): "
          f"median {statistics.median(command):.2f} s, best {min(command):.2f} s")
    print(f"export in process (read the hand-off, write the export): median {statistics.median(in_process):.2f} s, "
          f"best {min(in_process):.2f} s; CPU best {min(in_process_cpu):.2f} s")
    for name in ("policy.onnx", "actor.safetensors", "policy.json"):
        print(f"{name}: {(work / 'lib-0' / name).stat().st_size:,} bytes")

    policy = Policy.load(work / "lib-0")  # one intra-op thread, the default
    session = policy._session
    observation = observations(HUMANOID, 1, 2)
    raw = lambda o: session.run(["action"], {"observation": o})  # noqa: E731
    rates = {"Policy.act (shape and finiteness checks included)": [], "onnxruntime session.run alone": []}
    for _ in range(repeats):
        rates["Policy.act (shape and finiteness checks included)"].append(
            actions_per_second(policy.act, observation[0], seconds))
        rates["onnxruntime session.run alone"].append(actions_per_second(raw, observation, seconds))
    print(f"onnxruntime {onnxruntime.__version__}, 1 intra-op thread, batch 1, {repeats} × {seconds} s, "
          f"load average {os.getloadavg()[0]:.1f}:")
    for name, values in rates.items():
        wall, cpu = [v[0] for v in values], [v[1] for v in values]
        print(f"  {name}: best {max(wall):,.0f}/s ({1e6 / max(wall):.1f} µs), median {statistics.median(wall):,.0f}/s; "
              f"per CPU second best {max(cpu):,.0f} ({1e6 / max(cpu):.1f} µs), median {statistics.median(cpu):,.0f}")


if __name__ == "__main__":
    main(*(float(a) if i == 0 else int(a) for i, a in enumerate(sys.argv[1:])))
