import type { AnyNodeSpec, InputSpec, NodeChoices } from './node-spec';
import atelierAssessQuality from './nodes/atelier-assess-quality.node';
import atelierDetectCorruption from './nodes/atelier-detect-corruption.node';
import atelierDetectFaces from './nodes/atelier-detect-faces.node';
import atelierDetectLines from './nodes/atelier-detect-lines.node';
import atelierOcr from './nodes/atelier-ocr.node';
import atelierStylize from './nodes/atelier-stylize.node';
import checkpointLoaderSimple from './nodes/checkpoint-loader-simple.node';
import clipTextEncode from './nodes/clip-text-encode.node';
import emptyImage from './nodes/empty-image.node';
import emptyLatentImage from './nodes/empty-latent-image.node';
import imageBlend from './nodes/image-blend.node';
import imageBlur from './nodes/image-blur.node';
import imageCrop from './nodes/image-crop.node';
import imageInvert from './nodes/image-invert.node';
import imageScaleBy from './nodes/image-scale-by.node';
import imageScale from './nodes/image-scale.node';
import imageSharpen from './nodes/image-sharpen.node';
import imageUpscaleWithModel from './nodes/image-upscale-with-model.node';
import ksampler from './nodes/ksampler.node';
import loadImageMask from './nodes/load-image-mask.node';
import loadImage from './nodes/load-image.node';
import previewImage from './nodes/preview-image.node';
import saveImage from './nodes/save-image.node';
import upscaleModelLoader from './nodes/upscale-model-loader.node';
import vaeDecode from './nodes/vae-decode.node';
import vaeEncode from './nodes/vae-encode.node';

/** Every node this server runs. Adding one: its file in nodes/ (spec and function), listed here. */
export const NODE_SPECS: readonly AnyNodeSpec[] = [
  checkpointLoaderSimple,
  clipTextEncode,
  emptyLatentImage,
  ksampler,
  vaeDecode,
  vaeEncode,
  saveImage,
  previewImage,
  loadImage,
  loadImageMask,
  imageScale,
  imageScaleBy,
  upscaleModelLoader,
  imageUpscaleWithModel,
  imageBlur,
  imageSharpen,
  imageInvert,
  imageCrop,
  imageBlend,
  emptyImage,
  atelierOcr,
  atelierDetectFaces,
  atelierDetectLines,
  atelierDetectCorruption,
  atelierAssessQuality,
  atelierStylize,
];

const BY_CLASS = new Map(NODE_SPECS.map((spec) => [spec.classType, spec]));
if (BY_CLASS.size !== NODE_SPECS.length) throw new Error('two node specs share a class_type');

export const nodeSpec = (classType: string): AnyNodeSpec | undefined => BY_CLASS.get(classType);

/** ComfyUI's input spec: `[TYPE]`, `[TYPE, {options}]` or a combo `[[options], {…}]`. */
export function comfyInputSpec(spec: InputSpec, choices: NodeChoices): unknown[] {
  switch (spec.kind) {
    case 'link':
      return [spec.type];
    case 'int':
      return ['INT', { default: spec.default, min: spec.min, max: spec.max, step: spec.step ?? 1, ...(spec.controlAfterGenerate ? { control_after_generate: true } : {}) }];
    case 'float':
      return ['FLOAT', { default: spec.default, min: spec.min, max: spec.max, step: spec.step, ...(spec.round !== undefined ? { round: spec.round } : {}) }];
    case 'string':
      return ['STRING', { ...(spec.default !== undefined ? { default: spec.default } : {}), ...(spec.multiline ? { multiline: true, dynamicPrompts: false } : {}) }];
    case 'boolean':
      return ['BOOLEAN', { default: spec.default }];
    case 'combo': {
      const options = spec.options(choices);
      return [[...options], { ...(spec.default !== undefined ? { default: spec.default } : {}), ...(spec.imageUpload ? { image_upload: true } : {}) }];
    }
  }
}

/** One node in ComfyUI's `object_info` shape. */
export function nodeInfo(spec: AnyNodeSpec, choices: NodeChoices): Record<string, unknown> {
  const section = (inputs: Record<string, InputSpec> = {}) => Object.fromEntries(Object.entries(inputs).map(([name, input]) => [name, comfyInputSpec(input, choices)]));
  const optional = spec.inputs.optional && Object.keys(spec.inputs.optional).length ? spec.inputs.optional : undefined;
  return {
    input: { required: section(spec.inputs.required), ...(optional ? { optional: section(optional) } : {}) },
    input_order: { required: Object.keys(spec.inputs.required), ...(optional ? { optional: Object.keys(optional) } : {}) },
    is_input_list: false,
    output: spec.outputs.map((o) => o.type),
    output_is_list: spec.outputs.map(() => false),
    output_name: spec.outputs.map((o) => o.name),
    name: spec.classType,
    display_name: spec.displayName,
    description: spec.description,
    python_module: 'atelier',
    category: spec.category,
    output_node: spec.outputNode ?? false,
    has_intermediate_output: false,
    search_aliases: [],
  };
}

/** The whole catalog, as `GET /object_info` and `GET /v1/nodes` answer it. */
export const objectInfo = (choices: NodeChoices): Record<string, Record<string, unknown>> =>
  Object.fromEntries(NODE_SPECS.map((spec) => [spec.classType, nodeInfo(spec, choices)]));
