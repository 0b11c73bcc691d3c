export { buildSignalExportPath, useSignalCounts, useSignalResults } from './signals.api';
export {
  EMPTY_SIGNAL_FILTERS,
  hasActiveSignalFilters,
  readSignalFilters,
  SIGNALS_PAGE_SIZE,
  writeSignalFilters,
  type ListFilter,
  type SignalFilters,
} from './url-filters';
export { FacetFilters } from './components/facet-filters';
export { RetentionSetting } from './components/retention-setting';
export { SignalDrawer } from './components/signal-drawer';
export { SignalsTable } from './components/signals-table';
export { TimeRangeFilter } from './components/time-range-filter';
