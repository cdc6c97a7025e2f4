/** Types of scripts/test/chromium.mjs (the Playwright config imports the flag list from it). */

/** Flags for headless Chromium with WebGPU (SwiftShader when there is no GPU). */
export declare const CHROMIUM_ARGS: string[];
/** The system Chromium's path ($CHROMIUM_PATH first), or undefined when there is none. */
export declare function findChromium(): string | undefined;
/** A Chromium path, installing one with apt-get when possible; throws with instructions otherwise. */
export declare function ensureChromium(): string;
/** The test suites' browser: $CHROMIUM_PATH, else Chromium's headless shell, else the full browser (installing both where none is). */
export declare function ensureTestChromium(): string;
