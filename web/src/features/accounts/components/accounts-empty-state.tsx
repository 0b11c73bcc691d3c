import { Button, EmptyState } from '@mantine/core';
import { IconBuildingSkyscraper, IconSearchOff } from '@tabler/icons-react';

/*
 * The titles are not headings on purpose: the page has one heading, "Accounts", and a second one
 * containing the word would make "the Accounts heading" ambiguous to tests and screen readers alike.
 */

/** No accounts at all: what this page will hold. */
export function NoAccountsYet() {
  return (
    <EmptyState py={64} px="md" variant="light" size="lg">
      <EmptyState.Indicator>
        <IconBuildingSkyscraper size={30} stroke={1.6} aria-hidden />
      </EmptyState.Indicator>
      <EmptyState.Title>No customer accounts yet</EmptyState.Title>
      <EmptyState.Description maw={480}>
        A customer account is one organisation you protect, with its own vulnerability-management instance, licensed apps and contacts. Your
        accounts will be listed here.
      </EmptyState.Description>
    </EmptyState>
  );
}

/** A search that matched nothing, and the way back to the full list. */
export function NoMatchingAccounts({ search, onClearSearch }: { search: string; onClearSearch: () => void }) {
  return (
    <EmptyState py={64} px="md" size="lg" withIndicatorBackground>
      <EmptyState.Indicator>
        <IconSearchOff size={30} stroke={1.6} aria-hidden />
      </EmptyState.Indicator>
      <EmptyState.Title>No accounts match “{search}”</EmptyState.Title>
      <EmptyState.Description maw={480}>
        Try part of a customer name, a site identifier, a licensed app such as VM, or a word from the notes.
      </EmptyState.Description>
      <EmptyState.Actions>
        <Button variant="default" onClick={onClearSearch}>
          Show all accounts
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
