export { workflowGraphSchema, isLink, type GraphNode, type Link, type WorkflowGraph } from './graph';
export type { CheckpointRef, Conditioning, EncodedImage, ImageBatch, Latent, UpscaleModelRef } from './values';
export type { GenerateRequest, NodeRuntime, NodeUi } from './node-runtime';
export type { AnyNodeSpec, InputSpec, NodeChoices, NodeSpec, StaticNode } from './node-spec';
export { NODE_SPECS, nodeSpec, objectInfo, nodeInfo } from './node-catalog';
export {
  referencedImageIds,
  validateWorkflow,
  type NodeErrorReason,
  type NodeErrors,
  type ValidationContext,
  type WorkflowError,
  type WorkflowPlan,
  type WorkflowValidation,
} from './validate-workflow';
export { executeWorkflow, signatures, WorkflowCanceled, WorkflowNodeError, type CachedNode, type NodeCache, type WorkflowObserver, type WorkflowOutput } from './execute-workflow';
export { imageIdOf, imageName } from './image-names';
export { SCALE_METHODS } from './scale-methods';
export { workflowErrors } from './workflow-errors';
export { CLASSIC_STYLES, type ClassicStyle } from './classic-styles';
