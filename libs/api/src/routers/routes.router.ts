// routes: the router's routes (issue #23). Operators and admins change them, anyone with a role
// reads them; every change publishes the next route set, which routers follow. The work is in
// services/routes.
import { addRoute } from '../services/routes/add-route';
import { describeRoute, listRoutes } from '../services/routes/read-routes';
import { removeRoute } from '../services/routes/remove-route';
import { addRouteInput, routeNameInput } from '../services/routes/route-inputs';
import { changeRouteState } from '../services/routes/set-route-state';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';

export const routesRouter = router({
  /** Adds a route (`replace: true` to change one); creates its dead-letter topic when missing. */
  add: operatorProcedure.input(validated(addRouteInput, 'route')).mutation(({ ctx, input }) => addRoute(ctx, input)),
  list: viewerProcedure.query(({ ctx }) => listRoutes(ctx)),
  describe: viewerProcedure.input(validated(routeNameInput, 'route')).query(({ ctx, input }) => describeRoute(ctx, input.name)),
  pause: operatorProcedure.input(validated(routeNameInput, 'route')).mutation(({ ctx, input }) => changeRouteState(ctx, input.name, 'paused')),
  resume: operatorProcedure.input(validated(routeNameInput, 'route')).mutation(({ ctx, input }) => changeRouteState(ctx, input.name, 'active')),
  remove: operatorProcedure.input(validated(routeNameInput, 'route')).mutation(({ ctx, input }) => removeRoute(ctx, input.name)),
});
