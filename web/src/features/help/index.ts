export { useHelpDocument, type HelpDocument } from './help.api';
export { HelpMarkdown } from './components/help-markdown';
