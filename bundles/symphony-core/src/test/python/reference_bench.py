"""Reference timing for bench/agent: golden.py's plain PyTorch Symphony (one nn.Module per critic,
as the authors write it) at Humanoid size with S3, float32, on this machine, in the same run as
the Java benchmark. Prints ms per update and per action (wall and process CPU time).

    /work/main/.venv/bin/python bundles/symphony-core/src/test/python/reference_bench.py [updates] [acts]
"""
import math
import os
import sys
import time

import torch

import golden

torch.set_default_dtype(torch.float32)


def main():
    updates = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    acts = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    S, A, h, q, k, B = 348, 17, 512, 128, 3, 384
    torch.manual_seed(0)
    agent = golden.Symphony(S, A, h, q, k, torch.ones(A), golden.hyper(False))
    agent.weights = agent.weights.float()
    batches = [(torch.randn(B, S), torch.rand(B, A) * 2 - 1, torch.randn(B, 1), torch.randn(B, S),
                torch.full((B, 1), 0.99)) for _ in range(4)]

    def noise(n):
        return golden.limited_noise(torch.randn(n, A), 1 / math.e, math.e)

    for i in range(10):
        agent.update(batches[i % 4], noise(B), None)
    rounds = []
    for _ in range(10):
        t, c = time.perf_counter(), time.process_time()
        for i in range(updates // 10):
            agent.update(batches[i % 4], noise(B), None)
        n = updates // 10
        rounds.append(((time.perf_counter() - t) / n * 1e3, (time.process_time() - c) / n * 1e3))
    obs = torch.randn(16, 1, S)
    with torch.no_grad():
        for i in range(500):
            agent.actor(obs[i % 16], noise(1))
        act_rounds = []
        for _ in range(10):
            t = time.perf_counter()
            for i in range(acts // 10):
                agent.actor(obs[i % 16], noise(1))
            act_rounds.append((time.perf_counter() - t) / (acts // 10) * 1e3)
    rounds.sort()
    act_rounds.sort()
    print(f"reference PyTorch {torch.__version__}, threads {torch.get_num_threads()}, load average "
          f"{' '.join(open('/proc/loadavg').read().split()[:3])}")
    cpu = sorted(r[1] for r in rounds)[5]
    print(f"reference update: fastest round {rounds[0][0]:.2f} ms, median {rounds[5][0]:.2f} ms, "
          f"process CPU {cpu:.2f} ms (rounds {[round(r[0], 1) for r in rounds]})")
    print(f"reference act:    fastest round {act_rounds[0]:.3f} ms, median {act_rounds[5]:.3f} ms")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
