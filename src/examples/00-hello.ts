// title: Hello, webgrad
// part: Basics
// lesson: Framework basics — what running a program here looks like. Your code is TypeScript that imports webgrad; Run (Ctrl+Enter) sends it to a worker beside the page, so a long loop never freezes the tab and Stop always ends it. console.log goes to the Console, plot() to the Plots panel, and top-level await works. Edit a line and run again: every run starts fresh.
// look at: the Console panel; then press Run again after editing a line
import { plot } from "webgrad";

console.log("Hello from the runner worker!");

// Plain TypeScript runs as written; top-level await works.
const squares = Array.from({ length: 5 }, (_, i) => i * i);
console.log("squares:", squares);
await new Promise((resolve) => setTimeout(resolve, 100));

// plot(chart, x, y) draws a live line in the Plots panel.
for (let i = 0; i <= 20; i++) plot("y = x²", i, i * i);
console.log("Open the Plots tab to see the curve.");
