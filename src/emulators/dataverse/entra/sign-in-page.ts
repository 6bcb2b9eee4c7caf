import type { DirectoryUser } from './entra-directory.js';

/**
 * The emulator's HTML: an account picker instead of Entra's password page (the directory has no
 * passwords), an error page shaped like Entra's "Sorry, but we're having trouble signing you in", and
 * the auto-submitting form of `response_mode=form_post`. Plain, server-rendered, usable without
 * JavaScript and with a keyboard or screen reader: real buttons in a labelled form, one <h1>, lang set.
 */

export interface AccountPickerPage {
  readonly formAction: string;
  readonly flowToken: string;
  readonly appName: string;
  readonly directoryName: string;
  readonly users: readonly DirectoryUser[];
  /** UPN from `login_hint`; that account is listed first and marked. */
  readonly loginHint: string | undefined;
}

export function renderAccountPicker(page: AccountPickerPage): string {
  const hint = page.loginHint?.toLowerCase();
  const users = [...page.users]
    .filter((user) => user.accountEnabled)
    .sort(
      (a, b) =>
        Number(b.userPrincipalName.toLowerCase() === hint) -
        Number(a.userPrincipalName.toLowerCase() === hint),
    );
  const accounts =
    users.length === 0
      ? '<p>This directory has no enabled users.</p>'
      : `<ul class="accounts">${users
          .map((user) => {
            const suggested = user.userPrincipalName.toLowerCase() === hint;
            return (
              `<li><button type="submit" name="user" value="${escapeHtml(user.objectId)}">` +
              `<span class="name">${escapeHtml(user.displayName)}</span>` +
              `<span class="upn">${escapeHtml(user.userPrincipalName)}</span>` +
              (suggested ? '<span class="hint">Suggested by the app</span>' : '') +
              '</button></li>'
            );
          })
          .join('')}</ul>`;
  return layout(
    'Sign in to your account',
    `<h1 id="title">Pick an account</h1>
<p>to continue to <strong>${escapeHtml(page.appName)}</strong></p>
<form method="post" action="${escapeHtml(page.formAction)}" aria-labelledby="title">
<input type="hidden" name="flowToken" value="${escapeHtml(page.flowToken)}">
${accounts}
<p><button type="submit" name="cancel" value="1" class="secondary">Cancel</button></p>
</form>
<p class="note">${escapeHtml(page.directoryName)} · Leadbridge Entra ID emulator — no password is asked.</p>`,
  );
}

export interface ErrorPage {
  /** "AADSTS50011: The redirect URI ..." */
  readonly message: string;
  readonly requestId: string;
  readonly correlationId: string;
  readonly timestamp: string;
}

export function renderErrorPage(page: ErrorPage): string {
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
<div role="alert">
<p>Sorry, but we're having trouble signing you in.</p>
<p class="error">${escapeHtml(page.message)}</p>
</div>
<dl>
<dt>Request Id</dt><dd>${escapeHtml(page.requestId)}</dd>
<dt>Correlation Id</dt><dd>${escapeHtml(page.correlationId)}</dd>
<dt>Timestamp</dt><dd>${escapeHtml(page.timestamp)}</dd>
</dl>`,
  );
}

/** response_mode=form_post: POST the parameters to the redirect URI (inline script allowed by nonce). */
export function renderFormPost(
  action: string,
  fields: Readonly<Record<string, string>>,
  scriptNonce: string,
): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return layout(
    'Working...',
    `<h1>Returning to the application</h1>
<form method="post" action="${escapeHtml(action)}" id="response">
${inputs}
<noscript><p>Script is disabled. Press Continue to return to the application.</p></noscript>
<p><button type="submit">Continue</button></p>
</form>
<script nonce="${escapeHtml(scriptNonce)}">document.getElementById('response').submit();</script>`,
  );
}

export function renderSignedOutPage(): string {
  return layout(
    'Signed out',
    '<h1>You signed out of your account</h1><p>It is a good idea to close all browser windows.</p>',
  );
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f2f2f2;color:#1b1b1b}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;margin-top:0}
.accounts{list-style:none;padding:0}
.accounts button{display:flex;flex-direction:column;align-items:flex-start;width:100%;margin:.25rem 0;padding:.75rem;border:1px solid #8a8a8a;background:#fff;font:inherit;text-align:left;cursor:pointer}
.accounts button:hover,.accounts button:focus-visible{background:#e6f0fa;outline:3px solid #0067b8}
.upn,.note{color:#505050;font-size:.9rem}
.hint{font-size:.8rem;color:#0067b8}
.secondary{padding:.5rem 1rem;font:inherit}
.error{font-family:ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}
dt{font-weight:600}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
