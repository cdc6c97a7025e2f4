/**
 * The layers of an AI framework, as the "what a framework is" lesson (example 01) draws them, top
 * (what the user writes) to bottom (what runs the work): each with what it holds in webgrad, where
 * it lives in `src/lib`, and the panel that shows it live. Clicking a layer in the drawing opens
 * its panel; the example's code touches every layer, so each panel has something after Run.
 * @module
 */
import type { Bilingual } from "../types";

/** One layer of the drawing. */
export interface FrameworkLayer {
  readonly id: "frontend" | "ops" | "autodiff" | "graph" | "backend" | "runtime";
  readonly name: Bilingual;
  /** What the layer holds (a few words). */
  readonly holds: Bilingual;
  /** Where it lives in webgrad's source. */
  readonly source: string;
  /** The panel that shows it live (a panel id of `panels/registry.ts`). */
  readonly panel: string;
}

/** The layers, top (frontend) to bottom (runtime). */
export const frameworkLayers: readonly FrameworkLayer[] = [
  {
    id: "frontend",
    name: { en: "Frontend", zh: "前端" },
    holds: { en: "tensor API, nn modules, optimizers", zh: "张量 API、nn 模块、优化器" },
    source: "tensor/ nn/ optim/",
    panel: "console",
  },
  {
    id: "ops",
    name: { en: "Operators", zh: "算子" },
    holds: { en: "the op table: shape rule, vjp, jvp, cost per op", zh: "算子表：每个算子的形状规则、vjp、jvp、代价" },
    source: "ops/",
    panel: "graph",
  },
  {
    id: "autodiff",
    name: { en: "Autodiff", zh: "自动微分" },
    holds: { en: "tape, backward, grad / jvp transforms", zh: "梯度带、反向传播、grad / jvp 变换" },
    source: "autodiff/",
    panel: "tape",
  },
  {
    id: "graph",
    name: { en: "Graph (IR + passes)", zh: "计算图（IR + 优化遍）" },
    holds: { en: "jit tracing, IR, fusion and other passes", zh: "jit 追踪、IR、算子融合等优化遍" },
    source: "graph/",
    panel: "graph",
  },
  {
    id: "backend",
    name: { en: "Backend (kernels)", zh: "后端（内核）" },
    holds: { en: "CPU kernels, WebGPU kernels in WGSL", zh: "CPU 内核、用 WGSL 写的 WebGPU 内核" },
    source: "backend/",
    panel: "kernels",
  },
  {
    id: "runtime",
    name: { en: "Runtime", zh: "运行时" },
    holds: { en: "scheduling, memory, devices and the cluster", zh: "调度、内存、设备与集群" },
    source: "backend/ cluster/",
    panel: "cluster",
  },
];
