export { supportChatKeys, useAcceptChat, useChat, useChats, useEndChat, useStartChat } from './support-chat.api';
export { useChatConnection, type ChatConnection } from './use-chat-connection';
export { CHAT_STATUS_LABELS, ChatConversation, ChatStatusBadge } from './components/chat-conversation';
export { NewChatForm, type OpenCaseOption } from './components/new-chat-form';
export { StartChat } from './components/start-chat';
