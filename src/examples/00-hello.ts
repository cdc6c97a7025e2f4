import { plot } from "webgrad";

console.log("Hello from the runner worker!");

// Plain TypeScript runs as written; top-level await works.
const squares = Array.from({ length: 5 }, (_, i) => i * i);
console.log("squares:", squares);
await new Promise((resolve) => setTimeout(resolve, 100));

// plot(chart, x, y) draws a live line in the Plots panel.
for (let i = 0; i <= 20; i++) plot("y = x²", i, i * i);
console.log("Open the Plots tab to see the curve.");
