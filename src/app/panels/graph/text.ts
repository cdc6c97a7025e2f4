/**
 * The Graph panel's words that depend on data: pass titles, legend groups, cluster titles and
 * box labels, in the learner's language (the library's own titles are English).
 * @module
 */
import { locale, t } from "../../i18n/i18n.svelte";
import { lookup, type MessageKey } from "../../i18n/catalogue";
import { scopeName, type ClusterInfo, type DrawnCategory, type DrawnItem, type GroupInfo } from "./model";

/** A pass's title: the library's (English), or its translation. */
export function passTitle(stage: { pass: string; title: string }): string {
  const key = `graph.pass_${stage.pass}`;
  return locale() !== "en" && lookup(key) ? t(key as MessageKey) : stage.title;
}

/** A legend group's label. */
export const categoryLabel = (c: DrawnCategory): string => t(`graph.cat_${c}` as MessageKey);

/** A scope group's name ("TinyGPT.blocks.0 (backward)"). */
export const groupTitle = (g: GroupInfo): string => `${scopeName(g.path)}${g.backward ? t("graph.groupBackward") : ""}`;

/** The title over a cluster's frame. */
export function clusterTitle(info: ClusterInfo): string {
  if (info.kind === "fused") return t("graph.fusedCluster", { id: info.node.id });
  if (info.kind === "region") {
    // The region graph's name ends with the user's function, when it had a name: "scan body (step)".
    const fnName = /\(([^()]+)\)$/.exec(info.graphName)?.[1];
    return t("graph.regionCluster", { op: info.node.op, id: info.node.id, region: info.regionName, fn: fnName ? ` (${fnName})` : "" });
  }
  return t("graph.groupCluster", { name: scopeName(info.group.path), backward: info.group.backward ? t("graph.groupBackward") : "", count: info.group.count });
}

/** Where an input box's value comes from. */
export function sourceText(item: Extract<DrawnItem, { kind: "input" }>): string {
  return item.region ? t("graph.regionParam", { op: item.region.op, region: item.region.name }) : item.sourceKind;
}

/** Where an output box's value goes. */
export function sinkText(item: Extract<DrawnItem, { kind: "output" }>): string {
  return item.region ? t("graph.regionResults", { region: item.region.name }) : item.sinkKind;
}

/** A box's accessible name. */
export function itemLabel(item: DrawnItem | undefined): string {
  if (!item) return "";
  if (item.kind === "input") return t("graph.inputLabel", { name: item.name, shape: item.shape.join("×") || "scalar" });
  if (item.kind === "output") return t("graph.outputLabel", { name: item.name, kind: sinkText(item) });
  if (item.kind === "group")
    return t("graph.groupLabel", {
      name: scopeName(item.group.path),
      backward: item.group.backward ? t("graph.groupBackward") : "",
      count: item.group.count,
      ops: item.group.topOps.join(", "),
    });
  const n = item.node;
  return `${item.backward ? t("graph.nodeLabelBackward") : ""}${n.noGrad ? "noGrad " : ""}${item.label} → ${item.sub}${n.line !== undefined ? t("graph.nodeLabelLine", { line: n.line }) : ""}`;
}

/** The one-line program the empty Graph panel suggests (code: the same in every language). */
export const EXAMPLE_PROGRAM = "const f = jit((x: Tensor) => x.mul(2).add(1).relu().sum()); f(randn([4]));";
