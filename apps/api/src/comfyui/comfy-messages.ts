import type { JobOutput } from '@atelier/jobs';
import { outputRef } from './comfy-files';

/** A JSON frame of ComfyUI's WebSocket: `{type, data}`. */
export interface ComfyMessage {
  type: string;
  data: Record<string, unknown>;
}

export type NodeOutputs = Record<string, Record<string, unknown[]>>;

/** ComfyUI's binary event type 1 (PREVIEW_IMAGE) with image format 1 (JPEG). */
const PREVIEW_IMAGE = 1;
const JPEG = 1;

export const statusMessage = (queueRemaining: number, sid?: string): ComfyMessage => ({
  type: 'status',
  data: { status: { exec_info: { queue_remaining: queueRemaining } }, ...(sid === undefined ? {} : { sid }) },
});

/** `[u32be 1][u32be 1 = JPEG][bytes]`, the only binary frame both SDKs read without negotiating. */
export function previewFrame(jpeg: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(PREVIEW_IMAGE, 0);
  header.writeUInt32BE(JPEG, 4);
  return Buffer.concat([header, jpeg]);
}

/**
 * A node's UI result as ComfyUI sends it in `executed` and keeps in history: Atelier images
 * (`{imageId, …}`) become file references, every other key stays a list.
 */
export function comfyUiOutput(output: Record<string, unknown>): Record<string, unknown[]> {
  const ui: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(output)) {
    const list = Array.isArray(value) ? value : [value];
    ui[key] = key === 'images' ? list.map((image) => (isImage(image) ? outputRef(image.imageId) : image)) : list;
  }
  return ui;
}

/** A workflow job's outputs per node, in ComfyUI's history shape. */
export function nodeOutputs(outputs: JobOutput[]): NodeOutputs {
  const byNode: NodeOutputs = {};
  const add = (node: string, key: string, values: unknown[]) => {
    const entry = (byNode[node] ??= {});
    entry[key] = [...(entry[key] ?? []), ...values];
  };
  for (const output of outputs) {
    if ('imageId' in output) {
      const node = (output as { node?: unknown }).node;
      if (typeof node === 'string') add(node, 'images', [outputRef(output.imageId)]);
      continue;
    }
    const data = output.data as Record<string, unknown> | null;
    if (!data || typeof data.node !== 'string') continue;
    const { node, nodeType: _nodeType, ...ui } = data;
    for (const [key, values] of Object.entries(comfyUiOutput(ui))) add(node, key, values);
  }
  return byNode;
}

function isImage(value: unknown): value is { imageId: string } {
  return typeof value === 'object' && value !== null && typeof (value as { imageId?: unknown }).imageId === 'string';
}
