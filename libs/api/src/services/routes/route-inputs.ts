// What an operator may ask about routes. The definition itself is checked by
// parseRouteDefinition (@flotilla/routes), whose errors name the JSON path inside it.
import { z } from 'zod';

export const addRouteInput = z.strictObject({
  /** The route as written (a JSON document); validated by the service. */
  definition: z.unknown(),
  /** Replace a route of the same name instead of refusing it. */
  replace: z.boolean().default(false),
});
export type AddRouteInput = z.input<typeof addRouteInput>;
export type AddRouteRequest = z.output<typeof addRouteInput>;

export const routeNameInput = z.strictObject({ name: z.string().min(1) });
