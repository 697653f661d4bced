// Draws the toolbar and store icons (a rounded square with two arrows in a ring) as PNG files.
// Run once when the design changes: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BLUE = [11, 99, 206, 255];
const WHITE = [255, 255, 255, 255];
const CLEAR = [0, 0, 0, 0];

function icon(u, v) {
  const r = 0.2;
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
  if (dx * dx + dy * dy > r * r) return CLEAR;
  const x = u - 0.5;
  const y = v - 0.5;
  const d = Math.hypot(x, y);
  const angle = Math.atan2(y, x);
  // A ring with two gaps, and an arrow head at the end of each arc.
  const inGap = Math.abs(Math.sin(angle)) < 0.28 && x > 0 === y < 0.1;
  if (d > 0.2 && d < 0.3 && !inGap) return WHITE;
  const head = (cx, cy, dir) => {
    const px = (u - cx) * dir;
    const py = v - cy;
    return py > -0.02 && py < 0.11 && Math.abs(px) < 0.11 - py;
  };
  if (head(0.75, 0.5, 1) || head(0.25, 0.42, -1)) return WHITE;
  return BLUE;
}

for (const size of [16, 32, 48, 128]) writeFileSync(`static/icons/icon-${size}.png`, png(size, icon));
