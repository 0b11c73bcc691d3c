export { useAuditActions, useAuditEvents } from './audit.api';
export { AuditLogFilters, EMPTY_AUDIT_FILTERS, type AuditLogFilterValues } from './components/audit-log-filters';
export { AuditLogTable, AuditLogTableSkeleton } from './components/audit-log-table';
