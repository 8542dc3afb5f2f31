// Draws media/icon.png (128x128): a small layered network — three columns of neurons joined by
// their connections — on a rounded square. Pure Node: shapes are rasterised from signed distance
// functions (1-pixel soft edges for anti-aliasing) and written as a PNG with zlib.
// Run: node scripts/make-icon.js
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 128;

// --- geometry -----------------------------------------------------------------------------
const hex = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
const columns = [
  { x: 30, ys: [34, 64, 94], color: hex('#6f83ff') },
  { x: 64, ys: [24, 49, 79, 104], color: hex('#2ec4b6') },
  { x: 98, ys: [46, 82], color: hex('#ffb020') },
];
const NODE_R = 8.5;
const EDGE_W = 2.2;

function roundedRectDist(x, y, cx, cy, half, r) {
  const qx = Math.abs(x - cx) - (half - r);
  const qy = Math.abs(y - cy) - (half - r);
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.hypot(ox, oy) + Math.min(Math.max(qx, qy), 0) - r;
}

function segmentDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Coverage of a shape at signed distance d (negative inside), with a 1-pixel soft edge. */
const cover = (d) => Math.max(0, Math.min(1, 0.5 - d));

// --- rasterise ----------------------------------------------------------------------------
const rgba = Buffer.alloc(SIZE * SIZE * 4);
function blend(i, color, alpha) {
  if (alpha <= 0) return;
  const a0 = rgba[i + 3] / 255;
  const a = alpha + a0 * (1 - alpha);
  for (let c = 0; c < 3; c++) {
    rgba[i + c] = Math.round((color[c] * alpha + rgba[i + c] * a0 * (1 - alpha)) / (a || 1));
  }
  rgba[i + 3] = Math.round(a * 255);
}

const edges = [];
for (let c = 0; c + 1 < columns.length; c++) {
  for (const y0 of columns[c].ys) for (const y1 of columns[c + 1].ys) edges.push([columns[c].x, y0, columns[c + 1].x, y1]);
}

for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    const px = x + 0.5;
    const py = y + 0.5;
    const i = (y * SIZE + x) * 4;
    // Background: rounded square with a vertical gradient from deep indigo to near-black blue.
    const bg = cover(roundedRectDist(px, py, 64, 64, 62, 22));
    const t = py / SIZE;
    blend(i, [Math.round(38 - 18 * t), Math.round(42 - 20 * t), Math.round(92 - 40 * t)], bg);
    if (bg === 0) continue;
    // Connections: light, semi-transparent so the crossings read as a mesh.
    let edge = 0;
    for (const [ax, ay, bx, by] of edges) edge = Math.max(edge, cover(segmentDist(px, py, ax, ay, bx, by) - EDGE_W / 2));
    blend(i, [200, 210, 255], edge * 0.45 * bg);
    // Neurons: a dark halo separates each node from the lines, then the coloured disc with a highlight.
    for (const col of columns) {
      for (const cy of col.ys) {
        const d = Math.hypot(px - col.x, py - cy);
        blend(i, [24, 26, 60], cover(d - NODE_R - 2.2) * bg);
        blend(i, col.color, cover(d - NODE_R));
        const hl = Math.hypot(px - (col.x - 2.6), py - (cy - 2.6));
        blend(i, [255, 255, 255], cover(hl - 2.6) * 0.45);
      }
    }
  }
}

// --- PNG encoding -------------------------------------------------------------------------
const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
// Each scanline starts with filter byte 0 (none).
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(__dirname, '..', 'media', 'icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
