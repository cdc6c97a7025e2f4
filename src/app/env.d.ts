/// <reference types="svelte" />
/// <reference types="vite/client" />

declare module "virtual:webgrad-dts" {
  /** The bundled declarations of the library's public API (see scripts/vite/webgrad-dts.ts). */
  const declarations: string;
  export default declarations;
  /** Declaration files for Monaco: webgrad's, plus any global types its API mentions (WebGPU). */
  export const extraLibs: { path: string; content: string }[];
}
