import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from './graph';
import { objectInfo } from './node-catalog';
import { referencedImageIds, validateWorkflow } from './validate-workflow';

const txt2img = JSON.parse(readFileSync('test/fixtures/comfy-txt2img.json', 'utf8')) as WorkflowGraph;
const choices = { checkpoints: ['tiny-sd', 'pattern-cppn'], upscaleModels: ['tiny-sr'], images: [] };
const context = { choices, ownedImages: new Set<string>(['0190a0b0-0000-7000-8000-000000000001']) };
const withInputs = (id: string, inputs: Record<string, unknown>): WorkflowGraph => ({ ...txt2img, [id]: { ...txt2img[id], inputs: { ...txt2img[id].inputs, ...inputs } } });
const failed = (graph: WorkflowGraph) => {
  const result = validateWorkflow(graph, context);
  if (result.ok) throw new Error('expected the graph to be refused');
  return result;
};

describe('validateWorkflow', () => {
  it("accepts ComfyUI's default txt2img graph: order, cost as the same txt2img job, prompts", () => {
    const result = validateWorkflow(txt2img, context);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.plan.outputs).toEqual(['9']);
    expect(result.plan.order.indexOf('4')).toBeLessThan(result.plan.order.indexOf('3'));
    expect(result.plan.order.at(-1)).toBe('9');
    // 64×64, 4 steps, batch 1: the minimum of a generation, 1 credit.
    expect(result.plan.cost).toBe(1);
    expect(result.plan.workload).toEqual({ pixels: 64 * 64, steps: 4, batch: 1 });
    expect(result.plan.prompts.sort()).toEqual(['a red fox in the snow', 'blurry']);
    expect(result.plan.steps.get('3')).toBe(4);
    const big = validateWorkflow(withInputs('5', { width: 512, height: 512 }), context);
    expect(big.ok && withInputs('3', {}) && big.plan.cost).toBe(2);
  });

  it("counts a sampler's progress steps as it will run them: all from an empty latent, the denoised share from an image", () => {
    const fromEmpty = validateWorkflow(withInputs('3', { steps: 10, denoise: 0.3 }), context);
    expect(fromEmpty.ok && fromEmpty.plan.steps.get('3')).toBe(10);
    const img2img: WorkflowGraph = {
      ...withInputs('3', { steps: 10, denoise: 0.3, latent_image: ['20', 0] }),
      20: { class_type: 'VAEEncode', inputs: { pixels: ['21', 0], vae: ['4', 2] } },
      21: { class_type: 'EmptyImage', inputs: { width: 64, height: 64, batch_size: 1, color: 0 } },
    };
    const result = validateWorkflow(img2img, context);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.plan.steps.get('3')).toBe(3);
  });

  it('refuses an unknown class, a node without class_type, and a graph without outputs', () => {
    expect(failed({ ...txt2img, 10: { class_type: 'NoSuchNode', inputs: {} } }).error).toMatchObject({
      type: 'missing_node_type',
      message: "Node 'NoSuchNode' not found. The custom node may not be installed.",
      extra_info: { node_id: '10', class_type: 'NoSuchNode' },
    });
    expect(failed({ 1: { inputs: {} } }).error.type).toBe('missing_node_type');
    const { 9: _save, ...noOutputs } = txt2img;
    expect(failed(noOutputs).error).toMatchObject({ type: 'prompt_no_outputs', message: 'Prompt has no outputs' });
  });

  it('reports node errors in ComfyUI shape: missing input, bounds, combos, link types, bad links', () => {
    const { error, nodeErrors } = failed({
      ...withInputs('3', { steps: 0, sampler_name: 'dpmpp_9m', positive: ['5', 0], seed: 'x' }),
      5: { class_type: 'EmptyLatentImage', inputs: { width: 65, height: 100000 } },
    });
    expect(error).toMatchObject({ type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation' });
    const types = (id: string) => nodeErrors[id].errors.map((e) => e.type).sort();
    expect(types('3')).toEqual(['invalid_input_type', 'return_type_mismatch', 'value_not_in_list', 'value_smaller_than_min']);
    expect(nodeErrors['3']).toMatchObject({ class_type: 'KSampler', dependent_outputs: ['9'] });
    expect(nodeErrors['3'].errors.find((e) => e.type === 'return_type_mismatch')?.details).toBe('positive, received_type(LATENT) mismatch input_type(CONDITIONING)');
    expect(nodeErrors['3'].errors.find((e) => e.type === 'value_not_in_list')?.details).toBe("sampler_name: 'dpmpp_9m' not in [euler, euler_ancestral, ddim, lcm, dpmpp_2m, dpmpp_2m_sde, uni_pc, uni_pc_bh2]");
    expect(types('5')).toEqual(['custom_validation_failed', 'value_bigger_than_max']);
    const missing = failed(withInputs('6', { clip: undefined, text: 'x' }));
    expect(missing.nodeErrors['6'].errors).toEqual([expect.objectContaining({ type: 'required_input_missing', details: 'clip' })]);
    expect(failed(withInputs('8', { samples: ['3', 0, 1] })).nodeErrors['8'].errors[0].type).toBe('bad_linked_input');
    expect(failed(withInputs('4', { ckpt_name: 'sd-9000' })).nodeErrors['4'].errors[0]).toMatchObject({ type: 'value_not_in_list', extra_info: { input_name: 'ckpt_name', received_value: 'sd-9000' } });
  });

  it('finds cycles', () => {
    const cyclic: WorkflowGraph = {
      1: { class_type: 'ImageInvert', inputs: { image: ['2', 0] } },
      2: { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      3: { class_type: 'SaveImage', inputs: { images: ['2', 0] } },
    };
    const { nodeErrors } = failed(cyclic);
    expect(Object.values(nodeErrors).flatMap((n) => n.errors.map((e) => e.type))).toContain('dependency_cycle');
  });

  it("accepts only the caller's images in LoadImage, by any of ComfyUI's name forms", () => {
    const graph = (image: string): WorkflowGraph => ({
      1: { class_type: 'LoadImage', inputs: { image } },
      2: { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
      3: { class_type: 'SaveImage', inputs: { images: ['2', 0] } },
    });
    expect(referencedImageIds(graph('0190a0b0-0000-7000-8000-000000000001.png [input]'))).toEqual(['0190a0b0-0000-7000-8000-000000000001']);
    expect(validateWorkflow(graph('0190a0b0-0000-7000-8000-000000000001.png'), context).ok).toBe(true);
    expect(failed(graph('0190a0b0-0000-7000-8000-000000000002.png')).nodeErrors['1'].errors[0]).toMatchObject({
      type: 'custom_validation_failed',
      message: 'Invalid image file: 0190a0b0-0000-7000-8000-000000000002.png',
    });
    // The image operation is priced like the resize job: 1 credit.
    const ok = validateWorkflow(graph('0190a0b0-0000-7000-8000-000000000001'), context);
    expect(ok.ok && ok.plan.cost).toBe(1);
  });

  it('runs the valid outputs of a graph whose other outputs fail, listing those in node_errors', () => {
    const result = validateWorkflow({ ...txt2img, 10: { class_type: 'PreviewImage', inputs: { images: ['8', 5] } } }, context);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.plan.outputs).toEqual(['9']);
      expect(Object.keys(result.nodeErrors)).toEqual(['10']);
    }
  });
});

describe('objectInfo', () => {
  it("lists every node in ComfyUI's shape, with this install's checkpoints as ckpt_name's combo", () => {
    const info = objectInfo(choices) as Record<string, { input: { required: Record<string, unknown[]> }; output: string[]; output_node: boolean; category: string }>;
    expect(Object.keys(info)).toEqual(expect.arrayContaining(['CheckpointLoaderSimple', 'KSampler', 'SaveImage', 'LoadImage', 'ImageUpscaleWithModel', 'AtelierOCR', 'AtelierDetectFaces']));
    expect(info.CheckpointLoaderSimple.input.required.ckpt_name).toEqual([['tiny-sd', 'pattern-cppn'], {}]);
    expect(info.CheckpointLoaderSimple.output).toEqual(['MODEL', 'CLIP', 'VAE']);
    expect(info.KSampler.input.required.steps).toEqual(['INT', { default: 20, min: 1, max: 150, step: 1 }]);
    expect(info.KSampler.input.required.model).toEqual(['MODEL']);
    expect(info.LoadImage.input.required.image).toEqual([[], { image_upload: true }]);
    expect(info.SaveImage).toMatchObject({ output_node: true, category: 'image' });
    expect(info.UpscaleModelLoader.input.required.model_name[0]).toEqual(['tiny-sr', 'lanczos']);
  });
});
