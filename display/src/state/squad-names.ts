import type { Locale } from '../i18n/translate.ts';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (squad ordinals stay below 100). */
export function chineseOrdinal(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/**
 * A squad's name for the league table. The hub knows squads only by id; ids of the form `<prefix>-<district
 * code>-<number>` (the roster's `SQ-350203-01`) read as "思明一中队" / "Siming 1"; any other id is shown as it is.
 */
export function squadName(id: string, districtName: (code: string) => string | undefined, locale: Locale): string {
  const m = /-(\d{6})-(\d{1,2})$/.exec(id);
  const district = m && districtName(m[1]!);
  if (!m || !district) return id;
  const n = Number(m[2]);
  return locale === 'zh' ? `${district.replace(/区$/, '')}${chineseOrdinal(n)}中队` : `${district} ${n}`;
}
