import { errorCatalog } from '@atelier/platform';

/** Workflow codes: a graph refused at submit, a node that failed while running. */
export const workflowErrors = errorCatalog({
  INVALID_WORKFLOW: 'invalid',
  WORKFLOW_NODE_FAILED: 'invalid',
});
