export {
  HealthRegistry,
  type HealthCheck,
  type ComponentHealth,
  type HealthReport,
  type HealthRegistryOptions,
  type HealthResponse,
} from './health-registry';
