import { data, jit, manualSeed, nn, noGrad, optim, plot, steps, tensor, type Tensor } from "webgrad";

manualSeed(0);
const text = data.alice();
const vocab = [...new Set(text)].sort();
const V = vocab.length;
const index = new Map(vocab.map((c, i) => [c, i]));
const ids = Int32Array.from(text, (c) => index.get(c)!);
console.log(`${text.length} characters, a vocabulary of ${V}`);

// The model: token + position embeddings, two causal Transformer blocks, a final norm, a projection to the vocabulary.
const T = 32,
  D = 32,
  B = 16;
class TinyGPT extends nn.Module {
  tok = nn.embedding(V, D);
  pos = nn.embedding(T, D);
  blocks = nn.sequential(nn.transformerBlock(D, 4, { causal: true }), nn.transformerBlock(D, 4, { causal: true }));
  norm = nn.layerNorm(D);
  head = nn.linear(D, V);
  positions = tensor(
    Array.from({ length: T }, (_, i) => i),
    { dtype: "int32" },
  );
  forward(x: Tensor): Tensor {
    // x: [B, T] character ids → [B, T, V] scores for the next character at every position
    const h = this.tok.forward(x).add(this.pos.forward(this.positions));
    return this.head.forward(this.norm.forward(this.blocks.forward(h)));
  }
}
const model = new TinyGPT();
const opt = optim.adam(model.parameters(), { lr: 1e-2 });

const trainStep = jit(
  (x: Tensor, y: Tensor) => {
    const logits = model.forward(x);
    const loss = nn.crossEntropy(logits.reshape([B * T, V]), y.reshape([B * T]));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss;
  },
  { name: "train step" },
);
// The next character's probabilities after a window of T characters.
const nextProbs = jit(
  (x: Tensor) =>
    noGrad(() =>
      model
        .forward(x)
        .narrow(1, T - 1, 1)
        .reshape([V])
        .softmax(-1),
    ),
  { name: "next char" },
);

// Random windows from the text (inputs, and the same shifted by one as targets), from a seeded generator.
const rng = new data.Rng(1);
function batch(): [Tensor, Tensor] {
  const x = new Int32Array(B * T),
    y = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    const start = Math.floor(rng.uniform() * (ids.length - T - 1));
    x.set(ids.subarray(start, start + T), b * T);
    y.set(ids.subarray(start + 1, start + T + 1), b * T);
  }
  return [tensor(x, { shape: [B, T], dtype: "int32" }), tensor(y, { shape: [B, T], dtype: "int32" })];
}

/** Writes `length` characters after `prompt`, sampling each from the model's probabilities (seeded). */
async function sample(prompt: string, length: number, seed: number): Promise<string> {
  const draw = new data.Rng(seed);
  const context = Array.from(prompt.padStart(T, " ").slice(-T), (c) => index.get(c) ?? index.get(" ")!);
  let out = prompt;
  for (let i = 0; i < length; i++) {
    const p = await nextProbs(tensor(Int32Array.from(context.slice(-T)), { shape: [1, T], dtype: "int32" })).data();
    let u = draw.uniform(),
      k = 0;
    while (k < V - 1 && u >= p[k]!) u -= p[k++]!;
    context.push(k);
    out += vocab[k];
  }
  return out;
}

const n = steps(300);
for (let i = 0; i < n; i++) {
  const [x, y] = batch();
  const loss = trainStep(x, y);
  // Read back only every few steps: each read waits for the device, training steps need not.
  if (i % 5 === 0 || i === n - 1) plot("loss", i, await loss.item());
  if (i % 100 === 0 || i === n - 1) {
    console.log(`step ${i}, loss ${(await loss.item()).toFixed(3)}:`);
    // steps(60): a quick run (Settings) writes a few characters, not 60.
    console.log(`  ${JSON.stringify(await sample("Alice ", steps(60), i))}`);
  }
}
