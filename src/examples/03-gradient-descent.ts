import { plot, slider } from "webgrad";

// Fit y = w·x to data generated with w = 3, using the derivative we worked out by hand:
// loss(w) = mean((w·x − y)²)  ⇒  dloss/dw = mean(2·(w·x − y)·x)
const xs = Array.from({ length: 32 }, (_, i) => i / 8 - 2);
const ys = xs.map((x) => 3 * x + 0.1 * Math.sin(7 * x));

let w = 0;
// Drag the "learning rate" knob above the editor: small values crawl; past ~0.37 each step
// overshoots w = 3 and swings back; past ~0.75 every swing is larger than the last (divergence).
const lr = slider("learning rate", 0.001, 1, 0.1, { log: true });
// The loss is a parabola in w with curvature L'' = 2·mean(x²): each step multiplies the distance
// to the best w by (1 − lr·L''), so the two thresholds above are 1/L'' and 2/L''.
const curvature = (2 * xs.reduce((sum, x) => sum + x * x, 0)) / xs.length;
console.log(`learning rate ${lr}: each step multiplies w − w* by ${(1 - lr * curvature).toFixed(3)}`);
console.log(`(w overshoots above lr = ${(1 / curvature).toFixed(3)} and diverges above lr = ${(2 / curvature).toFixed(3)})`);
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
