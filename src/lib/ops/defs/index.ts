/** The op table's entries, one module per family. Importing this registers them all. */
export * from "./elementwise";
export * from "./reduce";
export * from "./movement";
export * from "./linalg";
export * from "./indexing";
export * from "./nn";
export * from "./random";
export * from "./conv";
