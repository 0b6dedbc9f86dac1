// The workflow bundle's entry: every workflow the worker registers, and nothing else.
export { topicCreate } from './topic-create.workflow';
