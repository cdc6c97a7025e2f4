import { describe, expect, it } from "vitest";
import { arange, dist, eye, onEvent, full, linspace, nn, ones, onesLike, optim, rand, randint, randn, tensor, zeros, zerosLike } from "webgrad";

describe("ordinary creation functions place tensors on simulated devices", () => {
  it("device: SimDevice gives a DeviceTensor whose bytes are accounted there", () => {
    const c = dist.cluster({ devicesPerNode: 2 });
    const [d0, d1] = c.devices;
    const made = [
      tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { device: d0 },
      ),
      zeros([8], { device: d0 }),
      ones([8], { device: d0 }),
      full([2, 4], 3, { device: d0 }),
      randn([16], { device: d0, seed: 1 }),
      rand([16], { device: d0, seed: 1 }),
      randint(0, 5, [4], { device: d0, seed: 1 }),
      arange(0, 8, 1, { device: d0 }),
      linspace(0, 1, 5, { device: d0 }),
      eye(3, undefined, { device: d0 }),
      zerosLike(randn([4]), { device: d0 }),
      onesLike(randn([4]), { device: d0 }),
    ];
    for (const t of made) {
      expect(t).toBeInstanceOf(dist.DeviceTensor);
      expect(t.device).toBe(d0);
      expect(t.tensor.device).toBe("cpu");
    }
    const bytes = made.reduce((s, t) => s + t.nbytes, 0);
    expect(d0.memory.activations).toBe(bytes);
    expect(d1.memory.activations).toBe(0);
    expect(made[0].tensor.tolistSync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(made[3].tensor.tolistSync()).toEqual([
      [3, 3, 3, 3],
      [3, 3, 3, 3],
    ]);
    expect(made[7].tensor.tolistSync()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The same seed gives the same numbers with or without a device.
    expect(made[4].tensor.tolistSync()).toEqual(randn([16], { seed: 1 }).tolistSync());
    for (const t of made) t.free();
    expect(d0.usedBytes).toBe(0);
    // Without a simulated device nothing changes: a plain Tensor.
    expect(randn([2])).not.toBeInstanceOf(dist.DeviceTensor);
    expect(zeros([2], { device: "cpu" }).device).toBe("cpu");
  });

  it("running out of device memory is the OutOfMemoryError naming the device, the shape and the bytes", () => {
    const tiny = { name: "tiny", peakFlops: { float32: 1e12 }, memoryBandwidth: 1e11, memoryCapacity: 4096 };
    const c = dist.cluster({ devicesPerNode: 2, device: tiny });
    const d1 = c.devices[1];
    const a = zeros([512], { device: d1 }); // 2 KiB
    let err: unknown;
    try {
      randn([16, 48], { device: d1 }); // 3 KiB more does not fit
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(dist.OutOfMemoryError);
    const e = err as InstanceType<typeof dist.OutOfMemoryError>;
    expect(e.device).toBe(1);
    expect(e.requested).toBe(3072);
    expect(e.message).toBe(
      "randn: device d1 (tiny, 4.00 KiB) is out of memory: allocating 3.00 KiB of activations for a [16, 48] float32 tensor with 2.00 KiB in use (2.00 KiB free)",
    );
    expect(d1.usedBytes).toBe(2048); // the failed allocation left nothing behind
    a.free();
  });

  it("Tensor.to(SimDevice) is a placed copy; DeviceTensor.to moves over the simulated links or back to a backend", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 2 });
    const [d0, , d2] = c.devices;
    const x = tensor([1, 2, 3, 4]);
    const onD0 = x.to(d0);
    expect(onD0).toBeInstanceOf(dist.DeviceTensor);
    expect(onD0.device).toBe(d0);
    x.add_(10); // a copy: changing the host tensor leaves the device's alone
    expect(onD0.tensor.tolistSync()).toEqual([1, 2, 3, 4]);
    expect(d0.memory.activations).toBe(16);

    // d0 → d2 crosses nodes: a real send (comm event, InfiniBand route), memory on d2.
    const onD2 = onD0.to(d2, "parameters");
    expect(onD2.device).toBe(d2);
    expect(onD2.tensor.tolistSync()).toEqual([1, 2, 3, 4]);
    expect(d2.memory.parameters).toBe(16);
    expect(onD0.to(d0)).toBe(onD0); // already there

    const back = onD2.to("cpu");
    expect(back).not.toBeInstanceOf(dist.DeviceTensor);
    expect(back.tolistSync()).toEqual([1, 2, 3, 4]);
    back.add_(1); // an independent copy
    expect(onD2.tensor.tolistSync()).toEqual([1, 2, 3, 4]);
    expect(onD2.to("int32").dtype).toBe("int32");
    onD0.free();
    expect(() => onD0.to(d2)).toThrow(/was freed/);
  });

  it("DeviceTensor.to(device) reports the transfer as a send collective", () => {
    const c = dist.cluster({ nodes: 2, devicesPerNode: 1 });
    const seen: string[] = [];
    const off = onEvent((e) => {
      if (e.type === "comm" && e.phase === "collective") seen.push(`${e.collective} ${e.devices.join("→")} ${e.bytes}`);
    });
    try {
      zeros([256], { device: c.devices[0] }).to(c.devices[1]);
    } finally {
      off();
    }
    expect(seen).toEqual(["send 0→1 1024"]);
  });

  it("a tensor on the wrong device is a clear error in collectives and strategies", () => {
    const c = dist.cluster({ devicesPerNode: 4 });
    const [d0, d1, d2, d3] = c.devices;
    // A plain tensor in a collective.
    expect(() => dist.allReduce([randn([4], { device: d0 }), randn([4]) as never])).toThrow(
      /dist\.allReduce: shard 1 \(a plain Tensor \[4\] on cpu\) is not on a simulated device: create it there \(randn\(shape, \{ device: d \}\)\) or move it \(t\.to\(d\)\)/,
    );
    // Two shards on one device.
    expect(() => dist.allGather([randn([4], { device: d0 }), randn([4], { device: d0 })])).toThrow(/device d0 appears twice/);
    // A broadcast whose tensor lives outside the group.
    expect(() => dist.broadcast(randn([4], { device: d3 }), [d0, d1, d2])).toThrow(
      "dist.broadcast: the tensor is on d3, which is not among the devices [d0, d1, d2]: move it there first (t.to(d0))",
    );
    // Devices of two clusters.
    const other = dist.cluster({ devicesPerNode: 2 });
    expect(() => dist.allReduce([randn([4], { device: d0 }), randn([4], { device: other.devices[1] })])).toThrow(/belong to different clusters/);
    // A strategy given a batch on a device it does not use.
    const ddp = new dist.DataParallel(() => nn.linear(4, 2, { seed: 1 }), [d0, d1], { optimizer: (ps) => optim.sgd(ps, { lr: 0.1 }) });
    const y = randn([4, 2], { seed: 2 });
    expect(() => ddp.step(randn([4, 4], { device: d3, seed: 1 }), y, (o, t) => nn.mse(o, t))).toThrow(
      /DataParallel\.step: the batch \[4, 4\] is on device d3, which is not one of this strategy's devices \(d0, d1\): move it with \.to\(d0\)/,
    );
    // A batch on one of its devices is split from there, same as the host tensor.
    const a = ddp.step(randn([4, 4], { device: d0, seed: 1 }), y, (o, t) => nn.mse(o, t));
    expect(Number.isFinite(a.loss)).toBe(true);
    // dist.run with a tensor on another device names both.
    expect(() => dist.run(d1, (t) => t.neg(), randn([2], { device: d2 }))).toThrow(/is on device d2 but this op runs on d1/);
  });
});
