import { Group, Pagination, Text } from '@mantine/core';

interface TablePaginationProps {
  page: number;
  pageSize: number;
  total: number;
  /** What is counted, plural ("accounts", "events"). */
  noun: string;
  onPageChange: (page: number) => void;
}

/** "1–25 of 120 accounts" and the page buttons under a server-paged table. */
export function TablePagination({ page, pageSize, total, noun, onPageChange }: TablePaginationProps) {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const controlLabels = { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' } as const;

  return (
    <Group justify="space-between" gap="sm" mt="md" wrap="wrap">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0 ? `No ${noun}` : `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()} ${noun}`}
      </Text>
      {pageCount > 1 && (
        <nav aria-label={`Pages of ${noun}`}>
          <Pagination
            value={Math.min(page, pageCount)}
            onChange={onPageChange}
            total={pageCount}
            size="sm"
            siblings={1}
            getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
            getControlProps={(control) => ({ 'aria-label': controlLabels[control] })}
          />
        </nav>
      )}
    </Group>
  );
}
