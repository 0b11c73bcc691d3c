import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { AuditEventListResponse, type ListAuditEventsQuery } from '../../../../common/schemas/audit.js';
import { apiRequest, buildPath } from '../../lib/api-client';

/** One page of audit events, newest first, filtered by the server. */
export function useAuditEvents(query: ListAuditEventsQuery) {
  return useQuery({
    queryKey: ['audit', 'events', query],
    queryFn: ({ signal }) => apiRequest(buildPath('/api/audit-events', { ...query }), { schema: AuditEventListResponse, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Every action the audit log records, for the Action filter. */
export function useAuditActions() {
  return useQuery({
    queryKey: ['audit', 'actions'],
    queryFn: ({ signal }) => apiRequest('/api/audit-events/actions', { schema: z.array(z.string()), signal }),
    staleTime: Infinity,
  });
}
