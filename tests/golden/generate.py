#!/usr/bin/env python3
"""Golden values for webgrad's ops, computed independently with NumPy and SciPy.

Writes tests/golden/ops.json, checked by tests/unit/ops/golden.test.ts. Each case names a webgrad
function (`fn`), its tensor inputs (logical values; `layout` asks the test to build a
non-contiguous view holding those values), keyword arguments (`kw`), and the expected output.

Non-finite floats are written as the strings "nan", "inf", "-inf" (JSON has no literals for them).
Run: python3 tests/golden/generate.py
"""
import json
import math
import os

import numpy as np
from scipy import special

rng = np.random.default_rng(20261)
CASES = []


def enc(a):
    a = np.asarray(a)
    if a.dtype == np.bool_:
        return [bool(v) for v in a.ravel()]
    if np.issubdtype(a.dtype, np.integer):
        return [int(v) for v in a.ravel()]
    digits = 9 if a.dtype == np.float32 else 17
    out = []
    for v in a.ravel():
        v = float(v)
        if math.isnan(v):
            out.append("nan")
        elif math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(float(f"{v:.{digits}g}"))
    return out


DT = {np.float32: "float32", np.float64: "float64", np.int32: "int32", np.bool_: "bool"}


def dtname(a):
    for k, v in DT.items():
        if a.dtype == k:
            return v
    raise ValueError(a.dtype)


def inp(a, layout=None, expand_from=None):
    a = np.asarray(a)
    d = {"shape": list(a.shape), "dtype": dtname(a), "data": enc(a)}
    if layout:
        d["layout"] = layout
    if expand_from is not None:
        # the data is of shape expand_from; the test expands it to `shape`
        small = np.asarray(expand_from)
        d = {"shape": list(a.shape), "dtype": dtname(a), "data": enc(small), "base": list(small.shape), "layout": "expand"}
    return d


def case(cid, fn, inputs, out, kw=None, dtype=None, tol=None):
    c = {"id": cid, "fn": fn, "inputs": inputs, "kw": kw or {}}
    if isinstance(out, (list, tuple)):
        c["outs"] = [{"shape": list(np.asarray(o).shape), "dtype": dtname(np.asarray(o)), "data": enc(o)} for o in out]
    else:
        o = np.asarray(out)
        if dtype is not None:
            o = o.astype(dtype)
        c["out"] = {"shape": list(o.shape), "dtype": dtname(o), "data": enc(o)}
    if tol is not None:
        c["tol"] = tol
    CASES.append(c)


def r(shape, lo=-2.0, hi=2.0, dtype=np.float32):
    return np.round(rng.uniform(lo, hi, size=shape), 3).astype(dtype)


def ri(shape, lo, hi):
    return rng.integers(lo, hi, size=shape).astype(np.int32)


f32, f64, i32, b8 = np.float32, np.float64, np.int32, np.bool_

# ---------------------------------------------------------------- unary
erf = special.erf
sigmoid = lambda x: special.expit(x)
UNARY = {
    "neg": (lambda x: -x, (-3, 3)),
    "abs": (np.abs, (-3, 3)),
    "exp": (np.exp, (-3, 3)),
    "log": (np.log, (0.05, 5)),
    "log1p": (np.log1p, (-0.9, 5)),
    "sqrt": (np.sqrt, (0, 5)),
    "rsqrt": (lambda x: 1 / np.sqrt(x), (0.05, 5)),
    "sin": (np.sin, (-4, 4)),
    "cos": (np.cos, (-4, 4)),
    "tanh": (np.tanh, (-4, 4)),
    "sigmoid": (sigmoid, (-8, 8)),
    "relu": (lambda x: np.maximum(x, 0), (-3, 3)),
    "gelu": (lambda x: 0.5 * x * (1 + erf(x / np.sqrt(2))), (-4, 4)),
    "silu": (lambda x: x * sigmoid(x), (-6, 6)),
    "square": (np.square, (-3, 3)),
    "reciprocal": (lambda x: 1 / x, (0.1, 4)),
    "sign": (np.sign, (-3, 3)),
    "floor": (np.floor, (-3, 3)),
    "ceil": (np.ceil, (-3, 3)),
    "round": (np.round, (-3, 3)),
    "erf": (erf, (-3, 3)),
}
for name, (f, (lo, hi)) in UNARY.items():
    x = r([2, 3], lo, hi)
    case(f"{name}/f32", name, [inp(x)], f(x.astype(f64)).astype(f32))
    x64 = np.round(rng.uniform(lo, hi, size=[5]), 6)
    case(f"{name}/f64", name, [inp(x64)], f(x64))
    xt = r([3, 2], lo, hi)
    case(f"{name}/transposed", name, [inp(xt, "T")], f(xt.astype(f64)).astype(f32))
    case(f"{name}/empty", name, [inp(np.zeros([0, 3], f32))], np.zeros([0, 3], f32))
    s = np.array(np.round(rng.uniform(lo, hi), 3), dtype=f32)
    case(f"{name}/0d", name, [inp(s)], np.asarray(f(s.astype(f64))).astype(f32))

xg = r([7], -4, 4)
case("gelu/tanh", "gelu", [inp(xg)], 0.5 * xg * (1 + np.tanh(np.sqrt(2 / np.pi) * (xg.astype(f64) + 0.044715 * xg.astype(f64) ** 3))), kw={"approximate": "tanh"}, dtype=f32)
# round half to even; floor/ceil of negatives; NaN and inf through unary ops
half = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997], f32)
case("round/half-even", "round", [inp(half)], np.round(half))
special_vals = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], f64)
for name in ["neg", "abs", "exp", "tanh", "sigmoid", "relu", "sign", "floor", "sqrt", "square"]:
    with np.errstate(all="ignore"):
        case(f"{name}/nonfinite", name, [inp(special_vals)], UNARY[name][0](special_vals))
with np.errstate(all="ignore"):
    case("log/edges", "log", [inp(np.array([0.0, -1.0, np.inf, 1.0], f64))], np.log(np.array([0.0, -1.0, np.inf, 1.0])))
    case("sigmoid/extreme", "sigmoid", [inp(np.array([-800.0, -40.0, 40.0, 800.0], f64))], sigmoid(np.array([-800.0, -40.0, 40.0, 800.0])))
# integer and bool inputs
xi = ri([2, 3], -5, 5)
case("neg/int32", "neg", [inp(xi)], -xi)
case("abs/int32", "abs", [inp(xi)], np.abs(xi))
case("square/int32", "square", [inp(xi)], np.square(xi))
case("sign/int32", "sign", [inp(xi)], np.sign(xi))
case("relu/int32", "relu", [inp(xi)], np.maximum(xi, 0).astype(i32))
case("exp/int32", "exp", [inp(xi)], np.exp(xi.astype(f64)), dtype=f32)
case("floor/int32", "floor", [inp(xi)], xi)
xb = np.array([True, False, True])
case("logicalNot/bool", "logicalNot", [inp(xb)], ~xb)
case("neg/bool", "neg", [inp(xb)], -(xb.astype(i32)))

# ---------------------------------------------------------------- binary
BIN = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "pow": np.power,
    "maximum": np.maximum, "minimum": np.minimum,
    "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
}
for name, f in BIN.items():
    a, b = r([2, 3]), r([2, 3])
    if name == "pow":
        a = r([2, 3], 0.1, 3)
    if name == "div":
        b = r([2, 3], 0.5, 2) * np.sign(r([2, 3]) + 0.01)
    case(f"{name}/same", name, [inp(a), inp(b)], f(a, b))
    a2, b2 = r([4, 1, 3], 0.1, 2), r([2, 1], 0.5, 2)
    case(f"{name}/broadcast", name, [inp(a2), inp(b2)], f(a2, b2))
    a3, b3 = r([3, 2], 0.2, 2), r([2, 3], 0.2, 2)
    case(f"{name}/noncontig", name, [inp(a3, "step"), inp(b3.T.copy(), "T")], f(a3, b3.T))
    b4 = r([3], 0.5, 2)
    case(f"{name}/expanded", name, [inp(np.broadcast_to(b4, [2, 3]), expand_from=b4), inp(a3.T.copy(), "flip")], f(np.broadcast_to(b4, [2, 3]), a3.T))
    s = np.array(1.5, f32)
    x0 = r([2], 0.5, 2)
    case(f"{name}/0d", name, [inp(x0), inp(s)], f(x0, s))
    case(f"{name}/empty", name, [inp(np.zeros([0, 3], f32)), inp(r([1, 3], 0.5, 2))], f(np.zeros([0, 3], f32), np.ones([1, 3], f32)))
    a6, b6 = r([3], 0.5, 2, f64), r([3], 0.5, 2, f64)
    case(f"{name}/f64", name, [inp(a6), inp(b6)], f(a6, b6))
    ia, ib = ri([5], -4, 5), ri([5], 1, 4)
    if name == "pow":
        case(f"{name}/int32", name, [inp(np.abs(ia)), inp(ib)], np.power(np.abs(ia).astype(f64), ib), dtype=f32)
    elif name == "div":
        case(f"{name}/int32", name, [inp(ia), inp(ib)], ia / ib, dtype=f32)
    else:
        case(f"{name}/int32", name, [inp(ia), inp(ib)], f(ia, ib))
    # a JS number on the right: weakly typed, so float32 stays float32
    case(f"{name}/scalar-arg", name, [inp(a)], f(a, np.float32(2.0)), kw={"scalar": 2.0})

with np.errstate(all="ignore"):
    nf = np.array([np.nan, np.inf, -np.inf, 1.0, 0.0, np.nan], f64)
    nf2 = np.array([1.0, np.inf, np.inf, np.nan, 0.0, np.nan], f64)
    for name in ["add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "ge"]:
        case(f"{name}/nonfinite", name, [inp(nf), inp(nf2)], BIN[name](nf, nf2))
    case("pow/edges", "pow", [inp(np.array([0.0, 0.0, -8.0, 2.0, -2.0], f64)), inp(np.array([0.0, -1.0, 1 / 3, 0.5, 2.0], f64))], np.power(np.array([0.0, 0.0, -8.0, 2.0, -2.0]), np.array([0.0, -1.0, 1 / 3, 0.5, 2.0])))
    case("div/by-zero", "div", [inp(np.array([1.0, -1.0, 0.0], f64)), inp(np.array([0.0, 0.0, 0.0], f64))], np.array([1.0, -1.0, 0.0]) / 0.0)
ba, bb = np.array([True, True, False, False]), np.array([True, False, True, False])
for name, f in [("logicalAnd", np.logical_and), ("logicalOr", np.logical_or), ("logicalXor", np.logical_xor)]:
    case(f"{name}/bool", name, [inp(ba), inp(bb)], f(ba, bb))
    case(f"{name}/broadcast", name, [inp(ba.reshape(4, 1)), inp(bb)], f(ba.reshape(4, 1), bb))
case("add/bool", "add", [inp(ba), inp(bb)], ba.astype(i32) + bb.astype(i32))
case("maximum/bool", "maximum", [inp(ba), inp(bb)], np.maximum(ba, bb))
ia3, fa3 = ri([3], -3, 3), r([3])
case("add/promote-int-float", "add", [inp(ia3), inp(fa3)], ia3.astype(f32) + fa3)
case("add/int-plus-float-scalar", "add", [inp(ia3)], ia3 + np.float32(0.5), kw={"scalar": 0.5}, dtype=f32)

c, a, b = rng.uniform(size=[2, 3]) > 0.5, r([2, 3]), r([3])
case("where/broadcast", "where", [inp(c), inp(a), inp(b)], np.where(c, a, b))
case("where/cond-bcast", "where", [inp(c[:, :1].copy()), inp(a, "T"), inp(np.array(0, f32))], np.where(c[:, :1], a, 0).astype(f32))
wi, wj = ri([2, 3], -5, 5), ri([1, 3], -5, 5)
case("where/int32", "where", [inp(c), inp(wi), inp(wj)], np.where(c, wi, wj))
case("where/empty", "where", [inp(np.zeros([0, 3], b8)), inp(np.zeros([0, 3], f32)), inp(b)], np.zeros([0, 3], f32))

xc = np.array([-2.7, -0.5, 0.0, 0.5, 2.7, 3.0], f32)
case("cast/f32-int32", "cast", [inp(xc)], np.trunc(xc).astype(i32), kw={"dtype": "int32"})
case("cast/f32-bool", "cast", [inp(xc)], xc != 0, kw={"dtype": "bool"})
case("cast/bool-f32", "cast", [inp(ba)], ba.astype(f32), kw={"dtype": "float32"})
ic = ri([4], -9, 9)
case("cast/int32-f64", "cast", [inp(ic, "flip")], ic.astype(f64), kw={"dtype": "float64"})

# ---------------------------------------------------------------- reductions
x = r([2, 3, 4])
xr = r([3, 4], 0.5, 1.5)
RED = {
    "sum": lambda a, axis, kd: np.sum(a, axis=axis, keepdims=kd),
    "mean": lambda a, axis, kd: np.mean(a, axis=axis, keepdims=kd),
    "max": lambda a, axis, kd: np.max(a, axis=axis, keepdims=kd),
    "min": lambda a, axis, kd: np.min(a, axis=axis, keepdims=kd),
    "prod": lambda a, axis, kd: np.prod(a, axis=axis, keepdims=kd),
    "var": lambda a, axis, kd: np.var(a, axis=axis, keepdims=kd, ddof=1),
    "std": lambda a, axis, kd: np.std(a, axis=axis, keepdims=kd, ddof=1),
    "logsumexp": lambda a, axis, kd: special.logsumexp(a, axis=axis, keepdims=kd),
}
for name, f in RED.items():
    src = xr if name == "prod" else x
    x64 = src.astype(f64)
    for axis, kd, tag in [(None, False, "all"), (1, False, "axis1"), (-1, True, "neg-keepdims"), ([0, 2] if src.ndim == 3 else [0, 1], False, "two-axes")]:
        case(f"{name}/{tag}", name, [inp(src)], f(x64, tuple(axis) if isinstance(axis, list) else axis, kd).astype(f32), kw={"axis": axis, "keepdims": kd})
    case(f"{name}/transposed", name, [inp(np.swapaxes(src, -1, -2).copy(), "T")], f(np.swapaxes(x64, -1, -2), 0, False).astype(f32), kw={"axis": 0})
    s = np.array(1.25, f32)
    if name not in ("var", "std"):
        case(f"{name}/0d", name, [inp(s)], f(s.astype(f64), None, False).astype(f32), kw={})
        case(f"{name}/0d-axis0", name, [inp(s)], f(s.astype(f64), None, False).astype(f32), kw={"axis": 0})
    x6 = r([5], 0.5, 1.5, f64)
    case(f"{name}/f64", name, [inp(x6)], f(x6, 0, False), kw={"axis": 0})
# empty reductions: sum → 0, prod → 1, mean → NaN (max/min raise: see errors.test.ts)
e = np.zeros([0, 3], f32)
case("sum/empty-axis", "sum", [inp(e)], np.sum(e, axis=0), kw={"axis": 0})
case("sum/empty-other-axis", "sum", [inp(e)], np.sum(e, axis=1), kw={"axis": 1})
case("prod/empty-axis", "prod", [inp(e)], np.prod(e, axis=0), kw={"axis": 0})
with np.errstate(all="ignore"):
    case("mean/empty-axis", "mean", [inp(e)], np.full([3], np.nan, f32), kw={"axis": 0})
case("max/empty-other-axis", "max", [inp(e)], np.zeros([0], f32), kw={"axis": 1})
si = ri([3, 4], -9, 9)
case("sum/int32", "sum", [inp(si)], np.sum(si, axis=1).astype(i32), kw={"axis": 1})
case("max/int32", "max", [inp(si, "T")], np.max(si, axis=0), kw={"axis": 0})
case("sum/bool", "sum", [inp(ba)], np.sum(ba).astype(i32), kw={})
case("mean/int32", "mean", [inp(si)], np.mean(si.astype(f64), axis=0), kw={"axis": 0}, dtype=f32)
case("max/nan", "max", [inp(np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]], f64))], np.max(np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]]), axis=1), kw={"axis": 1})
case("sum/inf", "sum", [inp(np.array([np.inf, 1.0, -np.inf, 2.0], f64).reshape(2, 2))], np.sum(np.array([np.inf, 1.0, -np.inf, 2.0]).reshape(2, 2), axis=1), kw={"axis": 1})
big = np.array([1000.0, 1000.0, -np.inf], f64)
case("logsumexp/large", "logsumexp", [inp(big)], special.logsumexp(big), kw={})
case("logsumexp/all-neg-inf", "logsumexp", [inp(np.array([-np.inf, -np.inf], f64))], np.array(-np.inf), kw={})
xv = r([4, 5], -2, 2, f64)
case("var/correction0", "var", [inp(xv)], np.var(xv, axis=1), kw={"axis": 1, "correction": 0})
case("std/correction0", "std", [inp(xv)], np.std(xv, axis=0), kw={"axis": 0, "correction": 0})
for name, f in [("argmax", np.argmax), ("argmin", np.argmin)]:
    xa = r([3, 4])
    case(f"{name}/axis1", name, [inp(xa)], f(xa, axis=1).astype(i32), kw={"axis": 1})
    case(f"{name}/axis0-keepdims", name, [inp(xa)], np.expand_dims(f(xa, axis=0), 0).astype(i32), kw={"axis": 0, "keepdims": True})
    case(f"{name}/flat", name, [inp(xa, "T")], np.array(f(xa), i32), kw={})
    case(f"{name}/neg-axis-step", name, [inp(xa, "step")], f(xa, axis=-1).astype(i32), kw={"axis": -1})
    ties = np.array([[1, 3, 3, 0], [2, 2, 1, 1]], f32)
    case(f"{name}/ties-first", name, [inp(ties)], f(ties, axis=1).astype(i32), kw={"axis": 1})
    nanv = np.array([1.0, np.nan, 5.0, np.nan], f64)
    case(f"{name}/nan", name, [inp(nanv)], np.array(f(nanv), i32), kw={"axis": 0})
    case(f"{name}/int32", name, [inp(si)], f(si, axis=0).astype(i32), kw={"axis": 0})
for axis in [0, 1, -1]:
    xs = r([3, 4])
    case(f"cumsum/axis{axis}", "cumsum", [inp(xs, "T" if axis == 1 else None)], np.cumsum(xs.astype(f64), axis=axis).astype(f32), kw={"axis": axis})
case("cumsum/int32", "cumsum", [inp(si)], np.cumsum(si, axis=1).astype(i32), kw={"axis": 1})
case("cumsum/bool", "cumsum", [inp(ba)], np.cumsum(ba).astype(i32), kw={"axis": 0})
case("cumsum/empty", "cumsum", [inp(np.zeros([2, 0], f32))], np.zeros([2, 0], f32), kw={"axis": 1})
case("cumsum/0d", "cumsum", [inp(np.array(2.5, f32))], np.array(2.5, f32), kw={"axis": 0})

# ---------------------------------------------------------------- matmul
for tag, sa, sb in [("2d", [3, 4], [4, 2]), ("batch", [2, 3, 4], [2, 4, 5]), ("bcast", [2, 1, 3, 4], [3, 4, 2]),
                    ("vec-mat", [4], [4, 3]), ("mat-vec", [3, 4], [4]), ("vec-vec", [4], [4]), ("batch-vec", [2, 3, 4], [4]),
                    ("vec-batch", [3], [2, 3, 4]), ("k0", [2, 0], [0, 3]), ("m0", [0, 4], [4, 3]), ("1x1", [1, 1], [1, 1])]:
    a, b = r(sa), r(sb)
    case(f"matmul/{tag}", "matmul", [inp(a), inp(b)], np.matmul(a.astype(f64), b.astype(f64)).astype(f32))
a, b = r([4, 3]), r([2, 4])
case("matmul/transposed-views", "matmul", [inp(a.T.copy(), "T"), inp(b.T.copy(), "T")], (a.T.astype(f64) @ b.T.astype(f64)).astype(f32))
bm = r([3, 2])
case("matmul/expanded", "matmul", [inp(np.broadcast_to(a[:1], [4, 3]), expand_from=a[:1].copy()), inp(bm, "flip")], (np.broadcast_to(a[:1], [4, 3]).astype(f64) @ bm.astype(f64)).astype(f32))
am, bmi = ri([2, 3], -4, 4), ri([3, 2], -4, 4)
case("matmul/int32", "matmul", [inp(am), inp(bmi)], am @ bmi)
a64, b64 = r([3, 5], -1, 1, f64), r([5, 2], -1, 1, f64)
case("matmul/f64", "matmul", [inp(a64), inp(b64)], a64 @ b64)

# ---------------------------------------------------------------- movement
x = r([2, 3, 4])
case("reshape/basic", "reshape", [inp(x)], x.reshape(4, 6), kw={"shape": [4, 6]})
case("reshape/infer", "reshape", [inp(x)], x.reshape(-1, 4), kw={"shape": [-1, 4]})
case("reshape/noncontig", "reshape", [inp(np.swapaxes(x, 1, 2).copy(), "T")], np.swapaxes(x, 1, 2).reshape(2, 12), kw={"shape": [2, 12]})
case("reshape/to-0d", "reshape", [inp(np.array([7.5], f32))], np.array(7.5, f32), kw={"shape": []})
case("reshape/empty", "reshape", [inp(np.zeros([0, 4], f32))], np.zeros([2, 0, 3], f32), kw={"shape": [2, 0, 3]})
case("permute/basic", "permute", [inp(x)], np.transpose(x, [2, 0, 1]), kw={"axes": [2, 0, 1]})
case("permute/negative", "permute", [inp(x, "step")], np.transpose(x, [1, 2, 0]), kw={"axes": [-2, -1, 0]})
case("transpose/basic", "transpose", [inp(x)], np.swapaxes(x, 0, 2), kw={"dim0": 0, "dim1": 2})
xe = r([3, 1])
case("expand/basic", "expand", [inp(xe)], np.broadcast_to(xe, [2, 3, 4]), kw={"shape": [2, 3, 4]})
case("expand/minus1", "expand", [inp(xe)], np.broadcast_to(xe, [3, 5]), kw={"shape": [-1, 5]})
xs = r([5, 6])
for tag, specs, npi in [("basic", [[1, 4], [0, 6, 2]], (slice(1, 4), slice(0, 6, 2))),
                        ("negative-step", [[None, None, -1], [4, 0, -2]], (slice(None, None, -1), slice(4, 0, -2))),
                        ("negative-index", [-1, [-3, None]], (-1, slice(-3, None))),
                        ("out-of-range", [[2, 100], [-100, 2]], (slice(2, 100), slice(-100, 2))),
                        ("empty", [[3, 1], None], (slice(3, 1), slice(None))),
                        ("index", [2], (2,))]:
    case(f"slice/{tag}", "slice", [inp(xs)], xs[npi], kw={"specs": specs})
case("slice/of-transposed", "slice", [inp(xs.T.copy(), "T")], xs.T[1:5:3, ::-1], kw={"specs": [[1, 5, 3], [None, None, -1]]})
xp = r([2, 3])
case("pad/basic", "pad", [inp(xp)], np.pad(xp, [(1, 2), (0, 1)]), kw={"pads": [[1, 2], [0, 1]]})
case("pad/last-dim-value", "pad", [inp(xp, "T")], np.pad(xp, [(0, 0), (2, 1)], constant_values=-1.5), kw={"pads": [[2, 1]], "value": -1.5})
case("pad/empty", "pad", [inp(np.zeros([0, 2], f32))], np.pad(np.zeros([0, 2], f32), [(1, 1), (0, 0)]), kw={"pads": [[1, 1], [0, 0]]})
pi = ri([3], 1, 9)
case("pad/int32", "pad", [inp(pi)], np.pad(pi, [(1, 1)], constant_values=-7), kw={"pads": [[1, 1]], "value": -7})
ca, cb, cc = r([2, 3]), r([2, 1]), r([2, 0])
case("concat/axis1", "concat", [inp(ca), inp(cb, "step"), inp(cc)], np.concatenate([ca, cb, cc], axis=1), kw={"axis": 1})
case("concat/axis-neg2", "concat", [inp(ca), inp(ca[:1].copy(), "step")], np.concatenate([ca, ca[:1]], axis=0), kw={"axis": -2})
cf = r([2])
case("concat/promote", "concat", [inp(pi), inp(cf)], np.concatenate([pi.astype(f32), cf]), kw={"axis": 0})
case("stack/axis0", "stack", [inp(ca), inp(ca * 2, "T")], np.stack([ca, ca * 2], axis=0), kw={"axis": 0})
case("stack/axis-neg1", "stack", [inp(ca), inp(ca + 1)], np.stack([ca, ca + 1], axis=-1), kw={"axis": -1})
case("stack/0d", "stack", [inp(np.array(1.0, f32)), inp(np.array(2.0, f32))], np.stack([np.float32(1.0), np.float32(2.0)]), kw={"axis": 0})
xsp = r([7, 2])
case("split/size", "split", [inp(xsp)], np.split(xsp, [3, 6], axis=0), kw={"size": 3, "axis": 0})
case("split/sizes", "split", [inp(xsp, "T")], np.split(xsp, [1, 1], axis=0), kw={"size": [1, 0, 6], "axis": 0})
case("flip/axis0", "flip", [inp(x)], np.flip(x, 0), kw={"axes": [0]})
case("flip/many", "flip", [inp(x, "T")], np.flip(x, (0, -1)), kw={"axes": [0, -1]})
case("flip/all", "flip", [inp(x)], np.flip(x), kw={})
xq = r([1, 3, 1])
case("squeeze/all", "squeeze", [inp(xq)], np.squeeze(xq), kw={})
case("squeeze/axis", "squeeze", [inp(xq)], np.squeeze(xq, -1), kw={"axis": -1})
case("unsqueeze/neg", "unsqueeze", [inp(xq)], np.expand_dims(xq, -1), kw={"axis": -1})

# ---------------------------------------------------------------- triangular, one-hot
xt = r([3, 4])
for k in [0, 1, -1, 5, -5]:
    case(f"triu/k{k}", "triu", [inp(xt)], np.triu(xt, k), kw={"k": k})
    case(f"tril/k{k}", "tril", [inp(xt)], np.tril(xt, k), kw={"k": k})
xtb = r([2, 3, 3])
case("triu/batch-T", "triu", [inp(xtb, "T")], np.triu(xtb), kw={})
tli = ri([2, 2, 3], -5, 5)
case("tril/batch-int32", "tril", [inp(tli)], np.tril(tli), kw={})
idx = np.array([[0, 2], [1, 3]], i32)
case("oneHot/2d", "oneHot", [inp(idx)], np.eye(4, dtype=f32)[idx], kw={"numClasses": 4})
case("oneHot/empty", "oneHot", [inp(np.zeros([0], i32))], np.zeros([0, 3], f32), kw={"numClasses": 3})
case("oneHot/0d", "oneHot", [inp(np.array(1, i32))], np.eye(3, dtype=f32)[1], kw={"numClasses": 3})

# ---------------------------------------------------------------- indexing
xg = r([3, 4])
gi = np.array([[0, 3, 1], [2, 2, 0]], i32)
case("gather/axis1", "gather", [inp(xg), inp(gi)], np.take_along_axis(xg[:2], gi, axis=1), kw={"axis": 1})
gi0 = np.array([[2, 0, 1, 1], [0, 0, 2, 1]], i32)
case("gather/axis0", "gather", [inp(xg, "T"), inp(gi0)], np.take_along_axis(xg, gi0, axis=0), kw={"axis": 0})
# Negative gather indices are an error, as in PyTorch (tests/unit/ops/bad-input.test.ts), not NumPy's wrap-around.
case("gather/last-axis", "gather", [inp(xg), inp(np.array([[3], [0], [0]], i32))], np.take_along_axis(xg, np.array([[3], [0], [0]]), axis=1), kw={"axis": -1})
si_ = np.array([2, 0, 2], i32)
case("indexSelect/axis0", "indexSelect", [inp(xg), inp(si_)], xg[si_], kw={"axis": 0})
case("indexSelect/axis1", "indexSelect", [inp(xg, "step"), inp(np.array([3, 1], i32))], xg[:, [3, 1]], kw={"axis": 1})
case("indexSelect/empty-index", "indexSelect", [inp(xg), inp(np.zeros([0], i32))], xg[np.zeros([0], int)], kw={"axis": 0})
base = r([3, 4])
src = r([2, 4])
sidx = np.array([[0, 1, 2, 0], [0, 0, 2, 1]], i32)
exp_ = base.astype(f64).copy()
for i in range(2):
    for j in range(4):
        exp_[sidx[i, j], j] += src[i, j]
case("scatterAdd/axis0-dupes", "scatterAdd", [inp(base), inp(sidx), inp(src)], exp_.astype(f32), kw={"axis": 0})
src2 = r([3, 3])
sidx2 = np.array([[3, 3], [0, 1], [2, 2]], i32)
exp2 = base.astype(f64).copy()
for i in range(3):
    for j in range(2):
        exp2[i, sidx2[i, j]] += src2[i, j]
case("scatterAdd/axis1-src-larger", "scatterAdd", [inp(base, "T"), inp(sidx2), inp(src2)], exp2.astype(f32), kw={"axis": 1})

# ---------------------------------------------------------------- softmax
for tag, xs_, axis, lay in [("last", r([2, 5], -3, 3), -1, None), ("axis0", r([3, 4], -3, 3), 0, "T"), ("large", np.array([[1000, 1001, 999], [-1000, -1000, -1000]], f32), 1, None)]:
    xx = xs_.astype(f64)
    case(f"softmax/{tag}", "softmax", [inp(xs_, lay)], special.softmax(xx, axis=axis).astype(f32), kw={"axis": axis})
    case(f"logSoftmax/{tag}", "logSoftmax", [inp(xs_, lay)], special.log_softmax(xx, axis=axis).astype(f32), kw={"axis": axis})
ninf = np.array([0.0, -np.inf, 1.0], f64)
case("softmax/neg-inf", "softmax", [inp(ninf)], special.softmax(ninf), kw={"axis": 0})
case("softmax/empty", "softmax", [inp(np.zeros([0, 3], f32))], np.zeros([0, 3], f32), kw={"axis": -1})
case("softmax/0d", "softmax", [inp(np.array(3.0, f32))], np.array(1.0, f32), kw={})


# ---------------------------------------------------------------- unfold / fold / conv / pools (direct loops, not im2col)
def pair(v):
    return list(v) if isinstance(v, (list, tuple)) else [v, v]


def out_size(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def np_unfold(x, kernel, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel), pair(stride), pair(padding), pair(dilation)
    n, c, h, w = x.shape
    oh, ow = out_size(h, kh, sh, ph, dh), out_size(w, kw, sw, pw, dw)
    out = np.zeros([n, c * kh * kw, oh * ow], x.dtype)
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                row = ci * kh * kw + i * kw + j
                for oy in range(oh):
                    for ox in range(ow):
                        y, xx = oy * sh - ph + i * dh, ox * sw - pw + j * dw
                        if 0 <= y < h and 0 <= xx < w:
                            out[:, row, oy * ow + ox] = x[:, ci, y, xx]
    return out


def np_fold(cols, output_size, kernel, stride=1, padding=0, dilation=1):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pair(kernel), pair(stride), pair(padding), pair(dilation)
    h, w = output_size
    n, ckk, L = cols.shape
    c = ckk // (kh * kw)
    oh, ow = out_size(h, kh, sh, ph, dh), out_size(w, kw, sw, pw, dw)
    out = np.zeros([n, c, h, w], cols.dtype)
    for ci in range(c):
        for i in range(kh):
            for j in range(kw):
                row = ci * kh * kw + i * kw + j
                for oy in range(oh):
                    for ox in range(ow):
                        y, xx = oy * sh - ph + i * dh, ox * sw - pw + j * dw
                        if 0 <= y < h and 0 <= xx < w:
                            out[:, ci, y, xx] += cols[:, row, oy * ow + ox]
    return out


def np_conv2d(x, wt, b=None, stride=1, padding=0, dilation=1, groups=1):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c, h, w = x.shape
    o, cg, kh, kw = wt.shape
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    oh, ow = out_size(h, kh, sh, ph, dh), out_size(w, kw, sw, pw, dw)
    out = np.zeros([n, o, oh, ow], np.float64)
    og = o // groups
    for oc in range(o):
        g = oc // og
        for oy in range(oh):
            for ox in range(ow):
                patch = xp[:, g * cg:(g + 1) * cg, oy * sh: oy * sh + dh * (kh - 1) + 1: dh, ox * sw: ox * sw + dw * (kw - 1) + 1: dw]
                out[:, oc, oy, ox] = np.sum(patch * wt[oc], axis=(1, 2, 3))
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def np_pool(x, kernel, stride=None, padding=0, dilation=1, mode="max"):
    (kh, kw) = pair(kernel)
    (sh, sw) = pair(stride if stride is not None else kernel)
    (ph, pw), (dh, dw) = pair(padding), pair(dilation)
    n, c, h, w = x.shape
    fill = -np.inf if mode == "max" else 0.0
    xp = np.pad(x.astype(np.float64), [(0, 0), (0, 0), (ph, ph), (pw, pw)], constant_values=fill)
    oh, ow = out_size(h, kh, sh, ph, dh), out_size(w, kw, sw, pw, dw)
    out = np.zeros([n, c, oh, ow])
    for oy in range(oh):
        for ox in range(ow):
            patch = xp[:, :, oy * sh: oy * sh + dh * (kh - 1) + 1: dh, ox * sw: ox * sw + dw * (kw - 1) + 1: dw]
            out[:, :, oy, ox] = patch.max(axis=(2, 3)) if mode == "max" else patch.mean(axis=(2, 3))
    return out


for tag, shape, kw in [("basic", [1, 2, 4, 5], {"kernel": [2, 3]}),
                       ("stride-pad", [2, 1, 5, 5], {"kernel": [3, 3], "stride": [2, 2], "padding": [1, 1]}),
                       ("dilation", [1, 2, 6, 5], {"kernel": [2, 2], "dilation": [2, 1], "stride": [1, 2], "padding": [0, 1]}),
                       ("1x1", [2, 3, 2, 2], {"kernel": [1, 1]})]:
    xu = r(shape)
    cols = np_unfold(xu.astype(f64), **kw)
    case(f"unfold/{tag}", "unfold", [inp(xu, "T" if tag == "basic" else None)], cols.astype(f32), kw=kw)
    cu = r(list(cols.shape))
    case(f"fold/{tag}", "fold", [inp(cu)], np_fold(cu.astype(f64), shape[2:], **kw).astype(f32), kw={**kw, "outputSize": shape[2:]})

x4, w4, b4 = r([2, 3, 5, 5]), r([4, 3, 3, 3]), r([4])
case("conv2d/basic", "conv2d", [inp(x4), inp(w4), inp(b4)], np_conv2d(x4.astype(f64), w4.astype(f64), b4.astype(f64)).astype(f32))
case("conv2d/stride-pad", "conv2d", [inp(x4, "T"), inp(w4)], np_conv2d(x4.astype(f64), w4.astype(f64), None, 2, 1).astype(f32), kw={"stride": 2, "padding": 1})
xg4, wg4 = r([1, 4, 6, 5]), r([6, 2, 2, 3])
case("conv2d/groups-dilation", "conv2d", [inp(xg4), inp(wg4), inp(r([6]) * 0)], np_conv2d(xg4.astype(f64), wg4.astype(f64), None, [1, 2], [1, 0], [2, 1], 2).astype(f32), kw={"stride": [1, 2], "padding": [1, 0], "dilation": [2, 1], "groups": 2})
wdw = r([4, 1, 3, 3])
case("conv2d/depthwise", "conv2d", [inp(xg4), inp(wdw)], np_conv2d(xg4.astype(f64), wdw.astype(f64), None, 1, 1, 1, 4).astype(f32), kw={"padding": 1, "groups": 4})
x64c, w64c = r([1, 2, 4, 4], -1, 1, f64), r([3, 2, 2, 2], -1, 1, f64)
case("conv2d/f64", "conv2d", [inp(x64c), inp(w64c)], np_conv2d(x64c, w64c))
case("conv2d/unbatched", "conv2d", [inp(x4[0].copy()), inp(w4)], np_conv2d(x4[:1].astype(f64), w4.astype(f64))[0].astype(f32))
wT = r([4, 3, 3, 3])
case("conv2d/noncontig-weight", "conv2d", [inp(x4, "flip"), inp(wT, "T"), inp(b4, "step")], np_conv2d(x4.astype(f64), wT.astype(f64), b4.astype(f64), 1, 2).astype(f32), kw={"padding": 2})
case("unfold/empty-batch", "unfold", [inp(np.zeros([0, 2, 3, 3], f32))], np.zeros([0, 8, 4], f32), kw={"kernel": [2, 2]})
xp4 = r([2, 2, 5, 6])
for tag, kw in [("k2", {"kernel": 2}), ("k3-s2-p1", {"kernel": 3, "stride": 2, "padding": 1}), ("rect", {"kernel": [2, 3], "stride": [1, 2]}), ("dilation", {"kernel": 2, "stride": 1, "dilation": 2})]:
    pk = {"kernel": kw["kernel"], "stride": kw.get("stride"), "padding": kw.get("padding", 0), "dilation": kw.get("dilation", 1)}
    case(f"maxPool2d/{tag}", "maxPool2d", [inp(xp4, "T" if tag == "rect" else None)], np_pool(xp4, mode="max", **pk).astype(f32), kw=kw)
    if "dilation" not in kw:
        case(f"avgPool2d/{tag}", "avgPool2d", [inp(xp4)], np_pool(xp4, mode="avg", **pk).astype(f32), kw=kw)
neg = -np.abs(r([1, 1, 3, 3])) - 1
case("maxPool2d/negative-padded", "maxPool2d", [inp(neg)], np_pool(neg, 2, 2, 1, mode="max").astype(f32), kw={"kernel": 2, "stride": 2, "padding": 1})

# ---------------------------------------------------------------- atan2 (own generator: the cases above keep their values)
rng = np.random.default_rng(20262)
ya, xa = r([2, 3]), r([2, 3])
case("atan2/same", "atan2", [inp(ya), inp(xa)], np.arctan2(ya, xa))
yb, xb2 = r([4, 1, 3]), r([2, 1])
case("atan2/broadcast", "atan2", [inp(yb), inp(xb2)], np.arctan2(yb, xb2))
yc, xc2 = r([3, 2]), r([2, 3])
case("atan2/noncontig", "atan2", [inp(yc, "step"), inp(xc2.T.copy(), "T")], np.arctan2(yc, xc2.T))
y0 = r([2])
case("atan2/0d", "atan2", [inp(y0), inp(np.array(-1.5, f32))], np.arctan2(y0, np.float32(-1.5)))
y64, x64 = r([3], -2, 2, f64), r([3], -2, 2, f64)
case("atan2/f64", "atan2", [inp(y64), inp(x64)], np.arctan2(y64, x64))
case("atan2/empty", "atan2", [inp(np.zeros([0, 3], f32)), inp(r([1, 3]))], np.zeros([0, 3], f32))
# every quadrant, the axes and signed zeros (atan2(±0, −1) = ±π), infinities
qy = np.array([1.0, 1.0, -1.0, -1.0, 0.0, -0.0, 0.0, 2.0, -2.0, np.inf, 1.0, np.inf], f64)
qx = np.array([1.0, -1.0, -1.0, 1.0, -1.0, -1.0, 0.0, 0.0, 0.0, 1.0, -np.inf, -np.inf], f64)
case("atan2/quadrants", "atan2", [inp(qy), inp(qx)], np.arctan2(qy, qx))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.json")
with open(path, "w") as fh:
    json.dump({"generator": "tests/golden/generate.py", "numpy": np.__version__, "cases": CASES}, fh, separators=(",", ":"))
print(f"{len(CASES)} cases, {os.path.getsize(path)} bytes → {path}")
