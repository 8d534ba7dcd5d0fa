import { describe, expect, it } from 'vitest';
import { historyEntry, jobSummary, queueItem } from './comfy-history';
import type { ComfyPrompt } from './comfy-prompts.repository';

const IMAGE = '11111111-2222-4333-8444-555555555555';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

const prompt = (overrides: Partial<ComfyPrompt> = {}): ComfyPrompt => ({
  ownerId: 'u1',
  promptId: 'p1',
  jobId: 'j1',
  clientId: 'c1',
  number: 3,
  extraData: { client_id: 'c1', create_time: 42 },
  outputsToExecute: ['9'],
  status: 'succeeded',
  graph: { '9': { class_type: 'SaveImage', inputs: {} } },
  outputs: [
    { imageId: IMAGE, url: 'https://signed', width: 8, height: 8, node: '9' } as ComfyPrompt['outputs'][number],
    { kind: 'json', data: { node: '12', nodeType: 'AtelierOCR', text: ['hello'], lines: [{ text: 'hello' }] } },
  ],
  error: null,
  priority: 1,
  progress: { step: 4, totalSteps: 4 },
  createdAt: at(0),
  startedAt: at(1),
  finishedAt: at(2),
  ...overrides,
});

describe('ComfyUI history and queue shapes', () => {
  it('puts the prompt id at [1] of a queue item', () => {
    expect(queueItem(prompt())).toEqual([3, 'p1', { '9': { class_type: 'SaveImage', inputs: {} } }, { client_id: 'c1', create_time: 42 }, ['9']]);
  });

  it('rebuilds a finished prompt\'s history entry from its job: outputs per node, status, messages', () => {
    const entry = historyEntry(prompt());
    expect(entry.prompt[1]).toBe('p1');
    expect(entry.outputs).toEqual({
      '9': { images: [{ filename: `${IMAGE}.png`, subfolder: '', type: 'output' }] },
      '12': { text: ['hello'], lines: [{ text: 'hello' }] },
    });
    expect(entry.status).toEqual({
      status_str: 'success',
      completed: true,
      messages: [
        ['execution_start', { prompt_id: 'p1', timestamp: at(1).getTime() }],
        ['execution_cached', { nodes: [], prompt_id: 'p1', timestamp: at(1).getTime() }],
        ['execution_success', { prompt_id: 'p1', timestamp: at(2).getTime() }],
      ],
    });
    expect(entry.meta['9']).toEqual({ node_id: '9', display_node: '9', parent_node: null, real_node_id: '9' });
  });

  it('marks failed and canceled prompts as errors, never leaving status_str out', () => {
    const failed = historyEntry(prompt({ status: 'failed', outputs: [], error: { code: 'JOB_TIMEOUT', message: 'too slow' } }));
    expect(failed.status).toMatchObject({ status_str: 'error', completed: false });
    expect(failed.status.messages.at(-1)).toEqual(['execution_error', expect.objectContaining({ exception_type: 'JOB_TIMEOUT', exception_message: 'too slow' })]);
    const canceled = historyEntry(prompt({ status: 'canceled', outputs: [], startedAt: null }));
    expect(canceled.status.messages.map(([name]) => name)).toEqual(['execution_interrupted']);
  });

  it('summarises a prompt as /api/jobs does: status names, times, counts, preview', () => {
    expect(jobSummary(prompt({ status: 'queued', startedAt: null, finishedAt: null, outputs: [] }))).toEqual({
      id: 'p1', status: 'pending', priority: 3, create_time: 42, outputs_count: 0, previewable_outputs_count: 0,
    });
    const done = jobSummary(prompt(), true);
    expect(done).toMatchObject({
      id: 'p1',
      status: 'completed',
      execution_start_time: at(1).getTime(),
      execution_end_time: at(2).getTime(),
      outputs_count: 3,
      preview_output: { filename: `${IMAGE}.png`, nodeId: '9', mediaType: 'images' },
      execution_status: { status_str: 'success' },
      workflow: { prompt: { '9': expect.any(Object) } },
    });
    expect(jobSummary(prompt({ status: 'canceled' })).status).toBe('cancelled');
  });
});
