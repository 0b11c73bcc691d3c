import { buildTestApp, type ConfigOverrides, type TestApp, type TestAppOptions } from '../../test/build-test-app.js';
import type { ConnectorDefinition } from './connector.js';
import { CONNECTORS } from './connectors/index.js';
import { jsonFileConnector } from './connectors/json-file/json-file-connector.js';

/** The connectors of the integration tests: Bulwark's own plus the test-only JSON file connector (one line). */
export const TEST_CONNECTORS: readonly ConnectorDefinition[] = [...CONNECTORS, jsonFileConnector];

/** buildTestApp with the integration tests' connectors. */
export function buildIntegrationsTestApp(overrides: ConfigOverrides = {}, options: TestAppOptions = {}): Promise<TestApp> {
  return buildTestApp(overrides, { connectors: TEST_CONNECTORS, ...options });
}
