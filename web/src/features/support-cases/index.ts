export {
  attachmentPath,
  isSecretDetected,
  SupportApiError,
  supportCasesKeys,
  useCase,
  useCases,
  useSupportCatalog,
  useSupportOverview,
  type SecretFinding,
} from './support-cases.api';
export { AccountContactsView } from './components/account-contacts-view';
export { CasePriorityLabel, CaseStatusBadge, formatDuration, formatFileSize, SlaClock } from './components/case-badges';
export { CaseView } from './components/case-view';
export { CasesTable } from './components/cases-table';
export { CustomerCareCaseForm } from './components/customer-care-case-form';
export { MyCasesView, readMyCasesQuery } from './components/my-cases-view';
export { CUSTOMER_CARE_GUIDE_PATH, SupportLanding, TECHNICAL_SUPPORT_GUIDE_PATH } from './components/support-landing';
export { readConsoleQuery, SupportConsoleView } from './components/support-console-view';
export { FEDRAMP_QUESTION_NOTE, SUGGESTIONS_SOLVED_NOTICE, TechnicalCaseForm } from './components/technical-case-form';
export { NewCaseGate } from './components/new-case-gate';
