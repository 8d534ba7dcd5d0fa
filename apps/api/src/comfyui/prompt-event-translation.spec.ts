import { describe, expect, it } from 'vitest';
import { livePrompt, translateJobEvent, currentState, type JobEvent, type RelayStep } from './prompt-event-translation';

const META = { ownerId: 'u1', jobId: 'j1', promptId: 'p1', clientId: 'c1', extraData: {} };
const event = (name: string, payload: Record<string, unknown> = {}): JobEvent => ({ ownerId: 'u1', event: name, payload: { jobId: 'j1', ...payload } });
const IMAGE = '11111111-2222-4333-8444-555555555555';

/** The steps as `type` names (status broadcasts as "status*", previews as "preview"). */
const names = (steps: RelayStep[]) => steps.map((s) => (s.kind === 'message' ? s.message.type : s.kind === 'status' ? 'status*' : 'preview'));

describe('translateJobEvent', () => {
  it('gives ComfyUI\'s order for a successful prompt, executing {node: null} last', () => {
    const prompt = livePrompt(META);
    const steps = [
      event('job.queued'),
      event('job.started'),
      event('job.nodes.cached', { nodes: ['4'] }),
      event('job.node.started', { node: '3', nodeType: 'KSampler' }),
      event('job.progress', { step: 1, totalSteps: 4, node: '3', nodeType: 'KSampler', nodeStep: 1, nodeTotalSteps: 2 }),
      event('job.node.executed', { node: '9', nodeType: 'SaveImage', output: { images: [{ imageId: IMAGE, width: 8, height: 8 }] } }),
      event('job.succeeded', { outputs: [{ imageId: IMAGE, url: 'u', width: 8, height: 8, node: '9' }] }),
    ].flatMap((e) => translateJobEvent(prompt, e, 1000));
    expect(names(steps)).toEqual([
      'status*', 'status*', 'execution_start', 'execution_cached', 'executing', 'progress', 'executing', 'executed', 'execution_success', 'status*', 'executing',
    ]);
    const messages = steps.flatMap((s) => (s.kind === 'message' ? [s.message] : []));
    for (const m of messages) expect(m.data.prompt_id).toBe('p1');
    expect(messages.find((m) => m.type === 'execution_cached')!.data).toEqual({ nodes: ['4'], timestamp: 1000, prompt_id: 'p1' });
    expect(messages.find((m) => m.type === 'progress')!.data).toEqual({ value: 1, max: 2, prompt_id: 'p1', node: '3' });
    expect(messages.find((m) => m.type === 'executed')!.data).toEqual({
      node: '9', display_node: '9', prompt_id: 'p1', output: { images: [{ filename: `${IMAGE}.png`, subfolder: '', type: 'output' }] },
    });
    expect(messages.at(-1)).toEqual({ type: 'executing', data: { node: null, prompt_id: 'p1' } });
    expect(prompt.finished).toBe(true);
    expect(translateJobEvent(prompt, event('job.progress', { step: 2, totalSteps: 2 }))).toEqual([]);
  });

  it('always sends execution_cached (with nodes: []) before a node runs, and reports outputs the socket never saw', () => {
    const prompt = livePrompt(META);
    const steps = [event('job.node.started', { node: '5', nodeType: 'EmptyLatentImage' }), event('job.succeeded', { outputs: [{ kind: 'json', data: { node: '12', nodeType: 'AtelierOCR', text: ['hi'] } }] })].flatMap(
      (e) => translateJobEvent(prompt, e),
    );
    expect(names(steps)).toEqual(['execution_start', 'execution_cached', 'executing', 'executed', 'execution_success', 'status*', 'executing']);
    const cached = steps[1] as { message: { data: Record<string, unknown> } };
    expect(cached.message.data.nodes).toEqual([]);
    const executed = steps[3] as { message: { data: Record<string, unknown> } };
    expect(executed.message.data).toMatchObject({ node: '12', output: { text: ['hi'] } });
  });

  it('sends previews only when extra_data.preview_method asks', () => {
    const progress = event('job.progress', { step: 1, totalSteps: 2, previewUrl: 'data:image/webp;base64,AAAA' });
    expect(names(translateJobEvent(livePrompt(META), progress))).not.toContain('preview');
    expect(names(translateJobEvent(livePrompt({ ...META, extraData: { preview_method: 'none' } }), progress))).not.toContain('preview');
    const asked = translateJobEvent(livePrompt({ ...META, extraData: { preview_method: 'auto' } }), progress);
    expect(asked.at(-1)).toEqual({ kind: 'preview', dataUrl: 'data:image/webp;base64,AAAA' });
  });

  it('reports a failure as execution_error on the running node, and a cancel as execution_interrupted', () => {
    const failing = livePrompt(META);
    translateJobEvent(failing, event('job.node.started', { node: '3', nodeType: 'KSampler' }));
    const failed = translateJobEvent(failing, event('job.failed', { error: { code: 'MODEL_UNAVAILABLE', message: 'no model' } }), 5);
    expect(names(failed)).toEqual(['execution_error', 'status*', 'executing']);
    expect((failed[0] as { message: { data: unknown } }).message.data).toMatchObject({
      prompt_id: 'p1', node_id: '3', node_type: 'KSampler', exception_type: 'MODEL_UNAVAILABLE', exception_message: 'no model', executed: [], traceback: [],
    });

    const running = livePrompt(META);
    translateJobEvent(running, event('job.started'));
    expect(names(translateJobEvent(running, event('job.canceled')))).toEqual(['execution_cached', 'execution_interrupted', 'status*', 'executing']);
    // Removed from the queue before it started: only told it was interrupted.
    expect(names(translateJobEvent(livePrompt(META), event('job.canceled')))).toEqual(['execution_interrupted', 'status*', 'executing']);
  });

  it('tells a reconnecting socket the running node and the last progress, with prompt_id', () => {
    const prompt = livePrompt(META);
    expect(currentState(prompt)).toEqual([]);
    translateJobEvent(prompt, event('job.started'));
    translateJobEvent(prompt, event('job.progress', { step: 3, totalSteps: 8, node: '3', nodeStep: 3, nodeTotalSteps: 8 }));
    expect(currentState(prompt)).toEqual([
      { type: 'executing', data: { node: '3', display_node: '3', prompt_id: 'p1' } },
      { type: 'progress', data: { value: 3, max: 8, prompt_id: 'p1', node: '3' } },
    ]);
  });
});
