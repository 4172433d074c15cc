export { describeConformance, runConformance } from './describe-conformance.js';
export {
  displayNameField,
  planConformance,
  type CheckId,
  type ConformanceConnection,
  type ConformanceFixtures,
  type ConformanceHooks,
  type ConformancePlan,
  type ConformanceSetup,
  type PlannedCheck,
  type UncoveredCheck,
} from './conformance-plan.js';
export { satisfiesRange } from './semver-range.js';
export { createMemoryCheckpointStore, createTestHttpClient, type CannedResponse, type SentRequest, type TestHttpClient, type TestHttpClientOptions } from './test-http-client.js';
