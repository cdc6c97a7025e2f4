/** What a pass is: a named rewrite of a graph that says what it changed. */
import type { IRGraph } from "../ir";

/** The result of running a pass. */
export interface PassResult {
  graph: IRGraph;
  /** One line per change, for the Graph panel's diff. */
  changes: string[];
}

/** One optimization pass. */
export interface Pass {
  /** Short id used to switch it on and off ("dce", "cse" …). */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  run(g: IRGraph): PassResult;
}
