import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** History routing under /admin (the API serves index.html for the client routes). */
export const BASE = '/admin';

export interface Route {
  /** Path below /admin, without leading slash: `customers/123`. */
  path: string;
  segments: string[];
  params: URLSearchParams;
}

function current(): Route {
  const { pathname, search } = window.location;
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length).replace(/^\/+|\/+$/g, '') : '';
  return { path, segments: path ? path.split('/').map(decodeURIComponent) : [], params: new URLSearchParams(search) };
}

const listeners = new Set<() => void>();

export function navigate(to: string, replace = false): void {
  const url = to.startsWith('/') ? to : `${BASE}/${to}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** `href` below /admin, e.g. `customers/123`. Plain clicks stay in the page; modified clicks open normally. */
export function Link(props: { to: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined; 'aria-label'?: string; 'data-testid'?: string }) {
  const { to, children, ...rest } = props;
  const href = `${BASE}/${to}`;
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
