import { crc32 } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Adds `tEXt` chunks right after IHDR, as A1111 (`parameters`) and ComfyUI do, so the image
 * carries what is needed to make it again. Latin-1 only (tEXt's rule): other characters are
 * written as JSON escapes by the caller's JSON.stringify.
 */
export function withPngText(png: Buffer, entries: Record<string, string>): Buffer {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('withPngText: not a PNG');
  const ihdrEnd = 8 + 8 + png.readUInt32BE(8) + 4;
  const chunks = Object.entries(entries).map(([keyword, text]) => textChunk(keyword, text));
  return Buffer.concat([png.subarray(0, ihdrEnd), ...chunks, png.subarray(ihdrEnd)]);
}

/** Reads every `tEXt` chunk of a PNG (for tests and for clients that want the parameters back). */
export function readPngText(png: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let offset = 8;
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'tEXt') {
      const data = png.subarray(offset + 8, offset + 8 + length);
      const nul = data.indexOf(0);
      out[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1);
    }
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  return out;
}

function textChunk(keyword: string, text: string): Buffer {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error(`withPngText: bad keyword ${JSON.stringify(keyword)}`);
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text.replace(/[^\x00-\xff]/g, '?'), 'latin1')]);
  const typeAndData = Buffer.concat([Buffer.from('tEXt', 'latin1'), data]);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData) >>> 0, 8 + data.length);
  return chunk;
}
