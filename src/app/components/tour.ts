/**
 * The first-run tour's steps, in order: what each points at (a `data-tour` name on an element)
 * and what it says. The tour shows once (see `UiState.startTourIfFirstVisit`); Help → Take the
 * tour shows it again.
 * @module
 */

/** One step of the tour. */
export interface TourStep {
  /** The `data-tour` attribute of the element the step points at. */
  target: string;
  title: string;
  text: string;
}

export const tourSteps: readonly TourStep[] = [
  {
    target: "editor",
    title: "Write a program",
    text: "This is TypeScript that imports the webgrad library. Hover a name for its docs; your code is saved in this browser as you type.",
  },
  {
    target: "run",
    title: "Run it",
    text: "Run (Ctrl/⌘+Enter) runs the program in a worker, never on the page. Stop (Escape) ends it at once, even inside an endless loop.",
  },
  {
    target: "mode",
    title: "Eager or Graph",
    text: "Eager runs every op as its line runs, like PyTorch. Graph traces jit functions into a graph, optimizes it and runs the compiled kernels, like JAX.",
  },
  {
    target: "panels",
    title: "Watch the framework work",
    text: "Console and Plots show what the program prints and plots; Tape, Graph, Kernels and Cluster show the autodiff tape, the graph through each pass, the WebGPU kernels and the simulated cluster.",
  },
  {
    target: "examples",
    title: "Follow the course",
    text: "Examples holds the course, part by part, from tensors to distributed training. Type to filter. A loaded example shows its lesson above the editor, with the previous and next one.",
  },
  {
    target: "help",
    title: "Reference and help",
    text: "Help opens the API reference (it works offline) and brings this tour back.",
  },
];
