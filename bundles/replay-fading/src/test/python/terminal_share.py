"""Terminal share of a full Fading Replay Buffer under the rule of docs/algorithm.md §4, simulated
independently of the Java code: a list rotated as torch.roll does (collections.deque.rotate).

Run: python3 bundles/replay-fading/src/test/python/terminal_share.py
Prints, for independent terminal inflows at rate p, the mean share over the last quarter of 100 passes
(N = 500 and 1000, five seeds each) against (1 + p)/2, and checks the hard bound of TerminalShareTest
(terminals <= K_g + floor(N/2) + 1) after every add. The figures are quoted in TerminalShareTest.
"""
import collections
import math
import random


def run(n, p, passes, seed):
    rng = random.Random(seed)
    buf = collections.deque(rng.random() < p for _ in range(n))  # index 0 = oldest, n-1 = written next
    g = math.ceil(n / 2) - 1
    recent = collections.deque(maxlen=g)
    held = sum(buf)
    total, count, worst = 0.0, 0, -n
    adds = passes * n
    for t in range(adds):
        x = rng.random() < p
        recent.append(x)
        held += x - buf[-1]
        buf[-1] = x
        buf.rotate(-2 if buf[0] else -1)
        if t >= n - 1:
            worst = max(worst, held - (sum(recent) + n // 2 + 1))
        if t >= adds * 3 // 4 and t % 50 == 0:
            total += held / n
            count += 1
    return total / count, worst


for n in (500, 1000):
    for p in (0.13, 0.5, 0.9):
        results = [run(n, p, 100, seed) for seed in range(1, 6)]
        shares = [round(s, 4) for s, _ in results]
        print("N %d p %.2f (1+p)/2 %.3f: mean share %s; bound exceeded by at most %d"
              % (n, p, (1 + p) / 2, shares, max(w for _, w in results)))
