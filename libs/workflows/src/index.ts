import { fileURLToPath } from 'node:url';

export * from './contracts';
export { topicCreate } from './workflows';

/** Entry file for the worker's workflow bundle (Temporal bundles it with webpack). */
export const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));
