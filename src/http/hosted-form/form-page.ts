import type { HostedForm } from '../app-services.js';

/**
 * The hosted capture form as plain server-rendered HTML: it works without JavaScript, can be linked
 * or framed from any site, and every value that came from a person or an admin goes through escape().
 * A template engine would be one more dependency for three small pages.
 */
export const HONEYPOT_FIELD = 'leadbridge_website';

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
label{display:block;margin-top:1rem;font-weight:600}input,select,textarea{width:100%;padding:.5rem;margin-top:.25rem;
box-sizing:border-box;font:inherit;border:1px solid #c9ced6;border-radius:6px}input[type=checkbox]{width:auto}
.error{color:#b42318;font-weight:400;font-size:.9rem}.hp{position:absolute;left:-10000px}
button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit;background:#1c7ed6;color:#fff;border:0;border-radius:6px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function formPage(
  form: HostedForm,
  action: string,
  values: Readonly<Record<string, string>> = {},
  errors: Readonly<Record<string, string>> = {},
): string {
  const fields = form.fields.map((field) => {
    const id = `f-${field.name}`;
    const value = values[field.name] ?? '';
    const error = errors[field.name];
    const common = `id="${id}" name="${escapeHtml(field.name)}"${field.required ? ' required' : ''}${
      field.maxLength ? ` maxlength="${field.maxLength}"` : ''
    }${error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ''}`;
    const input =
      field.type === 'textarea'
        ? `<textarea ${common} rows="4">${escapeHtml(value)}</textarea>`
        : field.type === 'select'
          ? `<select ${common}><option value=""></option>${(field.options ?? [])
              .map((option) => `<option${option === value ? ' selected' : ''}>${escapeHtml(option)}</option>`)
              .join('')}</select>`
          : field.type === 'checkbox'
            ? `<input type="checkbox" ${common} value="true"${value === 'true' ? ' checked' : ''}>`
            : `<input type="${inputType(field.type)}" ${common} value="${escapeHtml(value)}">`;
    return `<label for="${id}">${escapeHtml(field.label)}${field.required ? ' *' : ''}</label>${input}${
      error ? `<div class="error" id="${id}-error">${escapeHtml(error)}</div>` : ''
    }`;
  });
  const honeypot = `<div class="hp" aria-hidden="true"><label for="hp">Leave this empty</label><input id="hp" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>`;
  return page(
    form.name,
    `<h1>${escapeHtml(form.name)}</h1><form method="post" action="${escapeHtml(action)}" novalidate>${fields.join('')}${honeypot}<button type="submit">Send</button></form>`,
  );
}

export function thanksPage(form: Pick<HostedForm, 'name'>): string {
  return page(form.name, `<h1>Thank you</h1><p>We received your details and will be in touch.</p>`);
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

function inputType(type: HostedForm['fields'][number]['type']): string {
  return type === 'email' ? 'email' : type === 'phone' ? 'tel' : type === 'number' ? 'number' : 'text';
}
