import { describe, expect, it } from "vitest";
import { jit, randn, tensor, nn, type Tensor } from "webgrad";
import { fusedElementwiseShader } from "../../../src/lib/backend/webgpu/kernels/fused";
import { fusedKernels } from "../../../src/lib/graph/kernels";
import { setPassEnabled } from "../../../src/lib/graph/passes/pipeline";
import { graphEvents, type GraphEvent } from "./helpers";

describe("the WGSL of fused nodes (Graph panel)", () => {
  it("an elementwise chain: the kernel WebGPU's codegen generates for the region", () => {
    const f = (x: Tensor) => x.mul(2).add(1).tanh().mul(x);
    const l = jit(f).lower(randn([64]));
    const fused = l.optimized.nodes.find((n) => n.op === "fused")!;
    const k = fusedKernels([l.optimized]);
    const keys = k.byNode[fused.id]!;
    expect(keys).toHaveLength(1);
    // Contiguous float32 operands from offset 0: the kernel that takes four elements at a time.
    const kinds = fused.inputs.map((v): "s" | "c" => (v.shape.length === 0 ? "s" : "c"));
    const expected = fusedElementwiseShader(fused.regions![0]!, kinds, -1, false, kinds)!;
    expect(keys[0]).toBe(expected.key);
    expect(k.sources[keys[0]!]).toBe(expected.source());
    expect(k.sources[keys[0]!]).toMatch(/fn op0\(/);
    expect(k.sources[keys[0]!]).toMatch(/var<storage, read_write> out: array<vec4<f32>>/);
  });

  it("a linear layer + relu: the matmul kernel with its epilogue; float64 regions say why they have none", () => {
    const lin = new nn.Linear(16, 16);
    const l = jit((x: Tensor) => lin.forward(x).relu()).lower(randn([32, 16]));
    const fused = l.optimized.nodes.find((n) => n.op === "fused")!;
    expect(fused.attrs.kind).toBe("matmul-epilogue");
    const k = fusedKernels([l.optimized]);
    const [key] = k.byNode[fused.id]!;
    expect(key).toMatch(/^matmul.*epi\+add\+relu/);
    expect(k.sources[key!]).toMatch(/fn epi\d\(a: f32\) -> f32/);
    const l64 = jit((x: Tensor) => x.mul(2).add(1)).lower(tensor([1, 2], { dtype: "float64" }));
    const k64 = fusedKernels([l64.optimized]);
    expect(Object.keys(k64.byNode)).toEqual([]);
    expect(Object.values(k64.notes)[0]).toMatch(/float64/);
  });

  it("travels with the graph event, one source per distinct kernel", () => {
    // Horizontal fusion would run the two chains as one multi-output kernel: off here.
    const f = jit((x: Tensor, y: Tensor) => [x.mul(2).add(1).exp(), y.mul(2).add(1).exp()]);
    setPassEnabled("hfusion", false);
    let e: GraphEvent | undefined;
    try {
      [e] = graphEvents(() => f(randn([8]), randn([8])));
    } finally {
      setPassEnabled("hfusion", true);
    }
    const ids = Object.keys(e!.kernels!.byNode);
    expect(ids).toHaveLength(2);
    const keys = ids.map((id) => e!.kernels!.byNode[Number(id)]![0]);
    expect(keys[0]).toBe(keys[1]);
    expect(Object.keys(e!.kernels!.sources)).toHaveLength(1);
    // the nodes are in the fusion stage's JSON under the same ids
    const fusion = e!.stages.find((s) => s.pass === "fusion")!.json as { nodes: { id: number; op: string }[] };
    expect(
      fusion.nodes
        .filter((n) => n.op === "fused")
        .map((n) => String(n.id))
        .sort(),
    ).toEqual(ids.sort());
  });
});
