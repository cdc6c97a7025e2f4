/**
 * The message catalogue: every UI string, in every locale, keyed `area.name`.
 *
 * Each area lives in its own file under `messages/` (one per part of the UI, so two people adding
 * strings to different parts never touch the same file). An entry holds all locales side by side,
 * so a string missing in one language is a compile error, not a blank label at run time.
 * `{name}` placeholders must match across locales (`tests/unit/app/i18n.test.ts`).
 */
import { common } from "./messages/common";
import { examples } from "./messages/examples";
import { help } from "./messages/help";
import { layout } from "./messages/layout";
import { notices } from "./messages/notices";
import { panels } from "./messages/panels";
import { settings } from "./messages/settings";
import { share } from "./messages/share";
import { status } from "./messages/status";
import { tape } from "./messages/tape";
import { toolbar } from "./messages/toolbar";
import { tour } from "./messages/tour";
import { lesson } from "./messages/lesson";
import { exercises } from "./messages/exercises";
import { knobs } from "./messages/knobs";
import { shell } from "./messages/shell";
import { graph } from "./messages/graph";
import { trace } from "./messages/trace";
import { editor } from "./messages/editor";
import { cheatsheet } from "./messages/cheatsheet";
import { a11y } from "./messages/a11y";
import { cluster } from "./messages/cluster";
import { kernels } from "./messages/kernels";
import { basics } from "./messages/basics";
import { schedule } from "./messages/schedule";
import { planner } from "./messages/planner";

/** One UI string in every supported locale. */
export type Message = { readonly en: string; readonly zh: string };

/** The areas of the catalogue; add a `messages/<area>.ts` file and list it here. */
export const catalogue = {
  common,
  toolbar,
  settings,
  help,
  examples,
  tour,
  status,
  notices,
  share,
  panels,
  layout,
  lesson,
  exercises,
  knobs,
  shell,
  graph,
  tape,
  trace,
  editor,
  cheatsheet,
  a11y,
  cluster,
  kernels,
  basics,
  schedule,
  planner,
} as const satisfies Record<string, Record<string, Message>>;

type Catalogue = typeof catalogue;

/** Every key of the catalogue, as `area.name`. */
export type MessageKey = { [A in keyof Catalogue]: `${A & string}.${keyof Catalogue[A] & string}` }[keyof Catalogue];

/** The entry for a key, or undefined for a string that is not a key (checked at run time for dynamic keys). */
export function lookup(key: string): Message | undefined {
  const dot = key.indexOf(".");
  if (dot < 0) return undefined;
  const area = (catalogue as Record<string, Record<string, Message>>)[key.slice(0, dot)];
  return area?.[key.slice(dot + 1)];
}
