// Strided copy: element i of the index space (slot.dims) goes from the source view (slot.src)
// to the destination view (slot.dst). Materializes views, writes concat/pad pieces, copyInto.
// COPY is the element's move: index spaces of rank 1 to 4 split i into its indices once, with the
// sizes and strides as constant slots; higher ranks take stridedOffset's loop for each side. On a
// CPU adapter, ranks 2 to 4 take a thread per row instead: i is a row, `count` the rows, and COPY
// walks the row (kernels/movement.ts, copyRow).
{{BINDINGS}}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = groupId(wid, nwg) * 256u + lid;
  if (i >= PU(slot.count)) { return; }
{{COPY}}
}
