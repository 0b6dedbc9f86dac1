export { ensureKafkaJars, kafkaJarsReady, kafkaClasspath, kafkaLibDir } from './kafka-jars';
export { startCluster, openCluster, clusterExists, clusterNames, clusterBasePort, type KafkaCluster, type ClusterOptions, type BrokerCount } from './kafka-cluster';
export {
  DEFAULT_FLEET,
  TRIPLE_CLUSTER,
  shiftPorts,
  startFleet,
  stopLeftovers,
  type FleetMemberSpec,
  type RunningFleet,
  type RunningCluster,
  type ClusterRole,
  type Tier,
} from './fleet';
