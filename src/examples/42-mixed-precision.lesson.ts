import { defineLesson } from "../app/lessons/types";

export default defineLesson({
  title: { en: "Mixed precision: float16, loss scaling and master weights", zh: "混合精度：float16、损失缩放与主权重" },
  body: {
    en: [
      "A **float16** number takes 2 bytes instead of float32's 4, so weights, gradients and activations take half the memory and half the bandwidth, and tensor cores compute on it many times faster. But it has 1 sign bit, 5 exponent bits and 10 mantissa bits: only 11 significant bits (about 3 decimal digits), a largest value of 65504, and nothing below the smallest subnormal $2^{-24} \\approx 6 \\times 10^{-8}$. The first lines show it: 0.1 and 1/3 round, 2049 becomes 2048, 70000 becomes infinity.",
      "Three things go wrong in training. **Overflow**: a large activation ($300^2 = 90000$) becomes inf. **Underflow**: small gradients ($10^{-8}$) become 0, so those weights stop learning. **Lost updates**: near 1 the float16 spacing is about $5 \\times 10^{-4}$, so $1 - 0.0002$ rounds back to 1 and a small learning-rate step vanishes.",
      "**Mixed-precision training** (Micikevicius et al. 2018) answers each. It keeps an fp32 **master copy** of the weights and applies the updates there, so small steps accumulate. Each step casts the master weights to float16 and runs forward and backward in float16. Before backward it multiplies the loss by a **loss scale** $S$: by the chain rule every gradient is multiplied by $S$ too, lifting it above the underflow line; the gradient is then cast to float32 and divided by $S$ before the update, $g = \\frac{1}{S}\\nabla_w(S\\,L)$. (Frameworks adjust $S$ dynamically: halve it and skip the step when a gradient overflows, grow it again after a run of good steps; this example uses a fixed $S = 1024$.)",
      "The last part trains the same linear regression three ways from the same start: in float32, in pure float16 (weights, gradients and updates all in half) and in mixed precision. Mixed precision follows the float32 curve down until the float16 rounding of its data and forward pass sets a floor; pure float16 stalls much earlier and higher, once its updates fall below the float16 spacing of its weights and round away.",
    ].join("\n\n"),
    zh: [
      "**float16** 只占 2 字节，而 float32 占 4 字节，所以权重、梯度和激活占用的显存和带宽都减半，张量核（tensor core）上的计算还快很多倍。但它只有 1 位符号、5 位指数和 10 位尾数：有效位只有 11 位（约 3 位十进制数字），最大值 65504，比最小的次正规数 $2^{-24} \\approx 6 \\times 10^{-8}$ 更小的值都表示不了。前几行输出就说明了这一点：0.1 和 1/3 被舍入，2049 变成 2048，70000 变成无穷大。",
      "训练中会出三种问题。**上溢**：较大的激活（$300^2 = 90000$）变成 inf。**下溢**：很小的梯度（$10^{-8}$）变成 0，对应的权重就不再学习。**更新丢失**：在 1 附近 float16 的间距约为 $5 \\times 10^{-4}$，所以 $1 - 0.0002$ 又舍入回 1，学习率乘出来的小步更新消失了。",
      "**混合精度训练**（Micikevicius 等，2018）逐一解决这些问题。它保留一份 fp32 的**主权重**，更新都作用在主权重上，小步更新得以累积。每一步把主权重转成 float16，用 float16 做前向和反向。反向之前先把损失乘以**损失缩放因子** $S$：由链式法则，每个梯度也都乘上了 $S$，被抬到下溢线以上；随后把梯度转成 float32 并除以 $S$ 再做更新，$g = \\frac{1}{S}\\nabla_w(S\\,L)$。（框架会动态调整 $S$：梯度溢出时把它减半并跳过这一步，连续若干步正常后再增大；本例使用固定的 $S = 1024$。）",
      "最后一部分从同一起点用三种方式训练同一个线性回归：float32、纯 float16（权重、梯度和更新全用半精度）以及混合精度。混合精度一路跟随 float32 的曲线下降，直到数据和前向计算的 float16 舍入误差形成下限；纯 float16 则早得多、也高得多地停滞下来：一旦更新量小于其权重处的 float16 间距，更新就被舍入掉了。",
    ].join("\n\n"),
  },
  lookAt: {
    en: "The console: what a half holds and the three failures; the Plots panel: the loss (log₁₀) of float32, pure float16 and mixed-precision training of the same model.",
    zh: "控制台：半精度能表示什么，以及三种问题；绘图面板：同一模型用 float32、纯 float16 和混合精度训练时的损失（log₁₀）。",
  },
  panel: "plots",
  formulas: [
    {
      tex: "L = \\frac{1}{n}\\sum_{i=1}^{n} \\big(x_i^\\top w - y_i\\big)^2",
      line: "const mse = (x: Tensor, w: Tensor, y: Tensor) =>",
      label: { en: "the loss of the regression", zh: "回归的损失" },
    },
    {
      tex: "\\nabla_w (S\\,L) = S\\,\\nabla_w L",
      line: "loss.mul(S).backward();",
      label: { en: "loss scaling: every gradient is scaled by S", zh: "损失缩放：每个梯度都被放大 S 倍" },
    },
    {
      tex: "g_{32} = \\frac{1}{S}\\,\\operatorname{float32}\\big(\\nabla_{w_{16}}(S\\,L)\\big)",
      line: "const grad32 = w16.grad!.float().div(S);",
      label: { en: "unscale in float32", zh: "在 float32 中除去缩放" },
    },
    {
      tex: "w_{32} \\leftarrow w_{32} - \\eta\\, g_{32}",
      line: "return [master.sub(grad32.mul(lr)), loss] as const;",
      label: { en: "update the float32 master weights", zh: "更新 float32 主权重" },
    },
  ],
  comments: {
    "1. What a half holds. Printed with more digits than the tensor's own view shows.": "1. 半精度能表示什么。打印的位数比张量自己显示的更多。",
    "2. The three failures.": "2. 三种问题。",
    "3. Train y = X·w* three ways: float32, pure float16 (weights, gradients and updates in half) and":
      "3. 用三种方式训练 y = X·w*：float32、纯 float16（权重、梯度和更新都用半精度）以及",
    "mixed (float32 master weights, float16 forward and backward with loss scaling).": "混合精度（float32 主权重，float16 前向和反向，并做损失缩放）。",
    "One step of plain SGD in the weights' own dtype.": "用权重自身的数据类型做一步普通 SGD。",
    "One mixed-precision step: cast the master weights to half, backward the scaled loss in half,":
      "一步混合精度训练：把主权重转成半精度，用半精度对缩放后的损失做反向，",
    "unscale the gradient in float32 and update the float32 master.": "在 float32 中除去梯度的缩放，再更新 float32 主权重。",
  },
});
