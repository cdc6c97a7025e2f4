import { plot, slider } from "webgrad";

// Fit y = w·x to data generated with w = 3, using the derivative we worked out by hand:
// loss(w) = mean((w·x − y)²)  ⇒  dloss/dw = mean(2·(w·x − y)·x)
const xs = Array.from({ length: 32 }, (_, i) => i / 8 - 2);
const ys = xs.map((x) => 3 * x + 0.1 * Math.sin(7 * x));

let w = 0;
// Drag the "learning rate" knob above the editor: small values crawl; past ~0.37 each step
// overshoots w = 3 and swings back; past ~0.75 every swing is larger than the last (divergence).
const lr = slider("learning rate", 0.001, 1, 0.1, { log: true });
console.log(`learning rate ${lr}`);
for (let step = 0; step < 60; step++) {
  let loss = 0;
  let grad = 0;
  for (let i = 0; i < xs.length; i++) {
    const err = w * xs[i] - ys[i];
    loss += err * err;
    grad += 2 * err * xs[i];
  }
  loss /= xs.length;
  grad /= xs.length;
  plot("loss", step, loss);
  plot("w", step, w, { series: "w" });
  plot("w", step, 3, { series: "target" });
  w -= lr * grad;
  if (step % 10 === 0) console.log(`step ${step}: loss ${loss.toFixed(4)}, w ${w.toFixed(4)}`);
  await new Promise((resolve) => setTimeout(resolve, 10)); // let the chart draw live
}
console.log("final w:", w);
