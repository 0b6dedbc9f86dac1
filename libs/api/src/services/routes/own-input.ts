// A route whose destination is its own source topic moves records from the topic's producer-side
// clusters (where the router reads them) to its consumer-side clusters (where it writes them). A
// cluster on both sides would get back the records it gave: they would be routed again, for ever.
import type { TopicPlacement } from '@flotilla/db';

/** The clusters on both sides of `placement`: empty when a route to the same topic is safe. */
export function sharedClusters(placement: Pick<TopicPlacement, 'producers' | 'consumers'>): string[] {
  return placement.producers.filter((cluster) => placement.consumers.includes(cluster));
}
