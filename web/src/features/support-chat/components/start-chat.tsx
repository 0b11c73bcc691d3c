import { Skeleton } from '@mantine/core';
import { useNavigate } from 'react-router';
import type { SupportCatalogResponse } from '../../../../../common/schemas/support-cases.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage, getFieldErrors, isApiError } from '../../../lib/api-client';
import { NewCaseGate, useCases } from '../../support-cases';
import { useStartChat } from '../support-chat.api';
import { NewChatForm } from './new-chat-form';

function StartChatForm({ catalog }: { catalog: SupportCatalogResponse }) {
  const navigate = useNavigate();
  const openCases = useCases({ state: 'open', pageSize: 200 });
  const start = useStartChat();
  if (openCases.isPending) return <Skeleton height={360} />;
  if (openCases.isError) return <QueryErrorAlert error={openCases.error} onRetry={() => void openCases.refetch()} />;
  const fieldErrors = getFieldErrors(start.error);
  // A refusal with no field (the seed's eligibility messages, a case that is no longer open) shows above Submit.
  const generalMessage =
    start.isError && (!isApiError(start.error) || start.error.issues.length === 0) ? getErrorMessage(start.error) : null;
  return (
    <NewChatForm
      products={catalog.products}
      operatingSystems={catalog.operatingSystems}
      openCases={openCases.data.items.map((item) => ({ id: item.id, number: item.number, subject: item.subject }))}
      isSubmitting={start.isPending}
      serverErrors={fieldErrors}
      serverMessage={generalMessage}
      onSubmit={(body) => start.mutate(body, { onSuccess: (session) => void navigate(`/support/chat/${session.id}`) })}
    />
  );
}

/** The New Chat Support Session form, or the seed's eligibility message instead of it. */
export function StartChat() {
  return <NewCaseGate kind="technicalSupport">{({ catalog }) => <StartChatForm catalog={catalog} />}</NewCaseGate>;
}
