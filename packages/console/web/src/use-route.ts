import { useEffect, useState } from 'react';

/** The page is the URL's hash (`#/jobs/12`): the server has one page to serve, and links and reloads keep their place. */
export const useRoute = (): string => {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash.replace(/^#/, '') || '/overview';
};
