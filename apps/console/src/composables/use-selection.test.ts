import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { useSelection } from './use-selection.js';

describe('useSelection', () => {
  it('ticks and unticks single rows', () => {
    const selection = useSelection(() => ['a', 'b', 'c']);

    selection.toggle('a');
    selection.toggle('c');
    selection.toggle('a');

    expect(selection.ids.value).toEqual(['c']);
    expect(selection.isSelected('c')).toBe(true);
    expect(selection.someVisibleSelected.value).toBe(true);
    expect(selection.allVisibleSelected.value).toBe(false);
  });

  it('select-all ticks every visible row, and a second select-all clears them', () => {
    const selection = useSelection(() => ['a', 'b']);

    selection.toggleAllVisible();
    expect(selection.ids.value.sort()).toEqual(['a', 'b']);
    expect(selection.allVisibleSelected.value).toBe(true);

    selection.toggleAllVisible();
    expect(selection.count.value).toBe(0);
  });

  it('keeps rows chosen on another page when the page changes', () => {
    const visible = ref(['a', 'b']);
    const selection = useSelection(() => visible.value);
    selection.toggle('a');

    visible.value = ['c', 'd'];
    selection.toggleAllVisible();

    expect(selection.ids.value.sort()).toEqual(['a', 'c', 'd']);
    expect(selection.allVisibleSelected.value).toBe(true);
  });

  it('does not call an empty page all selected', () => {
    const selection = useSelection(() => []);
    expect(selection.allVisibleSelected.value).toBe(false);
  });
});
