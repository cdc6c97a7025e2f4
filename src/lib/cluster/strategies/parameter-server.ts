/**
 * Data parallel training through a parameter server, synchronous or asynchronous. The server(s)
 * hold the model and its optimizer; each step the workers compute gradients on their slices of
 * the batch, push them (`dist.parameterServer`), the server averages them and takes the optimizer
 * step, and the workers pull the new parameters.
 *
 * Asynchronous training is modelled as bounded staleness k (Ho et al., "More effective distributed
 * ML via a stale synchronous parallel parameter server", NIPS 2013): a worker does not wait for the
 * pull, so the gradient applied at step t was computed on the parameters of step t − k,
 * w_{t+1} = w_t − η·g(w_{t−k}). k = 0 is synchronous SGD. The gain is time (communication hides
 * behind the next step's compute); the price is a gradient that points where the model was, not
 * where it is, which slows or destabilises training as k·η grows.
 * @module
 */
import type { Module } from "../../nn/module";
import type { Optimizer } from "../../optim/optimizer";
import { tensor } from "../../ops/creation";
import type { Tensor } from "../../tensor/tensor";
import { parameterServer } from "../collectives/parameter-server";
import type { SimDevice } from "../device";
import { DistError } from "../errors";
import { DeviceTensor } from "../placement";
import { batchOf, flatGrads, paramTimes, replicate, splitBatch, tokensOf, writeFlat } from "./common";

/**
 * Options of parameter-server training.
 * @example new dist.ParameterServer(make, workers, { servers: c.devices[8], optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }), staleness: 2 })
 */
export interface ParameterServerTrainingOptions {
  /** Server device(s), not among the workers; the parameters are sharded over them. */
  servers: SimDevice | SimDevice[];
  /** The optimizer the server runs on the averaged gradient. */
  optimizer: (params: Tensor[]) => Optimizer;
  /** Steps a worker's parameters may lag the server's (0: synchronous; default 0). */
  staleness?: number;
}

/**
 * What one parameter-server step reports.
 * @example const { loss, time, commTime, version } = ps.step(x, y, (o, t) => nn.mse(o, t));
 */
export interface ParameterServerStep {
  /** Mean of the workers' losses, on the (possibly stale) parameters they computed with. */
  loss: number;
  /** Which parameter version the gradients were computed on (the step number minus the staleness, at least 0). */
  version: number;
  /** Forward + backward on one worker (roofline, simulated seconds). */
  computeTime: number;
  /** Push and pull (the simulated clock of `dist.parameterServer`). */
  commTime: number;
  /** The step: compute + communication when synchronous, max(compute, communication) when the pull overlaps the next step. */
  time: number;
}

/** The model's parameters as one flat Float32Array. */
function flatParams(params: readonly Tensor[]): Float32Array {
  const out = new Float32Array(params.reduce((s, p) => s + p.size, 0));
  let at = 0;
  for (const p of params) {
    out.set(p.dataSync() as Float32Array, at);
    at += p.size;
  }
  return out;
}

/**
 * Parameter-server data parallelism over `workers`, with the model on `servers`.
 * @example
 * const c = dist.cluster({ devicesPerNode: 5, topology: "switch" });
 * const ps = new dist.ParameterServer(make, c.devices.slice(0, 4), { servers: c.devices[4], optimizer: (p) => optim.sgd(p, { lr: 0.1 }), staleness: 1 });
 * for (let i = 0; i < 20; i++) ps.step(x, y, (o, t) => nn.mse(o, t));
 * ps.model   // the server's model
 */
export class ParameterServer<M extends Module = Module> {
  /** The server's model (the one the optimizer updates). */
  readonly model: M;
  readonly optimizer: Optimizer;
  /** One replica per worker, holding the parameters that worker last pulled. */
  readonly replicas: M[];
  readonly staleness: number;
  private readonly servers: SimDevice[];
  /** Parameter versions pulled so far, the newest last (only the last staleness + 1 are kept). */
  private readonly history: Float32Array[] = [];
  private steps = 0;
  constructor(
    factory: () => M,
    readonly workers: SimDevice[],
    opts: ParameterServerTrainingOptions,
  ) {
    if (!Array.isArray(workers) || workers.length === 0) throw new DistError("ParameterServer", "needs at least one worker device");
    const k = opts.staleness ?? 0;
    if (!Number.isInteger(k) || k < 0) throw new DistError("ParameterServer", `staleness must be a whole number of steps ≥ 0, got ${k}`);
    this.staleness = k;
    this.servers = Array.isArray(opts.servers) ? opts.servers : [opts.servers];
    this.model = factory();
    this.optimizer = opts.optimizer(this.model.parameters());
    this.replicas = workers.map(() => replicate(factory, this.model));
    this.history.push(flatParams(this.model.parameters()));
  }

  /** One step on the batch (x, y), split across the workers. */
  step(xIn: Tensor | DeviceTensor, yIn: Tensor | DeviceTensor, lossFn: (out: Tensor, y: Tensor) => Tensor): ParameterServerStep {
    const op = "ParameterServer.step";
    const x = batchOf(op, xIn, this.workers),
      y = batchOf(op, yIn, this.workers, "the targets");
    const N = this.workers.length;
    const xs = splitBatch(op, x, N),
      ys = splitBatch(op, y, N);
    // The parameters the workers compute with: k versions behind the server's (the oldest kept).
    const stale = this.history[0];
    const version = Math.max(0, this.steps - this.staleness);
    let lossSum = 0;
    const grads = this.replicas.map((m, r) => {
      writeFlat(m.parameters(), stale, "data");
      for (const p of m.parameters()) p.grad = null;
      const l = lossFn(m.forward(xs[r]), ys[r]);
      l.backward();
      lossSum += l.itemSync();
      return new DeviceTensor(tensor(flatGrads(m.parameters())), this.workers[r], "gradients");
    });
    const params = this.model.parameters();
    const res = parameterServer(grads, {
      servers: this.servers,
      emit: false,
      update: (sum) => {
        const mean = Float32Array.from(sum, (g) => g / N);
        writeFlat(params, mean, "grad");
        this.optimizer.step();
        return flatParams(params);
      },
    });
    this.history.push(res.outputs[0].tensor.dataSync() as Float32Array);
    while (this.history.length > this.staleness + 1) this.history.shift();
    grads.forEach((g) => g.free());
    res.outputs.forEach((o) => o.free());
    this.steps++;
    const spec = this.workers[0].spec;
    const tokens = tokensOf(xs[0]);
    const computeTime = params.reduce((s, q) => {
      const t = paramTimes(spec, q.size, tokens);
      return s + t.forward + t.backward;
    }, 0);
    const commTime = res.time;
    const time = this.staleness === 0 ? computeTime + commTime : Math.max(computeTime, commTime);
    return { loss: lossSum / N, version, computeTime, commTime, time };
  }
}
