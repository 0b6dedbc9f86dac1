// The default warning sink. The SDK has no logger of its own; process warnings reach stderr
// (or an application's 'warning' listener) without the SDK choosing a logging library.
import type { WarningSink } from './mapping-source';

export const emitProcessWarning: WarningSink = (error) => {
  process.emitWarning(error);
};
