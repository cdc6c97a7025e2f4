import type { Server } from "node:http";

/** Serves a built app's folder on localhost:`port`, uncompressed, from memory (see static-server.mjs). */
export function serveStatic(folder: string, port: number): Promise<Server>;
