/*
 * A customer instance's shell and data (issue 5). Every query of an instance uses a key that starts
 * with instanceQueryKey(accountId), so a finished import refreshes all its pages at once.
 */
export {
  instanceQueryKey,
  readSsoState,
  SSO_ENTERED_STATE,
  uploadScanFile,
  useEnterInstance,
  useInstance,
  useInstanceParams,
  useLeaveInstance,
  useScan,
  useRefreshInstance,
  useScans,
  useUploadScan,
  type UploadProgress,
} from './instances.api';
export { AppSwitcher } from './components/app-switcher';
export {
  APP_NAVIGATION,
  appOfSubpath,
  instanceSubpath,
  isNavigationItemActive,
  LICENSED_APP_LABELS,
  type InstanceNavigationItem,
} from './components/instance-apps';
export { InstanceLogo } from './components/instance-logo';
export { InstanceUnavailable } from './components/instance-unavailable';
export { InstanceUserMenu } from './components/instance-user-menu';
export { describeLicenceProblems, LicenceBanner } from './components/licence-banner';
export { MSSP_BAR_HEIGHT, MsspOverlayBar, MsspOverlayFrame } from './components/mssp-overlay';
export { formatBytes, formatInstant } from './components/format';
export { describeSeverities, ScanProgress, ScanSeverityCounts, ScanStatusBadge } from './components/scan-status';
export { ScansTable, ScansTableSkeleton } from './components/scans-table';
export { ScanUpload } from './components/scan-upload';
