"""Golden values for the Soft Actor-Critic agent, computed independently of the Java code.

SAC is written here once more from the paper (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and
Applications", arXiv 1812.05905: Algorithm 1, Eq. 5, 7/9, 18 and Appendix C Eq. 21) with plain PyTorch in
float64: nn.Linear networks, torch.distributions for the Gaussian and the tanh change of variables,
torch.optim.Adam for the three optimisers. Inputs are rounded to float32 first, so the Java side (float32)
starts from the same numbers. The results are written as a Java class, so the Java tests need no torch:

    .venv/bin/python bundles/agent-sac/src/test/python/sac_golden.py

from the repository root (scripts/setup-python makes .venv with torch CPU); it rewrites
bundles/agent-sac/src/test/java/org/symphonyrl/sac/SacGolden.java.
"""

import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Normal
from torch.distributions.transforms import TanhTransform

torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "java", "org", "symphonyrl", "sac",
                   "SacGolden.java")


# The Java engine's fused Adam update takes beta1 and beta2 as float32 (1 - beta2 = 0.00099998713 instead of 0.001,
# 1.3e-5 relative in v): the reference runs Adam with the same float32 betas, so that the comparison tests the rule.
BETAS = (float(torch.tensor(0.9, dtype=torch.float32)), float(torch.tensor(0.999, dtype=torch.float32)))


def f32(t):
    """Round to float32 and back, so Java and Python start from identical inputs."""
    return t.to(torch.float32).to(torch.float64)


# ---- the model, from the paper ------------------------------------------------------------------

class Policy(nn.Module):
    """S -> h -> h -> (mean, log std), ReLU; log std clamped."""

    def __init__(self, s, a, h, log_std_min, log_std_max):
        super().__init__()
        self.a = a
        self.l1, self.l2, self.l3 = nn.Linear(s, h), nn.Linear(h, h), nn.Linear(h, 2 * a)
        self.log_std_min, self.log_std_max = log_std_min, log_std_max

    def forward(self, s):
        out = self.l3(F.relu(self.l2(F.relu(self.l1(s)))))
        return out[:, :self.a], out[:, self.a:].clamp(self.log_std_min, self.log_std_max)


class QNetwork(nn.Module):
    """S+A -> h -> h -> 1, ReLU."""

    def __init__(self, s, a, h):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(s + a, h), nn.Linear(h, h), nn.Linear(h, 1)

    def forward(self, s, a):
        return self.l3(F.relu(self.l2(F.relu(self.l1(torch.cat([s, a], dim=1))))))


def squashed_sample(mean, log_std, eps, scale, bias):
    """a = scale*tanh(u) + bias, u = mean + std*eps; log pi(a|s) by the change of variables (Eq. 21, with the
    affine scale): log N(u) - sum log|d tanh/du| - sum log scale."""
    std = log_std.exp()
    u = mean + std * eps
    y = torch.tanh(u)
    log_prob = (Normal(mean, std).log_prob(u) - TanhTransform().log_abs_det_jacobian(u, y)
                - torch.log(scale)).sum(dim=1, keepdim=True)
    return y * scale + bias, log_prob


def mlp_params(prefix, net):
    return {prefix + "w1": net.l1.weight, prefix + "b1": net.l1.bias, prefix + "w2": net.l2.weight,
            prefix + "b2": net.l2.bias, prefix + "w3": net.l3.weight, prefix + "b3": net.l3.bias}


class Sac:
    """Algorithm 1 of the paper: per gradient step the Q functions, then the policy, then alpha, then the
    targets; alpha in the Q target and the policy loss is the value before this step's alpha update."""

    def __init__(self, s, a, h, low, high, cfg):
        self.cfg = cfg
        self.scale, self.bias = (high - low) / 2, (high + low) / 2
        self.policy = Policy(s, a, h, cfg["logStdMin"], cfg["logStdMax"])
        self.q1, self.q2 = QNetwork(s, a, h), QNetwork(s, a, h)
        self.t1, self.t2 = QNetwork(s, a, h), QNetwork(s, a, h)
        with torch.no_grad():
            for p in self.online():
                p.copy_(f32(p))
            # targets that already differ from the online networks, so Polyak is visible
            for t, o in zip(self.targets(), self.critics()):
                t.copy_(f32(o + 0.05 * torch.randn_like(o)))
        self.log_alpha = torch.tensor([math.log(cfg["initialAlpha"])], requires_grad=True)
        with torch.no_grad():
            self.log_alpha.copy_(f32(self.log_alpha))
        self.target_entropy = -cfg["targetEntropyScale"] * a
        self.pi_opt = torch.optim.Adam(self.policy.parameters(), lr=cfg["actorLearningRate"], betas=BETAS)
        self.q_opt = torch.optim.Adam(self.critics(), lr=cfg["criticLearningRate"], betas=BETAS)
        self.a_opt = torch.optim.Adam([self.log_alpha], lr=cfg["alphaLearningRate"], betas=BETAS)

    def critics(self):
        return list(self.q1.parameters()) + list(self.q2.parameters())

    def targets(self):
        return list(self.t1.parameters()) + list(self.t2.parameters())

    def online(self):
        return list(self.policy.parameters()) + self.critics()

    def named(self):
        named = {**mlp_params("policy.", self.policy), **mlp_params("q1.", self.q1), **mlp_params("q2.", self.q2),
                 **mlp_params("target.q1.", self.t1), **mlp_params("target.q2.", self.t2), "logAlpha": self.log_alpha}
        return named

    def moments(self):
        out = {}
        for name, p in self.named().items():
            if name.startswith("target."):
                continue
            opt = self.a_opt if name == "logAlpha" else self.pi_opt if name.startswith("policy.") else self.q_opt
            out["adam.m." + name] = opt.state[p]["exp_avg"]
            out["adam.v." + name] = opt.state[p]["exp_avg_sq"]
        return out

    def update(self, s, a, r, s2, d, eps2, eps):
        alpha = self.log_alpha.exp().detach()
        with torch.no_grad():  # Eq. 5's target with the target networks
            a2, logp2 = squashed_sample(*self.policy(s2), eps2, self.scale, self.bias)
            y = r + d * (torch.min(self.t1(s2, a2), self.t2(s2, a2)) - alpha * logp2)
        q1, q2 = self.q1(s, a), self.q2(s, a)
        q_loss = F.mse_loss(q1, y) + F.mse_loss(q2, y)
        self.q_opt.zero_grad()
        q_loss.backward()
        self.q_opt.step()

        pi, logp = squashed_sample(*self.policy(s), eps, self.scale, self.bias)  # Eq. 9, reparameterised
        actor_loss = (alpha * logp - torch.min(self.q1(s, pi), self.q2(s, pi))).mean()
        self.pi_opt.zero_grad()
        actor_loss.backward()
        self.pi_opt.step()

        alpha_loss = -(self.log_alpha * (logp.detach() + self.target_entropy)).mean()  # Eq. 18
        self.a_opt.zero_grad()
        alpha_loss.backward()
        self.a_opt.step()

        with torch.no_grad():
            tau = self.cfg["tau"]
            for t, o in zip(self.targets(), self.critics()):
                t.mul_(1 - tau).add_(tau * o)
        return {"criticLoss": q_loss.item(), "actorLoss": actor_loss.item(), "alphaLoss": alpha_loss.item(),
                "alpha": self.log_alpha.exp().item(), "entropy": -logp.mean().item(),
                "meanQ": ((q1 + q2) / 2).mean().item()}


# ---- fixtures -----------------------------------------------------------------------------------

S, A, H, B = 3, 2, 8, 4
LOW, HIGH = [-1.0, 0.5], [1.0, 3.5]
# every knob away from its default, so the test proves that each one is read
CONFIG = {"hidden": H, "actorLearningRate": 1e-3, "criticLearningRate": 2e-3, "alphaLearningRate": 5e-3,
          "gamma": 0.9, "tau": 0.02, "initialAlpha": 0.5, "targetEntropyScale": 1.5,
          "logStdMin": -0.25, "logStdMax": 0.2}


def update_fixture(updates=2):
    torch.manual_seed(5)
    low, high = torch.tensor(LOW), torch.tensor(HIGH)
    agent = Sac(S, A, H, low, high, CONFIG)
    fixture = {"initial": {n: t.detach().clone() for n, t in agent.named().items()}, "updates": []}
    for _ in range(updates):
        s, s2 = f32(torch.randn(B, S)), f32(torch.randn(B, S))
        a = f32(low + torch.rand(B, A) * (high - low))
        r = f32(torch.randn(B, 1))
        d = f32(torch.tensor([[0.9], [0.0], [0.9], [0.9]]))
        eps2, eps = f32(torch.randn(B, A)), f32(torch.randn(B, A))
        metrics = agent.update(s, a, r, s2, d, eps2, eps)
        after = {n: t.detach().clone() for n, t in {**agent.named(), **agent.moments()}.items()}
        fixture["updates"].append({"states": s, "actions": a, "rewards": r, "nextStates": s2, "discounts": d,
                                   "nextNoise": eps2, "noise": eps, "metrics": metrics, "after": after})
    return fixture


def log_prob_fixture():
    """The squashed Gaussian on its own, with |u| up to 12, where float32's 1 - tanh^2 u is 0."""
    torch.manual_seed(2)
    n = 6
    mean = f32(torch.cat([torch.randn(n - 2, A), torch.tensor([[11.0, -12.0], [-9.5, 9.0]])])).requires_grad_()
    log_std = f32(torch.rand(n, A) * 2 - 1.5).requires_grad_()
    eps = f32(torch.randn(n, A))
    scale, bias = (torch.tensor(HIGH) - torch.tensor(LOW)) / 2, (torch.tensor(HIGH) + torch.tensor(LOW)) / 2
    action, log_prob = squashed_sample(mean, log_std, eps, scale, bias)
    upstream_a, upstream_p = f32(torch.randn(n, A)), f32(torch.randn(n, 1))
    dmean, dlogstd = torch.autograd.grad((action * upstream_a).sum() + (log_prob * upstream_p).sum(), (mean, log_std))
    return {"mean": mean, "logStd": log_std, "noise": eps, "upstreamAction": upstream_a, "upstreamLogProb": upstream_p,
            "action": action, "logProb": log_prob, "dMean": dmean, "dLogStd": dlogstd}


def alpha_fixture():
    """Three steps of J(alpha) with Adam on log alpha, log pi fixed per step."""
    torch.manual_seed(3)
    log_alpha = torch.tensor([math.log(0.7)])
    log_alpha = f32(log_alpha).requires_grad_()
    opt = torch.optim.Adam([log_alpha], lr=0.01, betas=BETAS)
    target = -2.0
    out = {"initial": log_alpha.detach().clone(), "target": target, "lr": 0.01, "steps": []}
    for _ in range(3):
        log_prob = f32(torch.randn(5, 1) * 2)
        loss = -(log_alpha * (log_prob + target)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out["steps"].append({"logProb": log_prob, "loss": loss.item(), "logAlpha": log_alpha.detach().clone()})
    return out


def adam_fixture():
    """torch.optim.Adam on one tensor for three steps: the bias correction at t = 1, 2, 3."""
    torch.manual_seed(4)
    theta = f32(torch.randn(7)).requires_grad_()
    opt = torch.optim.Adam([theta], lr=0.05, betas=BETAS)
    out = {"initial": theta.detach().clone(), "lr": 0.05, "steps": []}
    for _ in range(3):
        g = f32(torch.randn(7) * torch.tensor([1, 1e-3, 10, 1, 1e-6, 1, 0.1]))
        theta.grad = g.clone()
        opt.step()
        st = opt.state[theta]
        out["steps"].append({"grad": g, "theta": theta.detach().clone(), "m": st["exp_avg"].clone(),
                             "v": st["exp_avg_sq"].clone()})
    return out


# ---- Java output --------------------------------------------------------------------------------

def values(t):
    t = torch.as_tensor(t).detach().reshape(-1)
    return '"' + " ".join(repr(float(v)) for v in t.tolist()) + '"'


def entries(d, indent):
    pad = " " * indent
    return (",\n").join(pad + "Map.entry(\"%s\", %s)" % (k, values(v)) for k, v in d.items())


def java(update, log_prob, alpha, adam):
    L = []
    w = L.append
    w("package org.symphonyrl.sac;")
    w("")
    w("import java.util.Arrays;")
    w("import java.util.Map;")
    w("")
    w("/**")
    w(" * Golden values written by src/test/python/sac_golden.py (plain PyTorch, float64, from the paper's equations);")
    w(" * do not edit, run the script. Each string holds a tensor's values in row-major order.")
    w(" */")
    w("final class SacGolden {")
    w("")
    w("    static final int S = %d;" % S)
    w("    static final int A = %d;" % A)
    w("    static final int B = %d;" % B)
    w("    static final float[] ACTION_LOW = {%s};" % ", ".join("%rf" % v for v in LOW))
    w("    static final float[] ACTION_HIGH = {%s};" % ", ".join("%rf" % v for v in HIGH))
    w("    /** The agent's configuration for the update fixture. */")
    w("    static final Map<String, Object> CONFIG = Map.of(%s);" % ", ".join(
        '"%s", %s' % (k, repr(v)) for k, v in CONFIG.items()))
    w("")
    w("    /** One update's inputs and what follows from them. */")
    w("    record Update(String states, String actions, String rewards, String nextStates, String discounts,")
    w("                  String nextNoise, String noise, Map<String, Double> metrics, Map<String, String> after) {")
    w("    }")
    w("")
    w("    /** Every tensor of the agent before the first update (targets differ from the online critics). */")
    w("    static final Map<String, String> INITIAL = Map.ofEntries(")
    w(entries(update["initial"], 12) + ");")
    w("")
    w("    static final Update[] UPDATES = {")
    ups = []
    for u in update["updates"]:
        m = ", ".join('"%s", %r' % (k, v) for k, v in u["metrics"].items())
        ups.append("        new Update(%s, %s, %s, %s, %s, %s, %s,\n            Map.of(%s),\n            Map.ofEntries(\n%s))" % (
            values(u["states"]), values(u["actions"]), values(u["rewards"]), values(u["nextStates"]),
            values(u["discounts"]), values(u["nextNoise"]), values(u["noise"]), m, entries(u["after"], 16)))
    w(",\n".join(ups))
    w("    };")
    w("")
    w("    /** The squashed Gaussian alone: inputs, action, log π and the gradients of sum(action·upstreamAction)")
    w("     *  + sum(logProb·upstreamLogProb). Rows of A values; the last two rows have |u| around 10. */")
    w("    static final Map<String, String> LOG_PROB = Map.ofEntries(")
    w(entries(log_prob, 12) + ");")
    w("")
    w("    /** J(α) with Adam (lr %r) on log α, target entropy %r: inputs and log α after each step. */" % (
        alpha["lr"], alpha["target"]))
    w("    static final double ALPHA_LR = %r;" % alpha["lr"])
    w("    static final double ALPHA_TARGET = %r;" % alpha["target"])
    w("    static final String ALPHA_INITIAL = %s;" % values(alpha["initial"]))
    w("    static final String[] ALPHA_LOG_PROBS = {%s};" % ", ".join(values(s["logProb"]) for s in alpha["steps"]))
    w("    static final double[] ALPHA_LOSSES = {%s};" % ", ".join(repr(s["loss"]) for s in alpha["steps"]))
    w("    static final String[] ALPHA_AFTER = {%s};" % ", ".join(values(s["logAlpha"]) for s in alpha["steps"]))
    w("")
    w("    /** torch.optim.Adam (lr %r) on one tensor: the gradients and θ, m, v after steps 1, 2, 3. */" % adam["lr"])
    w("    static final double ADAM_LR = %r;" % adam["lr"])
    w("    static final String ADAM_INITIAL = %s;" % values(adam["initial"]))
    for key in ("grad", "theta", "m", "v"):
        w("    static final String[] ADAM_%s = {%s};" % (key.upper(), ", ".join(values(s[key]) for s in adam["steps"])))
    w("")
    w("    private SacGolden() {")
    w("    }")
    w("")
    w("    /** The values of one golden string. */")
    w("    static double[] values(String values) {")
    w("        return Arrays.stream(values.split(\" \")).mapToDouble(Double::parseDouble).toArray();")
    w("    }")
    w("")
    w("    /** The values of one golden string as float32 inputs (they were rounded to float32 by the script). */")
    w("    static float[] floats(String values) {")
    w("        double[] d = values(values);")
    w("        float[] f = new float[d.length];")
    w("        for (int i = 0; i < d.length; i++) {")
    w("            f[i] = (float) d[i];")
    w("        }")
    w("        return f;")
    w("    }")
    w("}")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    text = java(update_fixture(), log_prob_fixture(), alpha_fixture(), adam_fixture())
    with open(OUT, "w") as f:
        f.write(text)
    print("written", os.path.normpath(OUT))
