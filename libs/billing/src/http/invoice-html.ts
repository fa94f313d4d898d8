import { Money } from '@oksio/kernel';
import { dateFr, type CreditNoteDocument, type InvoiceDocument, type InvoiceLine, type Party, type SellerIdentity } from '../domain';

/**
 * The invoice as a readable HTML page with the mentions of a French B2B invoice (CGI art. 242
 * nonies A; Code de commerce L441-9, L441-10, D441-5): seller identity, SIREN, RCS, VAT number,
 * buyer identity, invoice number and date, due date, lines with unit price HT, VAT per rate,
 * totals HT / TVA / TTC, late-payment penalty rate and the 40 € recovery indemnity.
 */
const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const eur = (amount: string): string => esc(Money.eur(amount).format('fr-FR'));
const pct = (rate: string): string => `${esc(rate.replace('.', ','))} %`;

function address(a: Party['address'] | SellerIdentity['address'] | null): string {
  if (!a) return '';
  const line2 = 'line2' in a && a.line2 ? `<br>${esc(a.line2)}` : '';
  return `${esc(a.line1)}${line2}<br>${esc(a.postalCode)} ${esc(a.city)}${a.country && a.country !== 'FR' ? `<br>${esc(a.country)}` : ''}`;
}

function lineRows(lines: InvoiceLine[]): string {
  return lines
    .map(
      (l) => `<tr>
        <td>${esc(l.label)}${l.detail ? `<div class="detail">${esc(l.detail)}</div>` : ''}${l.periodFrom && l.periodTo ? `<div class="detail">Période du ${dateFr(l.periodFrom)} au ${dateFr(l.periodTo)}</div>` : ''}</td>
        <td class="num">${esc(l.quantity)}</td>
        <td class="num">${eur(Money.eur(l.unitPrice).toString())}</td>
        <td class="num">${pct(l.vatRate)}</td>
        <td class="num">${eur(l.amount)}</td>
      </tr>`,
    )
    .join('');
}

const STYLE = `body{font-family:system-ui,Arial,sans-serif;max-width:900px;margin:2em auto;color:#222}
header{display:flex;justify-content:space-between;gap:2em}h1{margin:.2em 0}table{width:100%;border-collapse:collapse;margin:1em 0}
th,td{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}.num{text-align:right;white-space:nowrap}
.detail{font-size:.85em;color:#555}.totals{width:45%;margin-left:auto}.legal{font-size:.85em;color:#444;margin-top:2em}`;

function parties(seller: SellerIdentity, buyer: Party): string {
  return `<header>
    <section class="seller"><strong>${esc(seller.legalName)} ${esc(seller.legalForm)}</strong> au capital de ${esc(seller.shareCapital)}<br>${address(seller.address)}<br>
      SIREN ${esc(seller.siren)} — ${esc(seller.rcs)}<br>N° TVA intracommunautaire : ${esc(seller.vatNumber)}<br>${esc(seller.email)}</section>
    <section class="buyer"><strong>${esc(buyer.companyName)}</strong><br>${buyer.siret ? `SIRET ${esc(buyer.siret)}<br>` : ''}${address(buyer.address)}<br>Référence client : ${esc(buyer.customerId)}</section>
  </header>`;
}

function totalsTable(doc: { totalHT: string; totalVAT: string; totalTTC: string; vat: Array<{ rate: string; base: string; vat: string }> }): string {
  const vatRows = doc.vat.map((v) => `<tr><td>TVA ${pct(v.rate)} sur ${eur(v.base)}</td><td class="num">${eur(v.vat)}</td></tr>`).join('');
  return `<table class="totals"><tbody>
    <tr><td>Total HT</td><td class="num">${eur(doc.totalHT)}</td></tr>${vatRows}
    <tr><td>Total TVA</td><td class="num">${eur(doc.totalVAT)}</td></tr>
    <tr><th>Total TTC</th><th class="num">${eur(doc.totalTTC)}</th></tr></tbody></table>`;
}

const HEAD = `<tr><th>Désignation</th><th class="num">Qté</th><th class="num">P.U. HT</th><th class="num">TVA</th><th class="num">Montant HT</th></tr>`;

export function renderInvoiceHtml(doc: InvoiceDocument & { number: string }): string {
  const payment =
    doc.payment.method === 'sepa_direct_debit'
      ? `Paiement par prélèvement SEPA avant le ${dateFr(doc.dueOn)} — mandat (RUM) ${esc(doc.payment.mandateId)}, identifiant créancier SEPA ${esc(doc.payment.creditorId)}.`
      : doc.payment.method === 'cheque'
        ? `Paiement par chèque à la commande (${dateFr(doc.dueOn)}), en attendant l'enregistrement de vos coordonnées bancaires ; la commande est expédiée après réception du règlement.`
        : `Paiement à réception, au plus tard le ${dateFr(doc.dueOn)}. Aucun mandat de prélèvement SEPA actif : merci de signer un mandat.`;
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Facture ${esc(doc.number)}</title><style>${STYLE}</style></head><body>
  ${parties(doc.seller, doc.buyer)}
  <h1>Facture n° ${esc(doc.number)}</h1>
  <p>Date de facture : <strong>${dateFr(doc.issuedOn)}</strong> — Date d'échéance : <strong>${dateFr(doc.dueOn)}</strong> — Période facturée : ${esc(doc.billingMonth)}</p>
  <table><thead>${HEAD}</thead><tbody>${lineRows(doc.lines)}</tbody></table>
  ${totalsTable(doc)}
  <p>${payment}</p>
  <div class="legal">
    <p>Prix exprimés hors taxes ; TVA au taux en vigueur. ${esc(doc.lateTerms.text)}</p>
    <p>Taux des pénalités de retard : ${esc(doc.lateTerms.multiplier)} fois le taux de l'intérêt légal en vigueur. Indemnité forfaitaire pour frais de recouvrement : ${eur(doc.lateTerms.indemnity)}.</p>
    <p>Toute contestation doit être adressée par lettre recommandée avec avis de réception motivée dans les 30 jours suivant la réception de la facture ; seule la somme contestée est suspendue.</p>
  </div></body></html>`;
}

export function renderCreditNoteHtml(doc: CreditNoteDocument & { number: string }): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Avoir ${esc(doc.number)}</title><style>${STYLE}</style></head><body>
  ${parties(doc.seller, doc.buyer)}
  <h1>Avoir n° ${esc(doc.number)}</h1>
  <p>Date : <strong>${dateFr(doc.issuedOn)}</strong> — Facture d'origine : <strong>${esc(doc.invoiceNumber)}</strong> — Motif : ${esc(doc.reason)}</p>
  <table><thead>${HEAD}</thead><tbody>${lineRows(doc.lines)}</tbody></table>
  ${totalsTable(doc)}
  <div class="legal"><p>Avoir venant en déduction de la facture ${esc(doc.invoiceNumber)}.</p></div></body></html>`;
}
