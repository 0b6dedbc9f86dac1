// capacity: where a topic would go and what it would cost, without creating anything; and the
// availability gain of many small clusters over one big one.
import { availabilityGain, planTopic } from '@flotilla/capacity';
import { z } from 'zod';
import { router, validated, viewerProcedure } from '../trpc';
import { capacityClusters } from '../capacity-clusters';

export const capacityRouter = router({
  plan: viewerProcedure
    .input(
      validated(
        z.object({ tier: z.enum(['low', 'medium', 'high']), bytesInPerSec: z.int().min(0), consumers: z.int().min(0), partitions: z.int().min(1).optional() }),
        'capacity plan',
      ),
    )
    .query(async ({ ctx, input }) => planTopic({ ...input, clusters: await capacityClusters(ctx.services, ctx.registry) })),
  /** How much less likely k simultaneous broker failures take any data offline with s small clusters than with one big one (s^(k−1)). */
  availability: viewerProcedure
    .input(validated(z.object({ clusters: z.int().min(1), failures: z.int().min(1) }), 'availability question'))
    .query(({ input }) => ({ ...input, gain: availabilityGain(input.clusters, input.failures) })),
});
