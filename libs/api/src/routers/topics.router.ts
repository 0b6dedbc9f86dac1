// topics: create, list, describe, place (the building block of moves), record a raised partition
// count, delete. The work is in services/topics.
import { z } from 'zod';
import { createTopic } from '../services/topics/create-topic';
import { deleteTopic } from '../services/topics/delete-topic';
import { placeTopic } from '../services/topics/place-topic';
import { describeTopic, listTopics } from '../services/topics/read-topics';
import { setPartitions } from '../services/topics/set-partitions';
import { createTopicInput, placeInput, setPartitionsInput } from '../services/topics/topic-inputs';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';

const topicName = z.object({ name: z.string() });

export const topicsRouter = router({
  create: operatorProcedure.input(validated(createTopicInput, 'topic')).mutation(({ ctx, input }) => createTopic(ctx, input)),
  list: viewerProcedure.query(({ ctx }) => listTopics(ctx)),
  describe: viewerProcedure.input(validated(topicName, 'topic')).query(({ ctx, input }) => describeTopic(ctx, input.name)),
  /** Sets where producers write and consumers read, and publishes it: the building block of moves. */
  place: operatorProcedure.input(validated(placeInput, 'placement')).mutation(({ ctx, input }) => placeTopic(ctx, input)),
  /** Records a raised partition count (the expand workflow calls it once Kafka has them); never lowers it. */
  setPartitions: operatorProcedure.input(validated(setPartitionsInput, 'partition change')).mutation(({ ctx, input }) => setPartitions(ctx, input)),
  delete: operatorProcedure.input(validated(topicName, 'topic')).mutation(({ ctx, input }) => deleteTopic(ctx, input.name)),
});
