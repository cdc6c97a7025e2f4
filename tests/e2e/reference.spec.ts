import { expect, test } from "@playwright/test";
import { openApp } from "./helpers";
import { expectJitPage, openReference } from "./reference-page";

// Offline, the reference opens from the service worker's cache: offline.spec.ts checks that.
test("Help → API reference opens the reference generated from the library's TSDoc", async ({ page }) => {
  await openApp(page);
  const ref = await openReference(page);
  await expect(ref).toHaveURL(/reference\/index\.html$/);
  await expectJitPage(ref);
  // Namespaces are there too (nn, optim, dist …).
  await ref.goBack();
  await expect(ref.getByRole("link", { name: "nn", exact: true }).first()).toBeVisible();
});
