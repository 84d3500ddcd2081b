import type { StoredConsent } from '../consents/consent-store';

export interface ConsentPageAccount {
  AccountId: string;
  Nickname: string;
  Currency: string;
}

export interface ConsentPageModel {
  uid: string;
  clientName: string;
  consent: StoredConsent;
  accounts: ConsentPageAccount[];
  psuName: string;
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function paymentSummary(consent: StoredConsent): string {
  const initiation = (consent.body.Initiation ?? {}) as Record<string, unknown>;
  const amount = (initiation.InstructedAmount ?? {}) as Record<string, unknown>;
  const creditor = (initiation.CreditorAccount ?? {}) as Record<string, unknown>;
  const reference = (initiation.RemittanceInformation ?? {}) as Record<string, unknown>;
  const rows: [string, unknown][] = [
    [
      'Amount',
      amount.Amount !== undefined
        ? `${String(amount.Amount)} ${String(amount.Currency ?? '')}`
        : undefined,
    ],
    ['Payee', creditor.Name],
    ['Payee account', creditor.Identification],
    ['Reference', reference.Reference],
  ];
  const items = rows
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<li>${escapeHtml(k)}: <strong>${escapeHtml(String(v))}</strong></li>`)
    .join('');
  return `<ul id="payment-summary">${items || '<li>Payment details as requested by the provider</li>'}</ul>`;
}

/** The PSU-facing page: plain HTML a person can use, no scripts or external assets. */
export function renderConsentPage(m: ConsentPageModel): string {
  const isAccountAccess = m.consent.kind === 'account-access';
  const what = isAccountAccess
    ? `<p>It asks to see:</p><ul id="permissions">${(m.consent.permissions ?? [])
        .map((p) => `<li>${escapeHtml(p)}</li>`)
        .join('')}</ul>`
    : `<p>It asks to make a ${m.consent.kind === 'domestic-vrp' ? 'variable recurring payment' : 'payment'}:</p>${paymentSummary(m.consent)}`;
  const accounts = m.accounts
    .map(
      (a) =>
        `<li><label><input type="checkbox" name="accountIds[]" value="${escapeHtml(a.AccountId)}" checked> ${escapeHtml(a.Nickname)} (${escapeHtml(a.Currency)})</label></li>`,
    )
    .join('');
  const action = `/interaction/${encodeURIComponent(m.uid)}`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Mock Bank: authorise ${escapeHtml(m.clientName)}</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}button{font-size:1.1em;margin-right:1em}</style></head>
<body>
<h1>Mock Bank</h1>
<p>Hello ${escapeHtml(m.psuName)}. <strong id="client-name">${escapeHtml(m.clientName)}</strong> would like your consent (<code id="consent-id">${escapeHtml(m.consent.consentId)}</code>).</p>
${what}
<form method="post" action="${action}/approve">
<fieldset><legend>${isAccountAccess ? 'Accounts to share' : 'Pay from'}</legend><ul id="accounts">${accounts}</ul></fieldset>
<button type="submit" id="approve">Approve</button>
</form>
<form method="post" action="${action}/deny"><button type="submit" id="deny">Deny</button></form>
</body>
</html>`;
}

export function renderMessagePage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p id="message">${escapeHtml(message)}</p></body></html>`;
}
