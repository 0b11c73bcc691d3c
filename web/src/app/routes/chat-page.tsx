import { Anchor, Skeleton } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { ChatConversation, StartChat, useChat } from '../../features/support-chat';

function ChatSession({ sessionId }: { sessionId: string }) {
  const chat = useChat(sessionId);
  if (chat.isPending) return <Skeleton height={480} />;
  if (chat.isError) return <QueryErrorAlert error={chat.error} onRetry={() => void chat.refetch()} title="Could not load the chat" />;
  return <ChatConversation session={chat.data} viewer="contact" />;
}

/** Chat with Technical Support: the New Chat Support Session form, then the chat itself. */
export function ChatPage() {
  const { sessionId } = useParams();
  return (
    <>
      <PageHeader
        title={sessionId ? 'Chat with Technical Support' : 'New Chat Support Session'}
        description={
          <Anchor component={Link} to="/support" size="sm">
            Back to Support
          </Anchor>
        }
      />
      {sessionId ? <ChatSession key={sessionId} sessionId={sessionId} /> : <StartChat />}
    </>
  );
}
