import { Group, Table, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import classes from './data-table.module.css';

interface SortableHeaderProps<Field extends string> {
  field: Field;
  label: string;
  /** The field the list is sorted by now, and which way. */
  sort: string;
  order: 'asc' | 'desc';
  onSort: (field: Field) => void;
  className?: string;
}

/** A column header that sorts the list by its column; aria-sort tells screen readers which one is in force. */
export function SortableHeader<Field extends string>({ field, label, sort, order, onSort, className }: SortableHeaderProps<Field>) {
  const isSorted = sort === field;
  const direction = order === 'asc' ? 'ascending' : 'descending';
  const SortIcon = !isSorted ? IconSelector : order === 'asc' ? IconChevronUp : IconChevronDown;
  return (
    <Table.Th aria-sort={isSorted ? direction : 'none'} className={className}>
      <UnstyledButton
        onClick={() => onSort(field)}
        className={classes.sortButton}
        data-sorted={isSorted || undefined}
        aria-label={isSorted ? `${label}, sorted ${direction}` : `Sort by ${label}`}
      >
        <Group gap={4} wrap="nowrap" component="span">
          <span>{label}</span>
          <SortIcon size={14} stroke={1.8} aria-hidden className={classes.sortIcon} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
