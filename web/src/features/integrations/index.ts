export {
  isAnyStreamRunning,
  useConnectors,
  useDeleteIntegration,
  useIntegration,
  useIntegrationLogs,
  useIntegrationRuns,
  useIntegrations,
  usePollNow,
  useUpdateIntegration,
} from './integrations.api';
export { AddIntegrationMenu } from './components/add-integration-menu';
export { ConnectorCard } from './components/connector-card';
export { HealthIndicator } from './components/health-indicator';
export { IntegrationForm } from './components/integration-form';
export { IntegrationLog } from './components/integration-log';
export { IntegrationTile } from './components/integration-tile';
export { RunHistoryTable } from './components/run-history-table';
export { BackToIntegrations } from './components/back-to-integrations';
