import { Navigate, Route, Routes } from 'react-router';
import { CRM_SIGN_IN_CALLBACK_PATH } from '@contracts';
import type { ApiClient } from './api/api-client.js';
import { AppLayout } from './layout/app-layout.js';
import { ConnectionsPage } from './pages/connections.page.js';
import { CrmSignInCallbackPage } from './pages/crm-sign-in-callback.page.js';
import { CrmSettingsPage } from './pages/crm-settings.page.js';
import { MappingEditorPage } from './pages/mapping-editor.page.js';
import { MatchingStrategiesPage } from './pages/matching-strategies.page.js';
import { NotFoundPage } from './pages/not-found.page.js';
import { SourcePage } from './pages/source.page.js';
import { SourcesPage } from './pages/sources.page.js';
import { SyncLogPage } from './pages/sync-log.page.js';
import { UsersPage } from './pages/users.page.js';
import { RequirePage } from './session/require-page.js';
import { pagesFor } from './session/role-access.js';
import { SessionGate } from './session/session-gate.js';
import { useSession } from './session/session-context.js';

function StartPage() {
  const { user } = useSession();
  return <Navigate to={pagesFor(user.role)[0]?.path ?? '/connections'} replace />;
}

export function App({ api }: { readonly api: ApiClient }) {
  return (
    <SessionGate api={api}>
      <AppLayout>
        <Routes>
          <Route index element={<StartPage />} />
          <Route
            path="/connections"
            element={
              <RequirePage page="connections">
                <ConnectionsPage />
              </RequirePage>
            }
          />
          <Route
            path="/sources"
            element={
              <RequirePage page="sources">
                <SourcesPage />
              </RequirePage>
            }
          />
          <Route
            path="/sources/:id"
            element={
              <RequirePage page="sources">
                <SourcePage />
              </RequirePage>
            }
          />
          <Route
            path="/sources/:id/mapping/:table"
            element={
              <RequirePage page="sources">
                <MappingEditorPage />
              </RequirePage>
            }
          />
          <Route
            path="/sync-log"
            element={
              <RequirePage page="sync-log">
                <SyncLogPage />
              </RequirePage>
            }
          />
          <Route
            path="/matching-strategies"
            element={
              <RequirePage page="matching-strategies">
                <MatchingStrategiesPage />
              </RequirePage>
            }
          />
          <Route
            path="/crm-settings"
            element={
              <RequirePage page="crm-settings">
                <CrmSettingsPage />
              </RequirePage>
            }
          />
          <Route
            path="/users"
            element={
              <RequirePage page="users">
                <UsersPage />
              </RequirePage>
            }
          />
          {/* Every role: Entra ID returns each person's own CRM sign-in here. */}
          <Route path={CRM_SIGN_IN_CALLBACK_PATH} element={<CrmSignInCallbackPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AppLayout>
    </SessionGate>
  );
}
