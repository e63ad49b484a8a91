import { useEffect, useState } from 'react';
import { api, setCsrfToken, type ConsolePage, type User } from './api';
import { AutomationsPage } from './pages/AutomationsPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { JobPage } from './pages/JobPage';
import { JobsPage } from './pages/JobsPage';
import { LoginPage } from './pages/LoginPage';
import { OverviewPage } from './pages/OverviewPage';
import { PanelPageView } from './pages/PanelPageView';
import { RunPage } from './pages/RunPage';
import { useRoute } from './use-route';

interface Session {
  user: User;
  csrfToken: string;
}

// The console's own pages; the adapters' come from GET /pages.
const ownPages = [
  { path: '/overview', title: 'Overview', admin: false },
  { path: '/automations', title: 'Automations', admin: false },
  { path: '/jobs', title: 'Jobs', admin: false },
  { path: '/deliveries', title: 'Deliveries', admin: false },
];

export const App = () => {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [panelPages, setPanelPages] = useState<ConsolePage[]>([]);
  const route = useRoute();

  useEffect(() => {
    api<Session>('GET', '/session')
      .then(setSession)
      .catch(() => setSession(null));
  }, []);
  useEffect(() => {
    if (!session) return;
    setCsrfToken(session.csrfToken);
    api<ConsolePage[]>('GET', '/pages')
      .then(setPanelPages)
      .catch(() => setPanelPages([]));
  }, [session]);

  if (session === undefined) return null;
  if (session === null) return <LoginPage onLogin={setSession} />;

  const isAdmin = session.user.role === 'admin';
  const job = route.match(/^\/jobs\/(\d+)$/);
  const runOf = route.match(/^\/automations\/([^/]+)\/run$/);
  const panelPage = panelPages.find((p) => `/${p.path}` === route);
  const pages = [
    ...ownPages,
    ...panelPages.map((p) => ({ path: `/${p.path}`, title: p.title, admin: p.access === 'admin' })),
  ];
  const page = pages.find((p) => p.path === route);
  let body;
  if (job) body = <JobPage id={Number(job[1])} />;
  else if (runOf) body = <RunPage key={runOf[1]} id={decodeURIComponent(runOf[1] ?? '')} />;
  else if (page?.admin && !isAdmin) body = <p className="notice">This page is for admins only.</p>;
  else if (panelPage) body = <PanelPageView key={panelPage.path} page={panelPage} self={session.user.username} />;
  else if (route === '/automations') body = <AutomationsPage />;
  else if (route === '/jobs') body = <JobsPage />;
  else if (route === '/deliveries') body = <DeliveriesPage isAdmin={isAdmin} />;
  else body = <OverviewPage />;

  const logout = async () => {
    await api('POST', '/logout');
    setSession(null);
  };

  return (
    <div className="shell">
      <nav>
        <span className="brand">botgate</span>
        {pages
          .filter((p) => isAdmin || !p.admin)
          .map((p) => (
            <a key={p.path} href={`#${p.path}`} className={route.startsWith(p.path) ? 'active' : ''}>
              {p.title}
            </a>
          ))}
        <span className="who">
          {session.user.username} ({session.user.role})
        </span>
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </nav>
      <main>{body}</main>
    </div>
  );
};
