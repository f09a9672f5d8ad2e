// The default avatar and theme background that user objects point at, under Twitter's file
// names, so clients that rewrite `_normal` to `_bigger`, `_400x400` or strip it still get a picture.
import type { FastifyInstance } from 'fastify';
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A solid-colour RGB PNG. */
export function solidPng(size: number, rgb: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, default compression/filter/interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from(rgb))]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const AVATAR_SIZES: Record<string, number> = { '': 400, _normal: 48, _bigger: 73, _mini: 24, _400x400: 400 };

export function registerImages(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  const png = (key: string, make: () => Buffer) => cache.get(key) ?? cache.set(key, make()).get(key)!;
  for (const [suffix, size] of Object.entries(AVATAR_SIZES)) {
    app.get(`/images/default_profile${suffix}.png`, (_req, reply) =>
      reply.type('image/png').header('cache-control', 'public, max-age=86400').send(png(suffix, () => solidPng(size, [0xcc, 0xd6, 0xdd]))));
  }
  app.get('/images/themes/theme1/bg.png', (_req, reply) =>
    reply.type('image/png').header('cache-control', 'public, max-age=86400').send(png('bg', () => solidPng(16, [0xc0, 0xde, 0xed]))));
}
