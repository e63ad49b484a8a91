import type { RequestHandler, Router } from 'express';

/** A router and the path prefixes it answers under (`/api`, `/v1/authentication`). */
export interface PathRouter {
  paths: readonly string[];
  router: Router;
}

interface Segment {
  router?: Router;
  next: Map<string, Segment>;
}

const segmentsOf = (path: string): string[] => path.toLowerCase().split('/').filter(Boolean);

/**
 * One handler in front of many routers: a request goes to the router of the longest prefix its
 * path starts with (whole segments, case-insensitive as express matches), and no other router
 * sees it. Mounting each router with `app.use` made every request walk every router's layers.
 */
export const dispatchByPath = (routers: readonly PathRouter[]): RequestHandler => {
  const root: Segment = { next: new Map() };
  for (const { paths, router } of routers)
    for (const path of paths) {
      let node = root;
      for (const segment of segmentsOf(path)) {
        let child = node.next.get(segment);
        if (!child) node.next.set(segment, (child = { next: new Map() }));
        node = child;
      }
      if (node.router && node.router !== router) throw new Error(`two routers claim the path ${path}`);
      node.router = router;
    }
  return (req, res, next) => {
    const url = req.url;
    const end = url.indexOf('?');
    let node: Segment | undefined = root;
    let found: Router | undefined;
    for (const segment of segmentsOf(end === -1 ? url : url.slice(0, end))) {
      node = node.next.get(segment);
      if (!node) break;
      if (node.router) found = node.router;
    }
    if (found) found(req, res, next);
    else next();
  };
};
