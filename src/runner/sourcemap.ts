/**
 * Just enough source-map support to turn a position in the transpiled JavaScript back into the
 * user's TypeScript line: decode the `mappings` VLQ string, look a position up, and rewrite V8
 * stack traces. Pure functions, unit-tested in Node.
 * @module
 */
import type { StackFrameInfo } from "./protocol";

/** One mapping segment: generated column → original line/column (all 0-based). */
export interface MappingSegment {
  generatedColumn: number;
  originalLine: number;
  originalColumn: number;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes a source map `mappings` string into segments per generated line (0-based lines). */
export function decodeMappings(mappings: string): MappingSegment[][] {
  const lines: MappingSegment[][] = [];
  let originalLine = 0;
  let originalColumn = 0;
  let sourceIndex = 0;
  for (const lineText of mappings.split(";")) {
    const segments: MappingSegment[] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(",")) {
      if (!segmentText) continue;
      const fields = decodeVlqFields(segmentText);
      generatedColumn += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceIndex += fields[1]!;
        originalLine += fields[2]!;
        originalColumn += fields[3]!;
        segments.push({ generatedColumn, originalLine, originalColumn });
      }
    }
    lines.push(segments);
  }
  void sourceIndex; // one source only: the user's file
  return lines;
}

function decodeVlqFields(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64_VALUE.get(ch);
    if (digit === undefined) throw new Error(`bad VLQ character ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * Maps a 1-based generated line/column to the 1-based original line/column: the last segment at
 * or before the column on that line, else the line's first segment, else the nearest earlier line.
 */
export function originalPosition(decoded: MappingSegment[][], line: number, column: number): { line: number; column: number } | undefined {
  for (let l = line - 1; l >= 0 && l >= line - 1 - 50; l--) {
    const segments = decoded[l];
    if (!segments || segments.length === 0) continue;
    let best = segments[0]!;
    if (l === line - 1) {
      for (const s of segments) if (s.generatedColumn <= column - 1) best = s;
    } else {
      best = segments[segments.length - 1]!;
    }
    return { line: best.originalLine + 1, column: best.originalColumn + 1 };
  }
  return undefined;
}

/** A V8 stack line: "    at fn (url:line:col)" or "    at url:line:col". */
const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;

/**
 * Rewrites a V8 stack: frames in `userUrl` become `fn (main.ts:L:C)` with original positions;
 * other frames are kept as they are (library frames are useful too). The first line (the message)
 * is dropped: callers show the message separately.
 */
export function mapStack(stack: string | undefined, userUrl: string, decoded: () => MappingSegment[][], userFileName = "main.ts"): StackFrameInfo[] {
  if (!stack) return [];
  const frames: StackFrameInfo[] = [];
  for (const raw of stack.split("\n")) {
    const m = FRAME.exec(raw);
    if (!m) continue;
    const [, fn, url, l, c] = m;
    if (url === userUrl) {
      const pos = originalPosition(decoded(), Number(l), Number(c));
      if (pos) {
        const where = `${userFileName}:${pos.line}:${pos.column}`;
        frames.push({ text: fn ? `${fn} (${where})` : where, line: pos.line, column: pos.column });
        continue;
      }
    }
    frames.push({ text: raw.trim().replace(/^at /, "") });
  }
  return frames;
}

/**
 * Whether a mapped frame is in the user's program (it has a line of main.ts). The others are the
 * library's and the runner's (minified `worker-*.js` bundles, `<anonymous>`): shown only on request.
 */
export function isUserFrame(frame: StackFrameInfo): boolean {
  return frame.line !== undefined;
}

/** The frames of `frames` in the user's program, in stack order. */
export function userFrames(frames: readonly StackFrameInfo[]): StackFrameInfo[] {
  return frames.filter(isUserFrame);
}

/**
 * The user's 1-based line at the top of a stack (the innermost frame in `userUrl`), or undefined.
 * The library calls this through `setUserLineLocator` to tag ops and errors with the user's line.
 */
export function userLineFromStack(stack: string, userUrl: string, decoded: () => MappingSegment[][]): number | undefined {
  for (const raw of stack.split("\n")) {
    const m = FRAME.exec(raw);
    if (m && m[2] === userUrl) return originalPosition(decoded(), Number(m[3]), Number(m[4]))?.line;
  }
  return undefined;
}
