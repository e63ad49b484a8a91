import type { CardAction, PanelCard, PanelPage } from '@botgate/http';

/** An API Task's allocation (an admin's step) and its execution URL and token. */
export const cardOf = (id: string, allocation: { concurrencyLimit: number } | null, isAdmin: boolean): PanelCard => {
  const path = `/automations/${encodeURIComponent(id)}/api-task`;
  const actions: CardAction[] = [];
  if (isAdmin)
    actions.push({
      label: allocation ? 'Change limit' : 'Allocate',
      method: 'PUT',
      path,
      number: {
        field: 'concurrencyLimit',
        label: 'Concurrency limit',
        ariaLabel: `Concurrency limit of ${id}`,
        value: allocation?.concurrencyLimit ?? 1,
        min: 1,
        max: 1000,
      },
    });
  if (allocation)
    actions.push({
      label: 'Generate URL and token',
      method: 'POST',
      path: `${path}/access`,
      shows: [
        { label: 'URL', field: 'url', testId: `exec-url-${id}` },
        { label: 'X-Authorization', field: 'token', testId: `exec-token-${id}` },
        { label: 'curl', field: 'curl', testId: `exec-curl-${id}` },
      ],
    });
  return {
    title: 'Automation Anywhere API Task',
    notes: [allocation ? `allocated, concurrency limit ${allocation.concurrencyLimit}` : 'not allocated'],
    values: [],
    actions,
  };
};

export const usersPage: PanelPage = {
  path: 'users',
  title: 'Users',
  access: 'admin',
  intro: 'Who signs in here and calls the Control Room API (an API key is shown once, when the user is made).',
  list: {
    path: '/users',
    key: 'username',
    columns: [
      { field: 'id', label: 'Id' },
      { field: 'username', label: 'User' },
      { field: 'role', label: 'Role' },
      { field: 'createdAt', label: 'Since', format: 'time' },
    ],
  },
  add: {
    path: '/users',
    submit: 'Add user',
    fields: [
      { name: 'username', label: 'New user name', kind: 'text', placeholder: 'user name', required: true },
      { name: 'role', label: 'New user role', kind: 'select', options: ['developer', 'admin'], initial: 'developer' },
      { name: 'password', label: 'New user password', kind: 'password', placeholder: 'password (optional)' },
    ],
    shows: { label: 'API key of {username} (shown once)', field: 'apiKey', testId: 'new-api-key' },
  },
  remove: { label: 'Remove', path: '/users/{username}', notSelf: 'username' },
};
