/**
 * A way out of the editor by keyboard. In a code editor Tab indents, so it cannot also move focus;
 * Escape then Tab (or Shift+Tab) does: Escape arms it (it still closes Monaco's widgets and stops a
 * run as usual), the next key decides. Monaco's own Ctrl+M (Tab moves focus until pressed again)
 * works too; the editor's hint names both.
 * @module
 */

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The focusable, rendered element after (or before, `backwards`) `from` in document order, outside it. */
export function focusableBeside(from: Element, backwards: boolean): HTMLElement | undefined {
  const all = [...from.ownerDocument.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !from.contains(el) && el.getClientRects().length > 0);
  if (backwards) return all.filter((el) => from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING).at(-1);
  return all.find((el) => from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}

/** Makes Escape then Tab / Shift+Tab move the focus out of `host` (the editor's element). Returns the uninstaller. */
export function installTabExit(host: HTMLElement): () => void {
  let armed = false;
  const onKeydown = (event: KeyboardEvent): void => {
    if (event.key === "Escape") {
      armed = true;
      return;
    }
    if (event.key === "Shift") return; // on the way to Shift+Tab
    const wasArmed = armed;
    armed = false;
    if (event.key !== "Tab" || !wasArmed || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = focusableBeside(host, event.shiftKey);
    if (!target) return;
    // Capture phase, before Monaco sees the key: it must not indent.
    event.preventDefault();
    event.stopPropagation();
    target.focus();
  };
  const onFocusOut = (): void => {
    armed = false;
  };
  host.addEventListener("keydown", onKeydown, true);
  host.addEventListener("focusout", onFocusOut);
  return () => {
    host.removeEventListener("keydown", onKeydown, true);
    host.removeEventListener("focusout", onFocusOut);
  };
}
