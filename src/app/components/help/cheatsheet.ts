/**
 * The rows of Help → PyTorch → webgrad: a PyTorch line, the webgrad line that does the same, and
 * the catalogue key of the note that says why they differ. The code is code in both languages.
 * @module
 */
import type { MessageKey } from "../../i18n/catalogue";

/** One line of the cheat sheet. */
export interface CheatRow {
  torch: string;
  webgrad: string;
  /** Why they differ (or that they do not). */
  note: MessageKey;
}

/** In the order a first program meets them: tensors, autodiff, modules, training, transforms. */
export const cheatRows: readonly CheatRow[] = [
  { torch: "import torch\nimport torch.nn as nn", webgrad: 'import { tensor, randn, nn, optim } from "webgrad";', note: "cheatsheet.import" },
  { torch: "torch.tensor([[1., 2.], [3., 4.]])", webgrad: "tensor([[1, 2], [3, 4]])", note: "cheatsheet.tensor" },
  { torch: "torch.randn(3, 4)", webgrad: "randn([3, 4])", note: "cheatsheet.shapes" },
  { torch: "torch.zeros(3, requires_grad=True)", webgrad: "zeros([3], { requiresGrad: true })", note: "cheatsheet.requiresGrad" },
  { torch: "x @ w + b", webgrad: "x.matmul(w).add(b)", note: "cheatsheet.operators" },
  { torch: "x.sum(dim=1, keepdim=True)", webgrad: "x.sum(1, true)", note: "cheatsheet.reduce" },
  { torch: "x.view(-1, 4)", webgrad: "x.reshape([-1, 4])", note: "cheatsheet.reshape" },
  { torch: "x[0, 1:3]", webgrad: "x.slice(0, [1, 3])", note: "cheatsheet.slice" },
  { torch: "loss.item()", webgrad: "await loss.item()", note: "cheatsheet.item" },
  { torch: "print(x)", webgrad: "console.log(x)", note: "cheatsheet.print" },
  { torch: "loss.backward()\nw.grad", webgrad: "loss.backward();\nw.grad", note: "cheatsheet.backward" },
  { torch: "with torch.no_grad():\n    y = model(x)", webgrad: "const y = noGrad(() => model.forward(x));", note: "cheatsheet.noGrad" },
  {
    torch: "class MLP(nn.Module):\n    def forward(self, x): …",
    webgrad: "class MLP extends nn.Module {\n  forward(x: Tensor) { … }\n}",
    note: "cheatsheet.module",
  },
  {
    torch: "nn.Linear(2, 16)\nnn.Sequential(nn.Linear(2, 16), nn.ReLU())",
    webgrad: "new nn.Linear(2, 16)\nnn.sequential(nn.linear(2, 16), nn.relu())",
    note: "cheatsheet.linear",
  },
  { torch: "model(x)", webgrad: "model.forward(x)", note: "cheatsheet.call" },
  { torch: "F.cross_entropy(logits, y)", webgrad: "nn.crossEntropy(logits, y)", note: "cheatsheet.loss" },
  { torch: "torch.optim.Adam(model.parameters(), lr=1e-2)", webgrad: "optim.adam(model.parameters(), { lr: 1e-2 })", note: "cheatsheet.optimizer" },
  { torch: "opt.zero_grad()\nloss.backward()\nopt.step()", webgrad: "opt.zeroGrad();\nloss.backward();\nopt.step();", note: "cheatsheet.step" },
  { torch: "torch.manual_seed(0)", webgrad: "manualSeed(0)", note: "cheatsheet.seed" },
  { torch: "torch.compile(f)", webgrad: "jit(f)", note: "cheatsheet.compile" },
  { torch: "torch.func.grad(f)", webgrad: "grad(f)", note: "cheatsheet.grad" },
];
