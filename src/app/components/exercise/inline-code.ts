/**
 * Exercise prompts mark code with backticks; this splits such a text into plain and code pieces
 * (rendered as text and <code>, never as HTML).
 * @module
 */

/** A piece of a prompt: plain text or inline code. */
export interface TextPiece {
  code: boolean;
  text: string;
}

/** Splits `text` at backticks: odd pieces are code. An unpaired backtick is kept as text. */
export function codePieces(text: string): TextPiece[] {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return [{ code: false, text }];
  return parts.map((t, i) => ({ code: i % 2 === 1, text: t })).filter((p) => p.text !== "");
}
