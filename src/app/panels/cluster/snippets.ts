/**
 * Code the Cluster panel quotes in its sentences (the same in every language: placeholders of
 * the `cluster.empty*` messages, shown as code).
 * @module
 */
export const SNIPPETS = {
  cluster: "const c = dist.cluster({ nodes: 2, devicesPerNode: 4 })",
  allReduce: "dist.allReduce",
  ddp: "dist.DataParallel",
  pipeline: "dist.Pipeline",
  zero: "dist.ZeRO",
} as const;
