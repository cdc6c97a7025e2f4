import { jit, randn, tensor, manualSeed, setMode, type Tensor } from "webgrad";

setMode("graph");
manualSeed(0);

const f = jit(
  (x: Tensor, w: Tensor) => {
    // algebraic simplification: x·1 and x+0 do nothing; a double transpose is the identity
    const a = x.mul(1).add(0).transpose().transpose();
    // constant folding: 2·3 is known when tracing
    const k = tensor(2).mul(3);
    // common subexpressions: the same matmul written twice
    const h1 = a.matmul(w);
    const h2 = a.matmul(w);
    // dead code: computed, never used
    const unused = h1.exp().sum();
    // fusion: a chain of elementwise ops becomes one kernel
    return h1.add(h2).mul(k).tanh().add(1).relu();
  },
  { name: "passes" },
);

const y = f(randn([8, 4]), randn([4, 4]));
console.log("out", y.shape, "sum", await y.sum().item());
console.log(f.lower(randn([8, 4]), randn([4, 4])).text("optimized"));
