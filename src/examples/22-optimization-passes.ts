// title: Optimization passes one at a time
// part: Computation graphs
// lesson: Computation graphs — graph optimization and execution scheduling. A compiler rewrites the traced graph in passes, each a small, checkable transformation: algebraic simplification (x·1, x+0, double transposes), constant folding, common-subexpression elimination, dead-code elimination, fusion of elementwise chains into one generated kernel, scheduling into stages of independent ops, and memory planning that reuses buffers whose values are dead. Step through the stages to see what each pass changed, and switch one off to see what it was worth in nodes, kernels and peak memory.
// look at: the Graph panel: step through the stages with ◀ ▶, Before/After and Diff for each pass; Stats to switch a pass off and run again
// panel: graph
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
