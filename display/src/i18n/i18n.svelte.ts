import { translate, type Locale, type MessageKey, type MessageParams } from './translate.ts';

/** The current language of the screen. `t` reads the locale, so markup that calls it follows a switch. */
export class I18n {
  locale = $state<Locale>('zh');

  constructor(locale: Locale = 'zh') {
    this.locale = locale;
  }

  t = (key: MessageKey, params?: MessageParams): string => translate(this.locale, key, params);

  /** Picks the right half of a `{ zh, en }` pair from config (city, district and category names). */
  name = (names: { zh: string; en: string }): string => names[this.locale];

  toggle = (): void => {
    this.locale = this.locale === 'zh' ? 'en' : 'zh';
  };
}
