/**
 * A page answered to a form's POST (a workflow just created, a webhook URL just rotated) stays at
 * the POST's address, where a reload would post again and create a second workflow. The page
 * names its own address (data-canonical-path); the browser is moved there without a request.
 */
export function showCanonicalPath(root: ParentNode) {
  const path = root.querySelector<HTMLElement>('[data-canonical-path]')?.dataset.canonicalPath
  if (path && path !== location.pathname) history.replaceState(null, '', path)
}
