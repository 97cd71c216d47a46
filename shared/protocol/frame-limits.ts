// How large one WebSocket text frame may be, by phase and kind. The snapshot cap is sized so a
// scene at the schema's object cap (LIMITS.maxObjects) fits as one frame: 256 MiB over 200,000
// objects leaves ≈ 1.3 KB of JSON per object (the simulator's objects take ≈ 340 B, a Blender
// object with a long name, three materials and a mesh ≈ 600 B).
export const FRAME_LIMITS = {
  /** any frame before the handshake is accepted (a handshake is under 30 KiB) */
  handshakeBytes: 64 * 1024,
  /** any frame after the handshake other than a `snapshot` */
  frameBytes: 8 * 1024 * 1024,
  /** a `snapshot` frame; also the largest `resync` an adapter must be able to receive */
  snapshotBytes: 256 * 1024 * 1024,
} as const;
