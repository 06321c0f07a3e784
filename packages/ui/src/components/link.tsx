/** An in-app link: a real <a href> (so it can be opened in a new tab) that navigates without reload. */
import type { ComponentChildren } from 'preact';
import { formatRoute, type Route } from '../router/url-state.js';
import { navigate } from '../router/use-route.js';

export interface LinkProps {
  to: Route;
  children: ComponentChildren;
  class?: string;
  title?: string;
  replace?: boolean;
}

export function Link({ to, children, class: className, title, replace }: LinkProps) {
  const href = formatRoute(to);
  return (
    <a
      href={href}
      class={className}
      title={title}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0) return;
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href, replace ? { replace: true } : {});
      }}
    >
      {children}
    </a>
  );
}
