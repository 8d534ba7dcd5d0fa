export { OnnxGraphBuilder, ONNX_IR_VERSION, ONNX_OPSET, type OnnxAttrValue, type OnnxDim, type OnnxElemType } from './onnx-graph-builder';
export { SeededRandom } from './seeded-random';
export { SD_ONNX_IO, SD15_SCHEDULER_CONFIG, SD21_V_SCHEDULER_CONFIG } from './stable-diffusion-io';
export { buildTinyStableDiffusion, writeTinyStableDiffusion, type TinyStableDiffusionOptions } from './tiny-stable-diffusion';
export { PATTERN_GENERATOR_IO, buildPatternGenerator, patternCoords, writePatternGenerator } from './pattern-generator';
