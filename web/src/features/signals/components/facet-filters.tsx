import { Checkbox, Group, Skeleton, Stack, Text } from '@mantine/core';
import type { FacetBucket, SignalCountsResponse } from '../../../../../common/schemas/signals.js';
import type { ListFilter, SignalFilters } from '../url-filters';

type FacetName = keyof SignalCountsResponse['facets'];

/** Each facet and the filter it sets. */
const FACETS: { facet: FacetName; filter: ListFilter; title: string }[] = [
  { facet: 'severity', filter: 'severity', title: 'Severity' },
  { facet: 'state', filter: 'state', title: 'State' },
  { facet: 'stream', filter: 'stream', title: 'Stream' },
  { facet: 'integration', filter: 'integrationId', title: 'Integration' },
  { facet: 'account', filter: 'accountId', title: 'Account' },
];

interface FacetFiltersProps {
  facets: SignalCountsResponse['facets'] | undefined;
  /** The counts are on their way: each group shows a placeholder until they arrive. */
  isCounting?: boolean;
  isEstimated: boolean;
  filters: SignalFilters;
  onToggle: (filter: ListFilter, value: string) => void;
}

function formatFacetCount(count: number, isEstimated: boolean): string {
  return `${isEstimated ? '≈' : ''}${count.toLocaleString()}`;
}

function FacetGroup({
  title,
  buckets,
  selected,
  isCounting,
  isEstimated,
  onToggle,
}: {
  title: string;
  buckets: FacetBucket[];
  selected: string[];
  isCounting: boolean;
  isEstimated: boolean;
  onToggle: (value: string) => void;
}) {
  // A chosen value the results no longer count still shows, so it can be unchosen.
  const shown = [
    ...buckets,
    ...selected.filter((value) => !buckets.some((bucket) => bucket.value === value)).map((value) => ({ value, label: value, count: 0 })),
  ];
  return (
    <Stack gap={6} component="fieldset" role="group" aria-label={title} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Text component="legend" size="sm" fw={600} p={0} mb={4}>
        {title}
      </Text>
      {isCounting && shown.length === 0 && <Skeleton height={14} width="70%" aria-label={`Counting ${title.toLowerCase()}`} />}
      {!isCounting && shown.length === 0 && (
        <Text size="xs" c="dimmed">
          None in these results
        </Text>
      )}
      {shown.map((bucket) => (
        <Checkbox
          key={bucket.value}
          size="xs"
          checked={selected.includes(bucket.value)}
          onChange={() => onToggle(bucket.value)}
          aria-label={`${bucket.label} (${formatFacetCount(bucket.count, isEstimated)})`}
          styles={{ body: { width: '100%' }, labelWrapper: { flex: 1, minWidth: 0 } }}
          label={
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" truncate="end" title={bucket.label}>
                {bucket.label}
              </Text>
              <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums', flexShrink: 0 }}>
                {formatFacetCount(bucket.count, isEstimated)}
              </Text>
            </Group>
          }
        />
      ))}
    </Stack>
  );
}

/** The list filters with the count of matching signals beside each value; ticking one filters by it. */
export function FacetFilters({ facets, isCounting = false, isEstimated, filters, onToggle }: FacetFiltersProps) {
  return (
    <Stack gap="lg">
      {FACETS.map(({ facet, filter, title }) => (
        <FacetGroup
          key={facet}
          title={title}
          buckets={facets?.[facet] ?? []}
          selected={filters[filter]}
          isCounting={isCounting}
          isEstimated={isEstimated}
          onToggle={(value) => onToggle(filter, value)}
        />
      ))}
    </Stack>
  );
}
