import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { I18n } from '../i18n/i18n.svelte.ts';
import UnitsOnDuty from './UnitsOnDuty.svelte';

const rows = [
  { type: 'enforcement' as const, onDuty: 58, counts: { available: 58, moving: 0, on_scene: 0, offline: 0 } },
];

describe('UnitsOnDuty', () => {
  it('says how many on-duty units have no fresh fix, beside the count on duty', () => {
    render(UnitsOnDuty, { rows, i18n: new I18n('zh'), noFix: 12 });
    expect(screen.getByTestId('units-no-fix').textContent).toContain('定位过期 12');
    expect(document.querySelector('[data-panel=units]')!.textContent).toContain('在岗 58 人');
  });

  it('says nothing of it while every unit reports', () => {
    render(UnitsOnDuty, { rows, i18n: new I18n('zh'), noFix: 0 });
    expect(screen.queryByTestId('units-no-fix')).toBeNull();
  });
});
