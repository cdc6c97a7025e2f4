/** Dynamic → static: source conversion of JS control flow into cond / whileLoop (autograph). */
export { convert, type ConvertOptions, type ConvertedFunction } from "./convert";
export { convertSource, type ConvertedSource } from "./transform";
