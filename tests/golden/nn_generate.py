#!/usr/bin/env python3
"""Golden values for webgrad's nn / optim tests, computed independently with NumPy (and SciPy's erf).

Run:  python3 tests/golden/nn_generate.py  (writes tests/golden/nn.json)

Everything is float64. The equations follow PyTorch's documentation of each layer, loss and
optimizer (torch is not needed). Inputs are drawn from a fixed NumPy generator and written to the
JSON next to the expected outputs, so the TypeScript tests load both.
"""
import json
import os

import numpy as np
from scipy.special import erf

rng = np.random.default_rng(20261101)


def r(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).round(6)


def tolist(a):
    return np.asarray(a, dtype=np.float64).tolist()


out = {}

# ---------------------------------------------------------------- optimizers on a fixed quadratic
# loss(p) = 0.5 * sum(A * p^2) + sum(B * p)  =>  grad = A * p + B
A = np.array([1.0, 2.0, 0.5, 3.0, 0.1])
B = np.array([0.3, -0.2, 0.1, 0.0, -1.0])
P0 = np.array([1.0, -1.5, 2.0, 0.5, -0.3])
STEPS = 6


def grad(p):
    return A * p + B


def sgd(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    p = P0.copy()
    buf = None
    traj = []
    for _ in range(STEPS):
        g = grad(p)
        if maximize:
            g = -g
        if weight_decay:
            g = g + weight_decay * p
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
        traj.append(tolist(p))
    return traj


def adam(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False, maximize=False):
    b1, b2 = betas
    p = P0.copy()
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    vmax = np.zeros_like(p)
    traj = []
    for t in range(1, STEPS + 1):
        g = grad(p)
        if maximize:
            g = -g
        if decoupled:
            p = p * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        bc1 = 1 - b1**t
        bc2 = 1 - b2**t
        if amsgrad:
            vmax = np.maximum(vmax, v)
            denom = np.sqrt(vmax) / np.sqrt(bc2) + eps
        else:
            denom = np.sqrt(v) / np.sqrt(bc2) + eps
        p = p - (lr / bc1) * m / denom
        traj.append(tolist(p))
    return traj


out["optim"] = {
    "A": tolist(A),
    "B": tolist(B),
    "p0": tolist(P0),
    "cases": [
        {"name": "sgd", "kind": "sgd", "opts": {"lr": 0.1}, "traj": sgd(0.1)},
        {"name": "sgd momentum", "kind": "sgd", "opts": {"lr": 0.1, "momentum": 0.9}, "traj": sgd(0.1, momentum=0.9)},
        {"name": "sgd momentum dampening wd", "kind": "sgd", "opts": {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weightDecay": 0.01},
         "traj": sgd(0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)},
        {"name": "sgd nesterov wd", "kind": "sgd", "opts": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.1},
         "traj": sgd(0.05, momentum=0.9, nesterov=True, weight_decay=0.1)},
        {"name": "sgd maximize", "kind": "sgd", "opts": {"lr": 0.01, "maximize": True}, "traj": sgd(0.01, maximize=True)},
        {"name": "adam", "kind": "adam", "opts": {"lr": 0.1}, "traj": adam(0.1)},
        {"name": "adam betas eps wd", "kind": "adam", "opts": {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1},
         "traj": adam(0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)},
        {"name": "adam amsgrad", "kind": "adam", "opts": {"lr": 0.1, "amsgrad": True}, "traj": adam(0.1, amsgrad=True)},
        {"name": "adamw", "kind": "adamw", "opts": {"lr": 0.1, "weightDecay": 0.1}, "traj": adam(0.1, weight_decay=0.1, decoupled=True)},
        {"name": "adamw default wd", "kind": "adamw", "opts": {"lr": 0.01}, "traj": adam(0.01, weight_decay=1e-2, decoupled=True)},
    ],
}

# ---------------------------------------------------------------- losses


def log_softmax(z, axis):
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


N, C = 4, 5
logits = r(N, C, scale=2.0)
idx = rng.integers(0, C, N)
probs = np.exp(log_softmax(r(N, C), 1))
lp = log_softmax(logits, 1)
nll = -lp[np.arange(N), idx]
ls = 0.1
smooth = (1 - ls) * nll + ls * (-lp.mean(1))
soft = -(probs * lp).sum(1)
soft_ls = -(((1 - ls) * probs + ls / C) * lp).sum(1)
# ignore index: the second target ignored
idx_ign = idx.copy()
idx_ign[1] = -100
keep = idx_ign != -100
ign_mean = nll[keep].mean()
# class axis last on [2, 3, C] with targets [2, 3]
logits3 = r(2, 3, C)
idx3 = rng.integers(0, C, (2, 3))
lp3 = log_softmax(logits3, -1)
ce3 = -np.take_along_axis(lp3, idx3[..., None], -1)[..., 0]
# the gradient of the mean cross entropy (indices) with respect to the logits
sm = np.exp(lp)
onehot = np.eye(C)[idx]
dlogits = (sm - onehot) / N

pb = 1 / (1 + np.exp(-r(3, 4)))
yb = (rng.uniform(size=(3, 4)) > 0.5).astype(np.float64)
z = r(3, 4, scale=3.0)
z[0, 0] = 0.0
z[0, 1] = 40.0
z[0, 2] = -40.0
pw = 2.5
softplus = lambda t: np.logaddexp(0, t)  # noqa: E731
bcel = (1 - yb) * z + softplus(-z)
bcel_pw = (1 - yb) * z + (1 + (pw - 1) * yb) * softplus(-z)
pred = r(3, 2)
tgt = r(3, 2)

out["losses"] = {
    "logits": tolist(logits), "idx": idx.tolist(), "probs": tolist(probs),
    "ce_mean": float(nll.mean()), "ce_sum": float(nll.sum()), "ce_none": tolist(nll),
    "ce_ls_mean": float(smooth.mean()), "ce_ls_none": tolist(smooth),
    "ce_soft_mean": float(soft.mean()), "ce_soft_ls_mean": float(soft_ls.mean()),
    "idx_ignore": idx_ign.tolist(), "ce_ignore_mean": float(ign_mean),
    "logits3": tolist(logits3), "idx3": idx3.tolist(), "ce3_none": tolist(ce3),
    "ce_grad": tolist(dlogits),
    "bce_p": tolist(pb), "bce_y": tolist(yb), "bce_mean": float((-(yb * np.log(pb) + (1 - yb) * np.log(1 - pb))).mean()),
    "bcel_z": tolist(z), "bcel_mean": float(bcel.mean()), "bcel_pw": pw, "bcel_pw_sum": float(bcel_pw.sum()),
    # d/dz mean bceWithLogits = (sigmoid(z) - y) / n
    "bcel_grad": tolist((1 / (1 + np.exp(-z)) - yb) / z.size),
    "mse_pred": tolist(pred), "mse_tgt": tolist(tgt), "mse_mean": float(((pred - tgt) ** 2).mean()), "l1_sum": float(np.abs(pred - tgt).sum()),
}

# ---------------------------------------------------------------- layerNorm


def layer_norm(x, k, w=None, b=None, eps=1e-5):
    axes = tuple(range(x.ndim - k, x.ndim))
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mu) / np.sqrt(var + eps)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y


xl = r(3, 4, 6)
wl = r(6)
bl = r(6)
w2 = r(4, 6)
out["layerNorm"] = {
    "x": tolist(xl), "w": tolist(wl), "b": tolist(bl), "w2": tolist(w2),
    "y_last": tolist(layer_norm(xl, 1, wl, bl)),
    "y_two": tolist(layer_norm(xl, 2, w2, None, eps=1e-3)),
}

# ---------------------------------------------------------------- linear, attention, Transformer block


def linear(x, w, b):
    return x @ w.T + b


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def mha(x, p, heads, causal):
    Bn, T, E = x.shape
    d = E // heads

    def split(t):
        return t.reshape(Bn, T, heads, d).transpose(0, 2, 1, 3)

    q = split(linear(x, p["q.weight"], p["q.bias"]))
    k = split(linear(x, p["k.weight"], p["k.bias"]))
    v = split(linear(x, p["v.weight"], p["v.bias"]))
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
    if causal:
        mask = np.tril(np.ones((T, T), dtype=bool))
        s = np.where(mask, s, -np.inf)
    o = softmax(s) @ v
    o = o.transpose(0, 2, 1, 3).reshape(Bn, T, E)
    return linear(o, p["out.weight"], p["out.bias"])


E, H, T = 8, 2, 5
xa = r(2, T, E)
pa = {}
for n in ["q", "k", "v", "out"]:
    pa[f"{n}.weight"] = r(E, E, scale=0.4)
    pa[f"{n}.bias"] = r(E, scale=0.1)
out["attention"] = {
    "embedDim": E, "numHeads": H, "x": tolist(xa), "params": {k: tolist(v) for k, v in pa.items()},
    "y_causal": tolist(mha(xa, pa, H, True)), "y_full": tolist(mha(xa, pa, H, False)),
}


def gelu(t):
    return 0.5 * t * (1 + erf(t / np.sqrt(2)))


pt = {}
pt["ln1.weight"] = 1 + r(E, scale=0.1)
pt["ln1.bias"] = r(E, scale=0.1)
for k, v in pa.items():
    pt[f"attn.{k}"] = v
pt["ln2.weight"] = 1 + r(E, scale=0.1)
pt["ln2.bias"] = r(E, scale=0.1)
hidden = 4 * E
pt["mlp.0.weight"] = r(hidden, E, scale=0.3)
pt["mlp.0.bias"] = r(hidden, scale=0.1)
pt["mlp.2.weight"] = r(E, hidden, scale=0.3)
pt["mlp.2.bias"] = r(E, scale=0.1)
h = xa + mha(layer_norm(xa, 1, pt["ln1.weight"], pt["ln1.bias"]), pa, H, True)
yt = h + linear(gelu(linear(layer_norm(h, 1, pt["ln2.weight"], pt["ln2.bias"]), pt["mlp.0.weight"], pt["mlp.0.bias"])), pt["mlp.2.weight"], pt["mlp.2.bias"])
out["transformerBlock"] = {"dModel": E, "numHeads": H, "params": {k: tolist(v) for k, v in pt.items()}, "y": tolist(yt)}

# ---------------------------------------------------------------- conv2d (direct loops)


def conv2d(x, w, b, stride, padding, dilation):
    Nn, Cc, Hh, Ww = x.shape
    O, _, kh, kw = w.shape
    sh, sw = stride
    ph, pw_ = padding
    dh, dw = dilation
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw_, pw_)))
    Ho = (Hh + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    Wo = (Ww + 2 * pw_ - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((Nn, O, Ho, Wo))
    for n in range(Nn):
        for o in range(O):
            for i in range(Ho):
                for j in range(Wo):
                    s = b[o]
                    for c in range(Cc):
                        for a in range(kh):
                            for e in range(kw):
                                s += w[o, c, a, e] * xp[n, c, i * sh + a * dh, j * sw + e * dw]
                    y[n, o, i, j] = s
    return y


xc = r(2, 3, 7, 6)
wc = r(4, 3, 3, 2)
bc = r(4)
out["conv2d"] = {
    "x": tolist(xc), "w": tolist(wc), "b": tolist(bc),
    "stride": [2, 1], "padding": [1, 0], "dilation": [1, 2],
    "y": tolist(conv2d(xc, wc, bc, (2, 1), (1, 0), (1, 2))),
    "y_default": tolist(conv2d(xc, wc, bc, (1, 1), (0, 0), (1, 1))),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"wrote {path} ({os.path.getsize(path)} bytes)")
