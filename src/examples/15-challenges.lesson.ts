import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: {
    en: "AD challenges: higher order, complex numbers, differentiable programs, and memory (recomputation)",
    zh: "自动微分的挑战：高阶导数、复数、可微编程与内存（重计算）",
  },
  body: {
    en: `Automatic differentiation — challenges and where it is going.

**Higher order.** Derivatives compose: \`hessian\` is forward-over-reverse, $H = J(\\nabla f)$, and \`grad(grad(grad(f)))\` gives the third derivative. But each order differentiates the program of the previous derivative, and that program grows: count the ops per order.

**Complex numbers.** A real loss $L$ of a complex $z = x + iy$ is not holomorphic (unless it is constant), so $dL/dz$ does not exist. Wirtinger calculus treats $z$ and $\\bar z$ as independent variables:

$$\\frac{\\partial}{\\partial z} = \\tfrac12\\left(\\partial_x - i\\,\\partial_y\\right), \\qquad \\frac{\\partial}{\\partial \\bar z} = \\tfrac12\\left(\\partial_x + i\\,\\partial_y\\right).$$

PyTorch's convention for a real loss: \`z.grad\` holds $\\partial L/\\partial x + i\\,\\partial L/\\partial y = 2\\,\\partial L/\\partial \\bar z$, the conjugate Wirtinger derivative (its notes write $\\partial L/\\partial z^*$; the number stored carries the factor 2: \`abs\`'s backward gives $z/|z|$). It is the direction of steepest ascent in the plane, so $z \\leftarrow z - \\eta\\, z.\\mathrm{grad}$ descends as for reals. For $L = |f(z)|^2$ with holomorphic $f$, $2\\,\\partial L/\\partial \\bar z = 2 f(z)\\,\\overline{f'(z)}$. webgrad has no complex dtype: the example differentiates the real pair $(x, y)$, gets the same number, and walks $z$ to a root of $z^2 + 1$.

**Differentiable programming.** Whole programs, not only layers: \`grad\` differentiates through a loop of $T$ Euler steps of a ball against linear drag, $x_{t+1} = x_t + \\Delta t\\, v_t$, $v_{t+1} = (1 - k\\Delta t)\\, v_t$, and matches the closed form $\\partial x_T / \\partial v_0 = (1 - (1 - k\\Delta t)^T)/k$. The tape holds every step, so memory grows with $T$. A discrete choice — rounding, $\\arg\\max$, ranks from a sort, an \`if\` on data — is piecewise constant: its derivative is $0$ almost everywhere (undefined at the jumps), so the gradient says nothing and descent cannot move. Frameworks return $0$ (webgrad's \`round\`, \`floor\`, \`sign\`; \`argmax\` gives integers). The fixes relax the choice: softmax for argmax, a sigmoid for a step, straight-through estimators.

**Memory.** Reverse mode must keep every intermediate the backward needs — for a layer $h_{i+1} = \\tanh(h_i W_i)$, the input $h_i$ (for the matmul's gradient) and the output (for $\\tanh' = 1 - \\tanh^2$). These **activations** grow with depth and batch; the weights stay in memory anyway and are not counted. **Checkpointing** (recomputation) keeps only each block's input and recomputes the inside during backward. The knob picks which hidden states to keep: every $k$-th. With $L$ layers and $S$ bytes per hidden state, $(L/k + 1)\\,S$ are kept; each block is rebuilt once in backward ($2L$ ops here, for every $k$: one extra forward); while a block is rebuilt its inner states live again, so the peak is about $(L/k + k)\\,S$, smallest near $k = \\sqrt L$ (Chen et al., 2016). Selective recomputation in large models (Megatron-LM) makes the same choice per tensor: keep what is costly to recompute (matmul outputs), recompute what is cheap and large (attention's softmax and dropout).`,
    zh: `自动微分：面临的挑战与未来的方向。

**高阶导数。** 导数可以组合：\`hessian\` 是“反向之上再做前向”，$H = J(\\nabla f)$；\`grad(grad(grad(f)))\` 给出三阶导数。但每一阶都是在对上一阶导数的程序求导，而这个程序会越来越大：数一数每阶的算子数量。

**复数。** 复数 $z = x + iy$ 的实值损失 $L$ 不是全纯函数（除非它是常数），所以 $dL/dz$ 不存在。Wirtinger 微积分把 $z$ 和 $\\bar z$ 当作相互独立的变量：

$$\\frac{\\partial}{\\partial z} = \\tfrac12\\left(\\partial_x - i\\,\\partial_y\\right), \\qquad \\frac{\\partial}{\\partial \\bar z} = \\tfrac12\\left(\\partial_x + i\\,\\partial_y\\right).$$

PyTorch 对实值损失的约定：\`z.grad\` 存的是 $\\partial L/\\partial x + i\\,\\partial L/\\partial y = 2\\,\\partial L/\\partial \\bar z$，即共轭 Wirtinger 导数（文档中写作 $\\partial L/\\partial z^*$；实际存下的数带着因子 2：\`abs\` 的反向给出 $z/|z|$）。它是复平面上最速上升的方向，所以 $z \\leftarrow z - \\eta\\, z.\\mathrm{grad}$ 与实数情形一样能下降。对 $L = |f(z)|^2$（$f$ 全纯）有 $2\\,\\partial L/\\partial \\bar z = 2 f(z)\\,\\overline{f'(z)}$。webgrad 没有复数 dtype：示例对实数对 $(x, y)$ 求导，得到同一个数，再用它把 $z$ 走到 $z^2 + 1$ 的一个根。

**可微编程。** 对整个程序求导，而不只是对网络层：\`grad\` 穿过一个 $T$ 步的循环——用显式欧拉法模拟受线性阻力的小球，$x_{t+1} = x_t + \\Delta t\\, v_t$，$v_{t+1} = (1 - k\\Delta t)\\, v_t$——结果与解析式 $\\partial x_T / \\partial v_0 = (1 - (1 - k\\Delta t)^T)/k$ 一致。tape 保存了每一步，所以内存随 $T$ 增长。离散的选择——取整、$\\arg\\max$、排序得到的名次、依赖数据的 \`if\`——是分段常数：导数几乎处处为 $0$（在跳变点上无定义），梯度不提供任何信息，梯度下降也就走不动。框架在这里返回 $0$（webgrad 的 \`round\`、\`floor\`、\`sign\`；\`argmax\` 返回整数）。解决办法是把选择松弛成连续的：用 softmax 代替 argmax，用 sigmoid 代替阶跃，或用直通估计器（straight-through estimator）。

**内存。** 反向模式必须保留反向传播需要的每个中间结果——对于一层 $h_{i+1} = \\tanh(h_i W_i)$，要保存输入 $h_i$（用于矩阵乘法的梯度）和输出（用于 $\\tanh' = 1 - \\tanh^2$）。这些**激活值**随网络深度和批大小增长；权重无论如何都常驻内存，不计入其中。**重计算**（checkpointing）只保存每个块的输入，在反向传播时重新计算块内部。旋钮决定保留哪些隐藏状态：每隔 $k$ 层保留一个。设共有 $L$ 层、每个隐藏状态 $S$ 字节，则保留 $(L/k + 1)\\,S$；反向时每个块重算一次（这里是 $2L$ 个算子，与 $k$ 无关：相当于多做一次前向）；重算某个块时，块内的状态会重新存在，所以峰值约为 $(L/k + k)\\,S$，在 $k = \\sqrt L$ 附近最小（Chen 等，2016）。大模型中的选择性重计算（Megatron-LM）对每个张量做同样的取舍：保留重算代价高的（矩阵乘法的输出），重算便宜而占内存大的（注意力的 softmax 和 dropout）。`,
  },
  lookAt: {
    en: "the Console: Hessian vs closed form, ops per derivative order, PyTorch's complex z.grad from the real pair vs 2·f·conj(f′), the gradient through the simulation loop vs its closed form and the zero gradient of the rounded one, then the memory table — move the knob “checkpoint blocks of” and compare kept bytes, recomputed ops and the peak. The Plots panel: tanh's derivatives, z's path to the root i, memory by block size. The Tape panel: the chosen run's tape, the checkpointed blocks recomputed during backward",
    zh: "控制台：hessian() 与解析式的对比、各阶导数的算子数、由实数对求出的 PyTorch 复数 z.grad 与 2·f·conj(f′) 的对比、穿过模拟循环的梯度与解析式的对比，以及取整之后梯度为零；最后是内存表——拖动旋钮“checkpoint blocks of”，比较保留的字节数、重算的算子数和峰值。“图表”面板：tanh 的各阶导数、z 走向根 i 的路径、不同块大小下的内存。“Tape”面板：所选方案的 tape，反向传播时被重新计算的块",
  },
  panel: "console",
  formulas: [
    {
      tex: "H = \\begin{bmatrix} 2b & 2a & 0 \\\\ 2a & -c^2 \\sin bc & \\cos bc - bc \\sin bc \\\\ 0 & \\cos bc - bc \\sin bc & -b^2 \\sin bc \\end{bmatrix}",
      line: "const closed = [",
      label: { en: "Hessian of f(a, b, c) = a²b + sin(bc), by hand", zh: "f(a, b, c) = a²b + sin(bc) 的 Hessian，手推" },
    },
    { tex: "H = J(\\nabla f)", line: 'jit(hessian(f), { name: "hessian" })', label: { en: "forward-over-reverse", zh: "反向之上再做前向" } },
    {
      tex: "\\tanh''' x = (6t^2 - 2)(1 - t^2), \\quad t = \\tanh x",
      line: "(6 * t * t - 2) * (1 - t * t)",
      label: { en: "closed form of the third derivative", zh: "三阶导数的解析式" },
    },
    {
      tex: "z.\\mathrm{grad} = \\frac{\\partial L}{\\partial x} + i\\,\\frac{\\partial L}{\\partial y} = 2\\,\\frac{\\partial L}{\\partial \\bar z}",
      line: "const [gx, gy] = (await grad(lossXY)(tensor(z0)).tolist()) as number[];",
      label: { en: "PyTorch's gradient of a real loss of complex z", zh: "PyTorch 对复数 z 的实值损失给出的梯度" },
    },
    {
      tex: "2\\,\\frac{\\partial |f(z)|^2}{\\partial \\bar z} = 2 f(z)\\, \\overline{f'(z)}",
      line: "return [2 * (fr * dr - fi * di), 2 * (fr * di + fi * dr)];",
      label: { en: "closed form, f(z) = z² + 1", zh: "解析式，f(z) = z² + 1" },
    },
    {
      tex: "z \\leftarrow z - \\eta\\, z.\\mathrm{grad}",
      line: "[zx, zy] = [zx - 0.05 * dx, zy - 0.05 * dy];",
      label: { en: "complex gradient descent", zh: "复数上的梯度下降" },
    },
    {
      tex: "x_{t+1} = x_t + \\Delta t\\, v_t, \\quad v_{t+1} = (1 - k\\Delta t)\\, v_t",
      line: "for (let t = 0; t < T; t++) [x, v] = [x.add(v.mul(dt)), v.sub(v.mul(drag * dt))];",
      label: { en: "one Euler step of the simulation loop", zh: "模拟循环中的一步欧拉法" },
    },
    {
      tex: "\\frac{\\partial x_T}{\\partial v_0} = \\frac{1 - (1 - k\\Delta t)^T}{k}",
      line: "((1 - (1 - drag * dt) ** T) / drag).toFixed(5)",
      label: { en: "the loop's derivative by hand", zh: "手推循环的导数" },
    },
    {
      tex: "\\frac{d}{dv_0}\\,\\mathrm{round}(x_T) = 0 \\text{ almost everywhere}",
      line: "const hit = (v0: Tensor) => simulate(v0).round().sub(target).square().sum();",
      label: { en: "a discrete choice has no useful gradient", zh: "离散选择没有可用的梯度" },
    },
    {
      tex: "h_{i+1} = \\tanh(h_i W_i)",
      line: "h.matmul(Ws[i]!).tanh()",
      label: { en: "one layer", zh: "一层" },
    },
    {
      tex: "h_{i+k} = \\tanh(\\cdots \\tanh(h_i W_i) \\cdots W_{i+k-1})",
      line: "else for (let i = 0; i < depth; i += k) h = checkpoint(block(i, k))(h);",
      label: {
        en: "checkpointed blocks of k layers: only each block's input h_i is saved, the inside is recomputed in backward",
        zh: "每 k 层一块做重计算：只保存每块的输入 h_i，块内部在反向时重新计算",
      },
    },
    {
      tex: "M_{\\text{kept}} = \\left(\\tfrac{L}{k} + 1\\right) S",
      line: "const kept = (depth / k + 1) * state;",
      label: { en: "activations kept for backward", zh: "为反向保留的激活值" },
    },
    {
      tex: "M_{\\text{peak}} \\approx \\left(\\tfrac{L}{k} + k\\right) S, \\quad \\text{smallest near } k = \\sqrt{L}",
      line: "const peak = (depth / k + k) * state;",
      label: { en: "peak while one block is rebuilt", zh: "重建一个块时的峰值" },
    },
  ],
  comments: {
    "---------------------------------------------------------------- 1. the Hessian":
      "---------------------------------------------------------------- 1. Hessian 矩阵",
    "f(a, b, c) = a²·b + sin(b·c). Its Hessian by hand:": "f(a, b, c) = a²·b + sin(b·c)。手推的 Hessian：",
    "[ 2b   2a                  0               ]": "[ 2b   2a                  0               ]",
    "[ 2a   −c² sin(bc)         cos(bc) − bc sin(bc) ]": "[ 2a   −c² sin(bc)         cos(bc) − bc sin(bc) ]",
    "[ 0    cos(bc) − bc sin(bc)  −b² sin(bc)      ]": "[ 0    cos(bc) − bc sin(bc)  −b² sin(bc)      ]",
    "---------------------------------------------------------------- 2. higher order: tanh":
      "---------------------------------------------------------------- 2. 高阶导数：tanh",
    "Summing first makes each level a scalar function whose gradient is the elementwise derivative.": "先求和，使每一阶都是标量函数，其梯度就是逐元素的导数。",
    "Each order differentiates the program of the previous one: count its ops.": "每一阶都对上一阶的程序求导：数一数它的算子。",
    "Check the third derivative at 0.5 against the closed form (6t² − 2)(1 − t²), t = tanh x.":
      "在 0.5 处把三阶导数与解析式 (6t² − 2)(1 − t²)（t = tanh x）对比。",
    "---------------------------------------------------------------- 3. complex numbers":
      "---------------------------------------------------------------- 3. 复数",
    "L(z) = |z² + 1|² is real, so it is not holomorphic: there is no f′(z) to take. Write z = x + iy and":
      "L(z) = |z² + 1|² 是实数，所以它不是全纯函数：没有 f′(z) 可求。写成 z = x + iy，",
    "differentiate the real pair; PyTorch reports the gradient of a real loss as z.grad = ∂L/∂x + i·∂L/∂y,":
      "对实数对求导；对实值损失，PyTorch 报告的梯度是 z.grad = ∂L/∂x + i·∂L/∂y，",
    "which is 2·∂L/∂z̄ (the conjugate Wirtinger derivative, times 2): the steepest-ascent direction.":
      "即 2·∂L/∂z̄（共轭 Wirtinger 导数的 2 倍）：最速上升的方向。",
    "Re(z² + 1)": "Re(z² + 1)",
    "Im(z² + 1)": "Im(z² + 1)",
    "2·∂L/∂z̄ = 2·f(z)·conj(f′(z)) for L = |f(z)|², f(z) = z² + 1, f′(z) = 2z: as (re, im).":
      "对 L = |f(z)|²、f(z) = z² + 1、f′(z) = 2z，有 2·∂L/∂z̄ = 2·f(z)·conj(f′(z))：以 (实部, 虚部) 返回。",
    "conj(2z)": "conj(2z)",
    "Gradient descent with that z.grad walks z to a root of z² + 1 (here +i).": "用这个 z.grad 做梯度下降，z 会走到 z² + 1 的一个根（这里是 +i）。",
    "---------------------------------------------------------------- 4. differentiable programming":
      "---------------------------------------------------------------- 4. 可微编程",
    "A ball thrown with speed v0 against linear drag, simulated by T explicit Euler steps: a loop.":
      "以速度 v0 抛出、受线性阻力的小球，用 T 步显式欧拉法模拟：一个循环。",
    "grad differentiates through every step of it; by hand, x_T = Σ dt·v_t with v_t = (1 − k·dt)^t·v0.":
      "grad 穿过其中每一步求导；手推：x_T = Σ dt·v_t，其中 v_t = (1 − k·dt)^t·v0。",
    "Round the landing spot to a whole metre (a bin, like argmax picking a class): piecewise constant,":
      "把落点取整到整米（分到一个桶里，就像 argmax 选出一个类别）：分段常数，",
    "so its gradient is 0 almost everywhere and gradient descent cannot move v0.": "所以它的梯度几乎处处为 0，梯度下降无法移动 v0。",
    "---------------------------------------------------------------- 5. memory vs recomputation":
      "---------------------------------------------------------------- 5. 内存与重计算",
    'The knob picks which hidden states to keep: every k-th (blocks of k layers), or all ("none").':
      "旋钮决定保留哪些隐藏状态：每隔 k 层一个（k 层一块），或者全部保留（“none”）。",
    "one hidden state h_i, fp32": "一个隐藏状态 h_i，fp32",
    "Closed forms, one hidden state S = batch·width·4 bytes: kept (L/k + 1)·S; recomputed 2L ops (each":
      "解析式，一个隐藏状态 S = batch·width·4 字节：保留 (L/k + 1)·S；重算 2L 个算子（每个",
    "block's matmul and tanh once more); peak in backward ≈ (L/k + 1 + k − 1)·S while one block is rebuilt.":
      "块的 matmul 和 tanh 各再算一次）；重建一个块时反向传播的峰值 ≈ (L/k + 1 + k − 1)·S。",
    "A deep stack of tanh layers. Backward needs each layer's input (for matmul) and output (for tanh);":
      "一个很深的 tanh 层堆叠。反向传播需要每层的输入（用于 matmul）和输出（用于 tanh）；",
    "the output of one layer is the input of the next, so without checkpointing every hidden state is":
      "一层的输出就是下一层的输入，所以不做重计算时，每个隐藏状态都要",
    "kept. Checkpointing a block of layers keeps only the block's input and recomputes the rest.":
      "保留。对一块层做重计算只保留这一块的输入，其余部分在反向时重新计算。",
    "What checkpointing changes: the activations autograd keeps until backward (each tensor once, even":
      "重计算改变的是：自动微分保留到反向传播的激活值（每个张量只算一次，即使",
    "when two ops save it). The weights are saved by every matmul too, but they stay in memory anyway.":
      "有两个算子保存了它）。每个 matmul 也保存了权重，但权重无论如何都留在内存中。",
    "Count the forward ops recomputed during backward (each one is recorded again as it runs).":
      "统计反向传播中被重新计算的前向算子（每个在运行时会被再次记录）。",
  },
});
