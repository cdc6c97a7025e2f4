/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module "virtual:webgrad-dts" {
  /** The bundled declarations of the library's public API (see scripts/webgrad-dts.ts). */
  const declarations: string;
  export default declarations;
}
