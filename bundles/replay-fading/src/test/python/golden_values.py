"""Golden values for the replay-buffer tests, computed independently of the Java code (numpy).

Run: /work/main/.venv/bin/python bundles/replay-fading/src/test/python/golden_values.py
The printed numbers are pasted into FadingCurveTest and Float16Test.
"""
import math

import numpy as np


def chi2_quantile(p, k):
    """chi-square quantile by bisection on the regularised lower incomplete gamma (series)."""
    def cdf(x):
        s, z = k / 2, x / 2
        term = total = 1.0 / s
        n = 0
        while term > 1e-17 * total:
            n += 1
            term *= z / (s + n)
            total += term
        return total * math.exp(-z + s * math.log(z) - math.lgamma(s))
    lo, hi = 0.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) < p else (lo, mid)
    return lo


n = 10
x = np.arange(n) / n
print("plain, N=10:", [float(v) for v in np.tanh((np.pi * x) ** np.e)])
n = 50
x = np.arange(n) / n
plain = np.tanh((np.pi * x) ** np.e)
dimpled = plain - 0.02 * np.exp(-((x - 1.0) / 0.02) ** 2)
print("S~2, N=50, positions 1, 10, 25, 48, 49:", [float(dimpled[i]) for i in (1, 10, 25, 48, 49)])

for v in [0.1, 1 / 3, 65504, 65519, 65520, 1e-8, 6e-8, 2.0 ** -25, 3 * 2.0 ** -26, -2.5e-5, 1234.5678,
          2.0 ** -14, 3.14159265]:
    with np.errstate(over="ignore"):
        h = np.float32(v).astype(np.float16)
    print("float16 of float32(%r): 0x%04x" % (v, int(h.view(np.uint16))))

for k in (38, 48):
    print("chi2.ppf(0.999, %d) = %.3f" % (k, chi2_quantile(0.999, k)))
