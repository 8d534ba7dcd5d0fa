import { describe, expect, it } from 'vitest';
import { comfyBearer } from './comfy-credentials';
import { parseImageFileName } from './comfy-files';
import { previewFrame, statusMessage } from './comfy-messages';

const ID = '11111111-2222-4333-8444-555555555555';

describe('ComfyUI protocol helpers', () => {
  it('reads the credential from Bearer, Basic (key as password, or as user) or ?token=', () => {
    expect(comfyBearer({ authorization: 'Bearer atl_x' }, undefined)).toBe('atl_x');
    expect(comfyBearer({ authorization: `Basic ${Buffer.from('me:atl_y').toString('base64')}` }, 'ignored')).toBe('atl_y');
    expect(comfyBearer({ authorization: `Basic ${Buffer.from('atl_z:').toString('base64')}` }, undefined)).toBe('atl_z');
    expect(comfyBearer({}, 'jwt.token')).toBe('jwt.token');
    expect(comfyBearer({}, ['a', 'b'])).toBeUndefined();
    expect(comfyBearer({}, undefined)).toBeUndefined();
  });

  it('maps ComfyUI file names to image ids, with annotations, subfolders and conversions', () => {
    expect(parseImageFileName(`${ID}.png`)).toEqual({ imageId: ID, format: 'png' });
    expect(parseImageFileName(`${ID.toUpperCase()}.JPG [output]`)).toEqual({ imageId: ID, format: 'jpeg' });
    expect(parseImageFileName(`sub/${ID}.webp`)).toEqual({ imageId: ID, format: 'webp' });
    expect(parseImageFileName(ID)).toEqual({ imageId: ID, format: 'png' });
    expect(parseImageFileName(`${ID}.gif`)).toBeNull();
    expect(parseImageFileName('ComfyUI_00001_.png')).toBeNull();
    expect(parseImageFileName(`../${ID}x.png`)).toBeNull();
  });

  it('frames a preview as type 1, JPEG, image from byte 8', () => {
    const frame = previewFrame(Buffer.from([0xff, 0xd8, 0xff]));
    expect(frame.readUInt32BE(0)).toBe(1);
    expect(frame.readUInt32BE(4)).toBe(1);
    expect([...frame.subarray(8)]).toEqual([0xff, 0xd8, 0xff]);
    expect(statusMessage(2, 'abc')).toEqual({ type: 'status', data: { status: { exec_info: { queue_remaining: 2 } }, sid: 'abc' } });
    expect(statusMessage(0).data).not.toHaveProperty('sid');
  });
});
