"""Golden values for the Symphony core, computed independently of the Java code.

Each formula of docs/algorithm.md (and the paper) is written here once more, with torch autograd in
float64, on tiny sizes; the results go to JSON fixtures that the Java tests compare against.
Inputs are rounded to float32 first, so the Java side (float32) starts from the same numbers.

Regenerate (torch CPU is enough):

    /work/main/.venv/bin/pip install --retries 0 torch
    /work/main/.venv/bin/python bundles/symphony-core/src/test/python/golden.py

from the repository root; it rewrites bundles/symphony-core/src/test/resources/golden/*.json.
The fixtures are committed, so the Java tests never need torch.
"""

import copy
import json
import math
import os

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "golden")
PHI = (1 + math.sqrt(5)) / 2


def f32(t):
    """Round to float32 and back, so Java and Python start from identical inputs."""
    return t.to(torch.float32).to(torch.float64)


def js(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(obj, f, indent=1)


# ---- the formulas -------------------------------------------------------------------------------

def resine(x, s):
    sigma = torch.sigmoid(s)
    f = sigma * torch.sin(x / sigma)
    return f * torch.sigmoid(1.5 * f / sigma)


def rehse(x):
    return x * torch.tanh(x / 2)


def rehae(x):
    return x.abs() * torch.tanh(x / 2)


def big_omega(x):
    return torch.log((1 + x) / (1 - x))


def small_omega(x):
    return x * torch.log(x)


def swaddling(sigma, beta):
    return (big_omega(sigma ** (1 / beta.detach())) + beta * small_omega(sigma) + big_omega(beta ** 2)).mean()


def target_weights(q, amplitude=0.0, width=0.0):
    i = torch.arange(q, dtype=torch.float64) / q
    w = torch.tanh((math.pi * (1 - i)) ** math.e)
    if amplitude > 0:
        w = w - amplitude * torch.exp(-((i - 0.0) / width) ** 2)  # centre at the smallest sorted value
    return w / w.sum()


def sorted_target(values, weights):
    return (values.sort(dim=-1).values * weights).sum(dim=-1, keepdim=True)


def gradient_dropout(x, mask):
    return mask * x + (1 - mask) * x.detach()


def limited_noise(n, std, clamp):
    return std * n.clamp(-clamp, clamp)


class ReSine(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.s = nn.Parameter(torch.empty(h).uniform_(-1 / math.sqrt(h), 1 / math.sqrt(h)))

    def forward(self, x):
        return resine(x, self.s)


class FeedForward(nn.Module):
    def __init__(self, f_in, h, f_out):
        super().__init__()
        self.l1 = nn.Linear(f_in, h)
        self.norm = nn.LayerNorm(h)
        self.l2 = nn.Linear(h, h)
        self.resine = ReSine(h)
        self.l3 = nn.Linear(h, f_out)

    def forward(self, x, mask=None):
        y = self.l3(self.resine(self.l2(self.norm(self.l1(x)))))
        return y if mask is None else gradient_dropout(y, mask)


class Actor(nn.Module):
    def __init__(self, s, a, h, a_max):
        super().__init__()
        self.a = a
        self.ffw = FeedForward(s, h, 3 * a)
        self.a_max = a_max

    def forward(self, state, noise, active=1.0, noisy=1.0, mask=None):
        x = torch.tanh(self.ffw(state, mask) / 2)
        mu, sc, be = x[:, :self.a], x[:, self.a:2 * self.a].abs(), x[:, 2 * self.a:].abs()
        action = self.a_max * torch.tanh(active * sc * mu + noisy * noise)
        return action, sc.clamp(1e-3, 1 - 1e-3), be.clamp(1e-3, 1 - 1e-3)


class Critics(nn.Module):
    def __init__(self, s, a, h, q, k):
        super().__init__()
        self.nets = nn.ModuleList([FeedForward(s + a, h, q) for _ in range(k)])

    def forward(self, state, action, masks=None):
        x = torch.cat([state, action], dim=-1)
        return torch.cat([net(x, None if masks is None else masks[i]) for i, net in enumerate(self.nets)], dim=-1)


def ffw_params(f):
    """One FeedForward's parameters under the Java names, in PyTorch's shapes."""
    return {"w1": f.l1.weight, "b1": f.l1.bias, "gamma": f.norm.weight, "beta": f.norm.bias,
            "w2": f.l2.weight, "b2": f.l2.bias, "s": f.resine.s, "w3": f.l3.weight, "b3": f.l3.bias}


def networks(agent):
    """Every network under its Java prefix: actor, critic0..k-1, target0..k-1."""
    out = [("actor", agent.actor.ffw)]
    out += [("critic%d" % i, n) for i, n in enumerate(agent.critics.nets)]
    out += [("target%d" % i, n) for i, n in enumerate(agent.target.nets)]
    return out


class Symphony:
    """One Actor-Critic object with the hand-written AdamW (no bias correction) and Polyak averaging."""

    def __init__(self, s, a, h, q, k, a_max, hp):
        self.actor = Actor(s, a, h, a_max)
        self.critics = Critics(s, a, h, q, k)
        # LayerNorm's affine parameters get random values too, so their gradients are tested
        with torch.no_grad():
            for m in list(self.actor.modules()) + list(self.critics.modules()):
                if isinstance(m, nn.LayerNorm):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
            for p in list(self.actor.parameters()) + list(self.critics.parameters()):
                p.copy_(f32(p))
        self.target = copy.deepcopy(self.critics)
        with torch.no_grad():  # a target that already differs from the online critics
            for p in self.target.parameters():
                p.add_(f32(0.05 * torch.randn_like(p)))
                p.copy_(f32(p))
        for p in self.target.parameters():
            p.requires_grad_(False)
        self.hp = hp
        self.ema = 0.0
        self.weights = target_weights(q * k, hp["dimpleAmplitude"], hp["dimpleWidth"])
        self.m = {id(p): torch.zeros_like(p) for p in self.online()}
        self.v = {id(p): torch.zeros_like(p) for p in self.online()}

    def online(self):
        return list(self.actor.parameters()) + list(self.critics.parameters())

    def params(self):
        return {prefix + "." + name: t for prefix, f in networks(self) for name, t in ffw_params(f).items()}

    def moments(self):
        """m and v of every online parameter, under the Java names."""
        out = {}
        for prefix, f in networks(self):
            if prefix.startswith("target"):
                continue
            for name, p in ffw_params(f).items():
                out["adam.m." + prefix + "." + name] = self.m[id(p)]
                out["adam.v." + prefix + "." + name] = self.v[id(p)]
        return out

    def update(self, batch, noise, masks):
        hp = self.hp
        s, a, r, s_next, disc = batch
        next_action, sigma, beta = self.actor(s_next, noise, mask=masks and masks["actor"])
        q_target_all = self.target(s_next, next_action, masks and masks["target"])
        q_t = sorted_target(q_target_all, self.weights)
        q_t_star = q_t.detach()
        q_ema = hp["emaAlpha"] * self.ema + (1 - hp["emaAlpha"]) * q_t_star
        y = r + disc * q_t_star
        q_pred = self.critics(s, a, masks and masks["critic"])
        advantage = (q_t - q_ema) / q_ema.abs()
        loss = -rehae(advantage).mean() + rehse(q_pred - y).mean() + swaddling(sigma, beta)
        params = self.online()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                m, v = self.m[id(p)], self.v[id(p)]
                m.mul_(hp["adamBeta1"]).add_((1 - hp["adamBeta1"]) * g)
                v.mul_(hp["adamBeta2"]).add_((1 - hp["adamBeta2"]) * g * g)
                p.sub_(hp["learningRate"] * (m / (v.sqrt() + hp["adamEpsilon"]) + hp["weightDecay"] * p))
            for t, o in zip(self.target.parameters(), self.critics.parameters()):
                t.copy_((1 - hp["tau"]) * t + hp["tau"] * o)
        self.ema = float(q_ema.mean())
        return {"loss": float(loss.detach()), "meanSigma": float(sigma.mean()), "meanBeta": float(beta.mean()),
                "advantage": float(advantage.detach().mean()), "qAverage": self.ema}


# ---- fixtures -----------------------------------------------------------------------------------

def fixture_formulas():
    torch.manual_seed(1)
    x = f32(torch.randn(4, 5)).requires_grad_()  # the scale of pre-activations after LayerNorm
    s = f32(torch.randn(5)).requires_grad_()
    upstream = f32(torch.randn(4, 5))
    y = resine(x, s)
    gx, gs = torch.autograd.grad((y * upstream).sum(), (x, s))
    out = {"resine": {"x": js(x), "s": js(s), "upstream": js(upstream), "y": js(y), "dx": js(gx), "ds": js(gs)}}

    x = f32(torch.linspace(-6, 6, 13)).requires_grad_()
    for name, fn in (("rehse", rehse), ("rehae", rehae)):
        y = fn(x)
        (g,) = torch.autograd.grad(y.sum(), x)
        out[name] = {"x": js(x), "y": js(y), "dx": js(g)}

    sigma = f32(torch.rand(3, 4) * 0.9 + 0.05).requires_grad_()
    beta = f32(torch.rand(3, 4) * 0.9 + 0.05).requires_grad_()
    value = swaddling(sigma, beta)
    gs, gb = torch.autograd.grad(value, (sigma, beta))
    out["swaddling"] = {"sigma": js(sigma), "beta": js(beta), "value": float(value.detach()), "dsigma": js(gs), "dbeta": js(gb)}

    out["targetWeights"] = {"q": 12, "plain": js(target_weights(12)), "dimpled": js(target_weights(12, 0.02, 0.02)),
                            "q384": js(target_weights(384)), "q384dimpled": js(target_weights(384, 0.02, 0.02))}

    values = f32(torch.randn(3, 6)).requires_grad_()
    w = f32(target_weights(6))
    upstream = f32(torch.randn(3, 1))
    t = sorted_target(values, w)
    (g,) = torch.autograd.grad((t * upstream).sum(), values)
    out["sortedTarget"] = {"values": js(values), "weights": js(w), "upstream": js(upstream), "target": js(t),
                           "dvalues": js(g)}

    theta, grad = f32(torch.randn(7)), f32(torch.randn(7))
    m, v = f32(torch.randn(7) * 0.1), f32(torch.rand(7) * 0.01)
    lr, b1, b2, eps, lam = 1e-4, 1 / PHI, 0.995, 1e-8, 0.01
    m2 = b1 * m + (1 - b1) * grad
    v2 = b2 * v + (1 - b2) * grad * grad
    theta2 = theta - lr * (m2 / (v2.sqrt() + eps) + lam * theta)
    out["adamw"] = {"theta": js(theta), "grad": js(grad), "m": js(m), "v": js(v), "lr": lr, "beta1": b1, "beta2": b2,
                    "epsilon": eps, "weightDecay": lam, "thetaNext": js(theta2), "mNext": js(m2), "vNext": js(v2)}
    write("formulas", out)


def hyper(dimple):
    return {"learningRate": 1e-4, "adamBeta1": 1 / PHI, "adamBeta2": 0.995, "adamEpsilon": 1e-8,
            "weightDecay": 0.01, "tau": 0.005, "emaAlpha": 1 / PHI, "noiseStd": 1 / math.e, "noiseClamp": math.e,
            "dimpleAmplitude": 0.02 if dimple else 0.0, "dimpleWidth": 0.02 if dimple else 0.0}


def fixture_update(name, seed, dropout, updates):
    """Consecutive full updates on tiny sizes with given batch, noise and dropout masks."""
    torch.manual_seed(seed)
    S, A, h, q, k, B = 3, 2, 8, 2, 3, 5
    a_max = torch.tensor([1.0, 2.0])
    hp = hyper(dropout)
    agent = Symphony(S, A, h, q, k, a_max, hp)
    fixture = {"sizes": {"S": S, "A": A, "h": h, "q": q, "critics": k, "B": B}, "actionMax": js(a_max),
               "hyperparameters": hp, "initial": {n: js(t) for n, t in agent.params().items()}, "updates": []}
    for _ in range(updates):
        s, s_next = f32(torch.randn(B, S)), f32(torch.randn(B, S))
        a = f32(torch.rand(B, A) * 2 - 1) * a_max
        r = f32(torch.randn(B, 1))
        disc = f32(torch.tensor([[0.99], [0.0], [0.99], [0.99], [0.0]]))
        n = f32(torch.randn(B, A) * 1.5)
        noise = limited_noise(n, hp["noiseStd"], hp["noiseClamp"])
        masks = None
        if dropout:
            masks = {"actor": f32((torch.rand(B, 3 * A) > 0.5).double()),
                     "target": [f32((torch.rand(B, q) > 0.5).double()) for _ in range(k)],
                     "critic": [f32((torch.rand(B, q) > 0.5).double()) for _ in range(k)]}
        stats = agent.update((s, a, r, s_next, disc), noise, masks)
        entry = {"states": js(s), "actions": js(a), "rewards": js(r), "nextStates": js(s_next), "discounts": js(disc),
                 "normal": js(n), "stats": stats,
                 "after": {nm: js(t) for nm, t in {**agent.params(), **agent.moments()}.items()}}
        if masks:
            entry["masks"] = {"actor": js(masks["actor"]), "target": js(torch.stack(masks["target"])),
                              "critic": js(torch.stack(masks["critic"]))}
        fixture["updates"].append(entry)
    write(name, fixture)


if __name__ == "__main__":
    fixture_formulas()
    fixture_update("update", 7, dropout=False, updates=2)
    fixture_update("update-dropout", 11, dropout=True, updates=1)
    print("fixtures written to", os.path.normpath(OUT))
