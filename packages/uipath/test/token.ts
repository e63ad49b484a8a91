/** `POST /identity_/connect/token` with a form, as an OAuth client sends it. */
export const requestToken = (url: string, form: Record<string, string>): Promise<Response> =>
  fetch(`${url}/identity_/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

/** An external application's access token, by client credentials. */
export const clientToken = async (url: string, clientId: string, clientSecret: string): Promise<string> => {
  const response = await requestToken(url, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  return ((await response.json()) as { access_token: string }).access_token;
};
