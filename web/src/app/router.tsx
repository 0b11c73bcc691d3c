import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { FullPageLoader } from '../components/full-page-loader';
import { TwoFactorSetupGate } from '../features/two-factor';
import { SettingsLayout } from './layout/settings-layout';
import { PermissionGate } from './permission-gate';
import { AccountsPage } from './routes/accounts-page';
import { AuditLogPage } from './routes/audit-log-page';
import { ForgotPasswordPage } from './routes/forgot-password-page';
import { LoginPage } from './routes/login-page';
import { LogosPage } from './routes/logos-page';
import { MyAccountPage } from './routes/my-account-page';
import { NotFoundPage } from './routes/not-found-page';
import { ResetPasswordPage } from './routes/reset-password-page';
import { RouteErrorPage } from './routes/route-error-page';
import { SetupPage } from './routes/setup-page';
import { HomeRedirect, OptionalSession, RequireGuest, RequireSession } from './session-guards';

/** Every page of the web app. Paths under /api are the server's (the API reference is /api/docs). */
export const routes: RouteObject[] = [
  {
    errorElement: <RouteErrorPage />,
    // Shown while a lazily loaded page (help) loads on the very first visit.
    hydrateFallbackElement: <FullPageLoader />,
    children: [
      { index: true, element: <HomeRedirect /> },
      { element: <RequireGuest />, children: [{ path: 'login', element: <LoginPage /> }] },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'reset-password', element: <ResetPasswordPage /> },
      { path: 'confirm-email', lazy: async () => ({ Component: (await import('./routes/confirm-email-page')).ConfirmEmailPage }) },
      { path: 'setup', element: <SetupPage /> },
      {
        // REQUIRE_STAFF_TWO_FACTOR: staff without a second factor are kept on the setup page.
        element: (
          <TwoFactorSetupGate>
            <RequireSession />
          </TwoFactorSetupGate>
        ),
        children: [
          {
            path: 'accounts',
            element: (
              <PermissionGate action="accounts:list">
                <AccountsPage />
              </PermissionGate>
            ),
          },
          {
            path: 'settings',
            element: (
              <PermissionGate action="audit:read">
                <SettingsLayout />
              </PermissionGate>
            ),
            children: [
              { index: true, element: <Navigate to="/settings/audit-log" replace /> },
              { path: 'audit-log', element: <AuditLogPage /> },
              { path: 'domains', lazy: async () => ({ Component: (await import('./routes/domains-page')).DomainsPage }) },
              {
                path: 'phone-support',
                lazy: async () => ({ Component: (await import('./routes/phone-support-settings-page')).PhoneSupportSettingsPage }),
              },
              // Integrations (issue 8): the connector catalogue and tiles, a connector's form, one integration.
              { path: 'integrations', lazy: async () => ({ Component: (await import('./routes/integrations-page')).IntegrationsPage }) },
              {
                path: 'integrations/new/:connector',
                lazy: async () => ({ Component: (await import('./routes/integration-new-page')).IntegrationNewPage }),
              },
              { path: 'integrations/:id', lazy: async () => ({ Component: (await import('./routes/integration-page')).IntegrationPage }) },
            ],
          },
          // /admin/users, not /users: /users is a Tenable API prefix.
          {
            path: 'admin/users',
            lazy: async () => ({ Component: (await import('./routes/users-page')).UsersSection }),
            children: [
              { index: true, lazy: async () => ({ Component: (await import('./routes/users-page')).UsersPage }) },
              { path: 'new', lazy: async () => ({ Component: (await import('./routes/user-create-page')).UserCreatePage }) },
              { path: ':id', lazy: async () => ({ Component: (await import('./routes/user-edit-page')).UserEditPage }) },
              { path: ':id/delete', lazy: async () => ({ Component: (await import('./routes/user-delete-page')).UserDeletePage }) },
            ],
          },
          {
            path: 'logos',
            element: (
              <PermissionGate action="logos:manage">
                <LogosPage />
              </PermissionGate>
            ),
          },
          { path: 'support/pin-lookup', lazy: async () => ({ Component: (await import('./routes/pin-lookup-page')).PinLookupPage }) },
          // Signals → Search (issue 8): what the integrations fetched.
          { path: 'signals', lazy: async () => ({ Component: (await import('./routes/signals-page')).SignalsPage }) },
          { path: 'my-account', element: <MyAccountPage /> },
          {
            path: 'two-factor-setup',
            lazy: async () => ({ Component: (await import('./routes/two-factor-setup-page')).TwoFactorSetupPage }),
          },
          // Markdown rendering is only needed here: load it with the page.
          { path: 'help/:document', lazy: async () => ({ Component: (await import('./routes/help-document-page')).HelpDocumentPage }) },
          { path: 'support/kb', lazy: async () => ({ Component: (await import('./routes/kb-editor-page')).KbEditorPage }) },
          // Support (issue 7): the contact's forms and cases, and the agents' console.
          { path: 'support/cases', lazy: async () => ({ Component: (await import('./routes/my-cases-page')).MyCasesPage }) },
          {
            path: 'support/cases/new/customer-care',
            lazy: async () => ({ Component: (await import('./routes/customer-care-case-page')).CustomerCareCasePage }),
          },
          {
            path: 'support/cases/new/technical',
            lazy: async () => ({ Component: (await import('./routes/technical-case-page')).TechnicalCasePage }),
          },
          { path: 'support/cases/:caseId', lazy: async () => ({ Component: (await import('./routes/case-page')).CasePage }) },
          {
            path: 'support/contacts',
            lazy: async () => ({ Component: (await import('./routes/support-contacts-page')).SupportContactsPage }),
          },
          { path: 'support/chat', lazy: async () => ({ Component: (await import('./routes/chat-page')).ChatPage }) },
          { path: 'support/chat/:sessionId', lazy: async () => ({ Component: (await import('./routes/chat-page')).ChatPage }) },
          {
            path: 'support-console',
            lazy: async () => ({ Component: (await import('./routes/support-console-page')).SupportConsolePage }),
          },
          { path: 'support-console/cases/:caseId', lazy: async () => ({ Component: (await import('./routes/case-page')).CasePage }) },
          { path: 'support-console/chats', lazy: async () => ({ Component: (await import('./routes/chat-inbox-page')).ChatInboxPage }) },
          {
            path: 'support-console/chats/:sessionId',
            lazy: async () => ({ Component: (await import('./routes/chat-inbox-page')).ChatInboxPage }),
          },
        ],
      },
      {
        // A customer instance (issue 5): its own shell (instance-layout.tsx) instead of the portal's.
        path: 'instances/:accountId',
        lazy: async () => ({ Component: (await import('./routes/instance-layout')).InstanceLayout }),
        children: [
          { index: true, lazy: async () => ({ Component: (await import('./routes/instance-home-page')).InstanceHomePage }) },
          { path: 'vm', lazy: async () => ({ Component: (await import('./routes/instance-vm-dashboard-page')).VmDashboardPage }) },
          {
            path: 'vm/vulnerabilities',
            lazy: async () => ({ Component: (await import('./routes/instance-vulnerabilities-page')).VulnerabilitiesPage }),
          },
          {
            path: 'vm/vulnerabilities/:pluginId',
            lazy: async () => ({ Component: (await import('./routes/instance-vulnerability-page')).VulnerabilityPage }),
          },
          { path: 'vm/assets', lazy: async () => ({ Component: (await import('./routes/instance-assets-page')).AssetsPage }) },
          { path: 'vm/assets/:assetId', lazy: async () => ({ Component: (await import('./routes/instance-asset-page')).AssetPage }) },
          {
            path: 'vm/findings/:findingId',
            lazy: async () => ({ Component: (await import('./routes/instance-finding-page')).FindingPage }),
          },
          { path: 'scans', lazy: async () => ({ Component: (await import('./routes/instance-scans-page')).InstanceScansPage }) },
          { path: 'was', lazy: async () => ({ Component: (await import('./routes/instance-was-page')).InstanceWasPage }) },
          { path: 'was/:assetId', lazy: async () => ({ Component: (await import('./routes/instance-was-page')).InstanceWasPage }) },
          { path: 'cs', lazy: async () => ({ Component: (await import('./routes/instance-cs-page')).InstanceCsPage }) },
        ],
      },
      {
        element: <OptionalSession />,
        children: [
          // The Support page: anonymous visitors see the tiles, guides and phone numbers; actions ask for sign-in.
          { path: 'support', lazy: async () => ({ Component: (await import('./routes/support-page')).SupportPage }) },
          // The guides and public articles: the Support page links them for anonymous visitors too.
          { path: 'support/kb/:slug', lazy: async () => ({ Component: (await import('./routes/kb-article-page')).KbArticlePage }) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
