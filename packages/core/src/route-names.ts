/**
 * How clients address a route through Switchyard, shared by the router, the API, the CLI and
 * the dashboard: no imports, safe in the browser.
 */

/** Public model name of a route: `auto` for the default route, `auto:<route>` for a named one. */
export function publicRouteName(route: string): string {
  return route === 'auto' ? 'auto' : `auto:${route}`;
}
