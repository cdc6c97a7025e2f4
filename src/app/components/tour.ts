/**
 * The first-run tour's steps, in order: what each points at (a `data-tour` name on an element)
 * and the catalogue keys of what it says (`messages/tour.ts`, in every UI language). The tour shows
 * once (see `UiState.startTourIfFirstVisit`); Help → Take the tour shows it again.
 * @module
 */
import type { MessageKey } from "../i18n/catalogue";

/** One step of the tour. */
export interface TourStep {
  /** The `data-tour` attribute of the element the step points at. */
  target: string;
  /** Key of the step's heading. */
  title: MessageKey;
  /** Key of the step's text. */
  text: MessageKey;
}

export const tourSteps: readonly TourStep[] = [
  { target: "editor", title: "tour.editorTitle", text: "tour.editorText" },
  { target: "run", title: "tour.runTitle", text: "tour.runText" },
  { target: "mode", title: "tour.modeTitle", text: "tour.modeText" },
  { target: "panels", title: "tour.panelsTitle", text: "tour.panelsText" },
  { target: "examples", title: "tour.examplesTitle", text: "tour.examplesText" },
  { target: "help", title: "tour.helpTitle", text: "tour.helpText" },
];
