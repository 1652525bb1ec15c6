import type { Surface } from '../timeline/actor.js';

/** `2026-11-25 10:03:10` (UTC): every row with its date, so an incident across midnight reads right. */
export function utc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')}`;
}

/** `45 s`, `12 min 5 s`, `1 h 2 min`, `2 d 3 h`; `—` when unknown. */
export function humanDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const parts = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small > 0 ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
  if (s < 3600) return parts(Math.floor(s / 60), 'min', s % 60, 's');
  if (s < 86_400) return parts(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min');
  return parts(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}

/** Text safe inside a Markdown table cell: one line, pipes escaped. */
export function cell(text: string): string {
  return text.replaceAll('\r', '').replaceAll('\n', ' ').replaceAll('|', '\\|').trim();
}

/** Who did something, as the document names them: the surface's id and the surface. */
export function who(id: string | undefined, via: Surface | undefined): string {
  if (!id) return 'Firebreak';
  return via && via !== 'firebreak' ? `${id} (${via})` : id;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}
