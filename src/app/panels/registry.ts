/**
 * The panel table. A panel is one entry: Tape, Graph, Kernels and Cluster slot in by adding a
 * line here (and their component); the tab strip, lazy loading and keyboard navigation come free.
 * @module
 */
import type { Component } from "svelte";
import type { AppState } from "../state/app.svelte";
import ConsolePanel from "./ConsolePanel.svelte";
import type { MessageKey } from "../i18n/catalogue";

/** Props every panel component receives. */
export interface PanelProps {
  app: AppState;
  /** Whether the panel is the visible tab (hidden panels stay mounted and keep their state). */
  active: boolean;
}

/** One panel in the tab strip. */
export interface PanelDefinition {
  id: string;
  /** Catalogue key of the tab's title (shown with `t()`). */
  title: MessageKey;
  /** A short glyph shown before the title. */
  icon: string;
  /** Loads the component (dynamic import keeps heavy panels out of the initial bundle). */
  load: () => Promise<Component<PanelProps>>;
  /** A count or word shown on the tab (e.g. unseen errors), if any. */
  badge?: (app: AppState) => string | undefined;
}

export const panels: PanelDefinition[] = [
  {
    id: "console",
    title: "panels.console",
    icon: "›_",
    load: async () => ConsolePanel,
    badge: (app) => {
      const errors = app.console.entries.filter((e) => e.level === "error").length;
      return errors ? String(errors) : undefined;
    },
  },
  {
    id: "plots",
    title: "panels.plots",
    icon: "∿",
    load: async () => (await import("./PlotsPanel.svelte")).default,
    // Every figure counts: pictures (image, scatter) as well as line charts.
    badge: (app) => (app.plots.figures.length ? String(app.plots.figures.length) : undefined),
  },
  {
    id: "tape",
    title: "panels.tape",
    icon: "⟲",
    load: async () => (await import("./TapePanel.svelte")).default,
    badge: (app) => (app.tape.nodes.length ? String(app.tape.nodes.length) : undefined),
  },
  {
    id: "graph",
    title: "panels.graph",
    icon: "⌬",
    load: async () => (await import("./GraphPanel.svelte")).default,
    badge: (app) => (app.graph.functions.length ? String(app.graph.functions.length) : undefined),
  },
  {
    id: "kernels",
    title: "panels.kernels",
    icon: "▦",
    load: async () => (await import("./KernelsPanel.svelte")).default,
    badge: (app) => (app.kernels.dispatchCount ? String(app.kernels.dispatchCount) : undefined),
  },
  {
    id: "cluster",
    title: "panels.cluster",
    icon: "⊞",
    load: async () => (await import("./ClusterPanel.svelte")).default,
    badge: (app) => (app.cluster.topology ? String(app.cluster.topology.devices.length) : undefined),
  },
];
